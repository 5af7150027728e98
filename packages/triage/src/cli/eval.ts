import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ClassifierData } from '../model/classifier-data.js';
import { compileClassifier, createClassifier } from '../model/create-classifier.js';
import { type TrainingExample, trainClassifier } from '../model/train-classifier.js';
import { tuneThresholds } from '../model/tune-thresholds.js';
import { isLang, type Lang } from '../text/lang.js';

/** Streams `runEval` writes to. */
export interface EvalIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Figures printed by `eval --json` (shares are fractions in 0..1), per DESIGN.md "Evaluation CLI". */
export interface EvalReport {
  n: number;
  inScopeAccuracy: number;
  oosRecall: number | null;
  oosPrecision: number | null;
  macroF1: number;
  trainMs: number;
  queryMsMedian: number;
  queryMsP99: number;
  modelBytes: number;
}

/** Label that marks out-of-scope examples in the JSONL files (DESIGN.md). */
const OOS = 'oos';

class InputError extends Error {
  override readonly name = 'InputError';
}

const USAGE =
  'Usage: lotse-triage eval --train A.jsonl --test B.jsonl [--valid C.jsonl] [--lang en|de] [--turn-away 0.02] [--json]';

/** Reads a JSONL file of `{"text", "label"}` lines; throws naming file, line and field. */
export async function readExamples(file: string): Promise<TrainingExample[]> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const examples: TrainingExample[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError(`${where}: not valid JSON (${(error as Error).message}).`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(`${where}: expected an object like {"text": "...", "label": "..."}.`);
    }
    const { text, label } = value as Record<string, unknown>;
    if (typeof text !== 'string') throw new InputError(`${where}: field "text" must be a string.`);
    if (typeof label !== 'string' || label === '') {
      throw new InputError(`${where}: field "label" must be a non-empty string.`);
    }
    examples.push({ text, label });
  }
  if (examples.length === 0) throw new InputError(`${file}: no examples (expected JSONL lines).`);
  return examples;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round = (value: number, digits = 4): number =>
  Math.round(value * 10 ** digits) / 10 ** digits;

