import { z } from 'zod';
import { explainIssues, type FieldRule, type LocatedProblem } from './explain-issues.js';
import { parseYaml } from './parse-yaml.js';
import {
  type KnowledgeBaseConfig,
  type Level,
  type Locale,
  type LocalizedText,
  SUPPORTED_LOCALES,
  type TopicConfig,
} from './types.js';

/** Ids of topics, queues and entries: lowercase words joined by hyphens. */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const LEVEL_HINT = 'Use 1 for self-service answers, 2 for the service team, 3 for specialists.';
const text = z.string().trim().min(1);
const localized = z.union([text, z.partialRecord(z.enum(SUPPORTED_LOCALES), text)]);
const level = z.literal([1, 2, 3]);
const id = z.string().regex(ID_PATTERN);

const topicSchema = z.strictObject({
  name: localized,
  queue: id.optional(),
  level,
  playbook: z.partialRecord(z.enum(SUPPORTED_LOCALES), z.array(text)).optional(),
});

const configSchema = z.strictObject({
  $schema: z.string().optional(),
  title: localized,
  locales: z.array(z.enum(SUPPORTED_LOCALES)).min(1),
  defaultLocale: z.enum(SUPPORTED_LOCALES).optional(),
  levels: z.partialRecord(z.enum(['1', '2', '3']), localized).optional(),
  topics: z.record(id, topicSchema).refine((topics) => Object.keys(topics).length > 0, {
    message:
      'field "topics" must hold at least one topic, e.g. "topics": {"shipping": {"name": {"de": "Versand", "en": "Shipping"}, "level": 1}}.',
  }),
  thresholds: z
    .strictObject({
      answer: z.number().gt(0).lte(1).optional(),
      suggest: z.number().gt(0).lte(1).optional(),
      turnAway: z.number().gte(0).lte(0.5).optional(),
      answerPrecision: z.number().gt(0).lt(1).optional(),
    })
    .optional(),
});

type ConfigInput = z.infer<typeof configSchema>;

const LOCALIZED_EXPECT = 'must be a text, or one text per locale like {"de": "…", "en": "…"}';
const LOCALES_LIST = SUPPORTED_LOCALES.map((locale) => `"${locale}"`).join(' or ');

/** Messages for every field of `lotse.config.json`. */
const CONFIG_RULES: Record<string, FieldRule> = {
  '': {
    expect: 'must be a JSON object',
    keys: ['$schema', 'title', 'locales', 'defaultLocale', 'levels', 'topics', 'thresholds'],
  },
  $schema: { expect: 'must be a text (the address of a JSON schema)' },
  title: {
    expect: LOCALIZED_EXPECT,
    hint: 'It titles the help dialog, e.g. "title": {"de": "Hilfe – Nordlicht", "en": "Help – Nordlicht"}.',
  },
  locales: {
    expect: `must be a non-empty list of ${LOCALES_LIST}`,
    hint: 'For example: "locales": ["de", "en"].',
  },
  'locales[]': {
    expect: `must be ${LOCALES_LIST}`,
    hint: 'Only German and English are supported.',
  },
  defaultLocale: {
    expect: `must be ${LOCALES_LIST}`,
    hint: 'It is used when the visitor\'s locale is not in "locales".',
  },
  levels: {
    expect: 'must name the levels "1", "2" and "3"',
    keys: ['1', '2', '3'],
    hint: 'For example: "levels": {"1": {"de": "Standard", "en": "Standard"}}.',
  },
  'levels#key': { expect: 'is not a level', hint: 'Levels are "1", "2" and "3".' },
  'levels.*': { expect: LOCALIZED_EXPECT },
  topics: {
    expect: 'must hold at least one topic',
    hint: 'For example: "topics": {"shipping": {"name": {"de": "Versand", "en": "Shipping"}, "level": 1}}.',
  },
  'topics#key': {
    expect: 'is not a valid topic id',
    hint: 'Use lowercase letters a–z, digits and hyphens, e.g. "shipping" or "lost-parcel".',
  },
  'topics.*': { expect: 'must be an object', keys: ['name', 'queue', 'level', 'playbook'] },
  'topics.*.name': {
    expect: LOCALIZED_EXPECT,
    hint: 'It is shown to agents and in the dashboard.',
  },
  'topics.*.queue': {
    expect: 'must be lowercase letters a–z, digits and hyphens',
    hint: 'It is the inbox queue for handoffs of this topic, e.g. "logistics"; leave it out to use the topic id.',
  },
  'topics.*.level': { expect: 'must be 1, 2 or 3', hint: LEVEL_HINT },
  'topics.*.playbook': {
    expect: 'must map each locale to a list of steps',
    hint: 'For example: "playbook": {"de": ["Sendungsverfolgung prüfen", "…"], "en": ["Check tracking", "…"]}.',
  },
  'topics.*.playbook#key': { expect: 'is not a supported locale', hint: `Use ${LOCALES_LIST}.` },
  'topics.*.playbook.*': { expect: 'must be a list of steps, each a non-empty text' },
  'topics.*.playbook.*[]': {
    expect: 'must be a non-empty text',
    hint: 'Each step is one instruction for the agent.',
  },
  thresholds: {
    expect: 'must be an object',
    keys: ['answer', 'suggest', 'turnAway', 'answerPrecision'],
  },
  'thresholds.answer': {
    expect: 'must be a number above 0 and at most 1',
    hint: 'It is the confidence needed to answer directly; leave it out to let the engine choose it from the examples.',
  },
  'thresholds.suggest': {
    expect: 'must be a number above 0 and at most 1',
    hint: 'It is the confidence needed to suggest an entry; leave it out to let the engine choose it from the examples.',
  },
  'thresholds.turnAway': {
    expect: 'must be a number from 0 to 0.5',
    hint: 'It is the share of answerable questions the out-of-scope check may send to a person, e.g. 0.02 (the default); higher catches more unrelated questions.',
  },
  'thresholds.answerPrecision': {
    expect: 'must be a number above 0 and below 1',
    hint: 'It is the share of direct answers that must be right on held-out examples, e.g. 0.8 (the default); it sets "answer" when "answer" is left out.',
  },
};

