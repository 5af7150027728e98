import type { AnswerNode, InlineNode } from '@lotse/triage';
import type { ComponentChildren } from 'preact';

// Checked again here although the model builder only emits these: the renderer must be safe on its own.
const safeHref = /^(https?:|mailto:)/i;

function renderInline(nodes: readonly InlineNode[]): ComponentChildren {
  return nodes.map((node, i) => {
    switch (node.type) {
      case 'text':
        return node.value;
      case 'emphasis':
        return <em key={i}>{renderInline(node.children)}</em>;
      case 'strong':
        return <strong key={i}>{renderInline(node.children)}</strong>;
      case 'inlineCode':
        return <code key={i}>{node.value}</code>;
      case 'break':
        return <br key={i} />;
      case 'link':
        return safeHref.test(node.href) ? (
          <a key={i} href={node.href} target="_blank" rel="noopener noreferrer">
            {renderInline(node.children)}
          </a>
        ) : (
          renderInline(node.children)
        );
      default:
        return null;
    }
  });
}

function renderBlock(node: AnswerNode, key: number): ComponentChildren {
  switch (node.type) {
    case 'paragraph':
      return <p key={key}>{renderInline(node.children)}</p>;
    case 'heading':
      return (
        <p key={key} class="h">
          <strong>{renderInline(node.children)}</strong>
        </p>
      );
    case 'codeBlock':
      return (
        <pre key={key}>
          <code>{node.value}</code>
        </pre>
      );
    case 'list': {
      const items = node.items.map((blocks, i) => <li key={i}>{blocks.map(renderBlock)}</li>);
      return node.ordered ? (
        <ol key={key} start={node.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    default:
      return null;
  }
}

/** Renders an answer from the safe AST: every string as text, links only to http, https and mailto. */
export function AnswerView({ answer }: { answer: readonly AnswerNode[] }) {
  return <div class="answer">{answer.map(renderBlock)}</div>;
}
