import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTriageModel,
  neutralMessages,
  trainEntryClassifier,
} from './decide/create-triage-model.js';
import { checkTriageModel, createLoadedModel, type TriageModel } from './decide/triage-model.js';
import {
  CONFIG_FILE,
  compileKnowledgeBase,
  hashKnowledgeBase,
  isEntryFile,
  KnowledgeBaseError,
  type KnowledgeBaseSource,
  type Thresholds,
} from './kb/index.js';
import { ModelError, tuneThresholds } from './model/index.js';
import { parseSignalCorpus } from './signals/parse-signal-corpus.js';
import type { SignalExample } from './signals/signal-corpus.js';
import type { SignalModelData } from './signals/signal-model-data.js';
import { splitSignalCorpus } from './signals/split-signal-corpus.js';
import { trainSignalModel } from './signals/train-signal-model.js';

/** Options for building a model from a knowledge-base folder. */
export interface BuildModelOptions {
  /** Called with progress messages while training. */
  onProgress?: (message: string) => void;
  /** The signal corpus folder (with `train/` and `separate/`). @default the package's `data/signals` */
  signalCorpusDir?: string;
  /**
   * Trains the signal model elsewhere, e.g. in a second worker thread while this one trains the
   * classifier: `trainSignalModel(readSignalCorpus().train, { neutral })` there gives the same
   * model. Called before the classifier trains, with the site's messages that are no complaint.
   * @default that call in this thread, after the classifier, on `signalCorpusDir`
   */
  trainSignals?: (neutral: readonly string[]) => Promise<SignalModelData>;
}

/** The signal corpus shipped with the package; `src/` and `dist/` both sit beside `data/`. */
export const SIGNAL_CORPUS_DIR = fileURLToPath(new URL('../data/signals', import.meta.url));

/** The signal corpus, split: `train` is what training sees, `test` the held-out fifth of `train/`, `separate` the set written apart. */
export interface SignalCorpus {
  train: SignalExample[];
  test: SignalExample[];
  separate: SignalExample[];
}

async function readCorpusFolder(dir: string): Promise<SignalExample[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) =>
    n.endsWith('.jsonl'),
  );
  const files = await Promise.all(
    names
      .sort()
      .map(async (name) =>
        parseSignalCorpus(
          await readFile(path.join(dir, name), 'utf8'),
          path.join(path.basename(dir), name),
        ),
      ),
  );
  return files.flat();
}

const corpora = new Map<string, Promise<SignalCorpus>>();

/**
 * Reads and checks the signal corpus (cached per folder); throws `SignalCorpusError` naming the
 * file, line and field of a malformed line.
 *
 * @example
 * const { test, separate } = await readSignalCorpus();
 */
export function readSignalCorpus(dir: string = SIGNAL_CORPUS_DIR): Promise<SignalCorpus> {
  let corpus = corpora.get(dir);
  if (!corpus) {
    corpus = (async () => {
      const [all, separate] = await Promise.all([
        readCorpusFolder(path.join(dir, 'train')),
        readCorpusFolder(path.join(dir, 'separate')),
      ]);
      if (all.length === 0) {
        throw new ModelError(
          'training_data',
          `no signal corpus in ${path.join(dir, 'train')}: the package ships it in data/signals; check that the folder exists.`,
        );
      }
      return { ...splitSignalCorpus(all), separate };
    })();
    corpora.set(dir, corpus);
    corpus.catch(() => corpora.delete(dir));
  }
  return corpus;
}

/** A built model, with its JSON text as written to disk and served to browsers. */
export interface BuildModelResult {
  model: TriageModel;
  json: string;
  /** Content hash of the knowledge base. */
  hash: string;
}

/** Reads a knowledge-base folder: its config and every Markdown entry below it, in a stable order. */
export async function readKnowledgeBase(dir: string): Promise<KnowledgeBaseSource> {
  const config = await readFile(path.join(dir, CONFIG_FILE), 'utf8').catch((error: unknown) => {
    throw new KnowledgeBaseError([
      {
        file: CONFIG_FILE,
        line: 1,
        field: null,
        message: `cannot read ${path.join(dir, CONFIG_FILE)} (${(error as NodeJS.ErrnoException).code ?? String(error)}). Every knowledge-base folder needs a ${CONFIG_FILE}; check the folder name.`,
      },
    ]);
  });
  const names = (await listFiles(dir, '')).filter(isEntryFile).sort();
  const files = await Promise.all(
    names.map(async (name) => ({ path: name, text: await readFile(path.join(dir, name), 'utf8') })),
  );
  return { config, files };
}

