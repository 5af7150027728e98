import { describe, expect, it } from 'vitest';
import {
  ces,
  costPerCase,
  csat,
  median,
  nps,
  percentile,
  retentionRate,
  sorted,
  sortedMedian,
  sortedPercentile,
} from './scores.js';

describe('survey scores', () => {
  it('computes NPS as % promoters minus % detractors', () => {
    // 3 promoters (10, 9, 9), 2 passives (8, 7), 5 detractors (6, 5, 3, 0, 6) of 10 → 30 − 50.
    expect(nps([10, 9, 9, 8, 7, 6, 5, 3, 0, 6])).toBe(-20);
    expect(nps([9, 10])).toBe(100);
    expect(nps([7, 8])).toBe(0);
  });

  it('computes CSAT as the share of 4 and 5 answers', () => {
    expect(csat([5, 4, 4, 3, 1])).toBe(0.6);
    expect(csat([1, 2])).toBe(0);
  });

  it('computes CES as the mean on 1–7', () => {
    expect(ces([7, 6, 5, 2])).toBe(5);
  });

  it('ignores answers outside the scale', () => {
    expect(csat([5, 6, 0, 2.5])).toBe(1);
    expect(nps([11, -1, 10])).toBe(100);
    expect(ces([8, 0, 4])).toBe(4);
  });

  it('gives null, never NaN, for empty input', () => {
    expect(nps([])).toBeNull();
    expect(csat([])).toBeNull();
    expect(ces([])).toBeNull();
    expect(median([])).toBeNull();
    expect(percentile([], 90)).toBeNull();
    expect(costPerCase(100, 0)).toBeNull();
    expect(retentionRate({ customersAtStart: 0, customersAtEnd: 5, newCustomers: 5 })).toBeNull();
  });

  it('computes retention and cost per case from site figures', () => {
    // (1100 − 200) ÷ 1000
    expect(retentionRate({ customersAtStart: 1000, customersAtEnd: 1100, newCustomers: 200 })).toBe(
      0.9,
    );
    expect(costPerCase(4500, 300)).toBe(15);
  });

  it('takes the median and the nearest-rank percentile', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // Nearest rank: p90 of 10 values is the 9th smallest.
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([7], 90)).toBe(7);
  });

  it('sorts numbers by value, not as text, for the figures of one series', () => {
    const series = sorted([100, 9, -3, 20, 1000, 0.5]);
    expect([...series]).toEqual([-3, 0.5, 9, 20, 100, 1000]);
    expect(sortedMedian(series)).toBe(14.5);
    expect(sortedPercentile(series, 90)).toBe(1000);
    expect(sortedMedian(sorted([]))).toBeNull();
  });
});
