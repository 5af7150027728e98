import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { answerToPlainText } from './answer-to-plain-text.js';
import { compileKnowledgeBase, isEntryFile } from './compile-knowledge-base.js';
import { hashKnowledgeBase } from './hash-knowledge-base.js';
import { isKnowledgeBaseError, type KnowledgeBaseIssue } from './knowledge-base-error.js';
import type { KnowledgeBaseSource } from './types.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const demoDir = join(repoRoot, 'examples', 'kb-shop');

function readDemo(): KnowledgeBaseSource {
  const paths = readdirSync(demoDir, { recursive: true, encoding: 'utf8' });
  return {
    config: readFileSync(join(demoDir, 'lotse.config.json'), 'utf8'),
    files: paths
      .filter((path) => path.endsWith('.md'))
      .map((path) => ({ path, text: readFileSync(join(demoDir, path), 'utf8') })),
  };
}

const config = JSON.stringify(
  {
    title: { de: 'Hilfe', en: 'Help' },
    locales: ['de', 'en'],
    topics: {
      shipping: {
        name: { de: 'Versand', en: 'Shipping' },
        queue: 'logistics',
        level: 1,
        playbook: { de: ['Tracking prüfen'] },
      },
      complaints: { name: 'Reklamationen', level: 2 },
    },
  },
  null,
  2,
);

function entry(fields: string, body = 'Die Antwort.'): string {
  return `---\n${fields}\n---\n${body}\n`;
}

const validFields =
  'id: delivery-time\ntitle: Lieferzeit\ntopic: shipping\nlevel: 1\nlocale: de\nexamples: ["Wie lange dauert die Lieferung?"]';

function issuesOf(files: KnowledgeBaseSource['files'], configText = config): KnowledgeBaseIssue[] {
  try {
    compileKnowledgeBase({ config: configText, files });
  } catch (error) {
    if (isKnowledgeBaseError(error)) return [...error.issues];
    throw error;
  }
  throw new Error('expected a KnowledgeBaseError');
}

