/**
 * Outlier flagging. Samples are flagged, never dropped: every statistic in the engine uses all samples
 * unless a caller explicitly asks for `withoutOutliers(values, outliers)`.
 *
 * Rules (each needs n ≥ OUTLIER_MIN_N, otherwise nothing is flagged):
 * - Tukey fences on type-7 quartiles: x < Q1 − k·IQR or x > Q3 + k·IQR. A value beyond the 3·IQR fence is
 *   reported once as 'tukey-3'; one beyond only the 1.5·IQR fence as 'tukey-1.5'.
 * - MAD rule: |x − median| / (1.4826·MAD) > 10 (equivalently |x − median| / MAD > 14.826), reported as
 *   'mad'; skipped when MAD = 0.
 * - Slow first sample ('slow-first', see `slowFirstOutlier`): only evaluated when the metric direction is
 *   known.
 * A value can be listed under both a Tukey rule and 'mad'.
 */

import { median, medianAbsoluteDeviation, quantileSorted, sortedCopy } from './descriptive.js';

export type OutlierRule = 'tukey-1.5' | 'tukey-3' | 'mad' | 'slow-first';

export interface Outlier {
  /** Position in the input array (run order). */
  index: number;
  value: number;
  rule: OutlierRule;
}

/** Smallest sample size at which any rule flags anything. */
export const OUTLIER_MIN_N = 4;
/** Normal-consistency factor for the MAD. */
export const MAD_SCALE = 1.4826;
/** Robust z-score above which the MAD rule flags a value. */
export const MAD_CUTOFF = 10;
/** Sample size needed for the slow-first rule (the first sample plus at least four others). */
export const SLOW_FIRST_MIN_N = 5;

export interface TukeyFences {
  q1: number;
  q3: number;
  iqr: number;
  inner: { low: number; high: number };
  outer: { low: number; high: number };
}

export function tukeyFences(values: readonly number[]): TukeyFences {
  const sorted = sortedCopy(values);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  return {
    q1,
    q3,
    iqr,
    inner: { low: q1 - 1.5 * iqr, high: q3 + 1.5 * iqr },
    outer: { low: q1 - 3 * iqr, high: q3 + 3 * iqr },
  };
}

/** Tukey-fence outliers; each flagged index appears once, with the strongest fence it crosses. */
export function tukeyOutliers(values: readonly number[]): Outlier[] {
  if (values.length < OUTLIER_MIN_N) return [];
  const f = tukeyFences(values);
  const out: Outlier[] = [];
  values.forEach((value, index) => {
    if (value < f.outer.low || value > f.outer.high) out.push({ index, value, rule: 'tukey-3' });
    else if (value < f.inner.low || value > f.inner.high) out.push({ index, value, rule: 'tukey-1.5' });
  });
  return out;
}

/** MAD-rule outliers: |x − median| / (1.4826·MAD) > 10. Nothing is flagged when MAD = 0. */
export function madOutliers(values: readonly number[]): Outlier[] {
  if (values.length < OUTLIER_MIN_N) return [];
  const med = median(values);
  const mad = medianAbsoluteDeviation(values, med);
  if (mad === 0) return [];
  const scale = MAD_SCALE * mad;
  const out: Outlier[] = [];
  values.forEach((value, index) => {
    if (Math.abs(value - med) / scale > MAD_CUTOFF) out.push({ index, value, rule: 'mad' });
  });
  return out;
}

/**
 * Slow first sample (warm-up effect). `values` must be in run order. Index 0 is flagged when n ≥ 5 and
 * - it is strictly the worst value (lowest when higher is better, highest otherwise), and
 * - it lies strictly beyond the 1.5·IQR Tukey fence, in the worse direction, of the *remaining* samples
 *   (quartiles computed without the first sample, so a single slow start cannot widen its own fence).
 */
export function slowFirstOutlier(values: readonly number[], higherIsBetter: boolean): Outlier | null {
  if (values.length < SLOW_FIRST_MIN_N) return null;
  const first = values[0]!;
  const rest = values.slice(1);
  const f = tukeyFences(rest);
  const flagged = higherIsBetter
    ? first < rest.reduce((m, v) => Math.min(m, v), Infinity) && first < f.inner.low
    : first > rest.reduce((m, v) => Math.max(m, v), -Infinity) && first > f.inner.high;
  return flagged ? { index: 0, value: first, rule: 'slow-first' } : null;
}

export interface DetectOutliersOptions {
  /** Metric direction; when given, the slow-first rule is evaluated too. */
  higherIsBetter?: boolean;
}

/** All rules together, ordered by index (then Tukey, MAD, slow-first). */
export function detectOutliers(values: readonly number[], options: DetectOutliersOptions = {}): Outlier[] {
  const all = [...tukeyOutliers(values), ...madOutliers(values)];
  if (options.higherIsBetter !== undefined) {
    const slow = slowFirstOutlier(values, options.higherIsBetter);
    if (slow) all.push(slow);
  }
  const order: Record<OutlierRule, number> = { 'tukey-3': 0, 'tukey-1.5': 1, mad: 2, 'slow-first': 3 };
  return all.sort((a, b) => a.index - b.index || order[a.rule] - order[b.rule]);
}

/**
 * The values with every flagged index removed (an index listed under several rules is removed once).
 * Pass `rules` to drop only values flagged by those rules. Order of the remaining values is preserved.
 */
export function withoutOutliers(
  values: readonly number[],
  outliers: readonly Outlier[],
  rules?: readonly OutlierRule[],
): number[] {
  const drop = new Set(outliers.filter((o) => !rules || rules.includes(o.rule)).map((o) => o.index));
  return values.filter((_, i) => !drop.has(i));
}
