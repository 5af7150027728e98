import type { AnswerNode, InlineNode } from '@lotse/triage';
import { type HtmlValue, html, type SafeHtml } from '../pages/html.js';

function inline(nodes: readonly InlineNode[]): HtmlValue[] {
  return nodes.map(inlineNode);
}

function inlineNode(node: InlineNode): HtmlValue {
  switch (node.type) {
    case 'text':
      return node.value;
    case 'emphasis':
      return html`<em>${inline(node.children)}</em>`;
    case 'strong':
      return html`<strong>${inline(node.children)}</strong>`;
    case 'inlineCode':
      return html`<code>${node.value}</code>`;
    case 'link':
      // Only http, https and mailto hrefs exist in the AST; they are attribute values, escaped.
      return html`<a href="${node.href}" rel="noopener noreferrer">${inline(node.children)}</a>`;
    case 'break':
      return html`<br>`;
  }
}

/**
 * Renders the safe answer AST as agent-page HTML: every string is escaped by the `html` tag, so an
 * answer can hold no markup of its own. Headings become `h3`, below the page's own headings.
 */
export function answerHtml(nodes: readonly AnswerNode[]): SafeHtml {
  return html`${nodes.map(blockNode)}`;
}

function blockNode(node: AnswerNode): HtmlValue {
  switch (node.type) {
    case 'paragraph':
      return html`<p>${inline(node.children)}</p>`;
    case 'heading':
      return html`<h3>${inline(node.children)}</h3>`;
    case 'codeBlock':
      return html`<pre><code>${node.value}</code></pre>`;
    case 'list': {
      const items = node.items.map((item) => html`<li>${answerHtml(item)}</li>`);
      return node.ordered
        ? html`<ol${node.start !== undefined && node.start !== 1 ? html` start="${node.start}"` : null}>${items}</ol>`
        : html`<ul>${items}</ul>`;
    }
  }
}
