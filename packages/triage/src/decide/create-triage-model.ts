import type { KnowledgeBase } from '../kb/index.js';
import { type ClassifierData, trainClassifier } from '../model/index.js';
import type { SignalModelData } from '../signals/signal-model-data.js';
import { ENGINE_VERSION } from '../version.js';
import type { ModelEntry, TriageModel } from './triage-model.js';

/** The two trained parts of a triage model. */
export interface CreateTriageModelOptions {
  /** The classifier over the entries (see {@link trainEntryClassifier}). */
  classifier: ClassifierData;
  /** The signal model, trained with the site's {@link neutralMessages}. */
  signals: SignalModelData;
}

// Used when the knowledge base sets no thresholds. With calibrated confidences, 0.5 means the best
// entry is more likely right than all others together. On the demo shop, off-topic questions
// (weather, jokes, capitals) score 0.1-0.29 and vague shop questions 0.35-0.65, hence 0.3.
const defaultThresholds = { answer: 0.5, suggest: 0.3 };

/** Trains the classifier that ranks a compiled knowledge base's entries for a question. */
export function trainEntryClassifier(
  kb: KnowledgeBase,
  onProgress?: (message: string) => void,
): ClassifierData {
  // Translations share an id, so a German question can find an entry written in English too.
  const examples = kb.entries.flatMap((entry) =>
    [entry.title, ...entry.examples, ...entry.keywords].map((text) => ({ text, label: entry.id })),
  );
  return trainClassifier(examples, { lang: 'auto', ...(onProgress ? { onProgress } : {}) });
}

/**
 * The site's own self-service questions ("Konto schließen", "close my account"): no complaints.
 * The signal model learns that from them, on this site's words (`trainSignalModel`'s `neutral`).
 */
export function neutralMessages(kb: KnowledgeBase): string[] {
  return kb.entries
    .filter((entry) => entry.level === 1)
    .flatMap((entry) => [entry.title, ...entry.examples]);
}

/** Assembles the model file's content from a compiled knowledge base and its trained parts. */
export function createTriageModel(
  kb: KnowledgeBase,
  kbHash: string,
  { classifier, signals }: CreateTriageModelOptions,
): TriageModel {
  const entries: ModelEntry[] = kb.entries.map(
    ({ id, locale, title, topic, level, answer, playbook }) => ({
      id,
      locale,
      title,
      topic,
      level,
      answer,
      playbook,
    }),
  );
  // The entries of the site's messages that look like complaints to the corpus alone: beside a
  // confident answer from one of them, a complaint must be framed as one.
  const { lookalikes, ...signalModel } = signals;
  const owners = kb.entries
    .filter((entry) => entry.level === 1)
    .flatMap((entry) => [entry.title, ...entry.examples].map(() => entry.id));
  const framedEntries = [...new Set((lookalikes ?? []).map((i) => owners[i]))]
    .filter((id): id is string => id !== undefined)
    .sort();
  return {
    format: 'lotse-triage-model',
    engineVersion: ENGINE_VERSION,
    kbHash,
    site: { ...kb.config, thresholds: { ...defaultThresholds, ...kb.config.thresholds } },
    entries,
    classifier,
    signals: signalModel,
    ...(lookalikes === undefined ? {} : { framedEntries }),
  };
}
