import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildModel,
  buildModelFromSource,
  readKnowledgeBase,
  readSignalCorpus,
  readTriageModel,
  SIGNAL_CORPUS_DIR,
  trainSignalModel,
} from './build.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let kb: string;
let modelFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lotse-build-'));
  kb = path.join(dir, 'kb');
  await cp(path.join(repoRoot, 'examples/kb-shop'), kb, { recursive: true });
  modelFile = path.join(dir, 'model.json');
  await writeFile(modelFile, (await buildModel(kb)).json);
}, 120_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readKnowledgeBase', () => {
  it('reads entries in a stable order and skips READMEs and dependencies', async () => {
    await cp(
      path.join(kb, 'entries/shipping/delivery-time.de.md'),
      path.join(kb, 'node_modules/x/skip.de.md'),
      {
        recursive: true,
      },
    );
    const source = await readKnowledgeBase(kb);
    const paths = source.files.map((file) => file.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths.some((p) => p.includes('node_modules') || /README/i.test(p))).toBe(false);
    expect(paths).toContain('entries/shipping/delivery-time.de.md');
  });
});

describe('readTriageModel', () => {
  it('accepts a model built from the knowledge base as it is', async () => {
    const model = await readTriageModel(modelFile, { kbDir: kb });
    expect(model.entries.length).toBeGreaterThan(0);
  });

  it('refuses a model built from an older knowledge base', async () => {
    const file = path.join(kb, 'entries/shipping/delivery-time.en.md');
    await writeFile(file, `${await readFile(file, 'utf8')}\nAlso on Saturdays.\n`);
    await expect(readTriageModel(modelFile, { kbDir: kb })).rejects.toMatchObject({
      name: 'ModelError',
      code: 'model_stale',
      message: expect.stringMatching(/Rebuild it with `lotse-triage build/),
    });
  });

  it('refuses a file that is not JSON', async () => {
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, 'not json');
    await expect(readTriageModel(broken)).rejects.toMatchObject({
      name: 'ModelError',
      code: 'model_corrupt',
    });
  });
});

describe('readSignalCorpus', () => {
  it('finds the corpus shipped with the package and holds out a test split', async () => {
    expect(SIGNAL_CORPUS_DIR).toMatch(/data[\\/]signals$/);
    const { train, test, separate } = await readSignalCorpus();
    expect(train.length).toBeGreaterThan(1000);
    expect(test.length).toBeGreaterThan(train.length / 6);
    expect(separate.length).toBeGreaterThan(0);
    const trained = new Set(train.map((example) => example.text));
    expect(test.some((example) => trained.has(example.text))).toBe(false);
  });

  it('refuses a malformed corpus line, naming the file and the line', async () => {
    const corpus = path.join(dir, 'corpus');
    await mkdir(path.join(corpus, 'train'), { recursive: true });
    const good = JSON.stringify({ text: 'Danke!', lang: 'de', signals: [], kind: 'praise' });
    await writeFile(
      path.join(corpus, 'train/de-praise.jsonl'),
      `${good}\n${good.replace('"de"', '"fr"')}\n`,
    );
    await expect(readSignalCorpus(corpus)).rejects.toMatchObject({
      name: 'SignalCorpusError',
      file: path.join('train', 'de-praise.jsonl'),
      line: 2,
      field: 'lang',
    });
    await expect(buildModel(kb, { signalCorpusDir: corpus })).rejects.toThrow(
      /de-praise\.jsonl:2: field "lang"/,
    );
  });

  it('builds the signal model into the site model', async () => {
    const model = await readTriageModel(modelFile);
    expect(model.signals).toMatchObject({
      format: 'lotse-signals',
      thresholds: [expect.any(Number), expect.any(Number), expect.any(Number)],
    });
  });
});

describe('buildModelFromSource', () => {
  it('builds the same model when the signal model trains elsewhere', async () => {
    const { train } = await readSignalCorpus();
    let neutral: readonly string[] = [];
    const source = await readKnowledgeBase(path.join(repoRoot, 'examples/kb-shop'));
    const { json } = await buildModelFromSource(source, {
      trainSignals: async (given) => {
        neutral = given;
        return trainSignalModel(train, { neutral: given });
      },
    });
    expect(json).toBe(await readFile(modelFile, 'utf8'));
    // Level-1 questions are no complaints; a damaged parcel (level 2) is not among them.
    expect(neutral).toContain('Wo ist mein Paket?');
    expect(neutral).not.toContain('Das Paket kam beschädigt an');
  }, 120_000);
});
