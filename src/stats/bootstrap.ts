/**
 * Seeded two-sample bootstrap of the difference of means in percent, θ = (mean(c)/mean(b) − 1)·100.
 * Each resample draws n_b values from the baseline and n_c from the candidate, with replacement and
 * independently (stratified by group). Two intervals are reported:
 *
 * - percentile: type-7 quantiles α/2 and 1 − α/2 of the B bootstrap replicates θ*;
 * - BCa (Efron 1987): quantiles at α₁ = Φ(z₀ + (z₀ + z_{α/2}) / (1 − â(z₀ + z_{α/2}))) and likewise α₂,
 *   with bias correction z₀ = Φ⁻¹((#{θ* < θ̂} + ½·#{θ* = θ̂}) / B) and acceleration â from the jackknife,
 *   deleting one value at a time from each group: with U_gi = (n_g − 1)(θ̄_g − θ_(g,i)),
 *   â = Σ_g Σ_i U_gi³ / n_g³ / (6 · (Σ_g Σ_i U_gi² / n_g²)^{3/2}).
 *
 * The bootstrap is reported beside the Fieller interval, never instead of it.
 */

import { mean, quantileSorted } from './descriptive.js';
import { createRng } from './random.js';
import { normalCdf, normalQuantile } from './special.js';
import { assertConfidence, type Interval } from './types.js';

export const DEFAULT_BOOTSTRAP_RESAMPLES = 10_000;
export const DEFAULT_BOOTSTRAP_SEED = 1;

export interface BootstrapOptions {
  /** Number of resamples B (default 10,000). */
  resamples?: number;
  /** PRNG seed (default 1); the same seed and data always give the same intervals. */
  seed?: number;
}

export interface BootstrapDifference {
  resamples: number;
  seed: number;
  confidence: number;
  /** Percentile interval of differencePct; null when a group has fewer than 2 values. */
  percentile: Interval | null;
  /** BCa interval of differencePct; null when z₀ or the adjusted levels are not finite (see `note`). */
  bca: Interval | null;
  /** z₀; null when not defined. */
  biasCorrection: number | null;
  /** â; null when not defined. */
  acceleration: number | null;
  /** Why an interval is null, if one is. */
  note: string | null;
}

function differencePct(meanBaseline: number, meanCandidate: number): number {
  return (meanCandidate / meanBaseline - 1) * 100;
}

/** Jackknife acceleration for the two-group statistic; null when all jackknife values coincide. */
function jackknifeAcceleration(baseline: readonly number[], candidate: readonly number[]): number | null {
  const sumB = baseline.reduce((s, v) => s + v, 0);
  const sumC = candidate.reduce((s, v) => s + v, 0);
  const nb = baseline.length;
  const nc = candidate.length;
  const groups = [
    baseline.map((v) => differencePct((sumB - v) / (nb - 1), sumC / nc)),
    candidate.map((v) => differencePct(sumB / nb, (sumC - v) / (nc - 1))),
  ];
  let num = 0;
  let den = 0;
  for (const thetas of groups) {
    const n = thetas.length;
    const avg = mean(thetas);
    let s2 = 0;
    let s3 = 0;
    for (const th of thetas) {
      const u = (n - 1) * (avg - th);
      s2 += u * u;
      s3 += u * u * u;
    }
    num += s3 / (n * n * n);
    den += s2 / (n * n);
  }
  if (!(den > 0)) return null;
  return num / (6 * Math.pow(den, 1.5));
}

export function bootstrapDifferencePct(
  baseline: readonly number[],
  candidate: readonly number[],
  confidence: number,
  options: BootstrapOptions = {},
): BootstrapDifference {
  assertConfidence(confidence);
  const resamples = options.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const seed = options.seed ?? DEFAULT_BOOTSTRAP_SEED;
  if (!Number.isInteger(resamples) || resamples < 2) {
    throw new RangeError(`bootstrap.resamples must be an integer ≥ 2, got ${resamples}`);
  }
  const base = { resamples, seed, confidence };
  const nb = baseline.length;
  const nc = candidate.length;
  if (nb < 2 || nc < 2) {
    return { ...base, percentile: null, bca: null, biasCorrection: null, acceleration: null, note: 'too-few-samples' };
  }

  const rng = createRng(seed);
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sb = 0;
    for (let i = 0; i < nb; i++) sb += baseline[rng.nextInt(nb)]!;
    let sc = 0;
    for (let i = 0; i < nc; i++) sc += candidate[rng.nextInt(nc)]!;
    replicates[r] = differencePct(sb / nb, sc / nc);
  }
  for (const th of replicates) {
    if (!Number.isFinite(th)) {
      return {
        ...base,
        percentile: null,
        bca: null,
        biasCorrection: null,
        acceleration: null,
        note: 'non-finite-replicate (a resampled baseline mean was 0)',
      };
    }
  }
  replicates.sort();

  const alpha = 1 - confidence;
  const percentile: Interval = {
    low: quantileSorted(replicates, alpha / 2),
    high: quantileSorted(replicates, 1 - alpha / 2),
  };

  const estimate = differencePct(mean(baseline), mean(candidate));
  let below = 0;
  let equal = 0;
  for (const th of replicates) {
    if (th < estimate) below++;
    else if (th === estimate) equal++;
  }
  const z0 = normalQuantile((below + equal / 2) / resamples);
  const acceleration = jackknifeAcceleration(baseline, candidate);
  if (!Number.isFinite(z0) || acceleration === null) {
    return {
      ...base,
      percentile,
      bca: null,
      biasCorrection: Number.isFinite(z0) ? z0 : null,
      acceleration,
      note: !Number.isFinite(z0) ? 'bca-undefined: all replicates on one side of the estimate' : 'bca-undefined: zero jackknife variance',
    };
  }
  const adjust = (zAlpha: number): number => {
    const s = z0 + zAlpha;
    const denominator = 1 - acceleration * s;
    return denominator > 0 ? normalCdf(z0 + s / denominator) : Number.NaN;
  };
  const a1 = adjust(normalQuantile(alpha / 2));
  const a2 = adjust(normalQuantile(1 - alpha / 2));
  const bca =
    Number.isFinite(a1) && Number.isFinite(a2) && a1 <= a2
      ? { low: quantileSorted(replicates, a1), high: quantileSorted(replicates, a2) }
      : null;
  return {
    ...base,
    percentile,
    bca,
    biasCorrection: z0,
    acceleration,
    note: bca ? null : 'bca-undefined: adjusted levels out of order',
  };
}
