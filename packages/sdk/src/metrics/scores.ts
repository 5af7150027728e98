const inRange = (scores: readonly number[], min: number, max: number): number[] =>
  scores.filter((s) => Number.isInteger(s) && s >= min && s <= max);

/**
 * Net Promoter Score (Reichheld 2003, Bain & Company): % promoters (9–10) − % detractors (0–6) of
 * 0–10 answers, from −100 to 100; `null` without answers. Values outside 0–10 are ignored.
 * @example nps([10, 9, 8, 3]) // 25
 */
export function nps(scores: readonly number[]): number | null {
  const s = inRange(scores, 0, 10);
  if (!s.length) return null;
  const promoters = s.filter((x) => x >= 9).length;
  const detractors = s.filter((x) => x <= 6).length;
  return ((promoters - detractors) / s.length) * 100;
}

/**
 * Customer satisfaction: the share (0..1) of 4 and 5 answers on a 1–5 scale ("top-two-box");
 * `null` without answers.
 * @example csat([5, 4, 2, 1]) // 0.5
 */
export function csat(scores: readonly number[]): number | null {
  const s = inRange(scores, 1, 5);
  return s.length ? s.filter((x) => x >= 4).length / s.length : null;
}

/**
 * Customer Effort Score (CEB/Gartner CES 2.0): the mean of 1–7 answers; `null` without answers.
 * @example ces([7, 5, 6]) // 6
 */
export function ces(scores: readonly number[]): number | null {
  const s = inRange(scores, 1, 7);
  return s.length ? s.reduce((a, b) => a + b, 0) / s.length : null;
}

/**
 * Customer retention rate: (customers at end − new customers) ÷ customers at start, from figures the
 * site supplies; `null` when there were no customers at the start.
 */
export function retentionRate(input: {
  customersAtStart: number;
  customersAtEnd: number;
  newCustomers: number;
}): number | null {
  const { customersAtStart: start, customersAtEnd: end, newCustomers } = input;
  return start > 0 ? (end - newCustomers) / start : null;
}

/** Cost per case: total costs ÷ closed cases; `null` without closed cases. */
export function costPerCase(costs: number, closedCases: number): number | null {
  return closedCases > 0 ? costs / closedCases : null;
}

/** Median (mean of the two middle values for an even count); `null` for no values. */
export function median(values: readonly number[]): number | null {
  return sortedMedian(sorted(values));
}

/** Percentile by the nearest-rank method (p in 0..100); `null` for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  return sortedPercentile(sorted(values), p);
}

/** {@link median} of values sorted ascending (several figures of one series sort it once). */
export function sortedMedian(s: ArrayLike<number>): number | null {
  if (!s.length) return null;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** {@link percentile} of values sorted ascending. */
export function sortedPercentile(s: ArrayLike<number>, p: number): number | null {
  if (!s.length) return null;
  return s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1]!;
}

/** The values sorted ascending: a typed array sorts numbers several times faster than a comparator. */
export function sorted(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}
