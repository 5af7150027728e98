import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANSWER_NODE_TYPES, type AnswerNode, type InlineNode } from './answer-node.js';
import { answerToPlainText } from './answer-to-plain-text.js';
import { compileMarkdown, type MarkdownIssue } from './compile-markdown.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const corpora = join(repoRoot, '..', 'shared', 'corpora');
const blns: string[] = JSON.parse(readFileSync(join(corpora, 'blns.json'), 'utf8'));
const h5sc: { data: string }[] = JSON.parse(
  readFileSync(join(corpora, 'h5sc-vectors.json'), 'utf8'),
);

/** Test-only renderer: escapes every string, as the widget's renderer sets text as text. */
function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function renderInline(nodes: readonly InlineNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return escapeHtml(node.value);
        case 'inlineCode':
          return `<code>${escapeHtml(node.value)}</code>`;
        case 'break':
          return '<br>';
        case 'emphasis':
          return `<em>${renderInline(node.children)}</em>`;
        case 'strong':
          return `<strong>${renderInline(node.children)}</strong>`;
        case 'link':
          return `<a href="${escapeHtml(node.href)}">${renderInline(node.children)}</a>`;
        default:
          throw new Error(`unknown inline node ${JSON.stringify(node)}`);
      }
    })
    .join('');
}

function renderHtml(nodes: readonly AnswerNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'paragraph':
          return `<p>${renderInline(node.children)}</p>`;
        case 'heading':
          return `<h3>${renderInline(node.children)}</h3>`;
        case 'codeBlock':
          return `<pre><code>${escapeHtml(node.value)}</code></pre>`;
        case 'list': {
          const tag = node.ordered ? 'ol' : 'ul';
          const start = node.start === undefined ? '' : ` start="${node.start}"`;
          return `<${tag}${start}>${node.items.map((item) => `<li>${renderHtml(item)}</li>`).join('')}</${tag}>`;
        }
        default:
          throw new Error(`unknown block node ${JSON.stringify(node)}`);
      }
    })
    .join('');
}

