// Signals: the learned complaint, wish-for-a-person and urgency model, its corpus and evaluation.

export type { SignalCue, SignalDetector, SignalMatch } from './create-signal-detector.js';
export { createSignalDetector } from './create-signal-detector.js';
export type { SignalEvaluation, SignalScore } from './evaluate-signals.js';
export { evaluateSignals } from './evaluate-signals.js';
export { parseSignalCorpus, SignalCorpusError } from './parse-signal-corpus.js';
export type { ComplaintKind, DetectedSignal, SignalExample, SignalKind } from './signal-corpus.js';
export type { SignalModelData } from './signal-model-data.js';
export { splitSignalCorpus } from './split-signal-corpus.js';
export type { TrainSignalModelOptions } from './train-signal-model.js';
export { trainSignalModel } from './train-signal-model.js';
