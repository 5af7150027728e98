import { KnowledgeBaseError, type KnowledgeBaseIssue } from './knowledge-base-error.js';
import { parseConfig } from './parse-config.js';
import { type ParsedEntry, parseEntry } from './parse-entry.js';
import { CONFIG_FILE, type KnowledgeBase, type KnowledgeBaseSource } from './types.js';

/**
 * Tells whether a path inside a knowledge-base folder is an entry: a `.md` file that is not a
 * README and not inside a hidden folder or `node_modules`.
 * @example isEntryFile('entries/returns/returns-label.de.md') // true
 */
export function isEntryFile(path: string): boolean {
  const segments = normalizePath(path).split('/');
  const name = segments[segments.length - 1] ?? '';
  if (!/\.md$/i.test(name) || /^readme\.md$/i.test(name)) return false;
  return segments.every((segment) => !segment.startsWith('.') && segment !== 'node_modules');
}

/**
 * Validates a knowledge base and compiles its answers to the safe AST. Files that are not entries
 * (see {@link isEntryFile}) are ignored, so a caller may pass the whole folder.
 * @throws {KnowledgeBaseError} with every problem found, each naming file, line and field.
 * @example
 * const kb = compileKnowledgeBase({ config: read('lotse.config.json'), files });
 */
export function compileKnowledgeBase(source: KnowledgeBaseSource): KnowledgeBase {
  const issues: KnowledgeBaseIssue[] = [];
  const { config, problems } = parseConfig(normalizeText(source.config));
  for (const problem of problems) issues.push({ file: CONFIG_FILE, ...problem });

  const files = normalizeFiles(source);
  if (files.length === 0) {
    issues.push({
      file: CONFIG_FILE,
      line: 1,
      field: null,
      message:
        'the knowledge base has no entries. Add one Markdown file per entry next to lotse.config.json, e.g. entries/returns/returns-label.de.md.',
    });
  }
  const parsedEntries: ParsedEntry[] = [];
  const seenPaths = new Set<string>();
  for (const file of files) {
    if (seenPaths.has(file.path)) {
      issues.push({
        file: file.path,
        line: 1,
        field: null,
        message: 'the file is listed twice. Pass each file once.',
      });
      continue;
    }
    seenPaths.add(file.path);
    const { parsed, problems: entryProblems } = parseEntry(file.path, file.text, config);
    for (const problem of entryProblems) issues.push({ file: file.path, ...problem });
    if (parsed !== null) parsedEntries.push(parsed);
  }
  issues.push(...checkAcrossEntries(parsedEntries));

  if (issues.length > 0 || config === null) {
    issues.sort((a, b) => compare(a.file, b.file) || a.line - b.line);
    throw new KnowledgeBaseError(issues);
  }
  return { config, entries: parsedEntries.map((parsed) => parsed.entry) };
}

/** Ids unique per locale, translations agreeing on topic and level, no example in two entries. */
function checkAcrossEntries(entries: readonly ParsedEntry[]): KnowledgeBaseIssue[] {
  const issues: KnowledgeBaseIssue[] = [];
  const byLocaleId = new Map<string, ParsedEntry>();
  const byId = new Map<string, ParsedEntry>();
  const byExample = new Map<string, ParsedEntry>();
  for (const parsed of entries) {
    const { entry, lineOf } = parsed;
    const at = (field: string, line: number, message: string): void => {
      issues.push({ file: entry.file, line, field, message });
    };
    const twin = byLocaleId.get(`${entry.locale}\u0000${entry.id}`);
    if (twin !== undefined) {
      at(
        'id',
        lineOf(['id']),
        `field "id" is "${entry.id}", already used by ${twin.entry.file} (line ${twin.lineOf(['id'])}) in locale "${entry.locale}". Ids must be unique per locale; only a translation in another locale shares an id.`,
      );
      continue;
    }
    byLocaleId.set(`${entry.locale}\u0000${entry.id}`, parsed);
    const translation = byId.get(entry.id);
    if (translation === undefined) {
      byId.set(entry.id, parsed);
    } else {
      const other = translation.entry;
      if (other.topic !== entry.topic) {
        at(
          'topic',
          lineOf(['topic']),
          `field "topic" is "${entry.topic}" but the translation ${other.file} has "${other.topic}". Translations (same id) must share topic and level.`,
        );
      } else if (other.level !== entry.level) {
        at(
          'level',
          lineOf(['level']),
          `the entry is level ${entry.level} but the translation ${other.file} is level ${other.level}. Translations (same id) must share topic and level.`,
        );
      }
    }
    entry.examples.forEach((example, index) => {
      const key = `${entry.locale}\u0000${normalizeExample(example)}`;
      const owner = byExample.get(key);
      if (owner === undefined) {
        byExample.set(key, parsed);
      } else if (owner !== parsed) {
        at(
          `examples[${index}]`,
          lineOf(['examples', index]),
          `example ${JSON.stringify(example)} is also an example of "${owner.entry.id}" (${owner.entry.file}). Each question should teach one entry: remove it from one of them.`,
        );
      }
    });
  }
  return issues;
}

function normalizeFiles(source: KnowledgeBaseSource): { path: string; text: string }[] {
  return source.files
    .map((file) => ({ path: normalizePath(file.path), text: normalizeText(file.text) }))
    .filter((file) => isEntryFile(file.path))
    .sort((a, b) => compare(a.path, b.path));
}

/** Forward slashes, no leading `./`: the same path on every platform. */
export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}

/** No byte-order mark, `\n` line ends: the same text on every platform. */
export function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

function normalizeExample(example: string): string {
  return example
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// Code-unit order, not localeCompare: the same on every machine and locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
