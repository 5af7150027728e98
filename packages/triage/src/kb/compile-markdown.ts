import type { Nodes, Parents, PhrasingContent, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { AnswerNode, InlineNode } from './answer-node.js';
import { sanitizeHref } from './sanitize-href.js';

/** Something in an answer's Markdown that was dropped or changed, with its 1-based line. */
export interface MarkdownIssue {
  line: number;
  message: string;
}

/** Options of {@link compileMarkdown}. */
export interface CompileMarkdownOptions {
  /** Called for raw HTML, images and unsafe links, which are dropped from the answer. */
  onIssue?: (issue: MarkdownIssue) => void;
}

// Deeper nesting (">>>>>…", "*_*_*_…") is flattened to text: keeps recursion bounded on any input.
const MAX_DEPTH = 24;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes.
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

interface Context {
  definitions: Map<string, string>;
  report: (node: Nodes, message: string) => void;
}

/**
 * Compiles an answer's Markdown (CommonMark) to the safe answer AST. Raw HTML and images are
 * dropped, links to anything but http, https and mailto become plain text. Never throws.
 * @example compileMarkdown('Das Etikett finden Sie unter **Mein Konto**.')
 */
export function compileMarkdown(
  markdown: string,
  options: CompileMarkdownOptions = {},
): AnswerNode[] {
  const source = String(markdown).replace(/\r\n?/g, '\n');
  const onIssue = options.onIssue;
  const context: Context = {
    definitions: new Map(),
    report: (node, message) => onIssue?.({ line: node.position?.start.line ?? 1, message }),
  };
  try {
    const tree = fromMarkdown(source);
    collectDefinitions(tree, context.definitions);
    return convertBlocks(tree.children, context, 0);
  } catch {
    // The parser is recursive: pathological nesting can exhaust the stack. Keep the words as text.
    const text = cleanText(source).replace(/\s+/g, ' ').trim();
    return text === '' ? [] : [{ type: 'paragraph', children: [{ type: 'text', value: text }] }];
  }
}

function collectDefinitions(tree: Root, definitions: Map<string, string>): void {
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'definition') {
      if (!definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
    } else if ('children' in node) {
      for (const child of node.children as Nodes[]) stack.push(child);
    }
  }
}

function convertBlocks(
  nodes: readonly RootContent[],
  context: Context,
  depth: number,
): AnswerNode[] {
  const out: AnswerNode[] = [];
  for (const node of nodes) {
    if (depth >= MAX_DEPTH) {
      pushParagraph(out, [{ type: 'text', value: plainText(node) }]);
      continue;
    }
    switch (node.type) {
      case 'paragraph':
        pushParagraph(out, convertInline(node.children, context, depth + 1));
        break;
      case 'heading': {
        const children = trimInline(convertInline(node.children, context, depth + 1));
        if (children.length > 0) out.push({ type: 'heading', children });
        break;
      }
      case 'blockquote':
        append(out, convertBlocks(node.children, context, depth + 1));
        break;
      case 'list': {
        const items = node.children
          .map((item) => convertBlocks(item.children, context, depth + 1))
          .filter((item) => item.length > 0);
        if (items.length === 0) break;
        const ordered = node.ordered === true;
        const start = node.start ?? 1;
        out.push(
          ordered && start !== 1
            ? { type: 'list', ordered, start, items }
            : { type: 'list', ordered, items },
        );
        break;
      }
      case 'code': {
        const value = cleanText(node.value);
        if (value.trim() !== '') out.push({ type: 'codeBlock', value });
        break;
      }
      case 'html':
        reportHtml(node, context);
        break;
      case 'listItem':
        append(out, convertBlocks(node.children, context, depth + 1));
        break;
      case 'definition':
      case 'thematicBreak':
        break;
      default:
        // Constructs CommonMark does not produce (tables, footnotes…) keep only their words.
        pushParagraph(out, [{ type: 'text', value: plainText(node) }]);
    }
  }
  return out;
}

