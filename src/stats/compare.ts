/**
 * Baseline-vs-candidate comparison: ratio of means with a Fieller interval, Welch's t-test, Mann–Whitney U,
 * a tolerance verdict and an optional seeded bootstrap.
 */

import { bootstrapDifferencePct, type BootstrapDifference, type BootstrapOptions } from './bootstrap.js';
import { assertSample, mean as meanOf, sampleStddev, scaled, scaleOf } from './descriptive.js';
import { mannWhitney, type MannWhitneyMethod } from './mann-whitney.js';
import { studentTQuantile, studentTTwoSidedP } from './student-t.js';
import { DEFAULT_CONFIDENCE } from './summarize.js';
import { assertConfidence, assertResolution, type Interval } from './types.js';

/**
 * Sufficient statistics of one group. `variance` is the sample variance s² (n − 1 denominator), raised to the
 * resolution floor (resolution²/12) when a resolution is given.
 */
export interface GroupStats {
  n: number;
  mean: number;
  variance: number;
}

/**
 * A metric quantized to steps of `resolution` (ab's whole-millisecond percentiles: 1) cannot show less spread
 * than its rounding error, uniform over one step: sd ≥ resolution/√12. With n ≥ 2 the group's variance is
 * max(s², resolution²/12). Call it on scaled values (see scaleOf) when the magnitude may be extreme.
 */
export function groupStats(values: readonly number[], resolution?: number): GroupStats {
  const mean = meanOf(values);
  const sd = sampleStddev(values, mean);
  const floor = resolution && values.length >= 2 ? resolution / Math.sqrt(12) : 0;
  const s = Math.max(sd, floor);
  return { n: values.length, mean, variance: s * s };
}

/**
 * Why an interval is null: 'unbounded' (Fieller's g ≥ 1 and no positivity-respecting interval),
 * 'too-few-samples' (a group has n < 2), 'no-variation' (every value of both groups is identical within its
 * group and the metric's resolution is unknown: the spread cannot be estimated), 'not-computable' (the numbers
 * left the double range even after scaling).
 */
/**
 * Welch–Satterthwaite df (a + b)²/(a²/(n_a − 1) + b²/(n_b − 1)) of two variance terms, computed on a and b
 * divided by the larger one so that squares neither overflow nor underflow; n_a + n_b − 2 when both are 0.
 */
export function welchSatterthwaite(a: number, na: number, b: number, nb: number): number {
  const m = Math.max(a, b);
  if (m === 0) return na + nb - 2;
  const x = a / m;
  const y = b / m;
  return (x + y) ** 2 / ((x * x) / (na - 1) + (y * y) / (nb - 1));
}

export type CiNullReason = 'unbounded' | 'too-few-samples' | 'no-variation' | 'not-computable';

/** A short human reason for a null interval, for reports. */
export function describeCiNull(reason: CiNullReason | string | null | undefined): string {
  switch (reason) {
    case 'too-few-samples':
      return 'fewer than 2 samples on a side';
    case 'no-variation':
      return 'no variation in either sample (declare the metric resolution)';
    case 'not-computable':
      return 'the interval is outside the range of numbers';
    default:
      return 'the interval is unbounded';
  }
}

/** How `ci` was computed: Fieller's interval, or the delta-method interval on the log of the ratio of means. */
export type IntervalMethod = 'fieller' | 'log-delta';

/** Fewer samples than this on either side: the verdict is 'inconclusive' whatever the interval says. */
export const VERDICT_MIN_N = 3;

export interface FiellerResult {
  /** mean(candidate) / mean(baseline). */
  ratio: number;
  /** Welch–Satterthwaite df at the point ratio; null when a group has n < 2. */
  df: number | null;
  /** t_{(1+c)/2}(df); null when df is null. */
  tCritical: number | null;
  /** g = t²·v_b / m_b²; null when df is null. */
  g: number | null;
  /** Interval for the ratio; null when unbounded (g ≥ 1) or a group has n < 2. */
  ratioCi: Interval | null;
  /** The same interval as percent difference, (ratio − 1)·100. */
  ci: Interval | null;
  nullReason: CiNullReason | null;
}

