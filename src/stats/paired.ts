/**
 * Paired analysis of interleaved runs: each candidate sample is paired with the baseline sample of the same
 * round (taken next to it), so a slow drift shared by both targets (the machine getting busier) cancels in each
 * pair instead of inflating both groups' spread.
 *
 * - Positive metric with every value > 0 ('paired-log'): d_i = ln(c_i/b_i), the Student-t interval of the mean
 *   d̄ ± t_{(1+conf)/2}(n − 1)·s_d/√n, back-transformed: (exp(·) − 1)·100. The estimate, exp(d̄) − 1, is the
 *   geometric mean of the per-pair ratios.
 * - Otherwise ('paired-fieller'): Fieller's interval for the ratio of means m_c/m_b with the pairs' covariance,
 *   the set of R with (m_c − R·m_b)² ≤ (t²/n)·(s_c² − 2R·s_bc + R²·s_b²), t at n − 1 df. Its estimate is the
 *   ratio of means, mapped to percent with the sign rule of `compare`.
 *
 * `choosePaired` decides whether a report may use the paired interval instead of Fieller's (docs/statistics.md,
 * "Paired analysis").
 */
import type { CiNullReason } from './compare.js';
import { assertSample, mean as meanOf, scaled, scaleOf } from './descriptive.js';
import { detectOutliers } from './outliers.js';
import { normalQuantile } from './special.js';
import { studentTQuantile, studentTSf } from './student-t.js';
import { DEFAULT_CONFIDENCE } from './summarize.js';
import { assertConfidence, assertResolution, type Interval } from './types.js';

export type PairedMethod = 'paired-log' | 'paired-fieller';

/** Fewer pairs than this: the paired interval is recorded but never used (see choosePaired). */
export const PAIRED_MIN_PAIRS = 6;
/** One-sided level of the checks on the pairs (shared noise, no lag-1 autocorrelation). */
export const PAIRED_CHECK_ALPHA = 0.05;

export interface PairedOptions {
  confidence?: number;
  /** The metric is positive by nature (default true): the log-ratio interval when every value is > 0. */
  positive?: boolean;
  /** The metric's quantum: the sd of each side is floored at resolution/√12, as in `compare`. */
  resolution?: number;
}

export interface PairedInterval {
  /** Number of pairs. */
  n: number;
  method: PairedMethod;
  confidence: number;
  /** Percent: exp(d̄) − 1 (paired-log) or the sign-ruled (m_c/m_b − 1) (paired-fieller), ×100. */
  estimate: number;
  /** Percent interval of `estimate`; null with `nullReason`. */
  ci: Interval | null;
  nullReason: CiNullReason | null;
  /** n − 1, or null when n < 2. */
  df: number | null;
  tCritical: number | null;
  /** Lag-1 autocorrelation of the per-pair differences in pair order; null when n < 3 or no spread. */
  lag1: number | null;
  /** Pearson correlation of the two sides over the pairs (of the logs for paired-log); null without spread. */
  correlation: number | null;
  /** Pairs whose difference the outlier rules flag (flagged, never dropped). */
  outliers: number;
}

/** Σ(x_i − x̄)(x_{i+1} − x̄) / Σ(x_i − x̄)²; null when n < 3 or every value is the same. */
export function lag1Autocorrelation(values: readonly number[]): number | null {
  const n = values.length;
  if (n < 3) return null;
  const m = meanOf(values);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - m;
    den += d * d;
    if (i + 1 < n) num += d * (values[i + 1]! - m);
  }
  return den > 0 ? num / den : null;
}

/** Pearson correlation of x and y (same length); null when n < 3 or a side has no spread. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 3 || y.length !== n) return null;
  const mx = meanOf(x);
  const my = meanOf(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i]! - mx;
    const b = y[i]! - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) : null;
}

/**
 * Largest lag-1 autocorrelation of n independent values still accepted at one-sided level `alpha`: under
 * independence r₁ is approximately normal with mean −1/n and variance 1/n, so the bound is −1/n + z_{1−α}/√n.
 */
export function lag1Bound(n: number, alpha = PAIRED_CHECK_ALPHA): number {
  return -1 / n + normalQuantile(1 - alpha) / Math.sqrt(n);
}