/** Computes the evaluation figures from gold and predicted labels (`oos` for out-of-scope). */
export function scorePredictions(
  gold: string[],
  predicted: string[],
): Pick<EvalReport, 'n' | 'inScopeAccuracy' | 'oosRecall' | 'oosPrecision' | 'macroF1'> {
  let inScope = 0;
  let inScopeCorrect = 0;
  let oos = 0;
  let oosCorrect = 0;
  let oosPredicted = 0;
  const stats = new Map<string, { tp: number; fp: number; fn: number }>();
  const stat = (label: string) => {
    let s = stats.get(label);
    if (s === undefined) {
      s = { tp: 0, fp: 0, fn: 0 };
      stats.set(label, s);
    }
    return s;
  };
  gold.forEach((g, i) => {
    const p = predicted[i]!;
    if (g === OOS) {
      oos++;
      if (p === OOS) oosCorrect++;
    } else {
      inScope++;
      if (p === g) inScopeCorrect++;
    }
    if (p === OOS) oosPredicted++;
    if (p === g) stat(g).tp++;
    else {
      stat(g).fn++;
      stat(p).fp++;
    }
  });
  const goldLabels = new Set(gold);
  let f1Sum = 0;
  for (const label of goldLabels) {
    const { tp, fp, fn } = stat(label);
    f1Sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return {
    n: gold.length,
    inScopeAccuracy: inScope === 0 ? 0 : round(inScopeCorrect / inScope),
    oosRecall: oos === 0 ? null : round(oosCorrect / oos),
    oosPrecision: oos === 0 ? null : oosPredicted === 0 ? 0 : round(oosCorrect / oosPredicted),
    macroF1: round(f1Sum / goldLabels.size),
  };
}

/** Options of `evaluateExamples` and `evaluateFiles`. */
export interface EvaluateOptions {
  lang?: Lang;
  onProgress?: (message: string) => void;
  /** Share of held-out in-scope questions the out-of-scope threshold may turn away. @default 0.02 */
  turnAway?: number;
}

/** An evaluation with what is needed to re-threshold it: the trained data and each test result. */
export interface EvalRun {
  report: EvalReport;
  data: ClassifierData;
  /** In-scope accuracy of the best label alone, without the out-of-scope threshold. */
  topAccuracy: number;
  /** The figures for another `turnAway` target, thresholds still from the held-out data only. */
  at(turnAway: number): Pick<EvalReport, 'inScopeAccuracy' | 'oosRecall'> & { threshold: number };
}

/** Trains on one file, tunes on another and evaluates on a third; returns the figures. */
export async function evaluateFiles(
  options: { train: string; test: string; valid?: string } & EvaluateOptions,
): Promise<EvalReport> {
  const train = await readExamples(options.train);
  const test = await readExamples(options.test);
  const valid = options.valid === undefined ? undefined : await readExamples(options.valid);
  return evaluateExamples(train, test, valid, options).report;
}

/** Trains on `train`, takes thresholds from `valid` (or cross-validation) and scores `test`. */
export function evaluateExamples(
  train: TrainingExample[],
  test: TrainingExample[],
  valid: TrainingExample[] | undefined,
  options: EvaluateOptions = {},
): EvalRun {
  const started = performance.now();
  const data = trainClassifier(train, {
    lang: options.lang ?? 'auto',
    ...(valid === undefined ? {} : { valid }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.turnAway === undefined ? {} : { turnAway: options.turnAway }),
    outOfScopeLabel: OOS,
  });
  const trainMs = performance.now() - started;
  const json = JSON.stringify(data);
  const classifier = createClassifier(JSON.parse(json));
  // The trade-off curve needs what the out-of-scope test compares: the weighed confidence.
  const compiled = compileClassifier(JSON.parse(json));
  const power = data.coveragePower ?? 0;
  options.onProgress?.(`Classifying ${test.length} test examples`);
  const predicted: string[] = [];
  const results: { label: string; weighed: number; noFeature: boolean }[] = [];
  const times: number[] = [];
  for (const { text } of test) {
    const t0 = performance.now();
    const result = classifier.classify(text, options.lang);
    times.push(performance.now() - t0);
    predicted.push(result.outOfScope ? OOS : (result.ranked[0]?.label ?? OOS));
    const { known, coverage } = compiled.logits(text, options.lang);
    results.push({
      label: result.ranked[0]?.label ?? OOS,
      weighed: result.confidence * coverage ** power,
      noFeature: known === 0,
    });
  }
  times.sort((a, b) => a - b);
  const gold = test.map((e) => e.label);
  const inScope = gold.filter((g) => g !== OOS).length;
  const top = results.filter((r, i) => gold[i] !== OOS && r.label === gold[i]).length;
  return {
    report: {
      ...scorePredictions(gold, predicted),
      trainMs: Math.round(trainMs),
      queryMsMedian: round(quantile(times, 0.5)),
      queryMsP99: round(quantile(times, 0.99)),
      modelBytes: new TextEncoder().encode(json).length,
    },
    data,
    topAccuracy: inScope === 0 ? 0 : round(top / inScope),
    at(turnAway) {
      const threshold = tuneThresholds(data, { turnAway }).outOfScope;
      const again = results.map((r) => (r.noFeature || r.weighed < threshold ? OOS : r.label));
      const { inScopeAccuracy, oosRecall } = scorePredictions(gold, again);
      return { inScopeAccuracy, oosRecall, threshold };
    },
  };
}

const percent = (value: number | null): string =>
  value === null ? '–' : `${(value * 100).toFixed(1)} %`;

/** Formats a report as a readable table. */
export function formatReport(report: EvalReport): string {
  const rows: [string, string][] = [
    ['test items', String(report.n)],
    ['in-scope accuracy', percent(report.inScopeAccuracy)],
    ['out-of-scope recall', percent(report.oosRecall)],
    ['out-of-scope precision', percent(report.oosPrecision)],
    ['macro F1', percent(report.macroF1)],
    ['training time', `${(report.trainMs / 1000).toFixed(1)} s`],
    ['decision time (median / p99)', `${report.queryMsMedian} ms / ${report.queryMsP99} ms`],
    ['model size', `${(report.modelBytes / 1e6).toFixed(2)} MB`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

/**
 * Runs `eval --train A.jsonl --test B.jsonl [--valid C.jsonl] [--lang en|de] [--json]` and
 * returns the exit code (0 ok, 2 bad usage or input).
 * @example process.exitCode = await runEval(process.argv.slice(3), process);
 */
export async function runEval(args: string[], io: EvalIo): Promise<number> {
  let values: {
    train?: string;
    test?: string;
    valid?: string;
    lang?: string;
    'turn-away'?: string;
    json?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        train: { type: 'string' },
        test: { type: 'string' },
        valid: { type: 'string' },
        lang: { type: 'string' },
        'turn-away': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr.write(`lotse-triage eval: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.train === undefined || values.test === undefined) {
    io.stderr.write(`Missing ${values.train === undefined ? '--train' : '--test'}.\n${USAGE}\n`);
    return 2;
  }
  if (values.lang !== undefined && !isLang(values.lang)) {
    io.stderr.write(`--lang must be "en" or "de", got "${values.lang}".\n${USAGE}\n`);
    return 2;
  }
  const turnAway = values['turn-away'] === undefined ? undefined : Number(values['turn-away']);
  if (turnAway !== undefined && !(turnAway >= 0 && turnAway <= 0.5)) {
    io.stderr.write(
      `--turn-away must be a share from 0 to 0.5 (e.g. 0.01), got "${values['turn-away']}".\n${USAGE}\n`,
    );
    return 2;
  }
  const progress =
    io.stderr.isTTY === true ? (message: string) => io.stderr.write(`${message}\n`) : undefined;
  try {
    const report = await evaluateFiles({
      train: values.train,
      test: values.test,
      ...(values.valid === undefined ? {} : { valid: values.valid }),
      ...(values.lang === undefined ? {} : { lang: values.lang as Lang }),
      ...(turnAway === undefined ? {} : { turnAway }),
      ...(progress === undefined ? {} : { onProgress: progress }),
    });
    io.stdout.write(values.json === true ? `${JSON.stringify(report)}\n` : formatReport(report));
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