// Lists files below a folder as slash-separated relative paths, skipping dependencies and dot folders.
async function listFiles(root: string, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for (const item of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? item.name : `${prefix}/${item.name}`;
    if (item.isDirectory() && item.name !== 'node_modules' && !item.name.startsWith('.')) {
      found.push(...(await listFiles(root, relative)));
    } else if (item.isFile()) {
      found.push(relative);
    }
  }
  return found;
}

/**
 * Validates a knowledge-base folder, trains its classifier and returns the model file.
 *
 * @example
 * const { json } = await buildModel('examples/kb-shop');
 */
export async function buildModel(
  dir: string,
  options: BuildModelOptions = {},
): Promise<BuildModelResult> {
  return buildModelFromSource(await readKnowledgeBase(dir), options, dir);
}

/**
 * Validates a knowledge base held in memory (its config and entry files, as a server stores them),
 * trains its classifier and returns the model file.
 *
 * @example
 * const { json } = await buildModelFromSource({ config, files: [{ path: 'a.de.md', text }] });
 */
export async function buildModelFromSource(
  source: KnowledgeBaseSource,
  options: BuildModelOptions = {},
  /** Names the knowledge base in progress messages. */
  name = 'the knowledge base',
): Promise<BuildModelResult> {
  const hash = hashKnowledgeBase(source);
  const kb = compileKnowledgeBase(source);
  const neutral = neutralMessages(kb);
  const { onProgress } = options;
  // Started before the classifier, so that another thread can train the signal model meanwhile.
  const elsewhere = options.trainSignals?.(neutral);
  // Should the classifier fail first, this rejection is not the news.
  elsewhere?.catch(() => undefined);
  // Read before training, so that a broken corpus fails at once.
  const corpus =
    elsewhere === undefined ? await readSignalCorpus(options.signalCorpusDir) : undefined;
  onProgress?.(`Compiled ${kb.entries.length} entries from ${name}; training…`);
  const classifier = trainEntryClassifier(kb, onProgress);
  const signals =
    corpus === undefined
      ? await (elsewhere as Promise<SignalModelData>)
      : trainSignalModel(corpus.train, { neutral, ...(onProgress ? { onProgress } : {}) });
  const model = createTriageModel(kb, hash, { classifier, signals });
  applyThresholdTargets(model, kb.config.thresholds);
  return { model, json: JSON.stringify(model), hash };
}

/**
 * Sets the classifier's out-of-scope threshold for the site's `turnAway` target and, unless the
 * site sets `answer` itself, the answer threshold for its `answerPrecision`, both from the
 * classifier's cross-validation over the knowledge base's own examples.
 */
function applyThresholdTargets(model: TriageModel, targets: Thresholds): void {
  const tuned = tuneThresholds(model.classifier, targets);
  model.classifier.threshold = tuned.outOfScope;
  if (targets.answer === undefined && tuned.answer !== undefined) {
    const { suggest } = model.site.thresholds;
    // A suggestion threshold set above the calibrated one keeps "answer" above "suggest".
    model.site.thresholds.answer = Math.min(1, Math.max(tuned.answer, suggest + 0.05));
  }
}

/** Options for reading a model file. */
export interface ReadTriageModelOptions {
  /** Refuse the model unless it was built from this knowledge-base folder as it is now. */
  kbDir?: string;
}

/** Reads and checks a model file; throws `ModelError` when it is corrupt, stale or from another engine. */
export async function readTriageModel(
  file: string,
  options: ReadTriageModelOptions = {},
): Promise<TriageModel> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ModelError(
      'model_corrupt',
      `${file}: not a readable JSON model (${(error as Error).message}). Rebuild it with \`lotse-triage build <kb-dir> -o ${file}\`.`,
    );
  }
  const model = checkTriageModel(parsed);
  createLoadedModel(model);
  if (options.kbDir !== undefined) {
    const current = hashKnowledgeBase(await readKnowledgeBase(options.kbDir));
    if (current !== model.kbHash) {
      throw new ModelError(
        'model_stale',
        `${file} was built from another version of ${options.kbDir} (kbHash ${model.kbHash.slice(0, 12)}, now ${current.slice(0, 12)}). Rebuild it with \`lotse-triage build ${options.kbDir} -o ${file}\`.`,
      );
    }
  }
  return model;
}

export type {
  SignalEvaluation,
  SignalExample,
  SignalModelData,
  SignalScore,
  TrainSignalModelOptions,
} from './signals/index.js';
export {
  evaluateSignals,
  parseSignalCorpus,
  SignalCorpusError,
  splitSignalCorpus,
  trainSignalModel,
} from './signals/index.js';
