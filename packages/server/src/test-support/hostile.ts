// The hostile strings of `../shared/corpora` (the Big List of Naughty Strings and the HTML5 Security
// Cheatsheet's vectors) and the check that a page shows them as text.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

const corpora = path.resolve(import.meta.dirname, '../../../../../shared/corpora');

/** The Big List of Naughty Strings. */
export const blns = JSON.parse(readFileSync(path.join(corpora, 'blns.json'), 'utf8')) as string[];

/** The HTML5 Security Cheatsheet's vectors. */
export const h5sc = (
  JSON.parse(readFileSync(path.join(corpora, 'h5sc-vectors.json'), 'utf8')) as { vector: string }[]
).map((v) => v.vector);

/** Asserts that an agent page carries no markup a hostile string could have added. */
export function expectInertPage(page: string, label?: string): void {
  // Our pages load scripts only from /ui/ (no inline code); no hostile string adds another.
  expect(page, label).not.toMatch(/<script(?![^>]*\ssrc="\/ui\/[a-z]+\.js")/i);
  // Quoted attribute values are escaped text (`"` inside is `&quot;`); only the markup around them counts.
  const markup = page.replace(/"[^"]*"/g, '""');
  expect(markup, label).not.toMatch(/<[a-z]+[^>]*\son[a-z]+\s*=/i);
  expect(page, label).not.toMatch(
    /<(iframe|object|embed|svg|math|img|video|audio|style|base|meta http)/i,
  );
}