const ALLOWED_TAGS = new Set([
  'p',
  'h3',
  'pre',
  'code',
  'ul',
  'ol',
  'li',
  'em',
  'strong',
  'a',
  'br',
]);
const SAFE_HREF = /^(?:https?:\/\/[^/\\?#\s]|mailto:.)/;

/** Walks the AST: only the documented node types and fields, only http(s)/mailto hrefs. */
function assertSafeAst(nodes: readonly unknown[]): void {
  const stack: unknown[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown>;
    expect(typeof node).toBe('object');
    expect(ANSWER_NODE_TYPES).toContain(node.type);
    for (const [key, value] of Object.entries(node)) {
      expect(['type', 'value', 'children', 'href', 'ordered', 'start', 'items']).toContain(key);
      if (key === 'value') expect(typeof value).toBe('string');
      if (key === 'href') {
        expect(value).toMatch(SAFE_HREF);
        expect(value).not.toMatch(/[\s"'<>`]/);
      }
    }
    if (Array.isArray(node.children)) stack.push(...node.children);
    if (Array.isArray(node.items))
      for (const item of node.items) stack.push(...(item as unknown[]));
  }
}

/** Checks the rendered HTML: every tag allowed, no attribute but href/start, no executable URL. */
function assertSafeHtml(html: string): void {
  for (const match of html.matchAll(/<\/?([a-zA-Z][^\s/>]*)([^>]*)>/g)) {
    const [, tag = '', attributes = ''] = match;
    expect(ALLOWED_TAGS, match[0]).toContain(tag);
    for (const attribute of attributes.matchAll(/\s([^\s=]+)="([^"]*)"/g)) {
      expect(['href', 'start'], match[0]).toContain(attribute[1]);
      if (attribute[1] === 'href') expect(attribute[2]).toMatch(SAFE_HREF);
    }
    expect(attributes.replace(/\s(?:href|start)="[^"]*"/g, '').trim(), match[0]).toBe('');
  }
  expect(html).not.toMatch(
    /<(?:script|iframe|object|embed|svg|style|img|math|form|input|base|link|meta)\b/i,
  );
  expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
  expect(html).not.toMatch(/<[^>]*\sstyle\s*=/i);
  expect(html).not.toMatch(/href="\s*(?:javascript|data|vbscript|file):/i);
}

function assertSafe(markdown: string): void {
  const issues: MarkdownIssue[] = [];
  const nodes = compileMarkdown(markdown, { onIssue: (issue) => issues.push(issue) });
  expect(JSON.parse(JSON.stringify(nodes))).toEqual(nodes);
  assertSafeAst(nodes);
  assertSafeHtml(renderHtml(nodes));
  expect(typeof answerToPlainText(nodes)).toBe('string');
  for (const issue of issues) expect(issue.line).toBeGreaterThanOrEqual(1);
}

describe('compileMarkdown', () => {
  it('compiles paragraphs, headings, lists, emphasis, code and links', () => {
    const markdown =
      '## Rücksendung\n\nDas Etikett finden Sie unter **Mein Konto** und *hier*:\n\n1. `Bestellungen`\n2. [Retoure](https://shop.example/retoure)\n\n```\ncode\n```';
    expect(compileMarkdown(markdown)).toEqual([
      { type: 'heading', children: [{ type: 'text', value: 'Rücksendung' }] },
      {
        type: 'paragraph',
        children: [
          { type: 'text', value: 'Das Etikett finden Sie unter ' },
          { type: 'strong', children: [{ type: 'text', value: 'Mein Konto' }] },
          { type: 'text', value: ' und ' },
          { type: 'emphasis', children: [{ type: 'text', value: 'hier' }] },
          { type: 'text', value: ':' },
        ],
      },
      {
        type: 'list',
        ordered: true,
        items: [
          [{ type: 'paragraph', children: [{ type: 'inlineCode', value: 'Bestellungen' }] }],
          [
            {
              type: 'paragraph',
              children: [
                {
                  type: 'link',
                  href: 'https://shop.example/retoure',
                  children: [{ type: 'text', value: 'Retoure' }],
                },
              ],
            },
          ],
        ],
      },
      { type: 'codeBlock', value: 'code' },
    ]);
  });

  it('keeps the start number of an ordered list and resolves reference links', () => {
    expect(compileMarkdown('3. drei\n4. vier')[0]).toMatchObject({
      type: 'list',
      ordered: true,
      start: 3,
    });
    expect(compileMarkdown('Siehe [Hilfe].\n\n[hilfe]: MAILTO:help@shop.example')).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'text', value: 'Siehe ' },
          {
            type: 'link',
            href: 'mailto:help@shop.example',
            children: [{ type: 'text', value: 'Hilfe' }],
          },
          { type: 'text', value: '.' },
        ],
      },
    ]);
  });

  it('drops raw HTML and images and reports them with their lines', () => {
    const issues: MarkdownIssue[] = [];
    const nodes = compileMarkdown(
      'Hallo <b onclick="x()">Welt</b>!\n\n<iframe src="https://evil.example"></iframe>\n\n![x](https://a.example/b.png)',
      {
        onIssue: (issue) => issues.push(issue),
      },
    );
    expect(nodes).toEqual([
      { type: 'paragraph', children: [{ type: 'text', value: 'Hallo Welt!' }] },
    ]);
    expect(issues.map((issue) => issue.line)).toEqual([1, 1, 3, 5]);
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](java&#115;cript:alert(1))',
    '[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
    '[x](&#x6A;avascript&colon;alert(1))',
    '[x](<java\tscript:alert(1)>)',
    '[x]( \u0001javascript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](vbscript:msgbox(1))',
    '[x](//evil.example/x)',
    '[x](/relative)',
    '<javascript:alert(1)>',
    '[x]\n\n[x]: javascript:alert(1)',
  ])('turns the unsafe link %j into plain text', (markdown) => {
    const nodes = compileMarkdown(markdown);
    expect(JSON.stringify(nodes)).not.toContain('"link"');
    assertSafe(markdown);
  });

  it('flattens pathological nesting instead of overflowing the stack', () => {
    for (const markdown of [
      `${'>'.repeat(5_000)} tief`,
      `${'*'.repeat(50_000)}x`,
      `${'- '.repeat(1_000)}x`,
      '['.repeat(30_000),
    ]) {
      assertSafe(markdown);
    }
  });

  it('renders answers as plain text for terminals', () => {
    const nodes = compileMarkdown(
      '**Versand**: [Tracking](https://t.example)\n\n- eins\n- zwei\n  1. a',
    );
    expect(answerToPlainText(nodes)).toBe(
      'Versand: Tracking (https://t.example)\n\n- eins\n- zwei\n  1. a',
    );
  });
});

