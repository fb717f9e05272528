import { describe, expect, it } from 'vitest';
import { bootstrapDifferencePct, compare, createRng } from '../../src/stats/index.js';

// Deterministic, clearly separated groups: candidate ≈ 10 % slower throughput.
const rng = createRng(42);
const BASE = Array.from({ length: 20 }, () => 100 * (1 + 0.02 * rng.nextNormal()));
const CAND = Array.from({ length: 20 }, () => 90 * (1 + 0.02 * rng.nextNormal()));

describe('seeded PRNG', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 5 }, () => a.nextFloat());
    expect(Array.from({ length: 5 }, () => b.nextFloat())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextFloat())).not.toEqual(seqA);
  });

  it('nextFloat in [0, 1), nextInt uniform over its range, nextNormal ~ N(0, 1)', () => {
    const r = createRng(123);
    const counts = new Array(6).fill(0) as number[];
    let sum = 0;
    let sumSq = 0;
    const N = 60_000;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < N; i++) {
      const u = r.nextFloat();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      counts[r.nextInt(6)]!++;
      const z = r.nextNormal();
      sum += z;
      sumSq += z * z;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(lo).toBeLessThan(0.001);
    expect(hi).toBeLessThan(1);
    expect(hi).toBeGreaterThan(0.999);
    for (const k of counts) expect(Math.abs(k - N / 6)).toBeLessThan(5 * Math.sqrt((N * (1 / 6) * (5 / 6))));
    expect(Math.abs(sum / N)).toBeLessThan(0.02);
    expect(Math.abs(sumSq / N - 1)).toBeLessThan(0.03);
    expect(() => r.nextInt(0)).toThrow(RangeError);
  });
});

describe('bootstrap of the difference %', () => {
  it('is reproducible for a seed and changes with the seed', () => {
    const a = bootstrapDifferencePct(BASE, CAND, 0.95, { resamples: 2000, seed: 5 });
    const b = bootstrapDifferencePct(BASE, CAND, 0.95, { resamples: 2000, seed: 5 });
    const c = bootstrapDifferencePct(BASE, CAND, 0.95, { resamples: 2000, seed: 6 });
    expect(b).toEqual(a);
    expect(c.percentile).not.toEqual(a.percentile);
  });

  it('percentile and BCa intervals bracket the point estimate and agree with Fieller in a clear case', () => {
    const cmp = compare(BASE, CAND, { bootstrap: { resamples: 10_000, seed: 1 } });
    const boot = cmp.bootstrap!;
    expect(boot.resamples).toBe(10_000);
    expect(boot.seed).toBe(1);
    for (const interval of [boot.percentile!, boot.bca!]) {
      expect(interval.low).toBeLessThan(cmp.differencePct);
      expect(interval.high).toBeGreaterThan(cmp.differencePct);
      expect(interval.high).toBeLessThan(0); // the drop is clear
      // Same scale as Fieller: within 1 percentage point at each end.
      expect(Math.abs(interval.low - cmp.ci!.low)).toBeLessThan(1);
      expect(Math.abs(interval.high - cmp.ci!.high)).toBeLessThan(1);
    }
    expect(Number.isFinite(boot.acceleration!)).toBe(true);
    expect(Math.abs(boot.biasCorrection!)).toBeLessThan(0.2);
    // Overhead view is mirrored for a higher-is-better metric.
    expect(boot.overheadBca).toEqual({ low: 0 - boot.bca!.high, high: 0 - boot.bca!.low });
    expect(boot.overheadPercentile).toEqual({ low: 0 - boot.percentile!.high, high: 0 - boot.percentile!.low });
    // Fieller stays the primary interval.
    expect(cmp.ci).not.toBeNull();
  });

  it('acceleration follows the two-sample jackknife formula; the default seed is 1', () => {
    const b = [9, 10, 11];
    const c = [19, 20, 21];
    const res = bootstrapDifferencePct(b, c, 0.95, { resamples: 500 });
    expect(res.seed).toBe(1);
    // Leave-one-out estimates of θ = (mean(c)/mean(b) − 1)·100 for each group.
    const thetaB = [20 / 10.5, 20 / 10, 20 / 9.5].map((r) => (r - 1) * 100);
    const thetaC = [20.5 / 10, 20 / 10, 19.5 / 10].map((r) => (r - 1) * 100);
    let num = 0;
    let den = 0;
    for (const th of [thetaB, thetaC]) {
      const avg = (th[0]! + th[1]! + th[2]!) / 3;
      for (const t of th) {
        const u = 2 * (avg - t);
        num += u ** 3 / 27;
        den += u ** 2 / 9;
      }
    }
    expect(res.acceleration).toBeCloseTo(num / (6 * den ** 1.5), 12);
    expect(res.acceleration).not.toBe(0);
  });

  it('returns null intervals with a note for groups of one value, and rejects bad resamples', () => {
    const one = bootstrapDifferencePct([10], [11, 12], 0.95);
    expect(one.percentile).toBeNull();
    expect(one.bca).toBeNull();
    expect(one.note).toBe('too-few-samples');
    expect(() => bootstrapDifferencePct(BASE, CAND, 0.95, { resamples: 1.5 })).toThrow(RangeError);
  });

  it('BCa is null (with a reason) when every replicate equals the estimate', () => {
    const flat = bootstrapDifferencePct([5, 5, 5], [6, 6, 6], 0.95, { resamples: 200 });
    expect(flat.percentile!.low).toBeCloseTo(20, 12);
    expect(flat.percentile!.high).toBeCloseTo(20, 12);
    // z0 = Φ⁻¹(½) = 0 here, but the jackknife has zero variance → acceleration undefined.
    expect(flat.bca).toBeNull();
    expect(flat.note).toMatch(/bca-undefined/);
  });
});