/** One-sided p-value of a positive Pearson correlation r over n pairs: t = r√(n − 2)/√(1 − r²), df n − 2. */
export function correlationPValue(r: number, n: number): number {
  if (n < 3) return 1;
  if (r >= 1) return 0;
  return studentTSf((r * Math.sqrt(n - 2)) / Math.sqrt(1 - r * r), n - 2);
}

function sd(values: readonly number[], m: number): number {
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0;
}

/**
 * The paired interval of candidate vs baseline over pairs (baseline[i], candidate[i]) in run order.
 * Throws RangeError for empty or unequal arrays, non-finite values, a bad confidence or a baseline mean of 0.
 */
export function pairedInterval(baseline: readonly number[], candidate: readonly number[], options: PairedOptions = {}): PairedInterval {
  assertSample(baseline, 'baseline');
  assertSample(candidate, 'candidate');
  if (baseline.length !== candidate.length) throw new RangeError(`paired: ${baseline.length} baseline values but ${candidate.length} candidate values`);
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  assertConfidence(confidence);
  const resolution = options.resolution;
  assertResolution(resolution);
  const n = baseline.length;
  const scale = scaleOf(baseline, candidate);
  const b = scaled(baseline, scale);
  const c = scaled(candidate, scale);
  const res = resolution ? resolution / scale : 0;
  const mb = meanOf(b);
  const mc = meanOf(c);
  if (mb === 0) throw new RangeError('paired: the baseline mean is 0, so a percent difference is undefined');
  const positive = (options.positive ?? true) && b.every((v) => v > 0) && c.every((v) => v > 0);
  const df = n >= 2 ? n - 1 : null;
  const tCritical = df === null ? null : studentTQuantile((1 + confidence) / 2, df);
  const base = { n, confidence, df, tCritical };
  return positive ? pairedLog(b, c, mb, mc, res, base) : pairedFieller(b, c, mb, mc, res, base);
}

type Base = Pick<PairedInterval, 'n' | 'confidence' | 'df' | 'tCritical'>;

function finish(base: Base, method: PairedMethod, estimate: number, ci: Interval | null, nullReason: CiNullReason | null, d: number[], x: number[], y: number[]): PairedInterval {
  const ok = ci !== null && Number.isFinite(ci.low) && Number.isFinite(ci.high);
  return {
    ...base,
    method,
    estimate,
    ci: ok ? ci : null,
    nullReason: ok ? null : (nullReason ?? 'not-computable'),
    lag1: lag1Autocorrelation(d),
    correlation: pearson(x, y),
    outliers: new Set(detectOutliers(d).map((o) => o.index)).size,
  };
}

function pairedLog(b: number[], c: number[], mb: number, mc: number, res: number, base: Base): PairedInterval {
  const lb = b.map(Math.log);
  const lc = c.map(Math.log);
  const d = c.map((v, i) => Math.log(v / b[i]!));
  const dbar = meanOf(d);
  const estimate = Math.expm1(dbar) * 100;
  if (base.tCritical === null) return finish(base, 'paired-log', estimate, null, 'too-few-samples', d, lb, lc);
  // Rounding to a quantum q adds variance q²/12 to each side: var(ln c − ln b) ≥ (q²/12)(1/m_b² + 1/m_c²).
  const floor = res > 0 ? (res / Math.sqrt(12)) * Math.sqrt(1 / (mb * mb) + 1 / (mc * mc)) : 0;
  const s = Math.max(sd(d, dbar), floor);
  if (s === 0) return finish(base, 'paired-log', estimate, null, 'no-variation', d, lb, lc);
  const h = (base.tCritical * s) / Math.sqrt(base.n);
  return finish(base, 'paired-log', estimate, { low: Math.expm1(dbar - h) * 100, high: Math.expm1(dbar + h) * 100 }, null, d, lb, lc);
}

