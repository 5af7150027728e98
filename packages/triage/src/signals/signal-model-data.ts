import type { Lang } from '../text/lang.js';
import type { ComplaintKind } from './signal-corpus.js';
import type { ChatEnd, SignalRule } from './signal-features.js';

/**
 * Version of the `SignalModelData` layout; bumped when the format changes (a model of another
 * version is refused). A change of the features bumps `ENGINE_VERSION`'s minor instead: the model
 * still loads, and the server publishes its knowledge base again, built by the new engine.
 */
export const SIGNAL_MODEL_VERSION = 2;

/** One output of the signal model (a signal or a complaint kind): pruned, quantised weights. */
export interface SignalOutputData {
  /** Number of kept weights. */
  size: number;
  /** Base64 varints: sorted hash buckets, delta-encoded. */
  buckets: string;
  /** Base64 signed bytes: the weights divided by `scale`. */
  weights: string;
  scale: number;
  bias: number;
}

/** The learned signal model as plain JSON, shipped inside the site model. */
export interface SignalModelData {
  format: 'lotse-signals';
  version: number;
  /** Hash space size as a power of two. */
  bits: number;
  /** Feature values are `1 / featureCount ** norm`, so long messages do not pile up evidence. */
  norm: number;
  /** One binary model per signal, in `DETECTED_SIGNALS` order. */
  signals: SignalOutputData[];
  /**
   * Per signal in `DETECTED_SIGNALS` order, the logit at which it fires (chosen by
   * cross-validation for precision ≥ 0.9 and few alarms on neutral messages).
   */
  thresholds: number[];
  /**
   * A complaint beside a confident match to a self-service entry needs this logit: asking how to
   * cancel is not a complaint unless it is framed as one.
   */
  framedThreshold: number;
  /** The complaint kinds of the kind model, a softmax whose best kind names a complaint's cue. */
  kinds: ComplaintKind[];
  /** What each kind is called in a reason, per language (empty for open complaints). */
  kindNames: Record<Lang, string[]>;
  kindModels: SignalOutputData[];
  /** High-precision complaint cues, a union with the complaint model (see `SIGNAL_RULES`). */
  rules: SignalRule[];
  /** What `?` in a rule stands for (see `INTENSIFIERS`); absent in models built before it. */
  intensifiers?: string[];
  /** Words that alone ask for a person (see `PERSON_WORDS`). */
  personWords: string[];
  /**
   * Words for someone above the agent (see `SUPERIOR_WORDS`): beside a wish for a person they make
   * it a complaint of the kind `manager`. Absent in models built before they were added.
   */
  superiors?: string[];
  /**
   * Word sequences that ask for a person (see `PERSON_RULES`), a union with the wants-human model.
   * Absent in models built before they were added.
   */
  personRules?: string[];
  /**
   * Words that name someone or a way to reach them (see `PERSON_CUES`): without one, the
   * wants-human model's score does not count. A `de:` before a word makes it count only in German
   * messages (`hasCue`); an engine older than the prefix reads such a word literally and never
   * matches it. Absent in models built before they were added.
   */
  personCues?: string[];
  /**
   * Words of a chat's end (see `CLOSING_WORDS`): a message of these alone carries no learned
   * complaint. Absent in models built before they were added; an engine older than them ignores
   * them and flags a few more closings than measured (the threshold was chosen with the guard).
   */
  closingWords?: string[];
  /**
   * What makes a message of closing words the end of a chat (see `CHAT_END_WORDS`). Absent in
   * models built before it was added: no message ends a chat.
   */
  chatEnd?: ChatEnd;
  /**
   * Indices into the training run's `neutral` messages (the site's self-service examples) that the
   * corpus's complaint model alone takes for complaints (or a complaint rule matches): the build turns them into the
   * model's `framedEntries` and drops this field.
   */
  lookalikes?: number[];
}
