// @lotse/triage: DOM-free triage for German and English help questions.
// Building models from a knowledge-base folder (Node) lives in '@lotse/triage/build'.

export type { Check, CheckOutcome, CheckResult, ExpectedOutcome } from './checks/index.js';
export { CheckSuiteError, formatCheckReport, parseChecks, runChecks } from './checks/index.js';
export type {
  Alternative,
  DecideOptions,
  Decision,
  LoadedModel,
  ModelEntry,
  Signal,
  Triage,
  TriageModel,
} from './decide/index.js';
export { checkTriageModel, createTriage } from './decide/index.js';
export type {
  AnswerNode,
  EntryFields,
  InlineNode,
  KnowledgeBase,
  KnowledgeBaseConfig,
  KnowledgeBaseEntry,
  KnowledgeBaseIssue,
  KnowledgeBaseSource,
  Level,
  Locale,
  LocalizedText,
  Thresholds,
  TopicConfig,
} from './kb/index.js';
export {
  ANSWER_NODE_TYPES,
  answerToPlainText,
  CONFIG_FILE,
  compileKnowledgeBase,
  compileMarkdown,
  isEntryFile,
  isKnowledgeBaseError,
  KnowledgeBaseError,
  readEntryFile,
  SAFE_LINK_SCHEMES,
  sanitizeHref,
  writeEntryFile,
} from './kb/index.js';
export type {
  Classifier,
  ClassifierData,
  ClassifyResult,
  TrainClassifierOptions,
  TrainingExample,
} from './model/index.js';
export { createClassifier, isModelError, ModelError, trainClassifier } from './model/index.js';
export type {
  ComplaintKind,
  DetectedSignal,
  SignalCue,
  SignalDetector,
  SignalExample,
  SignalKind,
  SignalMatch,
  SignalModelData,
} from './signals/index.js';
export { createSignalDetector } from './signals/index.js';

export type { Lang } from './text/index.js';
export { detectLanguage, isLang, normalizeText, tokenize } from './text/index.js';

export { ENGINE_VERSION } from './version.js';
