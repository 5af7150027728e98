import type { Lang } from '../text/lang.js';

/** The signals the learned model detects (`out-of-scope` comes from the classifier, not from here). */
export type DetectedSignal = 'complaint' | 'wants-human' | 'urgent';

/** The learned signals in model order. */
export const DETECTED_SIGNALS: readonly DetectedSignal[] = ['complaint', 'wants-human', 'urgent'];

/** Kinds of complaint the corpus distinguishes; the model names one of them in its reason. */
export const COMPLAINT_KINDS = [
  'open',
  'waiting',
  'repetition',
  'sarcasm',
  'disappointment',
  'threat-to-leave',
  'threat-public',
  'threat-legal',
  'manager',
  'bot-frustration',
  'withdrawn-recommendation',
  'resignation',
] as const;

/** A kind of complaint, e.g. `sarcasm`. */
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

/** Kinds of message without a complaint: the neutral traps and ordinary questions. */
export const NEUTRAL_KINDS = [
  'question',
  'negation',
  'praise',
  'self-service',
  'third-party',
  'politeness',
] as const;

/** Every `kind` of the corpus (see data/signals/README.md). */
export const SIGNAL_KINDS = [
  ...COMPLAINT_KINDS,
  'asks-for-person',
  'urgency',
  ...NEUTRAL_KINDS,
] as const;

/** A message's main category in the corpus. */
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** One labelled message of the signal corpus. */
export interface SignalExample {
  text: string;
  lang: Lang;
  signals: DetectedSignal[];
  kind: SignalKind;
}