/**
 * Fieller interval for m_c / m_b of two independent means, with the t quantile taken at the
 * Welch–Satterthwaite df evaluated at the point ratio r = m_c/m_b:
 *   v_b = s_b²/n_b, v_c = s_c²/n_c,
 *   ν = (v_c + r²v_b)² / (v_c²/(n_c − 1) + r⁴v_b²/(n_b − 1)),  t = t_{(1+conf)/2}(ν),  g = t²v_b/m_b²,
 *   bounds = [r ∓ (t/m_b)·√(v_c(1 − g) + r²v_b)] / (1 − g).
 * g ≥ 1 (the baseline mean is not significantly different from 0) makes the set unbounded: ci = null.
 * With zero variance in both groups the interval is the point ratio and ν is taken as n_b + n_c − 2.
 */
export function fiellerRatioInterval(baseline: GroupStats, candidate: GroupStats, confidence: number): FiellerResult {
  assertConfidence(confidence);
  const mb = baseline.mean;
  const mc = candidate.mean;
  if (mb === 0) throw new RangeError('Fieller interval: baseline mean is 0, the ratio is undefined');
  const ratio = mc / mb;
  if (baseline.n < 2 || candidate.n < 2) {
    return { ratio, df: null, tCritical: null, g: null, ratioCi: null, ci: null, nullReason: 'too-few-samples' };
  }
  const vb = baseline.variance / baseline.n;
  const vc = candidate.variance / candidate.n;
  const r2vb = ratio * ratio * vb;
  const df = welchSatterthwaite(vc, candidate.n, r2vb, baseline.n);
  const tCritical = studentTQuantile((1 + confidence) / 2, df);
  const g = (tCritical * tCritical * vb) / (mb * mb);
  if (g >= 1) return { ratio, df, tCritical, g, ratioCi: null, ci: null, nullReason: 'unbounded' };
  const spread = (tCritical / mb) * Math.sqrt(vc * (1 - g) + r2vb);
  const a = (ratio - spread) / (1 - g);
  const b = (ratio + spread) / (1 - g);
  const ratioCi = { low: Math.min(a, b), high: Math.max(a, b) };
  if (!Number.isFinite(ratioCi.low) || !Number.isFinite(ratioCi.high)) {
    return { ratio, df, tCritical, g, ratioCi: null, ci: null, nullReason: 'not-computable' };
  }
  return {
    ratio,
    df,
    tCritical,
    g,
    ratioCi,
    ci: { low: (ratioCi.low - 1) * 100, high: (ratioCi.high - 1) * 100 },
    nullReason: null,
  };
}

export interface LogDeltaResult {
  ratio: number;
  /** Welch–Satterthwaite df of the relative variances; null when a group has n < 2. */
  df: number | null;
  tCritical: number | null;
  /** √(v_b/m_b² + v_c/m_c²): the delta-method standard error of ln(m_c/m_b). */
  seLogRatio: number | null;
  ratioCi: Interval | null;
  ci: Interval | null;
  nullReason: CiNullReason | null;
}

/**
 * Interval for m_c / m_b of two positive means by the delta method on the log of the ratio:
 *   w_b = v_b/m_b², w_c = v_c/m_c²,  se = √(w_b + w_c),
 *   ν = (w_b + w_c)² / (w_b²/(n_b − 1) + w_c²/(n_c − 1)),  t = t_{(1+conf)/2}(ν),
 *   bounds = r·exp(∓t·se).
 * Both bounds are positive, so the difference never goes below −100 %. Needs m_b > 0 and m_c > 0 (throws
 * otherwise). Zero variance in both groups gives the point ratio with ν = n_b + n_c − 2.
 */
export function logDeltaRatioInterval(baseline: GroupStats, candidate: GroupStats, confidence: number): LogDeltaResult {
  assertConfidence(confidence);
  const mb = baseline.mean;
  const mc = candidate.mean;
  if (!(mb > 0 && mc > 0)) throw new RangeError(`log-ratio interval: both means must be > 0, got ${mb} and ${mc}`);
  const ratio = mc / mb;
  if (baseline.n < 2 || candidate.n < 2) {
    return { ratio, df: null, tCritical: null, seLogRatio: null, ratioCi: null, ci: null, nullReason: 'too-few-samples' };
  }
  const wb = baseline.variance / baseline.n / (mb * mb);
  const wc = candidate.variance / candidate.n / (mc * mc);
  const df = welchSatterthwaite(wb, baseline.n, wc, candidate.n);
  const tCritical = studentTQuantile((1 + confidence) / 2, df);
  const seLogRatio = Math.sqrt(wb + wc);
  const ratioCi = { low: ratio * Math.exp(-tCritical * seLogRatio), high: ratio * Math.exp(tCritical * seLogRatio) };
  if (!Number.isFinite(ratioCi.high) || !Number.isFinite(ratioCi.low)) {
    return { ratio, df, tCritical, seLogRatio, ratioCi: null, ci: null, nullReason: 'not-computable' };
  }
  return {
    ratio,
    df,
    tCritical,
    seLogRatio,
    ratioCi,
    ci: { low: (ratioCi.low - 1) * 100, high: (ratioCi.high - 1) * 100 },
    nullReason: null,
  };
}

