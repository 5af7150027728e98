import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createTriageModel } from './decide/create-triage-model.js';
import { checkTriageModel, createLoadedModel, type TriageModel } from './decide/triage-model.js';
import {
  CONFIG_FILE,
  compileKnowledgeBase,
  hashKnowledgeBase,
  isEntryFile,
  KnowledgeBaseError,
  type KnowledgeBaseSource,
} from './kb/index.js';
import { ModelError } from './model/index.js';

/** Options for building a model from a knowledge-base folder. */
export interface BuildModelOptions {
  /** Called with progress messages while training. */
  onProgress?: (message: string) => void;
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
  const source = await readKnowledgeBase(dir);
  const hash = hashKnowledgeBase(source);
  const kb = compileKnowledgeBase(source);
  options.onProgress?.(`Compiled ${kb.entries.length} entries from ${dir}; training…`);
  const model = createTriageModel(
    kb,
    hash,
    options.onProgress ? { onProgress: options.onProgress } : {},
  );
  return { model, json: JSON.stringify(model), hash };
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
