import type { AnswerNode, InlineNode } from '@lotse/triage';
import fc from 'fast-check';
import { h, type VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { AnswerView } from './answer-view.js';

const allowedTags = new Set([
  'div',
  'p',
  'strong',
  'em',
  'code',
  'pre',
  'br',
  'a',
  'ul',
  'ol',
  'li',
]);
const allowedProps = new Set(['children', 'class', 'href', 'target', 'rel', 'start']);

/** Walks a rendered tree: only known tags and props, strings as text, links only http(s)/mailto. */
function check(node: unknown, texts: string[]): void {
  if (node === null || node === undefined || typeof node === 'boolean') return;
  if (typeof node === 'string' || typeof node === 'number') {
    texts.push(String(node));
    return;
  }
  if (Array.isArray(node)) {
    for (const child of node) check(child, texts);
    return;
  }
  const vnode = node as VNode<Record<string, unknown>>;
  if (typeof vnode.type === 'function') {
    check((vnode.type as (props: unknown) => unknown)(vnode.props), texts);
    return;
  }
  expect(allowedTags.has(vnode.type as string), `tag ${String(vnode.type)}`).toBe(true);
  for (const key of Object.keys(vnode.props))
    expect(allowedProps.has(key), `prop ${key}`).toBe(true);
  if (vnode.type === 'a') expect(String(vnode.props.href)).toMatch(/^(https?:|mailto:)/i);
  check(vnode.props.children, texts);
}

const text = fc.string({ maxLength: 40 });
const href = fc.oneof(
  fc.constantFrom('https://example.com/a?b=1', 'mailto:help@example.com', 'http://x.test'),
  fc.constantFrom(
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>',
    ' vbscript:x',
  ),
);
const inline: fc.Arbitrary<InlineNode> = fc.letrec<{ node: InlineNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constant('text' as const), value: text }),
    fc.record({ type: fc.constant('inlineCode' as const), value: text }),
    fc.constant({ type: 'break' as const }),
    fc.record({
      type: fc.constant('emphasis' as const),
      children: fc.array(tie('node'), { maxLength: 3 }),
    }),
    fc.record({
      type: fc.constant('strong' as const),
      children: fc.array(tie('node'), { maxLength: 3 }),
    }),
    fc.record({
      type: fc.constant('link' as const),
      href,
      children: fc.array(tie('node'), { maxLength: 3 }),
    }),
  ),
})).node;
const block: fc.Arbitrary<AnswerNode> = fc.letrec<{ node: AnswerNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      type: fc.constant('paragraph' as const),
      children: fc.array(inline, { maxLength: 4 }),
    }),
    fc.record({
      type: fc.constant('heading' as const),
      children: fc.array(inline, { maxLength: 3 }),
    }),
    fc.record({ type: fc.constant('codeBlock' as const), value: text }),
    fc.record({
      type: fc.constant('list' as const),
      ordered: fc.boolean(),
      items: fc.array(fc.array(tie('node'), { maxLength: 2 }), { maxLength: 3 }),
    }),
  ),
})).node;

describe('AnswerView', () => {
  it('renders any answer AST as known elements, text as text and only safe links', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 5 }), (answer) => {
        check(h(AnswerView, { answer }), []);
      }),
    );
  });

  it('keeps markup-looking text as text and drops javascript: links but keeps their words', () => {
    const texts: string[] = [];
    check(
      h(AnswerView, {
        answer: [
          {
            type: 'paragraph',
            children: [
              { type: 'text', value: '<img src=x onerror=alert(1)>' },
              {
                type: 'link',
                href: 'javascript:alert(1)',
                children: [{ type: 'text', value: 'Klick' }],
              },
            ],
          },
        ],
      }),
      texts,
    );
    expect(texts).toEqual(['<img src=x onerror=alert(1)>', 'Klick']);
  });
});
