import type { AnswerNode, InlineNode } from './answer-node.js';

/**
 * Renders an answer as plain text for terminals and search snippets: blocks separated by blank
 * lines, lists as "- " or "1. " lines, links as "text (href)".
 * @example answerToPlainText(entry.answer)
 */
export function answerToPlainText(nodes: readonly AnswerNode[]): string {
  return blocksToText(nodes, '').join('\n\n');
}

function blocksToText(nodes: readonly AnswerNode[], indent: string): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'paragraph':
      case 'heading':
        out.push(indent + inlineToText(node.children).replaceAll('\n', `\n${indent}`));
        break;
      case 'codeBlock':
        out.push(
          node.value
            .split('\n')
            .map((line) => indent + line)
            .join('\n'),
        );
        break;
      case 'list': {
        const lines: string[] = [];
        node.items.forEach((item, index) => {
          const marker = node.ordered ? `${(node.start ?? 1) + index}. ` : '- ';
          const pad = ' '.repeat(marker.length);
          const body = blocksToText(item, '').join('\n');
          const [first = '', ...rest] = body.split('\n');
          lines.push(indent + marker + first, ...rest.map((line) => indent + pad + line));
        });
        out.push(lines.join('\n'));
        break;
      }
    }
  }
  return out;
}

function inlineToText(nodes: readonly InlineNode[]): string {
  let text = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'inlineCode':
        text += node.value;
        break;
      case 'break':
        text += '\n';
        break;
      case 'emphasis':
      case 'strong':
        text += inlineToText(node.children);
        break;
      case 'link': {
        const label = inlineToText(node.children);
        const shown = node.href.startsWith('mailto:') ? node.href.slice(7) : node.href;
        text += label === shown || label === node.href ? label : `${label} (${shown})`;
        break;
      }
    }
  }
  return text;
}
