import { parseYaml } from './parse-yaml.js';
import { splitFrontMatter } from './split-front-matter.js';

/** The fields of an entry file as an editor shows them; validation stays with the build. */
export interface EntryFields {
  id: string;
  title: string;
  topic: string;
  /** Absent: the topic's level. */
  level?: number;
  locale: string;
  examples: string[];
  keywords?: string[];
  playbook?: string[];
  /** The Markdown answer below the front matter. */
  answer: string;
}

const asText = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';
const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(asText).filter((s) => s !== '') : [];

/**
 * Reads an entry file's fields leniently (for an editor; a missing or malformed field comes back
 * empty, and the build's validation names it). Undefined when the file has no readable front matter.
 *
 * @example readEntryFile('---\nid: a\n…\n---\nAnswer.\n')?.answer // 'Answer.\n'
 */
export function readEntryFile(text: string): EntryFields | undefined {
  const parts = splitFrontMatter(text.replace(/\r\n?/g, '\n'));
  if ('message' in parts) return undefined;
  const { data, errors } = parseYaml(parts.yaml, parts.openLine + 1);
  if (errors.length > 0 || data === null || typeof data !== 'object' || Array.isArray(data)) {
    return undefined;
  }
  const front = data as Record<string, unknown>;
  const level = Number(front.level);
  return {
    id: asText(front.id),
    title: asText(front.title),
    topic: asText(front.topic),
    ...(Number.isInteger(level) && front.level !== undefined ? { level } : {}),
    locale: asText(front.locale),
    examples: asList(front.examples),
    ...(front.keywords === undefined ? {} : { keywords: asList(front.keywords) }),
    ...(front.playbook === undefined ? {} : { playbook: asList(front.playbook) }),
    answer: parts.body.replace(/^\n+/, ''),
  };
}

// JSON strings are YAML 1.2 double-quoted scalars, so any text survives the round trip.
const quoted = (s: string) => JSON.stringify(s);

/**
 * Writes an entry file in the folder format: front matter with every text quoted, then the answer.
 *
 * @example writeEntryFile({ id: 'a', title: 'A', topic: 't', locale: 'en', examples: ['q'], answer: 'x' })
 */
export function writeEntryFile(fields: EntryFields): string {
  const lines = [
    '---',
    `id: ${quoted(fields.id)}`,
    `title: ${quoted(fields.title)}`,
    `topic: ${quoted(fields.topic)}`,
    ...(fields.level === undefined ? [] : [`level: ${fields.level}`]),
    `locale: ${quoted(fields.locale)}`,
  ];
  const list = (name: string, items: readonly string[] | undefined) => {
    if (items === undefined) return;
    lines.push(items.length === 0 ? `${name}: []` : `${name}:`);
    for (const item of items) lines.push(`  - ${quoted(item)}`);
  };
  list('examples', fields.examples);
  list('keywords', fields.keywords);
  list('playbook', fields.playbook);
  lines.push('---');
  const answer = fields.answer.replace(/\r\n?/g, '\n').trim();
  return `${lines.join('\n')}\n${answer}\n`;
}