describe('compileKnowledgeBase on the demo knowledge base', () => {
  const kb = compileKnowledgeBase(readDemo());

  it('compiles at least 40 entries per locale over at least 8 topics and all three levels', () => {
    const de = kb.entries.filter((entry) => entry.locale === 'de');
    const en = kb.entries.filter((entry) => entry.locale === 'en');
    expect(de.length).toBeGreaterThanOrEqual(40);
    expect(en.length).toBe(de.length);
    expect(new Set(kb.entries.map((entry) => entry.topic)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(kb.entries.map((entry) => entry.level))).toEqual(new Set([1, 2, 3]));
  });

  it('gives every entry 8 to 12 examples and every translation the same topic and level', () => {
    for (const entry of kb.entries) {
      expect(entry.examples.length, entry.file).toBeGreaterThanOrEqual(8);
      expect(entry.examples.length, entry.file).toBeLessThanOrEqual(12);
      const twin = kb.entries.find(
        (other) => other.id === entry.id && other.locale !== entry.locale,
      );
      expect(twin?.topic, entry.file).toBe(entry.topic);
      expect(twin?.level, entry.file).toBe(entry.level);
    }
  });

  it('gives every level-2 and level-3 entry a playbook, lost parcel included', () => {
    for (const entry of kb.entries.filter((candidate) => candidate.level >= 2)) {
      expect(entry.playbook.length, entry.file).toBeGreaterThan(0);
    }
    const lost = kb.entries.find((entry) => entry.id === 'lost-parcel' && entry.locale === 'de');
    expect(lost?.level).toBe(2);
    expect(lost?.playbook.join(' ')).toMatch(/Sendungsverlauf.*Nachforschungsauftrag.*Ersatz/s);
  });

  it('resolves topic defaults: queue, level names and thresholds', () => {
    expect(kb.config.topics.shipping?.queue).toBe('logistics');
    expect(kb.config.levels[2]).toEqual({ de: 'Service-Team', en: 'Service team' });
    expect(kb.config.defaultLocale).toBe('de');
    // The demo shop sets no thresholds: they are chosen by cross-validation at build time.
    expect(kb.config.thresholds).toEqual({});
  });

  it('compiles the returns-label answer to text that mentions the account path', () => {
    const label = kb.entries.find((entry) => entry.id === 'returns-label' && entry.locale === 'de');
    expect(answerToPlainText(label?.answer ?? [])).toContain(
      'Mein Konto → Bestellungen → Artikel zurücksenden',
    );
  });
});

describe('compileKnowledgeBase errors', () => {
  it('accepts a minimal valid knowledge base and ignores README files', () => {
    const kb = compileKnowledgeBase({
      config,
      files: [
        { path: 'entries/shipping/delivery-time.de.md', text: entry(validFields) },
        { path: 'README.md', text: 'not an entry' },
      ],
    });
    expect(kb.entries).toHaveLength(1);
    expect(kb.entries[0]).toMatchObject({
      id: 'delivery-time',
      level: 1,
      playbook: ['Tracking prüfen'],
      keywords: [],
    });
  });

  it('names file, line and field for a wrong level and says how to fix it', () => {
    const issues = issuesOf([
      {
        path: 'shipping/lost-parcel.de.md',
        text: entry(validFields.replace('level: 1', 'level: high')),
      },
    ]);
    expect(issues).toEqual([
      {
        file: 'shipping/lost-parcel.de.md',
        line: 5,
        field: 'level',
        message: expect.stringMatching(
          /^field "level" must be 1, 2 or 3 \(got "high"\)\. Use 1 for self-service answers, 2 for the service team, 3 for specialists\./,
        ),
      },
    ]);
  });

  it.each([
    [
      'a missing title',
      validFields.replace('title: Lieferzeit\n', ''),
      'title',
      1,
      /field "title" is missing/,
    ],
    [
      'an empty examples list',
      validFields.replace(/examples: .*/, 'examples: []'),
      'examples',
      7,
      /must be a list of at least one question \(got an empty list\)/,
    ],
    [
      'an empty example',
      validFields.replace(/examples: .*/, 'examples:\n  - ok\n  - ""'),
      'examples[1]',
      9,
      /non-empty text/,
    ],
    [
      'a bad id',
      validFields.replace('id: delivery-time', 'id: Delivery Time'),
      'id',
      2,
      /lowercase letters/,
    ],
    [
      'an unknown topic',
      validFields.replace('topic: shipping', 'topic: shiping'),
      'topic',
      4,
      /one of the topics in lotse.config.json: complaints, shipping \(got "shiping"\)\. Did you mean "shipping"\?/,
    ],
    [
      'an unsupported locale',
      validFields.replace('locale: de', 'locale: fr'),
      'locale',
      6,
      /must be "de" or "en" \(got "fr"\)/,
    ],
    [
      'a misspelt field',
      `${validFields}\nkeywrds: [Lieferung]`,
      'keywrds',
      8,
      /unknown field "keywrds"\. Did you mean "keywords"\?/,
    ],
    [
      'a level below its topic',
      validFields.replace('topic: shipping', 'topic: complaints'),
      'level',
      5,
      /may raise its topic's level, never lower it/,
    ],
  ])('reports %s', (_name, fields, field, line, message) => {
    const issues = issuesOf([{ path: 'entries/x.de.md', text: entry(fields) }]);
    expect(issues).toContainEqual({
      file: 'entries/x.de.md',
      line,
      field,
      message: expect.stringMatching(message),
    });
  });

  it('reports a locale that the config does not list', () => {
    const deOnly = config.replace('"locales": [\n    "de",\n    "en"\n  ]', '"locales": ["de"]');
    const issues = issuesOf(
      [{ path: 'a.en.md', text: entry(validFields.replace('locale: de', 'locale: en')) }],
      deOnly,
    );
    expect(issues).toContainEqual({
      file: 'a.en.md',
      line: 6,
      field: 'locale',
      message: expect.stringMatching(/not in "locales"/),
    });
  });

  it('reports a locale that contradicts the file name', () => {
    const issues = issuesOf([{ path: 'a.en.md', text: entry(validFields) }]);
    expect(issues).toContainEqual({
      file: 'a.en.md',
      line: 6,
      field: 'locale',
      message: expect.stringMatching(/file name ends in "\.en\.md"/),
    });
  });

  it('reports a missing answer body at the closing line', () => {
    const issues = issuesOf([{ path: 'a.de.md', text: entry(validFields, '   ') }]);
    expect(issues).toEqual([
      {
        file: 'a.de.md',
        line: 8,
        field: 'answer',
        message: expect.stringMatching(/the answer is missing/),
      },
    ]);
  });

  it('reports raw HTML, images and unsafe links in the answer with their lines', () => {
    const body =
      'Hallo.\n\n<script>alert(1)</script>\n\n![Bild](https://x.de/a.png)\n\n[klick](javascript:alert(1))';
    const issues = issuesOf([{ path: 'a.de.md', text: entry(validFields, body) }]);
    expect(issues.map((issue) => [issue.line, issue.field, issue.message.slice(0, 18)])).toEqual([
      [11, 'answer', 'raw HTML "<script>'],
      [13, 'answer', 'images are not sup'],
      [15, 'answer', 'link target "javas'],
    ]);
  });

  it('reports an id used twice in one locale but allows it across locales', () => {
    const en = validFields
      .replace('locale: de', 'locale: en')
      .replace(/examples: .*/, 'examples: ["How long is delivery?"]');
    const issues = issuesOf([
      { path: 'a.de.md', text: entry(validFields) },
      {
        path: 'b.de.md',
        text: entry(validFields.replace(/examples: .*/, 'examples: ["Lieferdauer?"]')),
      },
      { path: 'a.en.md', text: entry(en) },
    ]);
    expect(issues).toEqual([
      {
        file: 'b.de.md',
        line: 2,
        field: 'id',
        message: expect.stringMatching(/already used by a\.de\.md \(line 2\) in locale "de"/),
      },
    ]);
  });

  it('reports translations that disagree on the level', () => {
    const en = validFields
      .replace('locale: de', 'locale: en')
      .replace('level: 1', 'level: 2')
      .replace(/examples: .*/, 'examples: ["How long?"]');
    const issues = issuesOf([
      { path: 'a.de.md', text: entry(validFields) },
      { path: 'a.en.md', text: entry(`${en}\nplaybook: [Check]`) },
    ]);
    expect(issues).toContainEqual({
      file: 'a.en.md',
      line: 5,
      field: 'level',
      message: expect.stringMatching(/translation a\.de\.md is level 1/),
    });
  });

  it('reports the same example in two entries', () => {
    const other = validFields.replace('id: delivery-time', 'id: shipping-costs');
    const issues = issuesOf([
      { path: 'a.de.md', text: entry(validFields) },
      { path: 'b.de.md', text: entry(other) },
    ]);
    expect(issues).toEqual([
      {
        file: 'b.de.md',
        line: 7,
        field: 'examples[0]',
        message: expect.stringMatching(/also an example of "delivery-time"/),
      },
    ]);
  });

  it('reports a level-2 entry without any playbook', () => {
    const fields = validFields
      .replace('topic: shipping', 'topic: complaints')
      .replace('level: 1', 'level: 2');
    const issues = issuesOf([{ path: 'a.de.md', text: entry(fields) }]);
    expect(issues).toEqual([
      {
        file: 'a.de.md',
        line: 5,
        field: 'playbook',
        message: expect.stringMatching(/has no playbook for agents/),
      },
    ]);
  });

  it('reports missing and unclosed front matter and YAML syntax errors with lines', () => {
    const issues = issuesOf([
      { path: 'a.de.md', text: 'Just text' },
      { path: 'b.de.md', text: '---\nid: x\n' },
      { path: 'c.de.md', text: '---\nid: x\ntitle: Versand: Dauer\n---\nText' },
    ]);
    expect(issues.map((issue) => [issue.file, issue.line, issue.field])).toEqual([
      ['a.de.md', 1, null],
      ['b.de.md', 1, null],
      ['c.de.md', 3, null],
    ]);
    expect(issues[2]?.message).toMatch(/not valid YAML.*in quotes/);
  });

  it('collects config errors with the line of each field', () => {
    const bad =
      '{\n  "title": "Hilfe",\n  "locales": ["de"],\n  "treshold": 1,\n  "topics": {\n    "shipping": {"name": "Versand", "level": 4}\n  },\n  "thresholds": {"answer": 0.2, "suggest": 0.5}\n}';
    const issues = issuesOf([{ path: 'a.de.md', text: entry(validFields) }], bad);
    expect(issues.map((issue) => [issue.file, issue.line, issue.field])).toEqual([
      ['lotse.config.json', 4, 'treshold'],
      ['lotse.config.json', 6, 'topics.shipping.level'],
    ]);
    expect(issues[0]?.message).toMatch(/Did you mean "thresholds"\?/);
    expect(issues[1]?.message).toMatch(/must be 1, 2 or 3 \(got 4\)/);
  });

  it('reports thresholds in the wrong order and a missing translation of a text', () => {
    const bad = JSON.stringify(
      {
        title: { de: 'Hilfe' },
        locales: ['de', 'en'],
        topics: { a: { name: 'A', level: 1 } },
        thresholds: { answer: 0.2, suggest: 0.5 },
      },
      null,
      2,
    );
    const issues = issuesOf(
      [{ path: 'a.de.md', text: entry(validFields.replace('shipping', 'a')) }],
      bad,
    );
    expect(issues.map((issue) => issue.field)).toEqual(['title', 'thresholds.suggest']);
    expect(issues[0]?.message).toMatch(/has no "en" text/);
  });

  it('reads the out-of-scope and answer targets and reports one out of range', () => {
    const withTargets = (thresholds: object) =>
      JSON.stringify(
        { title: 'Hilfe', locales: ['de'], topics: { a: { name: 'A', level: 1 } }, thresholds },
        null,
        2,
      );
    const files = [{ path: 'a.de.md', text: entry(validFields.replace('shipping', 'a')) }];
    const kb = compileKnowledgeBase({
      config: withTargets({ turnAway: 0.05, answerPrecision: 0.85 }),
      files,
    });
    expect(kb.config.thresholds).toEqual({ turnAway: 0.05, answerPrecision: 0.85 });
    const issues = issuesOf(files, withTargets({ turnAway: 0.9 }));
    expect(issues.map((issue) => issue.field)).toEqual(['thresholds.turnAway']);
    expect(issues[0]?.message).toMatch(/from 0 to 0\.5/);
    expect(issues[0]?.line).toBe(13);
  });

  it('reports invalid JSON with its line', () => {
    const issues = issuesOf(
      [{ path: 'a.de.md', text: entry(validFields) }],
      '{\n  "title": "x",\n}',
    );
    expect(issues).toEqual([
      {
        file: 'lotse.config.json',
        line: 3,
        field: null,
        message: expect.stringMatching(/not valid JSON/),
      },
    ]);
  });

  it('throws one error with a stable code and every problem in its message', () => {
    try {
      compileKnowledgeBase({ config: '{}', files: [] });
      expect.unreachable();
    } catch (error) {
      expect(isKnowledgeBaseError(error)).toBe(true);
      expect(error).toMatchObject({ name: 'KnowledgeBaseError', code: 'invalid_knowledge_base' });
      expect((error as Error).message).toContain('lotse.config.json:1: field "title" is missing');
      expect((error as Error).message).toContain('the knowledge base has no entries');
    }
  });
});

describe('isEntryFile and hashKnowledgeBase', () => {
  it('treats Markdown files as entries except READMEs and hidden or dependency folders', () => {
    expect(isEntryFile('entries/returns/returns-label.de.md')).toBe(true);
    expect(isEntryFile('entries\\returns\\label.EN.MD')).toBe(true);
    expect(isEntryFile('README.md')).toBe(false);
    expect(isEntryFile('entries/.drafts/x.de.md')).toBe(false);
    expect(isEntryFile('node_modules/x/y.md')).toBe(false);
    expect(isEntryFile('lotse.config.json')).toBe(false);
  });

  it('hashes independently of file order, line ends, path separators and README files', () => {
    const source = readDemo();
    const hash = hashKnowledgeBase(source);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const shuffled = {
      config: source.config.replace(/\n/g, '\r\n'),
      files: [...source.files]
        .reverse()
        .map((file) => ({ path: file.path.replace(/\//g, '\\'), text: file.text })),
    };
    expect(hashKnowledgeBase(shuffled)).toBe(hash);
    expect(
      hashKnowledgeBase({ ...source, files: [...source.files, { path: 'README.md', text: 'x' }] }),
    ).toBe(hash);
  });

  it('changes the hash when one character of an entry changes', () => {
    const source = readDemo();
    const index = source.files.findIndex((file) => isEntryFile(file.path));
    const files = source.files.map((file, at) =>
      at === index ? { path: file.path, text: `${file.text} ` } : file,
    );
    const changed = { ...source, files };
    expect(hashKnowledgeBase(changed)).not.toBe(hashKnowledgeBase(source));
  });
});
