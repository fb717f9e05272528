/**
 * Repetitions at two levels (Kalibera & Jones, "Rigorous Benchmarking in Reasonable Time", ISMM 2013):
 * samples within a block (one set-up: fresh processes, containers, servers), and independent blocks.
 *
 * With K blocks, block i holding n_i values x_ij with mean x̄_i:
 *   S²_within  = Σ_i Σ_j (x_ij − x̄_i)² / Σ_i (n_i − 1)                (pooled within-block variance)
 *   S²_between = Σ_i (x̄_i − x̄)² / (K − 1),  x̄ = Σ x̄_i / K             (variance of the block means)
 *   T²_between = max(0, S²_between − S²_within / ñ),  ñ = harmonic mean of the n_i
 *                (the between-block component: what the block means vary by beyond the within-block noise)
 *   interval of the mean: x̄ ± t₍₁₊c₎/₂(K − 1) · √(S²_between / K)
 *   optimal samples per block: n* = √(c_block · S²_within / (c_sample · T²_between))
 * where c_block is the cost of setting one block up (prepare, warm-ups, cleanup) and c_sample the cost of
 * one sample. Every moment is computed on values divided by a power of two (scaleOf), as elsewhere.
 */
import { assertSample, scaleOf } from './descriptive.js';
import { studentTQuantile } from './student-t.js';
import { assertConfidence, assertResolution, type Interval } from './types.js';

export interface TwoLevelOptions {
  confidence?: number;
  /** The metric's quantum: S²_within is floored at resolution²/12, S²_between at resolution²/(12·ñ). */
  resolution?: number;
}

export interface TwoLevelSummary {
  /** Number of blocks K. */
  blocks: number;
  /** Values per block. */
  perBlock: number[];
  blockMeans: number[];
  /** Mean of the block means (the estimator the interval is about). */
  mean: number;
  /** Pooled within-block variance S²_within; null when no block has 2 values. */
  withinVariance: number | null;
  /** Variance of the block means S²_between (K − 1 df); null when K < 2. */
  betweenVariance: number | null;
  /** T²_between = max(0, S²_between − S²_within/ñ); null when either variance is unknown. */
  betweenComponent: number | null;
  /** ñ, the harmonic mean of the per-block counts. */
  harmonicN: number;
  df: number | null;
  /** x̄ ± t(K − 1)·√(S²_between/K); null when K < 2. */
  ci: Interval | null;
  halfWidth: number | null;
  relativeHalfWidth: number | null;
  confidence: number;
}

/** Two-level summary of `blocks` (each a non-empty array of finite values). Throws RangeError on bad input. */
export function twoLevelSummary(blocks: ReadonlyArray<readonly number[]>, options: TwoLevelOptions = {}): TwoLevelSummary {
  if (blocks.length === 0) throw new RangeError('two-level summary: need at least one block');
  blocks.forEach((b, i) => assertSample(b, `block ${i}`));
  const confidence = options.confidence ?? 0.95;
  assertConfidence(confidence);
  const resolution = options.resolution ?? 0;
  assertResolution(resolution);
  const scale = scaleOf(...blocks);
  const k = blocks.length;
  const perBlock = blocks.map((b) => b.length);
  const scaledMeans = blocks.map((b) => b.reduce((s, v) => s + v / scale, 0) / b.length);
  let ssWithin = 0;
  let dfWithin = 0;
  blocks.forEach((b, i) => {
    const m = scaledMeans[i] as number;
    for (const v of b) ssWithin += (v / scale - m) ** 2;
    dfWithin += b.length - 1;
  });
  const harmonicN = k / perBlock.reduce((s, n) => s + 1 / n, 0);
  const grand = scaledMeans.reduce((s, m) => s + m, 0) / k;
  const resScaled = resolution / scale;
  const withinScaled = dfWithin > 0 ? Math.max(ssWithin / dfWithin, resScaled ** 2 / 12) : null;
  const betweenScaled =
    k >= 2 ? Math.max(scaledMeans.reduce((s, m) => s + (m - grand) ** 2, 0) / (k - 1), resScaled ** 2 / (12 * harmonicN)) : null;
  const componentScaled = withinScaled !== null && betweenScaled !== null ? Math.max(0, betweenScaled - withinScaled / harmonicN) : null;
  const mean = grand * scale;
  let ci: Interval | null = null;
  let halfWidth: number | null = null;
  let relativeHalfWidth: number | null = null;
  if (betweenScaled !== null) {
    halfWidth = studentTQuantile((1 + confidence) / 2, k - 1) * Math.sqrt(betweenScaled / k) * scale;
    ci = { low: mean - halfWidth, high: mean + halfWidth };
    relativeHalfWidth = halfWidth === 0 ? 0 : mean !== 0 ? halfWidth / Math.abs(mean) : null;
  }
  const s2 = scale * scale;
  return {
    blocks: k,
    perBlock,
    blockMeans: scaledMeans.map((m) => m * scale),
    mean,
    withinVariance: withinScaled === null ? null : withinScaled * s2,
    betweenVariance: betweenScaled === null ? null : betweenScaled * s2,
    betweenComponent: componentScaled === null ? null : componentScaled * s2,
    harmonicN,
    df: k >= 2 ? k - 1 : null,
    ci,
    halfWidth,
    relativeHalfWidth,
    confidence,
  };
}

