/**
 * Baseline-vs-candidate comparison: ratio of means with a Fieller interval, Welch's t-test, Mann–Whitney U,
 * a tolerance verdict and an optional seeded bootstrap.
 */

import { bootstrapDifferencePct, type BootstrapDifference, type BootstrapOptions } from './bootstrap.js';
import { assertSample, mean as meanOf, sampleVariance } from './descriptive.js';
import { mannWhitney, type MannWhitneyMethod } from './mann-whitney.js';
import { studentTQuantile, studentTTwoSidedP } from './student-t.js';
import { DEFAULT_CONFIDENCE } from './summarize.js';
import { assertConfidence, type Interval } from './types.js';

/** Sufficient statistics of one group. `variance` is the sample variance s² (n − 1 denominator). */
export interface GroupStats {
  n: number;
  mean: number;
  variance: number;
}

export function groupStats(values: readonly number[]): GroupStats {
  const mean = meanOf(values);
  return { n: values.length, mean, variance: sampleVariance(values, mean) };
}

export type CiNullReason = 'unbounded' | 'too-few-samples';

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
  const df =
    vc + r2vb === 0
      ? baseline.n + candidate.n - 2
      : (vc + r2vb) ** 2 / ((vc * vc) / (candidate.n - 1) + (r2vb * r2vb) / (baseline.n - 1));
  const tCritical = studentTQuantile((1 + confidence) / 2, df);
  const g = (tCritical * tCritical * vb) / (mb * mb);
  if (g >= 1) return { ratio, df, tCritical, g, ratioCi: null, ci: null, nullReason: 'unbounded' };
  const spread = (tCritical / mb) * Math.sqrt(vc * (1 - g) + r2vb);
  const a = (ratio - spread) / (1 - g);
  const b = (ratio + spread) / (1 - g);
  const ratioCi = { low: Math.min(a, b), high: Math.max(a, b) };
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
  const df = (vb + vc) ** 2 / ((vb * vb) / (baseline.n - 1) + (vc * vc) / (candidate.n - 1));
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
  /** (ratio − 1)·100. */
  differencePct: number;
  /** Fieller interval of differencePct (percent); null when unbounded or a group has n < 2. */
  ci: Interval | null;
  /** true when the Fieller confidence set is unbounded (g ≥ 1). */
  ciUnbounded: boolean;
  /** Why `ci` is null ('unbounded' | 'too-few-samples'), or null. */
  ciNullReason: CiNullReason | null;
  /** Welch–Satterthwaite df used for the Fieller t quantile (evaluated at the point ratio). */
  df: number | null;
  /** The t quantile used for the Fieller interval. */
  tCritical: number | null;
  /** Fieller's g = t²·v_b/m_b². */
  g: number | null;
  /** Welch two-sided p-value for equal means; null when a group has n < 2. */
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
  /** Present only when `tolerancePct` was given. */
  verdict?: Verdict;
  /** Present only when `bootstrap` options were given. */
  bootstrap?: BootstrapComparison;
}

/**
 * Compares candidate against baseline. Throws RangeError for empty samples, non-finite values, a
 * confidence outside (0, 1), or a baseline mean of 0.
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

  const b = groupStats(baseline);
  const c = groupStats(candidate);
  const fieller = fiellerRatioInterval(b, c, confidence);
  const welch = welchTTest(b, c);
  const mwu = mannWhitney(baseline, candidate);
  const differencePct = (fieller.ratio - 1) * 100;
  const overheadCi = toOverheadInterval(fieller.ci, higherIsBetter);

  const result: Comparison = {
    nBaseline: b.n,
    nCandidate: c.n,
    meanBaseline: b.mean,
    meanCandidate: c.mean,
    confidence,
    higherIsBetter,
    ratio: fieller.ratio,
    differencePct,
    ci: fieller.ci,
    ciUnbounded: fieller.nullReason === 'unbounded',
    ciNullReason: fieller.nullReason,
    df: fieller.df,
    tCritical: fieller.tCritical,
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
  };
  if (tolerancePct !== undefined) result.verdict = verdictFor(overheadCi, tolerancePct);
  if (options.bootstrap) {
    const boot = bootstrapDifferencePct(baseline, candidate, confidence, options.bootstrap);
    result.bootstrap = {
      ...boot,
      overheadPercentile: toOverheadInterval(boot.percentile, higherIsBetter),
      overheadBca: toOverheadInterval(boot.bca, higherIsBetter),
    };
  }
  return result;
}
