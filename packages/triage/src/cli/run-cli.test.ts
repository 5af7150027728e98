import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../decide/index.js';
import { formatDecision, runCli } from './run-cli.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const kbShop = path.join(repoRoot, 'examples/kb-shop');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], input = ''): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const code = await runCli(args, { stdin: Readable.from([input]), stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

let dir: string;
let modelFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lotse-cli-'));
  modelFile = path.join(dir, 'model.json');
  const built = await run(['build', kbShop, '-o', modelFile]);
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
}, 120_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('lotse-triage build', () => {
  it('writes a model that records the engine and the knowledge base', async () => {
    const model = JSON.parse(await readFile(modelFile, 'utf8'));
    expect(model).toMatchObject({ format: 'lotse-triage-model', kbHash: expect.any(String) });
    expect(model.entries.length).toBeGreaterThanOrEqual(80);
  });

  it('names file, line and field of a broken entry and exits with 2', async () => {
    const broken = path.join(dir, 'kb-broken');
    await cp(kbShop, broken, { recursive: true });
    const file = path.join(broken, 'entries/shipping/delivery-time.de.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^topic: .*$/m, 'topic: shipping\nlevel: high'));
    const result = await run(['build', broken, '-o', path.join(dir, 'broken.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/delivery-time\.de\.md:\d+: field "level"/);
  });

  it('explains a missing folder', async () => {
    const result = await run(['build', path.join(dir, 'nowhere'), '-o', path.join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/lotse\.config\.json/);
  });

  it('asks for the output file', async () => {
    const result = await run(['build', kbShop]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/-o <model\.json>/);
  });
});

describe('lotse-triage ask', () => {
  it('decides one question from a model file', async () => {
    const result = await run([
      'ask',
      modelFile,
      'Wie',
      'bekomme',
      'ich',
      'ein',
      'Rücksendeetikett?',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ANSWER {2}level 1 {2}topic returns/);
  });

  it('answers typed questions until an empty line', async () => {
    const result = await run(
      ['ask', modelFile, '--lang', 'en'],
      'How long does shipping take?\nagent please\n\n',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ANSWER {2}level 1 {2}topic shipping/);
    expect(result.stdout).toMatch(/HANDOFF {2}level 2.*signals: wants-human/);
  });

  it('refuses a corrupt model file with a clear error', async () => {
    const corrupt = path.join(dir, 'corrupt.json');
    await writeFile(corrupt, '{"format": "lotse-triage-model", "engineVersion": "0.1.0"');
    const result = await run(['ask', corrupt, 'hallo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a readable JSON model.*Rebuild it/);
  });

  const decision = (locale: 'de' | 'en', kind: Decision['kind']): Decision => ({
    kind,
    level: 1,
    topic: 'shipping',
    alternatives: [{ id: 'delivery-time', title: 'Lieferzeit', score: 0.41 }],
    confidence: 0.41,
    signals: [],
    reasons: [],
    locale,
  });

  it.each([
    ['de', 'suggest', 'Meinten Sie:'],
    ['de', 'answer', 'Auch passend:'],
    ['en', 'suggest', 'Did you mean:'],
    ['en', 'answer', 'Also:'],
  ] as const)('heads the alternatives of a %s %s decision with "%s"', (locale, kind, heading) => {
    expect(formatDecision(decision(locale, kind)).split('\n')[1]).toBe(`  ${heading}`);
  });

  it('rejects an unknown language', async () => {
    const result = await run(['ask', modelFile, '--lang', 'fr', 'bonjour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--lang must be "de" or "en"/);
  });
});

describe('lotse-triage check', () => {
  it('passes the demo shop on its shipped suite', async () => {
    const result = await run(['check', kbShop]);
    expect(result.stderr).toBe('');
    const [, passed, total] = /^(\d+) of (\d+) checks passed\.$/m.exec(result.stdout) ?? [];
    expect(Number(total)).toBeGreaterThanOrEqual(150);
    expect(passed).toBe(total);
    expect(result.code).toBe(0);
  }, 120_000);

  it('fails with a table of expected and actual outcomes when an entry loses its examples', async () => {
    const broken = path.join(dir, 'kb-no-cancel');
    await cp(kbShop, broken, { recursive: true });
    for (const locale of ['de', 'en']) {
      const file = path.join(broken, `entries/orders/cancel-order.${locale}.md`);
      const text = await readFile(file, 'utf8');
      // One unrelated example is all that is left (an entry needs one).
      await writeFile(
        file,
        text.replace(/^examples:\n(?: {2}- .*\n)+/m, 'examples:\n  - "Lagerfeuer"\n'),
      );
    }
    const result = await run(['check', broken]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^check +lang +question +what differs$/m);
    expect(result.stdout).toMatch(/entry: expected cancel-order, got /);
    expect(result.stdout).toMatch(/^\d+ of \d+ checks passed, \d+ failed\.$/m);
  }, 120_000);

  it('names the line and field of a broken check and exits with 2', async () => {
    const suite = path.join(dir, 'broken-checks.jsonl');
    await writeFile(
      suite,
      '{"id":"a","locale":"de","question":"Wo ist mein Paket?","expect":{"kind":"answer"}}\n' +
        '{"id":"b","locale":"fr","question":"Où est mon colis ?","expect":{"kind":"answer"}}\n',
    );
    const result = await run(['check', kbShop, '--checks', suite]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken-checks\.jsonl:2: field "locale"/);
  });

  it.each([
    [
      'entry',
      '{"entry":"delivery-tme"}',
      /field "expect\.entry" names no entry of the knowledge base: "delivery-tme" \(did you mean "delivery-time"\?\)/,
    ],
    [
      'topic',
      '{"topic":"gibtsnicht","kind":"handoff"}',
      /field "expect\.topic" names no topic of the knowledge base: "gibtsnicht"/,
    ],
  ])(
    'refuses a check naming an %s the knowledge base lacks, before building',
    async (_, expected, message) => {
      const suite = path.join(dir, 'unknown-names.jsonl');
      await writeFile(
        suite,
        `{"id":"a","locale":"de","question":"Wo ist mein Paket?","expect":{"kind":"answer"}}\n{"id":"b","locale":"de","question":"Wie lange dauert der Versand?","expect":${expected}}\n`,
      );
      const result = await run(['check', kbShop, '--checks', suite]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/unknown-names\.jsonl:2: /);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    },
  );

  it('explains a missing suite', async () => {
    const result = await run(['check', kbShop, '--checks', path.join(dir, 'none.jsonl')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot read the check suite .*none\.jsonl/);
  });
});

describe('lotse-triage', () => {
  it('rejects an unknown command with the usage', async () => {
    const result = await run(['train']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "train"[\s\S]*Usage/);
  });

  it.each([
    [
      ['build', kbShop, '-o'],
      /^lotse-triage build: Option '-o, --output <value>' argument missing/,
    ],
    [
      ['check', kbShop, '--checks'],
      /^lotse-triage check: Option '--checks <value>' argument missing/,
    ],
    [['ask', kbShop, '--lang'], /^lotse-triage ask: Option '--lang <value>' argument missing/],
    [['eval', '--train'], /^lotse-triage eval: Option '--train <value>' argument missing/],
    [['build', kbShop, '--out', 'm.json'], /^lotse-triage build: Unknown option '--out'/],
    [['check', kbShop, '--json'], /^lotse-triage check: Unknown option '--json'/],
    [['ask', kbShop, '--locale', 'de', 'hallo'], /^lotse-triage ask: Unknown option '--locale'/],
    [['eval', '--train', 'a', '--test', 'b', 'c'], /^lotse-triage eval: Unexpected argument 'c'/],
    [
      // A folder that does not exist: should the build run after all, it leaves no file behind.
      ['build', kbShop, 'm.json', '-o', path.join(tmpdir(), 'lotse-no-such-folder', 'n.json')],
      /^lotse-triage build: unexpected argument "m\.json"/,
    ],
    [['check', kbShop, 'other.jsonl'], /^lotse-triage check: unexpected argument "other\.jsonl"/],
  ])(
    'refuses %j with a message naming the argument and the usage, exit 2',
    async (args, message) => {
      const result = await run(args);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/Usage/);
      expect(result.stderr).not.toMatch(/\n {4}at /);
      expect(result.code).toBe(2);
    },
  );
});