function convertInline(
  nodes: readonly PhrasingContent[],
  context: Context,
  depth: number,
): InlineNode[] {
  const out: InlineNode[] = [];
  for (const node of nodes) {
    if (depth >= MAX_DEPTH) {
      pushText(out, plainText(node));
      continue;
    }
    switch (node.type) {
      case 'text':
        pushText(out, cleanText(node.value).replace(/\n/g, ' '));
        break;
      case 'emphasis':
      case 'strong': {
        const children = convertInline(node.children, context, depth + 1);
        if (children.length > 0) out.push({ type: node.type, children });
        break;
      }
      case 'inlineCode': {
        const value = cleanText(node.value);
        if (value !== '') out.push({ type: 'inlineCode', value });
        break;
      }
      case 'break':
        out.push({ type: 'break' });
        break;
      case 'link':
        pushLink(out, node, node.url, node.children, context, depth);
        break;
      case 'linkReference': {
        const url = context.definitions.get(node.identifier);
        if (url === undefined) append(out, convertInline(node.children, context, depth + 1));
        else pushLink(out, node, url, node.children, context, depth);
        break;
      }
      case 'image':
      case 'imageReference':
        context.report(
          node,
          'images are not supported in answers. Link to the picture instead, e.g. [Größentabelle](https://…).',
        );
        break;
      case 'html':
        reportHtml(node, context);
        break;
      default:
        pushText(out, plainText(node));
    }
  }
  return mergeText(out);
}

function pushLink(
  out: InlineNode[],
  node: Nodes,
  url: string,
  children: readonly PhrasingContent[],
  context: Context,
  depth: number,
): void {
  const label = convertInline(children, context, depth + 1);
  const href = sanitizeHref(url);
  if (href === null) {
    context.report(
      node,
      `link target ${quote(url)} is not allowed. Use a full address starting with https://, http:// or mailto:.`,
    );
    append(out, label);
    return;
  }
  out.push({
    type: 'link',
    href,
    children: label.length > 0 ? label : [{ type: 'text', value: href }],
  });
}

function reportHtml(node: Nodes & { value: string }, context: Context): void {
  const snippet = node.value.trim().split('\n')[0] ?? '';
  context.report(
    node,
    `raw HTML ${quote(snippet)} is not allowed in answers and was left out. Use Markdown instead: **bold**, *italic*, [link](https://…), "- " for lists.`,
  );
}

function pushParagraph(out: AnswerNode[], children: InlineNode[]): void {
  const trimmed = trimInline(mergeText(children));
  if (trimmed.length > 0) out.push({ type: 'paragraph', children: trimmed });
}

function pushText(out: InlineNode[], value: string): void {
  if (value !== '') out.push({ type: 'text', value });
}

function mergeText(nodes: InlineNode[]): InlineNode[] {
  const out: InlineNode[] = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (node.type === 'text' && last?.type === 'text') {
      out[out.length - 1] = { type: 'text', value: last.value + node.value };
    } else if (node.type !== 'text' || node.value !== '') {
      out.push(node);
    }
  }
  return out;
}

function trimInline(nodes: InlineNode[]): InlineNode[] {
  const out = [...nodes];
  const first = out[0];
  if (first?.type === 'text') out[0] = { type: 'text', value: first.value.trimStart() };
  const last = out[out.length - 1];
  if (last?.type === 'text') out[out.length - 1] = { type: 'text', value: last.value.trimEnd() };
  const kept = out.filter((node) => node.type !== 'text' || node.value !== '');
  return kept.some((node) => node.type !== 'break') ? kept : [];
}

/** Collects the literal words under a node without recursion (used past the depth limit). */
function plainText(root: Nodes): string {
  let text = '';
  const stack: Nodes[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'html' || node.type === 'image' || node.type === 'imageReference') continue;
    if ('value' in node && typeof node.value === 'string') text += `${node.value} `;
    else if ('children' in node) {
      const children = (node as Parents).children;
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
    }
  }
  return cleanText(text).replace(/\s+/g, ' ');
}

// Spread arguments overflow the stack past ~100 000 items; hostile input can produce that many nodes.
function append<T>(out: T[], items: readonly T[]): void {
  for (const item of items) out.push(item);
}

function cleanText(value: string): string {
  return value.replace(CONTROL_CHARS, '');
}

function quote(value: string): string {
  const short = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return JSON.stringify(short);
}
