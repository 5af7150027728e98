// A knowledge base as the server keeps it: the folder format's files held in memory, and the
// working copy an editor sees (the published files with the drafts laid over them).
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CONFIG_FILE,
  compileKnowledgeBase,
  isEntryFile,
  isKnowledgeBaseError,
  type KnowledgeBaseIssue,
  parseChecks,
} from '@lotse/triage';
import { readKnowledgeBase } from '@lotse/triage/build';

/** The check suite's file name beside the entries (`lotse-triage check` reads the same). */
export const CHECKS_FILE = 'checks.jsonl';

/** One stored knowledge base: `lotse.config.json`, the entry files and the check suite. */
export interface KbSource {
  config: string;
  /** Entry files by slash-separated path, sorted by path. */
  files: { path: string; text: string }[];
  /** `checks.jsonl`; null when the site has no check suite. */
  checks: string | null;
}

/** A changed file of the working copy (`text` null: deleted). */
export interface KbChange {
  path: string;
  text: string | null;
}

/** Hash of a file's text for conflict checks; a missing file has its own. */
export function textHash(text: string | null): string {
  return text === null ? 'absent' : createHash('sha256').update(text).digest('base64url');
}

/**
 * Hash of a whole source, to tell whether a folder holds what a version holds: of its contents in a
 * fixed order, so a source read from a folder and one built from drafts compare alike.
 */
export function sourceHash(source: KbSource): string {
  const files = source.files.map((f) => [f.path, f.text]);
  return createHash('sha256')
    .update(JSON.stringify([source.config, source.checks, files]))
    .digest('base64url');
}

/** The text at `file` (the config, the check suite or an entry); null when there is none. */
export function fileText(source: KbSource, file: string): string | null {
  if (file === CONFIG_FILE) return source.config;
  if (file === CHECKS_FILE) return source.checks;
  return source.files.find((f) => f.path === file)?.text ?? null;
}

/** Whether a path names something a knowledge base holds (config, check suite or entry file). */
export function isKbPath(file: string): boolean {
  return (
    file === CONFIG_FILE || file === CHECKS_FILE || (isEntryFile(file) && !file.includes('..'))
  );
}

/** The source with changes laid over it, entry files kept in path order. */
export function applyChanges(source: KbSource, changes: readonly KbChange[]): KbSource {
  let { config, checks } = source;
  const files = new Map(source.files.map((f) => [f.path, f.text]));
  for (const change of changes) {
    if (change.path === CONFIG_FILE) config = change.text ?? config;
    else if (change.path === CHECKS_FILE) checks = change.text;
    else if (change.text === null) files.delete(change.path);
    else files.set(change.path, change.text);
  }
  return {
    config,
    checks,
    files: [...files]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([p, text]) => ({ path: p, text })),
  };
}

/** Reads a knowledge-base folder with its check suite (`checks.jsonl`, optional). */
export async function readKbFolder(dir: string): Promise<KbSource> {
  const { config, files } = await readKnowledgeBase(dir);
  const checks = await readFile(path.join(dir, CHECKS_FILE), 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  });
  return { config, files: [...files], checks };
}

/** Writes a source as a folder (`lotse-server kb export`), creating sub-folders. */
export async function writeKbFolder(dir: string, source: KbSource): Promise<void> {
  const write = async (file: string, text: string) => {
    const target = path.join(dir, ...file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
  };
  await write(CONFIG_FILE, source.config);
  if (source.checks !== null) await write(CHECKS_FILE, source.checks);
  for (const file of source.files) await write(file.path, file.text);
}

/**
 * What the build's validation finds wrong with `file` changed to `text` in a source (the editor and
 * "Add to knowledge base" refuse such a change): its own problems; for a deletion, every problem.
 * Problems of other files (another draft) do not block saving this one.
 */
export function changeIssues(
  source: KbSource,
  file: string,
  text: string | null,
): KnowledgeBaseIssue[] {
  const next = applyChanges(source, [{ path: file, text }]);
  if (file === CHECKS_FILE) {
    if (text === null) return [];
    try {
      parseChecks(text, CHECKS_FILE);
      return [];
    } catch (error) {
      return [{ file, line: 1, field: null, message: (error as Error).message }];
    }
  }
  try {
    compileKnowledgeBase({ config: next.config, files: next.files });
    return [];
  } catch (error) {
    if (!isKnowledgeBaseError(error)) throw error;
    return error.issues.filter((i) => i.file === file || text === null);
  }
}
