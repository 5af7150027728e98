import type { Decision, Triage } from '../decide/index.js';
import type { Check } from './parse-checks.js';

/** What a check's decision did, in the terms a check expects. */
export interface CheckOutcome {
  kind: Decision['kind'];
  entry: string | null;
  topic: string | null;
  level: number;
  signals: string[];
  confidence: number;
}

/** A check and how its question was decided. */
export interface CheckResult {
  check: Check;
  outcome: CheckOutcome;
  /** What differs from the expectation, one line each (`kind: expected answer, got handoff`); empty when it passed. */
  failures: string[];
}

/** Decides every check's question in its locale and compares the outcome with the expectation. */
export function runChecks(triage: Triage, checks: readonly Check[]): CheckResult[] {
  return checks.map((check) => {
    const d = triage.decide(check.question, { locale: check.locale });
    const outcome: CheckOutcome = {
      kind: d.kind,
      entry: d.entry?.id ?? null,
      topic: d.topic ?? null,
      level: d.level,
      signals: [...d.signals],
      confidence: d.confidence,
    };
    const failures: string[] = [];
    const { entry, topic, kind, level, signals } = check.expect;
    const differs = (field: string, expected: string, got: string | number | null) =>
      failures.push(`${field}: expected ${expected}, got ${got ?? 'none'}`);
    if (entry !== undefined && outcome.entry !== entry) differs('entry', entry, outcome.entry);
    if (topic !== undefined && outcome.topic !== topic) differs('topic', topic, outcome.topic);
    if (kind !== undefined && !kind.includes(outcome.kind))
      differs('kind', kind.join(' or '), outcome.kind);
    if (level !== undefined && outcome.level !== level)
      differs('level', String(level), outcome.level);
    const missing = (signals ?? []).filter((s) => !outcome.signals.includes(s));
    if (missing.length > 0)
      differs('signals', missing.join(', '), outcome.signals.join(', ') || null);
    return { check, outcome, failures };
  });
}

/** The results as a plain-text table: every failure with expected and actual, then a summary line. */
export function formatCheckReport(results: readonly CheckResult[]): string {
  const failed = results.filter((r) => r.failures.length > 0);
  const rows = failed.map((r) => [
    r.check.id,
    r.check.locale,
    r.check.question.length > 60 ? `${r.check.question.slice(0, 59)}…` : r.check.question,
    r.failures.join('; '),
  ]);
  const header = ['check', 'lang', 'question', 'what differs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const table =
    failed.length === 0
      ? ''
      : `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n\n`;
  const passed = results.length - failed.length;
  return `${table}${passed} of ${results.length} checks passed${failed.length === 0 ? '.' : `, ${failed.length} failed.`}\n`;
}
