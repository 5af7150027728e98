// The working copy as the editor lists it: every entry file with its fields and whether a draft
// changed, added or deleted it, and the topics of the config.
import { CONFIG_FILE, type EntryFields, readEntryFile } from '@lotse/triage';
import type { KbDraft } from './kb-queries.js';
import { CHECKS_FILE, fileText } from './kb-source.js';
import type { WorkingCopy } from './knowledge-base.js';

/** An entry file of the working copy. */
export interface WorkingEntry {
  path: string;
  /** Undefined when the file has no readable front matter (the build names the problem). */
  fields: EntryFields | undefined;
  state: 'published' | 'changed' | 'added' | 'deleted';
  draft: KbDraft | undefined;
}

/** A topic of the config as the editor offers it. */
export interface TopicChoice {
  id: string;
  name: string;
  level: number;
}

/** The topics of a config text (unreadable config: none). */
export function topicsOf(config: string, locale: string): TopicChoice[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(config);
  } catch {
    return [];
  }
  const topics = (parsed as { topics?: unknown } | null)?.topics;
  if (topics === null || typeof topics !== 'object') return [];
  return Object.entries(topics as Record<string, { name?: unknown; level?: unknown }>).map(
    ([id, t]) => {
      const name =
        typeof t?.name === 'string'
          ? t.name
          : typeof t?.name === 'object' && t.name !== null
            ? String((t.name as Record<string, unknown>)[locale] ?? Object.values(t.name)[0] ?? id)
            : id;
      return { id, name, level: Number(t?.level) || 1 };
    },
  );
}

/** The locales a config lists (unreadable config: both). */
export function localesOf(config: string): string[] {
  try {
    const locales = (JSON.parse(config) as { locales?: unknown }).locales;
    if (Array.isArray(locales) && locales.length > 0) return locales.map(String);
  } catch {
    // The build names the problem; the editor still offers both languages.
  }
  return ['de', 'en'];
}

/** Every entry of the working copy, published ones that a draft deletes included, by path. */
export function workingEntries(copy: WorkingCopy): WorkingEntry[] {
  const drafts = new Map(copy.drafts.map((d) => [d.path, d]));
  const published = copy.published?.source;
  const paths = new Set([
    ...copy.source.files.map((f) => f.path),
    ...(published?.files.map((f) => f.path) ?? []),
  ]);
  return [...paths].sort().map((path) => {
    const draft = drafts.get(path);
    const before = published === undefined ? null : fileText(published, path);
    const text = fileText(copy.source, path) ?? before ?? '';
    const state =
      draft === undefined
        ? 'published'
        : draft.text === null
          ? 'deleted'
          : before === null
            ? 'added'
            : 'changed';
    return { path, fields: readEntryFile(text), state, draft };
  });
}

/** The path a new entry gets: `entries/<topic>/<id>.<locale>.md`. */
export function entryPath(fields: Pick<EntryFields, 'topic' | 'id' | 'locale'>): string {
  return `entries/${fields.topic}/${fields.id}.${fields.locale}.md`;
}

/** Whether a file is one of the two the editor shows as plain text (the config, the check suite). */
export function isRawFile(path: string): boolean {
  return path === CONFIG_FILE || path === CHECKS_FILE;
}

/** Lower-case text of an entry to search in. */
export function searchText(entry: WorkingEntry): string {
  const f = entry.fields;
  if (f === undefined) return entry.path.toLowerCase();
  return [f.id, f.title, ...f.examples, ...(f.keywords ?? []), f.answer].join('\n').toLowerCase();
}

/** A short id from a title: lower-case ASCII letters, digits and hyphens. */
export function slugify(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'entry' : slug;
}
