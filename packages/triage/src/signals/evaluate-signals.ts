import type { Triage } from '../decide/decide.js';
import type { Lang } from '../text/lang.js';
import {
  DETECTED_SIGNALS,
  type DetectedSignal,
  NEUTRAL_KINDS,
  type SignalExample,
} from './signal-corpus.js';

/** Precision and recall of one signal in one language. */
export interface SignalScore {
  signal: DetectedSignal;
  lang: Lang;
  /** Messages of that language carrying the signal. */
  positives: number;
  truePositives: number;
  falsePositives: number;
  precision: number;
  recall: number;
}

/** What `evaluateSignals` measures on one labelled set, deciding every message with a site model. */
export interface SignalEvaluation {
  /** Messages evaluated. */
  n: number;
  /** Per signal and language (`de`, `en`). */
  scores: SignalScore[];
  /** Complaint recall over both languages, and over hidden complaints (every kind but `open`). */
  complaintRecall: number;
  hiddenComplaintRecall: number;
  /** Share of messages with a complaint or a wish for a person whose decision is a handoff. */
  handoffShare: number;
  /** Share of neutral messages (neutral kinds without signals) that got any signal. */
  neutralFalseAlarms: number;
  /** Decision time in milliseconds over the set. */
  decisionMsMedian: number;
  decisionMsP99: number;
}

// `performance` is not in the ES2022 lib this package compiles against, but every runtime has it.
const clock = (globalThis as { performance?: { now(): number } }).performance ?? Date;

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

/**
 * Decides every message of a labelled set with a site model and measures the signals and their
 * routing. Use the test split or the separately written set, never the training part.
 *
 * @example
 * const { train, test, separate } = await readSignalCorpus();
 * const report = evaluateSignals(separate, createTriage((await buildModel('examples/kb-shop')).model));
 */
export function evaluateSignals(
  examples: readonly SignalExample[],
  triage: Triage,
): SignalEvaluation {
  const counts = new Map<string, { positives: number; tp: number; fp: number }>();
  const times: number[] = [];
  let complaints = 0;
  let complaintHits = 0;
  let hidden = 0;
  let hiddenHits = 0;
  let needPerson = 0;
  let handoffs = 0;
  let neutral = 0;
  let alarms = 0;
  for (const example of examples) {
    const start = clock.now();
    const decision = triage.decide(example.text, { locale: example.lang });
    times.push(clock.now() - start);
    const got = new Set<string>(decision.signals);
    for (const signal of DETECTED_SIGNALS) {
      const key = `${signal} ${example.lang}`;
      const count = counts.get(key) ?? { positives: 0, tp: 0, fp: 0 };
      const wanted = example.signals.includes(signal);
      if (wanted) count.positives++;
      if (got.has(signal)) wanted ? count.tp++ : count.fp++;
      counts.set(key, count);
    }
    if (example.signals.includes('complaint')) {
      complaints++;
      if (got.has('complaint')) complaintHits++;
      if (example.kind !== 'open') {
        hidden++;
        if (got.has('complaint')) hiddenHits++;
      }
    }
    if (example.signals.includes('complaint') || example.signals.includes('wants-human')) {
      needPerson++;
      if (decision.kind === 'handoff') handoffs++;
    }
    if (
      (NEUTRAL_KINDS as readonly string[]).includes(example.kind) &&
      example.signals.length === 0
    ) {
      neutral++;
      if (DETECTED_SIGNALS.some((signal) => got.has(signal))) alarms++;
    }
  }
  const scores: SignalScore[] = [];
  for (const signal of DETECTED_SIGNALS) {
    for (const lang of ['de', 'en'] as const) {
      const { positives, tp, fp } = counts.get(`${signal} ${lang}`) ?? {
        positives: 0,
        tp: 0,
        fp: 0,
      };
      scores.push({
        signal,
        lang,
        positives,
        truePositives: tp,
        falsePositives: fp,
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, positives),
      });
    }
  }
  times.sort((a, b) => a - b);
  return {
    n: examples.length,
    scores,
    complaintRecall: ratio(complaintHits, complaints),
    hiddenComplaintRecall: ratio(hiddenHits, hidden),
    handoffShare: ratio(handoffs, needPerson),
    neutralFalseAlarms: ratio(alarms, neutral),
    decisionMsMedian: times[Math.floor(times.length / 2)] ?? 0,
    decisionMsP99: times[Math.floor(times.length * 0.99)] ?? 0,
  };
}