export interface RepetitionCosts {
  /** Seconds to set one block up: prepare, warm-ups and cleanup. */
  blockSec: number;
  /** Seconds per sample. */
  sampleSec: number;
}

export interface LevelPlan {
  /**
   * n* = √(c_block·S²_within / (c_sample·T²_between)), unrounded; null when T²_between is 0 (no variation
   * between blocks beyond the within-block noise: more samples in one block are cheapest) or unknown.
   */
  optimalPerBlock: number | null;
  /** ⌈n*⌉, at least 2 (a block needs two values for its own variance). */
  recommendedPerBlock: number | null;
  /**
   * Blocks of `recommendedPerBlock` samples for a relative half-width of `targetRelative` around `mean`:
   * the smallest K ≥ 2 with t(K − 1)·√((T²_between + S²_within/n)/K) ≤ target·|mean| (capped at 1000).
   */
  recommendedBlocks: number | null;
  /** Estimated seconds of that design per target: K·(c_block + n·c_sample). */
  estimatedSec: number | null;
}

/**
 * Kalibera and Jones's optimal repetition counts for two levels. `withinVariance` and `betweenComponent`
 * are S²_within and T²_between of the same metric; `targetRelative` is the wanted half-width as a fraction of
 * |mean| (e.g. 0.01).
 */
export function levelPlan(
  s: Pick<TwoLevelSummary, 'withinVariance' | 'betweenComponent' | 'mean' | 'confidence'>,
  costs: RepetitionCosts,
  targetRelative: number,
): LevelPlan {
  const none: LevelPlan = { optimalPerBlock: null, recommendedPerBlock: null, recommendedBlocks: null, estimatedSec: null };
  const { withinVariance: w, betweenComponent: b } = s;
  if (w === null || b === null || !(b > 0) || !(costs.sampleSec > 0) || !(costs.blockSec >= 0)) return none;
  const optimal = Math.sqrt((costs.blockSec * w) / (costs.sampleSec * b));
  const n = Math.max(2, Math.ceil(optimal));
  const wanted = targetRelative * Math.abs(s.mean);
  let blocks: number | null = null;
  if (wanted > 0) {
    const perBlockVariance = b + w / n;
    for (let k = 2; k <= 1000; k++) {
      if (studentTQuantile((1 + s.confidence) / 2, k - 1) * Math.sqrt(perBlockVariance / k) <= wanted) {
        blocks = k;
        break;
      }
    }
  }
  return {
    optimalPerBlock: optimal,
    recommendedPerBlock: n,
    recommendedBlocks: blocks,
    estimatedSec: blocks === null ? null : blocks * (costs.blockSec + n * costs.sampleSec),
  };
}