describe('compileMarkdown on hostile input', () => {
  it('keeps nothing executable from the Big List of Naughty Strings', () => {
    expect(blns.length).toBeGreaterThan(500);
    for (const text of blns) {
      assertSafe(text);
      assertSafe(`[${text}](${text})`);
      assertSafe(`- ${text}\n\n> **${text}**`);
    }
  });

  it('keeps nothing executable from the HTML5 Security Cheatsheet vectors', () => {
    expect(h5sc.length).toBeGreaterThan(100);
    for (const { data } of h5sc) {
      assertSafe(data);
      assertSafe(`Text ${data} Text\n\n1. ${data}`);
      assertSafe(`[klick](${data})`);
    }
  });

  const scheme = fc.constantFrom(
    'javascript',
    'data',
    'vbscript',
    'JaVaScRiPt',
    'DATA',
    'file',
    'http',
    'https',
    'mailto',
  );
  const obfuscate = (value: string, mode: number): string => {
    switch (mode) {
      case 0:
        return [...value].map((char) => `&#${char.charCodeAt(0)};`).join('');
      case 1:
        return [...value].map((char) => `&#x${char.charCodeAt(0).toString(16)};`).join('');
      case 2:
        return value.split('').join('\t');
      case 3:
        return `\u0000 ${value}`;
      case 4:
        return value.replace('a', '%61');
      case 5:
        return value.split('').join('\n');
      default:
        return value;
    }
  };
  const hostileLink = fc
    .tuple(
      scheme,
      fc.integer({ min: 0, max: 6 }),
      fc.constantFrom(
        'alert(1)',
        '//evil.example/%0aalert(1)',
        'text/html,<script>alert(1)</script>',
        '',
      ),
    )
    .map(([name, mode, rest]) => `${obfuscate(`${name}:`, mode)}${rest}`);
  const hostileHtml = fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="data:text/html,x"></object>',
    '<embed src="x.swf">',
    '<style>body{background:url(javascript:alert(1))}</style>',
    '<a href="javascript:alert(1)" style="color:red">x</a>',
    '<div onmouseover="alert(1)">x</div>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<!-- x --><script>x</script>',
    '<![CDATA[<script>x</script>]]>',
    '<?php echo 1 ?>',
    '<p style="behavior:url(x.htc)">',
  );
  const fragment = fc.oneof(
    hostileHtml,
    hostileLink.map((href) => `[klick](${href})`),
    hostileLink.map((href) => `[klick](<${href}>)`),
    hostileLink.map((href) => `<${href}>`),
    hostileLink.map((href) => `![bild](${href})`),
    hostileLink.map((href) => `[ref]\n\n[ref]: ${href}`),
    fc.constantFrom(
      '**',
      '*',
      '_',
      '`',
      '\n\n',
      '\n',
      '- ',
      '1. ',
      '> ',
      '# ',
      '    ',
      '```\n',
      '\\',
      '&amp;',
      '&lt;script&gt;',
    ),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );

  it('keeps nothing executable from generated hostile Markdown and never throws', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 25 }), (parts) => {
        assertSafe(parts.join(''));
        assertSafe(parts.join(' '));
      }),
      { numRuns: 1_000 },
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (text) => {
        assertSafe(text);
      }),
      { numRuns: 500 },
    );
  });
});
