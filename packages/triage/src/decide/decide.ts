import type { AnswerNode, Level } from '../kb/index.js';
import type { ClassifyResult } from '../model/index.js';
import type { SignalMatch } from '../signals/create-signal-detector.js';
import type { DetectedSignal } from '../signals/signal-corpus.js';
import { detectLanguage, type Lang } from '../text/index.js';
import { formatReason, type ReasonCode, type ReasonFacts } from './reasons.js';
import { createLoadedModel, type LoadedModel, type ModelEntry } from './triage-model.js';

/** A reason, beyond the topic, why a question should reach a person. */
export type Signal = DetectedSignal | 'out-of-scope';

/** A knowledge-base entry offered as an alternative. */
export interface Alternative {
  id: string;
  title: string;
  score: number;
}

/**
 * What the widget should do with a question, and why: show the answer, suggest entries, hand off
 * to a person, or `acknowledge` a message that only ends the chat ("Danke, hat geklappt!"): a kind
 * word back, nothing to answer, count or report.
 */
export interface Decision {
  kind: 'answer' | 'suggest' | 'handoff' | 'acknowledge';
  level: Level;
  topic?: string;
  /** The matched entry: the answer to show, or for a handoff what the visitor asked about. */
  entry?: { id: string; title: string; answer: AnswerNode[] };
  alternatives: Alternative[];
  /** Calibrated probability (0..1) that the best-matching entry is the right one. */
  confidence: number;
  signals: Signal[];
  /** Human-readable, for agents, in the visitor's language. */
  reasons: string[];
  /** The language the question was read in. */
  locale: Lang;
}

/** Options for one decision. */
export interface DecideOptions {
  /** The visitor's language; detected from the text when absent. */
  locale?: Lang;
}

/** A loaded model that decides questions. */
export interface Triage {
  /** Decides one question; synchronous, deterministic, never throws. */
  decide(text: string, options?: DecideOptions): Decision;
  /** Entry ids, titles and topics of the model, e.g. for listing suggestions. */
  readonly model: LoadedModel;
}

// The widget shows at most this many "Did you mean …" links.
const maxAlternatives = 3;
// Alternatives below this share of the best score, or below half the suggestion threshold, are
// noise, not suggestions.
const minAlternativeShare = 0.15;

/**
 * Loads a triage model (parsed JSON) and returns its decision function.
 *
 * @example
 * const triage = createTriage(JSON.parse(modelJson));
 * triage.decide('Wo ist mein Paket?').kind; // 'answer'
 */
export function createTriage(model: unknown): Triage {
  const loaded = createLoadedModel(model);
  return {
    model: loaded,
    decide: (text, options) => {
      try {
        return decideWith(loaded, String(text), options?.locale);
      } catch {
        // A bug here must not break the visitor's page: hand the question to a person instead.
        const locale = options?.locale ?? loaded.defaultLocale;
        return {
          kind: 'handoff',
          level: 2,
          alternatives: [],
          confidence: 0,
          signals: [],
          reasons: [formatReason('out_of_scope', locale)],
          locale,
        };
      }
    },
  };
}