export interface WelchResult {
  /** (m_c − m_b) / √(v_b + v_c); ±Infinity when both variances are 0 and the means differ, 0 if equal. */
  t: number;
  /** Welch–Satterthwaite df of the difference, (v_b + v_c)² / (v_b²/(n_b − 1) + v_c²/(n_c − 1)). */
  df: number;
  /** Two-sided p-value. */
  pValue: number;
}

/** Welch's unequal-variance t-test (two-sided); null when a group has n < 2. */
export function welchTTest(baseline: GroupStats, candidate: GroupStats): WelchResult | null {
  if (baseline.n < 2 || candidate.n < 2) return null;
  const vb = baseline.variance / baseline.n;
  const vc = candidate.variance / candidate.n;
  const diff = candidate.mean - baseline.mean;
  if (vb + vc === 0) {
    const df = baseline.n + candidate.n - 2;
    return diff === 0 ? { t: 0, df, pValue: 1 } : { t: diff > 0 ? Infinity : -Infinity, df, pValue: 0 };
  }
  const t = diff / Math.sqrt(vb + vc);
  const df = welchSatterthwaite(vb, baseline.n, vc, candidate.n);
  return { t, df, pValue: studentTTwoSidedP(t, df) };
}

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/**
 * Tolerance verdict on the overhead interval [o_lo, o_hi] (percent, positive = worse):
 * fail if o_lo > tolerance, pass if o_hi ≤ tolerance, otherwise inconclusive (also when there is no interval).
 */
export function verdictFor(overheadCi: Interval | null, tolerancePct: number): Verdict {
  if (!overheadCi) return 'inconclusive';
  if (overheadCi.low > tolerancePct) return 'fail';
  if (overheadCi.high <= tolerancePct) return 'pass';
  return 'inconclusive';
}

/** Converts a difference-% value/interval into overhead (positive = worse) for the metric direction. */
export function toOverhead(differencePct: number, higherIsBetter: boolean): number {
  return higherIsBetter ? 0 - differencePct : differencePct; // 0 − x avoids −0
}

export function toOverheadInterval(ci: Interval | null, higherIsBetter: boolean): Interval | null {
  if (!ci) return null;
  return higherIsBetter ? { low: 0 - ci.high, high: 0 - ci.low } : { low: ci.low, high: ci.high };
}

export interface CompareOptions {
  /** Confidence level of every interval (default 0.95). */
  confidence?: number;
  /** true for throughput-like metrics (MB/s, req/s), false for times (default true). */
  higherIsBetter?: boolean;
  /** Allowed overhead in percent; when given, `verdict` is set. */
  tolerancePct?: number;
  /** Run a seeded bootstrap beside the Fieller interval. */
  bootstrap?: BootstrapOptions;
  /**
   * The metric's quantum in its unit (ab's percentiles: 1 ms). Each group's sd is floored at
   * resolution/√12; without it, two groups with no spread at all get no interval ('no-variation').
   */
  resolution?: number;
  /**
   * The metric is positive by nature (throughput, latency, time; default true): where Fieller's interval
   * would reach −100 % or is unbounded, the log-ratio interval is used instead (see `method`). Only applies
   * when no value is negative and both means are > 0.
   */
  positive?: boolean;
}

export interface BootstrapComparison extends BootstrapDifference {
  /** `percentile` expressed as overhead (positive = worse). */
  overheadPercentile: Interval | null;
  /** `bca` expressed as overhead (positive = worse). */
  overheadBca: Interval | null;
}

