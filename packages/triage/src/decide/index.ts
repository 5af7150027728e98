// Decisions: levels, signals and the routing of a question.

export type { CreateTriageModelOptions } from './create-triage-model.js';
export { createTriageModel } from './create-triage-model.js';
export type { Alternative, DecideOptions, Decision, Signal, Triage } from './decide.js';
export { createTriage } from './decide.js';
export type { ReasonCode } from './reasons.js';
export type { LoadedModel, ModelEntry, TriageModel } from './triage-model.js';
export { checkTriageModel } from './triage-model.js';
