/** Basic descriptive statistics shared by the rest of the engine. */

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

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance with the n − 1 denominator (two-pass); 0 when n < 2. */
export function sampleVariance(values: readonly number[], center: number = mean(values)): number {
  const n = values.length;
  if (n < 2) return 0;
  let ss = 0;
  for (const v of values) {
    const d = v - center;
    ss += d * d;
  }
  return ss / (n - 1);
}

/** Ascending copy. */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Type-7 (linear interpolation, R's default / numpy's default) quantile of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return sorted[0]!;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (h - lo) * (b - a);
}

export function median(values: readonly number[]): number {
  return quantileSorted(sortedCopy(values), 0.5);
}

/** Raw (unscaled) median absolute deviation from the median. */
export function medianAbsoluteDeviation(values: readonly number[], center: number = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}