export interface Comparison {
  nBaseline: number;
  nCandidate: number;
  meanBaseline: number;
  meanCandidate: number;
  confidence: number;
  higherIsBetter: boolean;
  /** mean(candidate) / mean(baseline). */
  ratio: number;
  /**
   * (m_c − m_b)/|m_b|·100: the change of the mean relative to the baseline's magnitude, positive when the
   * candidate's mean is higher. Equals (ratio − 1)·100 for a positive baseline (the usual case).
   */
  differencePct: number;
  /** Interval of differencePct (percent), by `method`; null with `ciNullReason`. Never NaN. */
  ci: Interval | null;
  /** Which interval `ci` is: 'fieller', or 'log-delta' for a positive metric where Fieller's reaches −100 %. */
  method: IntervalMethod;
  /** true when ci is null because the Fieller confidence set is unbounded (g ≥ 1). */
  ciUnbounded: boolean;
  /** Why `ci` is null, or null. */
  ciNullReason: CiNullReason | null;
  /** Welch–Satterthwaite df used for the interval's t quantile. */
  df: number | null;
  /** The t quantile used for the interval. */
  tCritical: number | null;
  /** Fieller's g = t²·v_b/m_b² (computed even when another method was used). */
  g: number | null;
  /** Welch two-sided p-value for equal means; null when a group has n < 2 or there is no variation. */
  pValue: number | null;
  /** Welch t statistic. */
  tStatistic: number | null;
  /** Welch–Satterthwaite df of the difference of means (the df behind pValue). */
  welchDf: number | null;
  /** Mann–Whitney U of the candidate. */
  mannWhitneyU: number;
  /** Mann–Whitney two-sided p-value. */
  mannWhitneyP: number;
  mannWhitneyMethod: MannWhitneyMethod;
  /** Overhead in the worse direction: −differencePct if higherIsBetter, +differencePct otherwise. */
  overheadPct: number;
  /** `ci` in overhead terms. */
  overheadCi: Interval | null;
  /** The tolerance used for `verdict`, or null. */
  tolerancePct: number | null;
  /** The resolution used for the sd floor, or null. */
  resolution: number | null;
  /** Present only when `tolerancePct` was given. */
  verdict?: Verdict;
  /** Why the verdict is 'inconclusive' regardless of the interval: fewer than VERDICT_MIN_N samples a side. */
  verdictNote?: 'too-few-samples';
  /** Present only when `bootstrap` options were given. */
  bootstrap?: BootstrapComparison;
}

/** Percent difference (m_c − m_b)/|m_b|·100 from a ratio interval; flips orientation for a negative baseline. */
function ratioToDifference(ratioCi: Interval | null, baselineSign: number): Interval | null {
  if (!ratioCi) return null;
  const lo = (ratioCi.low - 1) * 100;
  const hi = (ratioCi.high - 1) * 100;
  return baselineSign > 0 ? { low: lo, high: hi } : { low: 0 - hi, high: 0 - lo };
}

/**
 * Compares candidate against baseline. Throws RangeError for empty samples, non-finite values, a
 * confidence outside (0, 1), a baseline mean of 0 or a negative resolution.
 *
 * All arithmetic runs on values divided by a common power of two (exact), so magnitudes from 1e-300 to
 * 1e300 give the same percentages as magnitudes near 1.
 */
