import { compileKnowledgeBase, isKnowledgeBaseError, writeEntryFile } from '@lotse/triage';
import { expect, it } from 'vitest';
import { smallKbConfig } from '../test-support/small-kb.js';
import { describeIssue } from './describe-issue.js';
import { checksIssues } from './kb-source.js';

const entry = (overrides: Record<string, unknown> = {}) =>
  writeEntryFile({
    id: 'returns-label',
    title: 'Print a return label',
    topic: 'returns',
    locale: 'en',
    examples: ['How do I get a return label?'],
    answer: 'Under **My account**.',
    ...overrides,
  });

/** Every finding of the build for a config and entry files. */
function findings(config: string, files: Record<string, string>) {
  try {
    compileKnowledgeBase({
      config,
      files: Object.entries(files).map(([path, text]) => ({ path, text })),
    });
    return [];
  } catch (error) {
    if (!isKnowledgeBaseError(error)) throw error;
    return [...error.issues];
  }
}

const config = JSON.parse(smallKbConfig) as Record<string, unknown>;
const broken: [string, string, Record<string, string>][] = [
  ['invalid JSON', '{"title": "x",}', { 'entries/a.en.md': entry() }],
  [
    'config fields of the wrong kind',
    JSON.stringify({
      ...config,
      locales: ['fr'],
      topics: { Returns: { name: 'R', level: 4, colour: 'red' } },
      thresholds: { answer: 2 },
    }),
    { 'entries/a.en.md': entry() },
  ],
  [
    'entries against each other and the config',
    JSON.stringify({ ...config, title: { de: 'Hilfe' }, defaultLocale: 'de', locales: ['en'] }),
    {
      'entries/a.en.md': entry({
        answer: 'See [x](javascript:alert(1)) <b>b</b> ![i](https://x/i.png)',
      }),
      'entries/b.en.md': entry({ topic: 'retuns', level: 2 }),
      'entries/c.en.md': entry({ id: 'other', topic: 'shipping' }),
    },
  ],
];

it.each(broken)('says every finding of %s in German, naming fields by label', (_, text, files) => {
  const issues = findings(text, files);
  expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    const german = describeIssue(issue, 'de');
    expect(german.message, issue.message).not.toBe(issue.message);
    expect(german.message).not.toMatch(/\b(must|is not|field|the file)\b/);
    expect(german.where ?? '').not.toMatch(/^(answer|examples\[|id$)/);
    // English pages keep the build's own words.
    expect(describeIssue(issue, 'en').message).toBe(issue.message);
  }
});

it('names every check line whose entry or topic the knowledge base lacks, in German too', () => {
  const kb = compileKnowledgeBase({
    config: smallKbConfig,
    files: [{ path: 'entries/returns-label.en.md', text: entry() }],
  });
  const suite = [
    { id: 'ok-1', locale: 'en', question: 'label?', expect: { entry: 'returns-label' } },
    { id: 'gone-1', locale: 'en', question: 'gift?', expect: { entry: 'gift-cards' } },
    { id: 'gone-2', locale: 'en', question: 'voucher?', expect: { topic: 'vouchers' } },
  ];
  const issues = checksIssues(suite.map((c) => JSON.stringify(c)).join('\n'), kb);
  expect(issues.map((i) => [i.line, i.field])).toEqual([
    [2, 'expect.entry'],
    [3, 'expect.topic'],
  ]);
  expect(describeIssue(issues[0]!, 'de')).toEqual({
    where: 'Zeile 2 (expect.entry)',
    message:
      'Die Prüffrage „gone-1“ nennt einen Eintrag, den es in der Wissensdatenbank nicht gibt: „gift-cards“. Tragen Sie die Kennung eines Eintrags ein oder entfernen Sie die Prüffrage.',
  });
  const malformed = checksIssues('{"id": "x"', kb);
  expect(describeIssue(malformed[0]!, 'de').message).toBe(
    'Die Zeile ist kein gültiges JSON-Objekt.',
  );
});
