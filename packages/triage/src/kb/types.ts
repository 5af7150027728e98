import type { AnswerNode } from './answer-node.js';

/** Locales the text pipeline supports. */
export const SUPPORTED_LOCALES = ['de', 'en'] as const;

/** A locale a knowledge base can be written in. */
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** Competence level: 1 standard (self-service), 2 service team, 3 specialists. */
export type Level = 1 | 2 | 3;

/** A text with one translation per configured locale (validated to have every configured locale). */
export type LocalizedText = Readonly<Partial<Record<Locale, string>>>;

/** One topic of the knowledge base after validation and defaults. */
export interface TopicConfig {
  name: LocalizedText;
  /** Inbox queue that handoffs of this topic go to; defaults to the topic id. */
  queue: string;
  /** Level of every entry of the topic; an entry may raise it, never lower it. */
  level: Level;
  /** Steps an agent follows, per locale. */
  playbook: Readonly<Partial<Record<Locale, readonly string[]>>>;
}

/** Confidence thresholds; a missing one is chosen by the engine from the examples. */
export interface Thresholds {
  /** Confidence needed to answer directly; default: chosen by cross-validation for `answerPrecision`. */
  answer?: number;
  suggest?: number;
  /**
   * Share of in-scope questions (held out in cross-validation) that the out-of-scope check may
   * turn away to a person. Higher catches more unrelated questions. @default 0.02
   */
  turnAway?: number;
  /** Share of direct answers that must be right on held-out examples; sets `answer`. @default 0.8 */
  answerPrecision?: number;
}

/** `lotse.config.json` after validation and defaults. */
export interface KnowledgeBaseConfig {
  title: LocalizedText;
  locales: Locale[];
  defaultLocale: Locale;
  levels: Readonly<Record<Level, LocalizedText>>;
  topics: Readonly<Record<string, TopicConfig>>;
  thresholds: Thresholds;
}

/** One compiled entry: what the classifier learns from and what the widget shows. */
export interface KnowledgeBaseEntry {
  /** Unique per locale; the same id in another locale is a translation of the same entry. */
  id: string;
  title: string;
  topic: string;
  /** Effective level: the entry's own level or, when it has none, its topic's. */
  level: Level;
  locale: Locale;
  examples: string[];
  keywords: string[];
  answer: AnswerNode[];
  /** The topic's playbook for this locale followed by the entry's own steps. */
  playbook: string[];
  /** Path of the source file, relative to the knowledge-base folder. */
  file: string;
}

/** A validated knowledge base, entries sorted by file path. */
export interface KnowledgeBase {
  config: KnowledgeBaseConfig;
  entries: KnowledgeBaseEntry[];
}

/** The raw files of a knowledge-base folder; reading them is the caller's job. */
export interface KnowledgeBaseSource {
  /** Text of `lotse.config.json`. */
  config: string;
  /** Entry files with paths relative to the folder, e.g. `entries/returns/returns-label.de.md`. */
  files: { path: string; text: string }[];
}

/** File name of the knowledge-base configuration. */
export const CONFIG_FILE = 'lotse.config.json';