export function compare(
  baseline: readonly number[],
  candidate: readonly number[],
  options: CompareOptions = {},
): Comparison {
  assertSample(baseline, 'baseline');
  assertSample(candidate, 'candidate');
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  assertConfidence(confidence);
  const higherIsBetter = options.higherIsBetter ?? true;
  const tolerancePct = options.tolerancePct;
  if (tolerancePct !== undefined && !Number.isFinite(tolerancePct)) {
    throw new RangeError(`tolerancePct must be a finite number, got ${tolerancePct}`);
  }
  const resolution = options.resolution;
  assertResolution(resolution);
  const positive = options.positive ?? true;

  // Each group divided by its own power of two for the ratio interval (Fieller's and the log-ratio interval
  // are equivariant: scaling the candidate by k scales the ratio interval by k), and both by a common one for
  // the tests of the difference. Divisions by powers of two are exact.
  const scale = scaleOf(baseline, candidate);
  const bs = scaled(baseline, scale);
  const cs = scaled(candidate, scale);
  const b = groupStats(bs, resolution ? resolution / scale : 0);
  const c = groupStats(cs, resolution ? resolution / scale : 0);
  const scaleB = scaleOf(baseline);
  const scaleC = scaleOf(candidate);
  const bOwn = groupStats(scaled(baseline, scaleB), resolution ? resolution / scaleB : 0);
  const cOwn = groupStats(scaled(candidate, scaleC), resolution ? resolution / scaleC : 0);
  const k = scaleC / scaleB;
  if (bOwn.mean === 0) throw new RangeError('compare: the baseline mean is 0, so a percent difference is undefined');
  const sign = bOwn.mean > 0 ? 1 : -1;
  // Fieller on the baseline-positive orientation: m_c/m_b = (−m_c)/(−m_b), variances unchanged.
  const fieller = fiellerRatioInterval({ ...bOwn, mean: sign * bOwn.mean }, { ...cOwn, mean: sign * cOwn.mean }, confidence);
  const ratio = (cOwn.mean / bOwn.mean) * k;
  const differencePct = (ratio - 1) * 100 * sign;
  const rescale = (r: Interval | null): Interval | null => (r ? { low: r.low * k, high: r.high * k } : null);

  let method: IntervalMethod = 'fieller';
  let ci = ratioToDifference(rescale(fieller.ratioCi), sign);
  let nullReason: CiNullReason | null = fieller.nullReason;
  let df = fieller.df;
  let tCritical = fieller.tCritical;
  const noVariation = !resolution && b.n >= 2 && c.n >= 2 && bOwn.variance === 0 && cOwn.variance === 0;
  if (noVariation) {
    ci = null;
    nullReason = 'no-variation';
  } else if (positive && b.n >= 2 && c.n >= 2 && bOwn.mean > 0 && cOwn.mean > 0 && !baseline.some((v) => v < 0) && !candidate.some((v) => v < 0)) {
    const reachesZero = fieller.nullReason === 'unbounded' || (fieller.ratioCi !== null && fieller.ratioCi.low <= 0);
    if (reachesZero) {
      const ld = logDeltaRatioInterval(bOwn, cOwn, confidence);
      method = 'log-delta';
      ci = ratioToDifference(rescale(ld.ratioCi), 1);
      nullReason = ld.nullReason;
      df = ld.df;
      tCritical = ld.tCritical;
    }
  }
  if (ci && !(Number.isFinite(ci.low) && Number.isFinite(ci.high))) {
    ci = null;
    nullReason = 'not-computable';
  }
  const welch = noVariation ? null : welchTTest(b, c);
  const mwu = mannWhitney(baseline, candidate); // ranks only: no scaling needed
  const overheadCi = toOverheadInterval(ci, higherIsBetter);

  const result: Comparison = {
    nBaseline: b.n,
    nCandidate: c.n,
    meanBaseline: bOwn.mean * scaleB,
    meanCandidate: cOwn.mean * scaleC,
    confidence,
    higherIsBetter,
    ratio,
    differencePct,
    ci,
    method,
    ciUnbounded: nullReason === 'unbounded',
    ciNullReason: nullReason,
    df,
    tCritical,
    g: fieller.g,
    pValue: welch ? welch.pValue : null,
    tStatistic: welch ? welch.t : null,
    welchDf: welch ? welch.df : null,
    mannWhitneyU: mwu.u,
    mannWhitneyP: mwu.pValue,
    mannWhitneyMethod: mwu.method,
    overheadPct: toOverhead(differencePct, higherIsBetter),
    overheadCi,
    tolerancePct: tolerancePct ?? null,
    resolution: resolution ?? null,
  };
  if (tolerancePct !== undefined) {
    if (Math.min(b.n, c.n) < VERDICT_MIN_N) {
      result.verdict = 'inconclusive';
      result.verdictNote = 'too-few-samples';
    } else {
      result.verdict = verdictFor(overheadCi, tolerancePct);
    }
  }
  if (options.bootstrap) {
    const boot = bootstrapDifferencePct(bs, cs, confidence, options.bootstrap);
    result.bootstrap = {
      ...boot,
      overheadPercentile: toOverheadInterval(boot.percentile, higherIsBetter),
      overheadBca: toOverheadInterval(boot.bca, higherIsBetter),
    };
  }
  return result;
}
