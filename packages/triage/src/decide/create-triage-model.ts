import type { KnowledgeBase } from '../kb/index.js';
import { trainClassifier } from '../model/index.js';
import type { SignalExample } from '../signals/signal-corpus.js';
import { trainSignalModel } from '../signals/train-signal-model.js';
import { ENGINE_VERSION } from '../version.js';
import type { ModelEntry, TriageModel } from './triage-model.js';

/** Options for training a triage model. */
export interface CreateTriageModelOptions {
  /** The labelled signal corpus to train on (the training part of `data/signals/train/`). */
  signalExamples: readonly SignalExample[];
  /** Receives progress messages while the classifier trains. */
  onProgress?: (message: string) => void;
}

// Used when the knowledge base sets no thresholds. With calibrated confidences, 0.5 means the best
// entry is more likely right than all others together. On the demo shop, off-topic questions
// (weather, jokes, capitals) score 0.1-0.29 and vague shop questions 0.35-0.65, hence 0.3.
const defaultThresholds = { answer: 0.5, suggest: 0.3 };

/** Trains the classifier on a compiled knowledge base and assembles the model file's content. */
export function createTriageModel(
  kb: KnowledgeBase,
  kbHash: string,
  options: CreateTriageModelOptions,
): TriageModel {
  // Translations share an id, so a German question can find an entry written in English too.
  const examples = kb.entries.flatMap((entry) =>
    [entry.title, ...entry.examples, ...entry.keywords].map((text) => ({ text, label: entry.id })),
  );
  const classifier = trainClassifier(examples, {
    lang: 'auto',
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  // The site's own self-service examples ("Konto schließen", "close my account") are no complaints:
  // the signal model learns that from them, on this site's words.
  const neutral = kb.entries
    .filter((entry) => entry.level === 1)
    .flatMap((entry) => [entry.title, ...entry.examples]);
  const signals = trainSignalModel(options.signalExamples, {
    neutral,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
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
  return {
    format: 'lotse-triage-model',
    engineVersion: ENGINE_VERSION,
    kbHash,
    site: { ...kb.config, thresholds: { ...defaultThresholds, ...kb.config.thresholds } },
    entries,
    classifier,
    signals,
  };
}
