import { z } from 'zod';
import { closest, show } from '../kb/explain-issues.js';
import type { KnowledgeBase } from '../kb/index.js';
import { LineError } from '../line-error.js';

/** The outcome a check expects; every field given must hold, fields left out are not checked. */
export interface ExpectedOutcome {
  /** The entry the decision names (the answer, or for a handoff what the visitor asked about). */
  entry?: string;
  topic?: string;
  /** One kind, or the kinds that are all right (e.g. answer or suggest). */
  kind?: ('answer' | 'suggest' | 'handoff' | 'acknowledge')[];
  level?: 1 | 2 | 3;
  /** Signals the decision must carry (others may come too). */
  signals?: ('complaint' | 'wants-human' | 'urgent' | 'out-of-scope')[];
}

/** One mystery check: a question as a visitor asks it, and what the triage must do with it. */
export interface Check {
  /** Stable name, unique in the suite, used in reports (`orders-cancel-de-1`). */
  id: string;
  locale: 'de' | 'en';
  question: string;
  expect: ExpectedOutcome;
}

/** Thrown for a malformed line of a check suite; names the file, the line and the field (a dotted path). */
export class CheckSuiteError extends LineError {
  override readonly name = 'CheckSuiteError';
  readonly code = 'check_suite_invalid';

  constructor(file: string, line: number, field: string | null, detail: string) {
    super('check suite', file, line, field, detail);
  }
}

const KINDS = ['answer', 'suggest', 'handoff', 'acknowledge'] as const;

// A union's own message is zod's bare "Invalid input"; these say what is allowed instead.
const kindSchema = z.union([z.enum(KINDS), z.array(z.enum(KINDS)).min(1)], {
  error: (issue) =>
    `must be one of ${KINDS.join(', ')}, or a list of those (got ${show(issue.input)})`,
});
const levelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)], {
  error: (issue) => `must be 1, 2 or 3 (got ${show(issue.input)})`,
});

const checkSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be lower-case letters, digits and dashes'),
  locale: z.enum(['de', 'en']),
  question: z.string().trim().min(1).max(1500),
  expect: z
    .strictObject({
      entry: z.string().min(1).optional(),
      topic: z.string().min(1).optional(),
      kind: kindSchema.optional(),
      level: levelSchema.optional(),
      signals: z.array(z.enum(['complaint', 'wants-human', 'urgent', 'out-of-scope'])).optional(),
    })
    .refine(
      (e) => Object.keys(e).length > 0,
      'must name at least one of entry, topic, kind, level, signals',
    ),
});

/** Options of {@link parseChecks}. */
export interface ParseChecksOptions {
  /**
   * The knowledge base the suite is for: an `expect.entry` or `expect.topic` it does not have is
   * an error of the line that names it, not a check that fails when run. @default not checked
   */
  knowledgeBase?: KnowledgeBase;
}

/**
 * Parses a check suite (`checks.jsonl`: one JSON object per line, blank lines skipped); anything
 * else throws {@link CheckSuiteError}, and so does an id used twice or, given the knowledge base,
 * an entry or topic it does not have.
 *
 * @example
 * parseChecks('{"id":"cancel-de","locale":"de","question":"Wie storniere ich?","expect":{"entry":"cancel-order","kind":"answer"}}', 'checks.jsonl', { knowledgeBase })
 */
export function parseChecks(text: string, file: string, options: ParseChecksOptions = {}): Check[] {
  const known = options.knowledgeBase && knownNames(options.knowledgeBase);
  const checks: Check[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new CheckSuiteError(file, line, null, `is not JSON (${(error as Error).message}).`);
    }
    const parsed = checkSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length === 0 ? null : issue.path.join('.');
      throw new CheckSuiteError(
        file,
        line,
        field,
        `${issue.message}. Write {"id", "locale", "question", "expect": {"entry", "topic", "kind", "level", "signals"}}.`,
      );
    }
    const { id, locale, question, expect } = parsed.data;
    const first = seen.get(id);
    if (first !== undefined) {
      throw new CheckSuiteError(file, line, 'id', `"${id}" is used on line ${first} already.`);
    }
    seen.set(id, line);
    if (known !== undefined) {
      for (const [field, name, names, where] of [
        ['entry', expect.entry, known.entries, 'the `id:` of an entry file'],
        ['topic', expect.topic, known.topics, 'a topic of lotse.config.json'],
      ] as const) {
        if (name === undefined || names.includes(name)) continue;
        const near = closest(name, names);
        throw new CheckSuiteError(
          file,
          line,
          `expect.${field}`,
          `names no ${field} of the knowledge base: ${show(name)}${near === null ? '' : ` (did you mean "${near}"?)`}. Write ${where}.`,
        );
      }
    }
    // Only the fields given: an absent one is not checked.
    const expected: ExpectedOutcome = {};
    if (expect.entry !== undefined) expected.entry = expect.entry;
    if (expect.topic !== undefined) expected.topic = expect.topic;
    if (expect.kind !== undefined)
      expected.kind = typeof expect.kind === 'string' ? [expect.kind] : expect.kind;
    if (expect.level !== undefined) expected.level = expect.level;
    if (expect.signals !== undefined) expected.signals = expect.signals;
    checks.push({ id, locale, question, expect: expected });
  });
  return checks;
}

/** The entry and topic ids a check may name. */
function knownNames(kb: KnowledgeBase): { entries: string[]; topics: string[] } {
  return {
    entries: [...new Set(kb.entries.map((e) => e.id))],
    topics: Object.keys(kb.config.topics),
  };
}
