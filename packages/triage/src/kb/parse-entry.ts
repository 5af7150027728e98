import { z } from 'zod';
import { compileMarkdown } from './compile-markdown.js';
import { closest, explainIssues, type FieldRule, type LocatedProblem } from './explain-issues.js';
import { ID_PATTERN } from './parse-config.js';
import { type DataPath, parseYaml } from './parse-yaml.js';
import { splitFrontMatter } from './split-front-matter.js';
import {
  type KnowledgeBaseConfig,
  type KnowledgeBaseEntry,
  type Level,
  type Locale,
  SUPPORTED_LOCALES,
} from './types.js';

const text = z.string().trim().min(1);

const entrySchema = z.strictObject({
  id: z.string().regex(ID_PATTERN),
  title: text,
  topic: z.string(),
  level: z.literal([1, 2, 3]).optional(),
  locale: z.enum(SUPPORTED_LOCALES),
  examples: z.array(text).min(1),
  keywords: z.array(text).optional(),
  playbook: z.array(text).optional(),
});

const ENTRY_KEYS = ['id', 'title', 'topic', 'level', 'locale', 'examples', 'keywords', 'playbook'];

/** Messages for every front-matter field of an entry. */
const ENTRY_RULES: Record<string, FieldRule> = {
  '': { expect: 'must start with front matter fields like "id: returns-label"', keys: ENTRY_KEYS },
  id: {
    expect: 'must be lowercase letters a–z, digits and hyphens',
    hint: 'For example: "id: returns-label". Give a translation the same id in its own locale.',
  },
  title: {
    expect: 'must be a non-empty text',
    hint: 'It heads the answer and names it in suggestions, e.g. "title: Rücksendeetikett drucken".',
  },
  topic: {
    expect: 'must be the id of a topic in lotse.config.json',
    hint: 'For example: "topic: returns".',
  },
  level: {
    expect: 'must be 1, 2 or 3',
    hint: "Use 1 for self-service answers, 2 for the service team, 3 for specialists. Leave it out to use the topic's level.",
  },
  locale: {
    expect: 'must be "de" or "en"',
    hint: 'It is the language of the title, examples and answer.',
  },
  examples: {
    expect: 'must be a list of at least one question',
    hint: 'Add 8–12 varied questions as visitors type them, e.g. examples: ["Wo ist mein Paket?", "paket nicht angekommen"]. The classifier learns only from these.',
  },
  'examples[]': {
    expect: 'must be a non-empty text',
    hint: 'Each example is one question as a visitor would type it.',
  },
  keywords: {
    expect: 'must be a list of words',
    hint: 'For example: keywords: [Retoure, Etikett].',
  },
  'keywords[]': { expect: 'must be a non-empty text' },
  playbook: {
    expect: 'must be a list of steps',
    hint: 'These steps for the agent follow the topic\'s playbook, e.g. playbook: ["Sendungsnummer prüfen"].',
  },
  'playbook[]': {
    expect: 'must be a non-empty text',
    hint: 'Each step is one instruction for the agent.',
  },
};

/** An entry that passed the checks of its own file, with lines for cross-file checks. */
export interface ParsedEntry {
  entry: KnowledgeBaseEntry;
  lineOf: (path: DataPath) => number;
}

/** Result of {@link parseEntry}. */
export interface ParseEntryResult {
  parsed: ParsedEntry | null;
  problems: LocatedProblem[];
}

/**
 * Validates one entry file (front matter, answer, references into the config when it is valid)
 * and compiles its answer to the safe AST.
 */
