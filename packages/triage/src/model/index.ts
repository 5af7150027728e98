export { DEFAULT_ANSWER_PRECISION, DEFAULT_TURN_AWAY } from './calibration.js';
export type { ClassifierData, ClassifierView } from './classifier-data.js';
export {
  type Classifier,
  type ClassifyResult,
  createClassifier,
  type RankedLabel,
} from './create-classifier.js';
export { isModelError, ModelError, type ModelErrorCode } from './model-error.js';
export {
  type TrainClassifierOptions,
  type TrainingExample,
  trainClassifier,
} from './train-classifier.js';
export {
  type ThresholdTargets,
  type TunedThresholds,
  tuneThresholds,
} from './tune-thresholds.js';