const DYNAMIC_PARENTS: ReadonlySet<string> = new Set(['topics', 'levels', 'playbook']);

const DEFAULT_LEVEL_NAMES: Record<Level, LocalizedText> = {
  1: { de: 'Standard', en: 'Standard' },
  2: { de: 'Service-Team', en: 'Service team' },
  3: { de: 'Spezialisten', en: 'Specialists' },
};

/** Result of {@link parseConfig}: the config when valid, and the problems found. */
export interface ParseConfigResult {
  config: KnowledgeBaseConfig | null;
  problems: LocatedProblem[];
}

/** Validates the text of `lotse.config.json` and resolves its defaults. */
export function parseConfig(source: string): ParseConfigResult {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (error) {
    return { config: null, problems: [jsonSyntaxProblem(source, error)] };
  }
  const located = parseYaml(source, 1);
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    return {
      config: null,
      problems: explainIssues(
        parsed.error.issues,
        data,
        CONFIG_RULES,
        DYNAMIC_PARENTS,
        located.lineOf,
      ),
    };
  }
  const problems: LocatedProblem[] = [];
  const config = resolveConfig(parsed.data, (path, message) =>
    problems.push({ line: located.lineOf(path), field: path.join('.'), message }),
  );
  return { config: problems.length === 0 ? config : null, problems };
}

function resolveConfig(
  input: ConfigInput,
  report: (path: string[], message: string) => void,
): KnowledgeBaseConfig {
  const locales = [...new Set(input.locales)];
  const defaultLocale = input.defaultLocale ?? locales[0]!;
  if (!locales.includes(defaultLocale)) {
    report(
      ['defaultLocale'],
      `field "defaultLocale" is "${defaultLocale}", which is not in "locales" (${locales.join(', ')}). Add it to "locales" or pick one of them.`,
    );
  }
  const localize = (path: string[], value: string | LocalizedText): LocalizedText => {
    if (typeof value === 'string')
      return Object.fromEntries(locales.map((locale) => [locale, value]));
    for (const locale of locales) {
      if (value[locale] === undefined) {
        report(
          path,
          `field "${path.join('.')}" has no "${locale}" text. Add "${locale}": "…" — every text needs one translation per locale in "locales".`,
        );
      }
    }
    return value;
  };
  const levels = { ...DEFAULT_LEVEL_NAMES };
  for (const key of ['1', '2', '3'] as const) {
    const name = input.levels?.[key];
    if (name !== undefined) levels[Number(key) as Level] = localize(['levels', key], name);
  }
  const topics: Record<string, TopicConfig> = {};
  for (const [topicId, topic] of Object.entries(input.topics)) {
    const playbook: Partial<Record<Locale, string[]>> = {};
    for (const [locale, steps] of Object.entries(topic.playbook ?? {}) as [Locale, string[]][]) {
      if (!locales.includes(locale)) {
        report(
          ['topics', topicId, 'playbook', locale],
          `field "topics.${topicId}.playbook.${locale}" is for a locale not in "locales" (${locales.join(', ')}). Remove it or add "${locale}" to "locales".`,
        );
      }
      playbook[locale] = steps;
    }
    topics[topicId] = {
      name: localize(['topics', topicId, 'name'], topic.name),
      queue: topic.queue ?? topicId,
      level: topic.level,
      playbook,
    };
  }
  const thresholds: KnowledgeBaseConfig['thresholds'] = {};
  if (input.thresholds?.answer !== undefined) thresholds.answer = input.thresholds.answer;
  if (input.thresholds?.suggest !== undefined) thresholds.suggest = input.thresholds.suggest;
  if (input.thresholds?.turnAway !== undefined) thresholds.turnAway = input.thresholds.turnAway;
  if (input.thresholds?.answerPrecision !== undefined)
    thresholds.answerPrecision = input.thresholds.answerPrecision;
  if (
    thresholds.answer !== undefined &&
    thresholds.suggest !== undefined &&
    thresholds.suggest >= thresholds.answer
  ) {
    report(
      ['thresholds', 'suggest'],
      `field "thresholds.suggest" (${thresholds.suggest}) must be below "thresholds.answer" (${thresholds.answer}): an entry is suggested when it is plausible but not confident enough to answer.`,
    );
  }
  return {
    title: localize(['title'], input.title),
    locales,
    defaultLocale,
    levels,
    topics,
    thresholds,
  };
}

function jsonSyntaxProblem(source: string, error: unknown): LocatedProblem {
  const message = error instanceof Error ? error.message : String(error);
  let line = 1;
  const lineMatch = /line (\d+)/.exec(message);
  const positionMatch = /position (\d+)/.exec(message);
  if (lineMatch !== null) line = Number(lineMatch[1]);
  else if (positionMatch !== null)
    line = source.slice(0, Number(positionMatch[1])).split('\n').length;
  return {
    line,
    field: null,
    message: `the file is not valid JSON: ${message}. Check for a missing comma, a trailing comma or an unquoted key.`,
  };
}
