import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileKnowledgeBase } from './compile-knowledge-base.js';
import { type EntryFields, readEntryFile, writeEntryFile } from './entry-file.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const blns: string[] = JSON.parse(
  readFileSync(join(repoRoot, '..', 'shared', 'corpora', 'blns.json'), 'utf8'),
);

// Texts as a YAML scalar keeps them: no line breaks inside (the editor's fields are single lines).
const line = (s: string) => s.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ').trim() || 'x';

const base: EntryFields = {
  id: 'returns-label',
  title: 'Rücksendeetikett drucken',
  topic: 'returns',
  locale: 'de',
  examples: ['Wie bekomme ich ein Rücksendeetikett?'],
  answer: 'Unter **Mein Konto**.',
};

describe('readEntryFile / writeEntryFile', () => {
  it('round-trips every field of an entry', () => {
    const fields: EntryFields = { ...base, level: 2, keywords: ['Etikett'], playbook: ['Prüfen'] };
    expect(readEntryFile(writeEntryFile(fields))).toEqual({
      ...fields,
      answer: `${fields.answer}\n`,
    });
  });

  it('keeps hostile strings as text in titles and examples (BLNS)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...blns), fc.string(), (hostile, other) => {
        const fields = { ...base, title: line(hostile), examples: [line(hostile), line(other)] };
        const read = readEntryFile(writeEntryFile(fields));
        expect(read?.title).toBe(fields.title);
        expect(read?.examples).toEqual(fields.examples);
      }),
      { numRuns: 300 },
    );
  });

  it('writes files the build accepts', () => {
    const kb = compileKnowledgeBase({
      config: JSON.stringify({
        title: 'T',
        locales: ['de'],
        topics: { returns: { name: 'R', level: 1 } },
      }),
      files: [{ path: 'returns-label.de.md', text: writeEntryFile(base) }],
    });
    expect(kb.entries.map((e) => e.id)).toEqual(['returns-label']);
  });

  it('reads nothing from a file without front matter', () => {
    expect(readEntryFile('just text')).toBeUndefined();
    expect(readEntryFile('---\nid: [unclosed\n---\n')).toBeUndefined();
  });
});