function pairedFieller(b: number[], c: number[], mb: number, mc: number, res: number, base: Base): PairedInterval {
  const sign = mb > 0 ? 1 : -1;
  const ratio = mc / mb;
  const estimate = (ratio - 1) * 100 * sign;
  const d = c.map((v, i) => v - ratio * b[i]!);
  if (base.tCritical === null) return finish(base, 'paired-fieller', estimate, null, 'too-few-samples', d, b, c);
  const n = base.n;
  const floor = res > 0 ? (res * res) / 12 : 0;
  let sbc = 0;
  for (let i = 0; i < n; i++) sbc += (b[i]! - mb) * (c[i]! - mc);
  sbc /= n - 1;
  const sb2 = Math.max(sd(b, mb) ** 2, floor);
  const sc2 = Math.max(sd(c, mc) ** 2, floor);
  if (sb2 === 0 && sc2 === 0) return finish(base, 'paired-fieller', estimate, null, 'no-variation', d, b, c);
  const q = (base.tCritical * base.tCritical) / n;
  // R²(m_b² − q s_b²) − 2R(m_b m_c − q s_bc) + (m_c² − q s_c²) ≤ 0.
  const A = mb * mb - q * sb2;
  const B = mb * mc - q * sbc;
  const C = mc * mc - q * sc2;
  if (A <= 0) return finish(base, 'paired-fieller', estimate, null, 'unbounded', d, b, c);
  const disc = Math.sqrt(Math.max(0, B * B - A * C));
  const r1 = (B - disc) / A;
  const r2 = (B + disc) / A;
  const lo = (Math.min(r1, r2) - 1) * 100;
  const hi = (Math.max(r1, r2) - 1) * 100;
  const ci = sign > 0 ? { low: lo, high: hi } : { low: 0 - hi, high: 0 - lo };
  return finish(base, 'paired-fieller', estimate, ci, null, d, b, c);
}

/** Why the paired interval is not the reported one; null when it is. */
export type PairedReason =
  | 'too-few-pairs'
  | 'no-interval'
  | 'no-shared-noise'
  | 'autocorrelated'
  | 'not-narrower';

export interface PairedChoice {
  used: boolean;
  reason: PairedReason | null;
}

/**
 * Whether a report uses the paired interval instead of the independent one (`independent`: Fieller's or the
 * log-ratio interval of `compare`, null when unbounded or missing). All must hold:
 * 1. at least PAIRED_MIN_PAIRS pairs;
 * 2. the paired interval exists;
 * 3. the two sides share noise: their correlation over the pairs is positive at one-sided level 0.05 (pairing
 *    only helps when it removes a common component; without one it only halves the df);
 * 4. the per-pair differences show no positive lag-1 autocorrelation (r₁ ≤ −1/n + z₀.₉₅/√n): a drift that
 *    does not cancel within pairs makes s_d/√n too small;
 * 5. it is narrower than the independent interval (any interval is narrower than an unbounded one).
 */
export function choosePaired(paired: PairedInterval, independent: Interval | null): PairedChoice {
  const no = (reason: PairedReason): PairedChoice => ({ used: false, reason });
  if (paired.n < PAIRED_MIN_PAIRS) return no('too-few-pairs');
  if (!paired.ci) return no('no-interval');
  if (paired.correlation === null || correlationPValue(paired.correlation, paired.n) > PAIRED_CHECK_ALPHA) return no('no-shared-noise');
  if (paired.lag1 !== null && paired.lag1 > lag1Bound(paired.n)) return no('autocorrelated');
  if (independent && paired.ci.high - paired.ci.low >= independent.high - independent.low) return no('not-narrower');
  return { used: true, reason: null };
}

/** A short human reason why the paired interval was not used, for reports. */
export function describePairedReason(reason: PairedReason | string | null | undefined): string {
  switch (reason) {
    case 'too-few-pairs':
      return `fewer than ${PAIRED_MIN_PAIRS} adjacent pairs`;
    case 'no-interval':
      return 'the paired interval could not be computed';
    case 'no-shared-noise':
      return 'the two sides do not vary together, so pairing removes nothing';
    case 'autocorrelated':
      return 'the per-pair differences drift (lag-1 autocorrelation)';
    case 'not-narrower':
      return "it is not narrower than Fieller's";
    default:
      return 'not used';
  }
}
