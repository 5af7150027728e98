import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

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

  it('rejects an unknown language', async () => {
    const result = await run(['ask', modelFile, '--lang', 'fr', 'bonjour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--lang must be "de" or "en"/);
  });
});

describe('lotse-triage', () => {
  it('rejects an unknown command with the usage', async () => {
    const result = await run(['train']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "train"[\s\S]*Usage/);
  });
});
