// A knowledge base as the server keeps it: the folder format's files held in memory, and the
// working copy an editor sees (the published files with the drafts laid over them).
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Check,
  type CheckSuiteError,
  CONFIG_FILE,
  compileKnowledgeBase,
  isEntryFile,
  isKnowledgeBaseError,
  type KnowledgeBase,
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
 * An issue's identity for telling new problems from old ones: lines move as files change, also
 * those a message names in another file ("already used by … (line 4)").
 */
const issueKey = (i: KnowledgeBaseIssue) =>
  `${i.file}\u0000${i.field}\u0000${i.message.replace(/ \(line \d+\)/g, '')}`;

/** The compiled knowledge base of a source, or the build's issues. */
function compile(source: KbSource): KnowledgeBase | readonly KnowledgeBaseIssue[] {
  try {
    return compileKnowledgeBase({ config: source.config, files: source.files });
  } catch (error) {
    if (!isKnowledgeBaseError(error)) throw error;
    return error.issues;
  }
}

/**
 * What is wrong with a check suite: a malformed line (the first, as `lotse-triage check` names
 * it), and, given the knowledge base, every line whose `expect.entry` or `expect.topic` it does
 * not have — such a check can never pass, and `lotse-triage check` refuses the suite.
 */
export function checksIssues(text: string, kb: KnowledgeBase | undefined): KnowledgeBaseIssue[] {
  let checks: Check[];
  try {
    checks = parseChecks(text, CHECKS_FILE);
  } catch (error) {
    return [checkSuiteIssue(error)];
  }
  if (kb === undefined) return [];
  const entries = new Set(kb.entries.map((e) => e.id));
  const topics = new Set(Object.keys(kb.config.topics));
  // parseChecks keeps no lines; ids are unique in a suite it accepted, so they find them.
  const lines = new Map<unknown, number>();
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    lines.set((JSON.parse(raw) as { id?: unknown }).id, index + 1);
  });
  const issues: KnowledgeBaseIssue[] = [];
  for (const check of checks) {
    for (const [field, name, known] of [
      ['entry', check.expect.entry, entries],
      ['topic', check.expect.topic, topics],
    ] as const) {
      if (name === undefined || known.has(name)) continue;
      issues.push({
        file: CHECKS_FILE,
        line: lines.get(check.id) ?? 1,
        field: `expect.${field}`,
        message: `check "${check.id}" names no ${field} of the knowledge base: ${JSON.stringify(name)}. Write ${field === 'entry' ? 'the id of an entry' : 'a topic of lotse.config.json'}, or remove the check.`,
      });
    }
  }
  if (issues.length > 0) return issues;
  // The CLI's own rule stays the authority: whatever else it refuses is refused here too.
  try {
    parseChecks(text, CHECKS_FILE, { knowledgeBase: kb });
    return [];
  } catch (error) {
    return [checkSuiteIssue(error)];
  }
}

/** A check-suite error of @lotse/triage as an issue of `checks.jsonl`, without its prefix. */
function checkSuiteIssue(error: unknown): KnowledgeBaseIssue {
  if (!(error instanceof Error) || error.name !== 'CheckSuiteError') throw error;
  const e = error as CheckSuiteError;
  const message = e.message.replace(
    /^\[lotse\] Invalid check suite: .*?:\d+: (?:field "[^"]*" )?/,
    '',
  );
  return { file: CHECKS_FILE, line: e.line, field: e.field, message };
}

/** What keeps a source from being published, and what publishing it would leave broken. */
export interface SourceReview {
  /** The build's problems (all files) and a malformed check-suite line: publishing is refused. */
  problems: KnowledgeBaseIssue[];
  /**
   * Check-suite lines naming an entry or topic the knowledge base lacks: they can never pass. Not
   * refused at publish, since deleting an entry is a change the check gate asks about (a check
   * that passed before now fails, and an owner may publish anyway), but named wherever it shows.
   */
  danglingChecks: KnowledgeBaseIssue[];
}

// Compiling the demo's 97 entries takes 90–180 ms (measured); the list page asks on every load
// while drafts exist, so the last few answers are kept by content.
const recent = new Map<string, SourceReview>();

/** Everything wrong with a whole source (see {@link SourceReview}); empty lists when it builds. */
export function reviewSource(source: KbSource): SourceReview {
  const hash = sourceHash(source);
  const known = recent.get(hash);
  if (known !== undefined) return known;
  const kb = compile(source);
  const checks =
    source.checks === null ? [] : checksIssues(source.checks, 'config' in kb ? kb : undefined);
  const dangling = (i: KnowledgeBaseIssue) =>
    i.field === 'expect.entry' || i.field === 'expect.topic';
  const review: SourceReview = {
    problems: [...('config' in kb ? [] : kb), ...checks.filter((i) => !dangling(i))],
    danglingChecks: checks.filter(dangling),
  };
  recent.set(hash, review);
  if (recent.size > 8) recent.delete(recent.keys().next().value as string);
  return review;
}

/**
 * What the build's validation finds wrong with `file` changed to `text` in a source (the editor and
 * "Add to knowledge base" refuse such a change): its own problems and every problem it brings about
 * in another file, wherever the build places it (of two entries sharing an example, the build names
 * the one whose path sorts later). Problems another file had already (another draft's) do not block
 * saving this one. A config change names only its own: renaming a topic breaks its entries until
 * they are changed too, which the list names (see {@link reviewSource}). For the check suite, lines
 * naming entries or topics the working copy lacks are refused (when it builds).
 */
export function changeIssues(
  source: KbSource,
  file: string,
  text: string | null,
): KnowledgeBaseIssue[] {
  const next = applyChanges(source, [{ path: file, text }]);
  if (file === CHECKS_FILE) {
    if (text === null) return [];
    const kb = compile(next);
    return checksIssues(text, 'config' in kb ? kb : undefined);
  }
  const kb = compile(next);
  if ('config' in kb) return [];
  if (file === CONFIG_FILE) return kb.filter((i) => i.file === file);
  // The source's own review: kept by content, the list page has usually asked already.
  const old = new Set(reviewSource(source).problems.map(issueKey));
  return kb.filter((i) => (text !== null && i.file === file) || !old.has(issueKey(i)));
}
