/**
 * The safe answer AST: plain JSON with no place for HTML. Renderers set every string as text
 * (never as markup) and every `href` as an attribute value; only http, https and mailto links exist.
 */

/** Inline content of a paragraph, heading or link. */
export type InlineNode =
  | { type: 'text'; value: string }
  | { type: 'emphasis'; children: InlineNode[] }
  | { type: 'strong'; children: InlineNode[] }
  | { type: 'inlineCode'; value: string }
  | { type: 'link'; href: string; children: InlineNode[] }
  | { type: 'break' };

/** A block of an answer; list items are lists of blocks. */
export type AnswerNode =
  | { type: 'paragraph'; children: InlineNode[] }
  | { type: 'heading'; children: InlineNode[] }
  | { type: 'list'; ordered: boolean; start?: number; items: AnswerNode[][] }
  | { type: 'codeBlock'; value: string };

/** Every node `type` the AST may contain, for renderers and tests that check exhaustiveness. */
export const ANSWER_NODE_TYPES: readonly string[] = [
  'paragraph',
  'heading',
  'list',
  'codeBlock',
  'text',
  'emphasis',
  'strong',
  'inlineCode',
  'link',
  'break',
];
