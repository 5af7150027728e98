import type {
  KnowledgeBaseConfig,
  KnowledgeBaseEntry,
  Level,
  LocalizedText,
  TopicConfig,
} from '../kb/index.js';
import {
  type Classifier,
  type ClassifierData,
  createClassifier,
  ModelError,
  type ModelErrorCode,
} from '../model/index.js';
import { createSignalDetector, type SignalDetector } from '../signals/create-signal-detector.js';
import type { SignalModelData } from '../signals/signal-model-data.js';
import type { Lang } from '../text/index.js';
import { ENGINE_VERSION } from '../version.js';

/** One entry in one language as the widget shows it, with the steps an agent follows. */
export type ModelEntry = Omit<KnowledgeBaseEntry, 'examples' | 'keywords' | 'file'>;

/** The serialised triage model: one JSON file per knowledge base. */
export interface TriageModel {
  format: 'lotse-triage-model';
  engineVersion: string;
  /** Content hash of the knowledge base the model was built from. */
  kbHash: string;
  site: Omit<KnowledgeBaseConfig, 'thresholds'> & {
    thresholds: { answer: number; suggest: number };
  };
  entries: ModelEntry[];
  classifier: ClassifierData;
  /** The learned complaint, wish-for-a-person and urgency model (since engine 0.2). */
  signals: SignalModelData;
  /**
   * Level-1 entries whose examples look like complaints to the signal corpus alone ("newsletter
   * kündigen"): beside a confident answer from one of them, a complaint must be framed as one.
   * Absent in older models, where that holds beside every level-1 answer.
   */
  framedEntries?: string[];
}

/** A model ready to decide with: lookups prepared once. */
export interface LoadedModel {
  readonly engineVersion: string;
  readonly kbHash: string;
  readonly defaultLocale: Lang;
  readonly locales: readonly Lang[];
  readonly thresholds: { readonly answer: number; readonly suggest: number };
  readonly classifier: Classifier;
  readonly signals: SignalDetector;
  readonly entries: readonly ModelEntry[];
  /** Whether a complaint beside a confident answer from this level-1 entry must be framed as one. */
  needsFramedComplaint(id: string): boolean;
  /** The site's title in a language, falling back to the default language. */
  title(locale: Lang): string;
  /** An entry by id, in the given language when it has one. */
  entry(id: string, locale: Lang): ModelEntry | undefined;
  topic(id: string): TopicConfig | undefined;
  topicName(id: string, locale: Lang): string;
  levelName(level: Level, locale: Lang): string;
}

const fail = (message: string, code: ModelErrorCode = 'model_corrupt'): never => {
  throw new ModelError(code, `Invalid triage model: ${message}`);
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a parsed model file and prepares it for decisions; throws `ModelError` naming the fault. */
export function createLoadedModel(input: unknown): LoadedModel {
  const model = checkTriageModel(input);
  const classifier = createClassifier(model.classifier);
  const signals = createSignalDetector(model.signals);
  const byId = new Map<string, ModelEntry[]>();
  for (const entry of model.entries) {
    const list = byId.get(entry.id) ?? [];
    list.push(entry);
    byId.set(entry.id, list);
  }
  const { site } = model;
  const framed = Array.isArray(model.framedEntries) ? new Set(model.framedEntries) : undefined;
  const pick = (text: LocalizedText | undefined, locale: Lang): string =>
    text?.[locale] ?? text?.[site.defaultLocale] ?? Object.values(text ?? {})[0] ?? '';
  const entry = (id: string, locale: Lang): ModelEntry | undefined => {
    const list = byId.get(id);
    return (
      list?.find((e) => e.locale === locale) ??
      list?.find((e) => e.locale === site.defaultLocale) ??
      list?.[0]
    );
  };
  return {
    engineVersion: model.engineVersion,
    kbHash: model.kbHash,
    defaultLocale: site.defaultLocale,
    locales: site.locales,
    thresholds: site.thresholds,
    classifier,
    signals,
    entries: model.entries,
    needsFramedComplaint: (id) => framed?.has(id) ?? true,
    title: (locale) => pick(site.title, locale),
    entry,
    topic: (id) => site.topics[id],
    topicName: (id, locale) => pick(site.topics[id]?.name, locale) || id,
    levelName: (level, locale) => pick(site.levels[level], locale),
  };
}

/**
 * Checks the shape of a parsed model file without a schema library, so the browser bundle stays small.
 * The classifier part is checked by `createClassifier`.
 */
export function checkTriageModel(input: unknown): TriageModel {
  if (!isRecord(input) || input.format !== 'lotse-triage-model') {
    return fail(
      'not a Lotse triage model (field "format" must be "lotse-triage-model"). Build one with `lotse-triage build <kb-dir> -o model.json`.',
    );
  }
  const version = input.engineVersion;
  if (typeof version !== 'string' || major(version) !== major(ENGINE_VERSION)) {
    return fail(
      `built by engine ${String(version)}, but this is engine ${ENGINE_VERSION} (field "engineVersion"). Rebuild the model with this version of lotse-triage.`,
      'model_version',
    );
  }
  if (typeof input.kbHash !== 'string') return fail('field "kbHash" is missing.');
  const site = input.site;
  if (
    !isRecord(site) ||
    !isRecord(site.topics) ||
    !isRecord(site.levels) ||
    !isRecord(site.thresholds)
  ) {
    return fail('field "site" must hold topics, levels and thresholds.');
  }
  if (!Array.isArray(input.entries)) return fail('field "entries" must be an array.');
  // Without its signal model a model would never see a complaint: refuse it rather than route
  // complaints to the FAQ.
  if (!isRecord(input.signals)) {
    return fail(
      'field "signals" is missing: the model was built without a signal model (before engine 0.2). Rebuild it with `lotse-triage build <kb-dir> -o model.json`.',
      'model_version',
    );
  }
  input.entries.forEach((entry: unknown, index) => {
    if (
      !isRecord(entry) ||
      typeof entry.id !== 'string' ||
      typeof entry.title !== 'string' ||
      typeof entry.topic !== 'string' ||
      !Array.isArray(entry.answer)
    ) {
      fail(`entries[${index}] needs id, title, topic and answer.`);
    }
  });
  return input as unknown as TriageModel;
}

// Models are compatible within a major version (0.x: within a minor version).
function major(version: string): string {
  const [first, second] = version.split('.');
  return first === '0' ? `0.${second}` : (first ?? '');
}
