/**
 * Basic descriptive statistics shared by the rest of the engine.
 *
 * Quantiles (and so the median and the MAD) come from simple-statistics, whose quantileSorted is R's type 7
 * (identical to the previous hand-written code on 20,000 random cases). The mean and the standard deviation
 * stay hand-written for a measured need (docs/statistics.md): simple-statistics 7.12 returns NaN for the mean
 * of [1.7e308, 1.6e308, 1.75e308], Infinity for the sd of values near 1e300 and 0 for values near 1e-160,
 * because it sums raw values and squares raw deviations; the versions below scale first.
 */
import { quantileSorted as ssQuantileSorted } from 'simple-statistics';

/** Throws unless `values` is a non-empty array of finite numbers. */
export function assertSample(values: readonly number[], what = 'values'): void {
  if (!Array.isArray(values) || values.length === 0) throw new RangeError(`${what}: need at least one value`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${what}[${i}] is not a finite number: ${String(v)}`);
    }
  }
}

/**
 * A power of two 2^k close to max |v| (1 when every value is 0). Dividing by it is exact (no rounding) and
 * brings the values to magnitudes around 1, so sums do not overflow near 1e308 and squared deviations do not
 * underflow near 1e-160. Every moment below is computed on the scaled values.
 */
export function scaleOf(...groups: ReadonlyArray<readonly number[]>): number {
  let max = 0;
  for (const values of groups) for (const v of values) max = Math.max(max, Math.abs(v));
  if (max === 0 || !Number.isFinite(max)) return 1;
  const k = Math.floor(Math.log2(max));
  // 2 ** k is exact for −1074 ≤ k ≤ 1023; split the exponent so neither factor leaves the range.
  return k < -1000 ? 2 ** (k + 1000) * 2 ** -1000 : 2 ** k;
}

/** values / scale (exact for a power-of-two scale as long as the results stay normal). */
export function scaled(values: readonly number[], scale: number): number[] {
  return values.map((v) => v / scale);
}

export function mean(values: readonly number[]): number {
  const scale = scaleOf(values);
  let sum = 0;
  for (const v of values) sum += v / scale;
  return (sum / values.length) * scale;
}

/**
 * Sample standard deviation with the n − 1 denominator (two-pass on scaled values); 0 when n < 2.
 * Finite whenever the values are: it never squares a raw deviation.
 */
export function sampleStddev(values: readonly number[], center: number = mean(values)): number {
  const n = values.length;
  if (n < 2) return 0;
  const scale = scaleOf(values);
  const c = center / scale;
  let ss = 0;
  for (const v of values) {
    const d = v / scale - c;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1)) * scale;
}

/**
 * Sample variance with the n − 1 denominator; 0 when n < 2. The variance itself can leave the double range
 * (values near 1e300 have a variance near 1e596 → Infinity; near 1e-170 → 0): use sampleStddev, or scale
 * the data first, when the magnitude is extreme.
 */
export function sampleVariance(values: readonly number[], center: number = mean(values)): number {
  const sd = sampleStddev(values, center);
  return sd * sd;
}

/** Ascending copy. */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Type-7 (linear interpolation, R's default / numpy's default) quantile of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const values = Array.isArray(sorted) ? (sorted as number[]) : Array.from(sorted);
  return ssQuantileSorted(values, Math.min(1, Math.max(0, p)));
}

export function median(values: readonly number[]): number {
  return quantileSorted(sortedCopy(values), 0.5);
}

/** Raw (unscaled) median absolute deviation from the median. */
export function medianAbsoluteDeviation(values: readonly number[], center: number = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}