function decideWith(model: LoadedModel, text: string, localeOption: Lang | undefined): Decision {
  const locale = localeOption ?? detectLanguage(text, model.defaultLocale);
  const reasons: string[] = [];
  const say = (code: ReasonCode, facts?: ReasonFacts) =>
    reasons.push(formatReason(code, locale, facts));

  // A decision with nothing matched: a reason, no guess.
  const nothing = (kind: Decision['kind'], code: ReasonCode): Decision => {
    say(code);
    return { kind, level: 1, alternatives: [], confidence: 0, signals: [], reasons, locale };
  };
  if (text.trim() === '') return nothing('suggest', 'empty_question');

  const found = model.signals.detect(text);
  // Thanks and goodbyes are no question: without this, the end of every good chat would fall out
  // of scope, offer a person and count as an unanswered question.
  if (found.length === 0 && model.signals.endsChat(text)) return nothing('acknowledge', 'chat_end');
  // "Ich möchte mit einem Menschen sprechen" says who should answer, not what about: classify the rest.
  const asks = found.filter((match) => match.signal === 'wants-human');
  const rest: ClassifyResult = model.classifier.classify(withoutSpans(text, asks), locale);
  // What is left may be function words alone ("Ich will" of "Ich will mit einem Menschen
  // sprechen"): about nothing, so no entry, least of all a level-3 one at 46 %.
  const result =
    asks.length > 0 && rest.words === 0 ? { ...rest, ranked: [], confidence: 0 } : rest;
  const best = result.ranked[0];
  const bestEntry = best ? model.entry(best.label, locale) : undefined;
  const confidence = roundScore(result.confidence);
  const { answer: answerThreshold, suggest: suggestThreshold } = model.thresholds;
  const plausible =
    bestEntry && !result.outOfScope && confidence >= suggestThreshold ? bestEntry : undefined;
  const confident = plausible && confidence >= answerThreshold ? plausible : undefined;
  // Asking how to cancel or close, confidently matched to a self-service entry whose questions
  // look like complaints, is no complaint unless the message is clearly framed as one. Beside any
  // other answer ("Passwort zurücksetzen") a complaint stands: the visitor is complaining about it.
  const selfService = confident?.level === 1 && model.needsFramedComplaint(confident.id);
  const kept = found.filter(
    (match) => match.signal !== 'complaint' || match.framed || !selfService,
  );
  const signals = new Set<Signal>(kept.map((match) => match.signal));
  for (const match of kept) {
    say(match.signal === 'wants-human' ? 'wants_human' : match.signal, {
      phrase: match.phrase,
      cueName: model.signals.cueName(match.cue, locale),
    });
  }
  const needsPerson = signals.has('complaint') || signals.has('wants-human');
  // What the question is about: a confident match or, when a person takes over anyway, a plausible one.
  const matched = needsPerson ? plausible : confident;

  if (!plausible && !needsPerson) {
    signals.add('out-of-scope');
    say(result.outOfScope || !bestEntry ? 'out_of_scope' : 'below_suggest_threshold', {
      confidence,
      threshold: suggestThreshold,
    });
  }
  if (matched) say('matched_entry', describe(model, matched, confidence, locale));

  // Level: the matched entry's, at least 2 when a person must answer for another reason.
  const entryLevel = matched?.level ?? 1;
  const level: Level = needsPerson || !plausible ? (Math.max(entryLevel, 2) as Level) : entryLevel;
  const topic = (matched ?? plausible)?.topic;
  const ranked = toAlternatives(model, result, locale);
  const base = {
    level,
    ...(topic === undefined ? {} : { topic }),
    alternatives: ranked.filter((a) => a.id !== matched?.id).slice(0, maxAlternatives),
    confidence,
    signals: [...signals],
    reasons,
    locale,
  };
  const withEntry = matched
    ? { ...base, entry: { id: matched.id, title: matched.title, answer: matched.answer } }
    : base;

  if (needsPerson || !plausible) return { kind: 'handoff', ...withEntry };
  if (confident && confident.level >= 2) {
    say('level_needs_person', describe(model, confident, confidence, locale));
    return { kind: 'handoff', ...withEntry };
  }
  if (confident) return { kind: 'answer', ...withEntry };
  say('below_answer_threshold', { confidence, threshold: answerThreshold });
  return { kind: 'suggest', ...base, alternatives: ranked.slice(0, maxAlternatives) };
}

function describe(
  model: LoadedModel,
  entry: ModelEntry,
  confidence: number,
  locale: Lang,
): ReasonFacts {
  return {
    entryTitle: entry.title,
    topicName: model.topicName(entry.topic, locale),
    level: entry.level,
    levelName: model.levelName(entry.level, locale),
    confidence,
  };
}

function toAlternatives(model: LoadedModel, result: ClassifyResult, locale: Lang): Alternative[] {
  const floor = Math.max(
    (result.ranked[0]?.score ?? 0) * minAlternativeShare,
    model.thresholds.suggest / 2,
  );
  const alternatives: Alternative[] = [];
  for (const { label, score } of result.ranked) {
    // One more than shown, so that dropping the matched entry still leaves enough.
    if (alternatives.length > maxAlternatives || score < floor) break;
    const entry = model.entry(label, locale);
    if (entry) alternatives.push({ id: entry.id, title: entry.title, score: roundScore(score) });
  }
  return alternatives;
}

// The text without the words of the given matches, so that "agent please" is not classified as a
// question about some topic; unchanged when there are none.
function withoutSpans(text: string, matches: readonly SignalMatch[]): string {
  let rest = text;
  for (const { start, end } of [...matches].sort((a, b) => b.start - a.start)) {
    rest = `${rest.slice(0, start)} ${rest.slice(end)}`;
  }
  return rest;
}

// Four decimals keep decisions stable to print and compare, and hide float noise.
function roundScore(score: number): number {
  return Number.isFinite(score) ? Math.round(score * 10_000) / 10_000 : 0;
}
