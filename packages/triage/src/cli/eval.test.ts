import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runEval, scorePredictions } from './eval.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lotse-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const line = (text: string, label: string) => JSON.stringify({ text, label });
const topics: Record<string, string[]> = {
  tracking: [
    'where is my parcel',
    'track my order',
    'wo ist mein paket',
    'sendung verfolgen',
    'my delivery is late',
    'when does my package arrive',
  ],
  refund: [
    'money back please',
    'refund my order',
    'geld zurück',
    'erstattung wann',
    'when is my refund paid',
    'I want a refund',
  ],
  password: [
    'forgot my password',
    'reset password',
    'passwort vergessen',
    'kennwort zurücksetzen',
    'cannot log in',
    'login broken',
  ],
};
const train = write(
  'train.jsonl',
  Object.entries(topics).flatMap(([label, texts]) => texts.map((t) => line(t, label))),
);
const valid = write('valid.jsonl', [
  line('parcel tracking', 'tracking'),
  line('weather tomorrow', 'oos'),
]);
const test = write('test.jsonl', [
  line('where is my package', 'tracking'),
  line('refund please', 'refund'),
  line('passwort vergessen', 'password'),
  line('who won the world cup', 'oos'),
]);

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  stderr.on('data', (chunk) => {
    err += String(chunk);
  });
  const code = await runEval(args, { stdout, stderr });
  return { code, out, err };
}

describe('runEval', () => {
  it('prints one JSON object with every figure as the last stdout line', async () => {
    const { code, out, err } = await run([
      '--train',
      train,
      '--test',
      test,
      '--valid',
      valid,
      '--json',
    ]);
    expect(code).toBe(0);
    expect(err).toBe('');
    const report = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(Object.keys(report).sort()).toEqual(
      [
        'inScopeAccuracy',
        'macroF1',
        'modelBytes',
        'n',
        'oosPrecision',
        'oosRecall',
        'queryMsMedian',
        'queryMsP99',
        'trainMs',
      ].sort(),
    );
    expect(report.n).toBe(4);
    expect(report.inScopeAccuracy).toBeGreaterThanOrEqual(2 / 3);
    expect(report.modelBytes).toBeGreaterThan(100);
    for (const key of ['inScopeAccuracy', 'oosRecall', 'oosPrecision', 'macroF1']) {
      expect(report[key]).toBeGreaterThanOrEqual(0);
      expect(report[key]).toBeLessThanOrEqual(1);
    }
  });

  it('prints a readable table without --json and reports null oos figures without oos items', async () => {
    const noOos = write('test-no-oos.jsonl', [line('where is my package', 'tracking')]);
    const table = await run(['--train', train, '--test', noOos, '--lang', 'en']);
    expect(table.code).toBe(0);
    expect(table.out).toContain('in-scope accuracy');
    const json = await run(['--train', train, '--test', noOos, '--json']);
    const report = JSON.parse(json.out.trim().split('\n').at(-1)!);
    expect(report.oosRecall).toBeNull();
    expect(report.oosPrecision).toBeNull();
  });

  it('names file, line and field for a bad line and exits with 2', async () => {
    const bad = write('bad.jsonl', [line('ok', 'tracking'), '{"text": 3, "label": "x"}']);
    const { code, err } = await run(['--train', bad, '--test', test]);
    expect(code).toBe(2);
    expect(err).toContain(`${bad}:2`);
    expect(err).toContain('"text"');
    const broken = write('broken.jsonl', ['{"text": "a", "label": "b"', '']);
    const second = await run(['--train', train, '--test', broken]);
    expect(second.code).toBe(2);
    expect(second.err).toContain(`${broken}:1`);
  });

  it('exits with 2 on a missing file, missing option or bad --lang', async () => {
    expect((await run(['--train', path.join(dir, 'nope.jsonl'), '--test', test])).code).toBe(2);
    expect((await run(['--train', train])).code).toBe(2);
    expect((await run(['--train', train, '--test', test, '--lang', 'fr'])).code).toBe(2);
    expect((await run(['--bogus'])).code).toBe(2);
  });

  it('takes an out-of-scope target with --turn-away and refuses one out of range', async () => {
    const bad = await run(['--train', train, '--test', test, '--turn-away', '0.9']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--turn-away must be a share from 0 to 0\.5/);
    expect((await run(['--train', train, '--test', test, '--turn-away', 'x'])).code).toBe(2);
    const ok = await run([
      '--train',
      train,
      '--test',
      test,
      '--valid',
      valid,
      '--turn-away',
      '0.3',
      '--json',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out.trim().split('\n').at(-1)!).n).toBe(4);
  });
});

describe('scorePredictions', () => {
  it('counts oos predictions for in-scope items as wrong and computes macro F1 over gold labels', () => {
    const figures = scorePredictions(['a', 'a', 'b', 'oos'], ['a', 'oos', 'b', 'oos']);
    expect(figures.inScopeAccuracy).toBeCloseTo(2 / 3, 4);
    expect(figures.oosRecall).toBe(1);
    expect(figures.oosPrecision).toBe(0.5);
    // F1: a = 2/3, b = 1, oos = 2/3.
    expect(figures.macroF1).toBeCloseTo((2 / 3 + 1 + 2 / 3) / 3, 4);
  });
});