export function parseEntry(
  path: string,
  source: string,
  config: KnowledgeBaseConfig | null,
): ParseEntryResult {
  const parts = splitFrontMatter(source);
  if (!('yaml' in parts))
    return { parsed: null, problems: [{ line: parts.line, field: null, message: parts.message }] };
  const yaml = parseYaml(parts.yaml, parts.openLine + 1);
  if (yaml.errors.length > 0) {
    return {
      parsed: null,
      problems: yaml.errors.map((error) => ({
        line: error.line,
        field: null,
        message: `the front matter is not valid YAML: ${error.message}. Put a text containing ": " or "#" in quotes, e.g. title: "Versand: Dauer".`,
      })),
    };
  }
  const problems: LocatedProblem[] = [];
  const data = yaml.data ?? {};
  // A missing field is reported at the opening "---", where the front matter begins.
  const lineOf = (fieldPath: DataPath): number =>
    fieldPath.length === 0 || (fieldPath.length === 1 && !hasKey(data, fieldPath[0]!))
      ? parts.openLine
      : yaml.lineOf(fieldPath);
  const checked = entrySchema.safeParse(data);
  if (!checked.success) {
    problems.push(...explainIssues(checked.error.issues, data, ENTRY_RULES, new Set(), lineOf));
  }

  const answerProblems: LocatedProblem[] = [];
  const answer = compileMarkdown(parts.body, {
    onIssue: (issue) =>
      answerProblems.push({
        line: parts.bodyLine + issue.line - 1,
        field: 'answer',
        message: issue.message,
      }),
  });
  problems.push(...answerProblems);
  if (answer.length === 0 && answerProblems.length === 0) {
    problems.push({
      line: parts.closeLine,
      field: 'answer',
      message: 'the answer is missing. Write it in Markdown below the closing "---" line.',
    });
  }
  // Cross-checks run on every field that is valid by itself, so one pass reports all problems.
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const locale = isLocale(raw.locale) ? raw.locale : null;
  const ownLevel = isLevel(raw.level) ? raw.level : undefined;
  const ownPlaybook = stringList(raw.playbook);
  const fileLocale = /\.([a-z]{2})\.md$/i.exec(path)?.[1]?.toLowerCase();
  if (locale !== null && fileLocale !== undefined && fileLocale !== locale) {
    problems.push({
      line: lineOf(['locale']),
      field: 'locale',
      message: `field "locale" is "${locale}" but the file name ends in ".${fileLocale}.md". Rename the file or fix the locale.`,
    });
  }
  let level: Level = ownLevel ?? 1;
  let playbook: string[] = ownPlaybook;
  if (config !== null) {
    if (locale !== null && !config.locales.includes(locale)) {
      problems.push({
        line: lineOf(['locale']),
        field: 'locale',
        message: `field "locale" is "${locale}", which is not in "locales" of lotse.config.json (${config.locales.join(', ')}). Add it there or fix the locale.`,
      });
    }
    const topicId = typeof raw.topic === 'string' ? raw.topic : null;
    const topic = topicId === null ? undefined : config.topics[topicId];
    if (topicId !== null && topic === undefined) {
      const known = Object.keys(config.topics).sort();
      const guess = closest(topicId, known);
      problems.push({
        line: lineOf(['topic']),
        field: 'topic',
        message:
          `field "topic" must be one of the topics in lotse.config.json: ${known.join(', ')} (got ${JSON.stringify(topicId)}).` +
          (guess === null
            ? ' Add the topic to "topics" in lotse.config.json or fix the name.'
            : ` Did you mean "${guess}"?`),
      });
    } else if (topic !== undefined && raw.level === ownLevel) {
      level = ownLevel ?? topic.level;
      if (level < topic.level) {
        problems.push({
          line: lineOf(['level']),
          field: 'level',
          message: `field "level" is ${level} but topic "${topicId}" is level ${topic.level}; an entry may raise its topic's level, never lower it. Remove "level" or move the entry to a topic of level ${level}.`,
        });
      }
      if (locale !== null) playbook = [...(topic.playbook[locale] ?? []), ...ownPlaybook];
      if (level >= 2 && playbook.length === 0 && Array.isArray(raw.playbook ?? [])) {
        problems.push({
          line: lineOf(ownLevel === undefined ? ['topic'] : ['level']),
          field: 'playbook',
          message: `the entry is level ${level} but has no playbook for agents. Add "playbook:" with the steps an agent follows, or give topic "${topicId}" a "playbook" for "${locale ?? 'this locale'}" in lotse.config.json.`,
        });
      }
    }
  }
  if (!checked.success) return { parsed: null, problems };
  const front = checked.data;
  const entry: KnowledgeBaseEntry = {
    id: front.id,
    title: front.title,
    topic: front.topic,
    level,
    locale: front.locale,
    examples: front.examples,
    keywords: unique(front.keywords ?? []),
    answer,
    playbook,
    file: path,
  };
  return { parsed: { entry, lineOf }, problems };
}

function hasKey(data: unknown, key: PropertyKey): boolean {
  return typeof data === 'object' && data !== null && Object.hasOwn(data, key);
}

function isLocale(value: unknown): value is Locale {
  return (SUPPORTED_LOCALES as readonly unknown[]).includes(value);
}

function isLevel(value: unknown): value is Level {
  return value === 1 || value === 2 || value === 3;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string').map((item) => item.trim())
    : [];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim()))];
}
