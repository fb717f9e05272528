import { describe, expect, it } from 'vitest';
import { compare, fiellerRatioInterval, verdictFor, welchTTest } from '../../src/stats/index.js';
import { studentTQuantile } from '../../src/stats/student-t.js';

const BASE = [100, 101, 99, 100.5, 99.5, 100.2, 99.8, 100.1];
const MINUS_10 = BASE.map((x) => x - 10); // ≈ −10 %, CI ≈ [−10.62, −9.38] % (scipy-checked)
const PLUS_10 = BASE.map((x) => x + 10); // ≈ +10 %, CI ≈ [9.32, 10.69] %

describe('compare: basic fields', () => {
  it('reports ratio, differencePct, Fieller CI, Welch p and direction-aware overhead', () => {
    const c = compare(BASE, MINUS_10);
    expect(c.ratio).toBeCloseTo(90.0125 / 100.0125, 12);
    expect(c.differencePct).toBeCloseTo(-9.998750156230473, 9);
    expect(c.ci!.low).toBeCloseTo(-10.617814135057147, 9);
    expect(c.ci!.high).toBeCloseTo(-9.375851334235607, 9);
    expect(c.df).toBeCloseTo(13.847452085734327, 9);
    expect(c.pValue!).toBeLessThan(1e-12);
    expect(c.higherIsBetter).toBe(true); // default
    // Throughput fell 10 %: overhead is +10 %, interval mirrored.
    expect(c.overheadPct).toBeCloseTo(9.998750156230473, 9);
    expect(c.overheadCi!.low).toBeCloseTo(9.375851334235607, 9);
    expect(c.overheadCi!.high).toBeCloseTo(10.617814135057147, 9);
    expect(c.verdict).toBeUndefined();
    expect(c.bootstrap).toBeUndefined();
    expect(c.tolerancePct).toBeNull();
  });

  it('lower-is-better metrics keep the sign of the difference as overhead', () => {
    const c = compare(BASE, PLUS_10, { higherIsBetter: false });
    expect(c.overheadPct).toBeCloseTo(c.differencePct, 12);
    expect(c.overheadCi).toEqual(c.ci);
  });

  it('returns ci: null with ciUnbounded when g ≥ 1 (baseline mean indistinguishable from 0)', () => {
    const c = compare([-1, 1, 0.5], [3, 3.2, 2.9], { tolerancePct: 5 });
    expect(c.g!).toBeGreaterThanOrEqual(1);
    expect(c.ci).toBeNull();
    expect(c.ciUnbounded).toBe(true);
    expect(c.ciNullReason).toBe('unbounded');
    expect(c.overheadCi).toBeNull();
    expect(c.verdict).toBe('inconclusive');
    expect(Number.isFinite(c.ratio)).toBe(true);
  });

  it('zero variance on both sides: no interval without a resolution (issue 11), an interval with one', () => {
    const c = compare([10, 10, 10], [11, 11, 11], { tolerancePct: 5, higherIsBetter: false });
    expect(c.ci).toBeNull();
    expect(c.ciNullReason).toBe('no-variation');
    expect(c.pValue).toBeNull();
    expect(c.verdict).toBe('inconclusive');
    const same = compare([10, 10, 10], [10, 10, 10]);
    expect(same.ci).toBeNull();
    expect(same.overheadPct).toBe(0);
    const q = compare([10, 10, 10], [11, 11, 11], { tolerancePct: 5, higherIsBetter: false, resolution: 0.01 });
    expect(q.ci!.low).toBeLessThan(10);
    expect(q.ci!.high).toBeGreaterThan(10);
    expect(q.verdict).toBe('fail');
  });

  it('zero variance on one side: df = n − 1 of the other group, half-width t·s/√n relative to the mean', () => {
    const c = compare([10, 10, 10, 10], [9, 11, 10, 10]);
    expect(c.df).toBe(3);
    const half = (studentTQuantile(0.975, 3) * Math.sqrt(2 / 3)) / 2 / 10 * 100;
    expect(c.ci!.low).toBeCloseTo(-half, 10);
    expect(c.ci!.high).toBeCloseTo(half, 10);
    expect(c.pValue).toBeCloseTo(1, 12);
  });

  it('a group of one value gives no interval and no p-value, but still a ratio and MWU', () => {
    const c = compare([5], [6, 7], { tolerancePct: 1 });
    expect(c.ratio).toBeCloseTo(1.3, 12);
    expect(c.ci).toBeNull();
    expect(c.ciUnbounded).toBe(false);
    expect(c.ciNullReason).toBe('too-few-samples');
    expect(c.pValue).toBeNull();
    expect(c.df).toBeNull();
    expect(c.verdict).toBe('inconclusive');
    expect(c.mannWhitneyP).toBeCloseTo(2 / 3, 12); // U = 2 of 2, P(U ≥ 2) = 1/3
  });

  it('rejects bad input', () => {
    expect(() => compare([], [1])).toThrow(RangeError);
    expect(() => compare([1, Number.NaN], [1, 2])).toThrow(RangeError);
    expect(() => compare([-1, 1], [1, 2])).toThrow(/baseline mean is 0/);
    expect(() => compare([1, 2], [1, 2], { confidence: 1 })).toThrow(RangeError);
    expect(() => compare([1, 2], [1, 2], { tolerancePct: Number.NaN })).toThrow(RangeError);
  });

  it('a higher confidence widens the interval', () => {
    const c90 = compare(BASE, MINUS_10, { confidence: 0.9 });
    const c99 = compare(BASE, MINUS_10, { confidence: 0.99 });
    expect(c99.ci!.high - c99.ci!.low).toBeGreaterThan(c90.ci!.high - c90.ci!.low);
  });
});

describe('verdict', () => {
  it('throughput drop of 10 %: fail at 5 %, pass at 15 %, inconclusive at 10 %', () => {
    expect(compare(BASE, MINUS_10, { tolerancePct: 5 }).verdict).toBe('fail');
    expect(compare(BASE, MINUS_10, { tolerancePct: 15 }).verdict).toBe('pass');
    expect(compare(BASE, MINUS_10, { tolerancePct: 10 }).verdict).toBe('inconclusive');
  });

  it('throughput gain of 10 % passes even at 0 % tolerance', () => {
    const c = compare(BASE, PLUS_10, { tolerancePct: 0 });
    expect(c.overheadPct).toBeLessThan(0);
    expect(c.verdict).toBe('pass');
  });

  it('time metric (lower is better): +10 % fails at 5 %, −10 % passes at 0 %', () => {
    expect(compare(BASE, PLUS_10, { tolerancePct: 5, higherIsBetter: false }).verdict).toBe('fail');
    expect(compare(BASE, PLUS_10, { tolerancePct: 12, higherIsBetter: false }).verdict).toBe('pass');
    expect(compare(BASE, PLUS_10, { tolerancePct: 10, higherIsBetter: false }).verdict).toBe('inconclusive');
    expect(compare(BASE, MINUS_10, { tolerancePct: 0, higherIsBetter: false }).verdict).toBe('pass');
  });

  it('boundaries: o_hi = tolerance passes, o_lo = tolerance does not fail', () => {
    expect(verdictFor({ low: 1, high: 5 }, 5)).toBe('pass');
    expect(verdictFor({ low: 5, high: 7 }, 5)).toBe('inconclusive');
    expect(verdictFor({ low: 5.0001, high: 7 }, 5)).toBe('fail');
    expect(verdictFor(null, 5)).toBe('inconclusive');
  });
});

describe('building blocks', () => {
  it('fiellerRatioInterval reduces to the plain t interval of m_c/m_b when the baseline has no variance', () => {
    const f = fiellerRatioInterval({ n: 5, mean: 50, variance: 0 }, { n: 9, mean: 40, variance: 4 }, 0.95);
    const t = studentTQuantile(0.975, 8);
    expect(f.df).toBe(8);
    expect(f.g).toBe(0);
    expect(f.ratioCi!.low).toBeCloseTo(0.8 - (t * Math.sqrt(4 / 9)) / 50, 14);
    expect(f.ratioCi!.high).toBeCloseTo(0.8 + (t * Math.sqrt(4 / 9)) / 50, 14);
  });

  it('fiellerRatioInterval keeps low ≤ high for a negative baseline mean', () => {
    const f = fiellerRatioInterval({ n: 10, mean: -20, variance: 1 }, { n: 10, mean: -22, variance: 1 }, 0.95);
    expect(f.ratioCi!.low).toBeLessThan(1.1);
    expect(f.ratioCi!.high).toBeGreaterThan(1.1);
  });

  it('welchTTest: df between min(n)−1 and n_b+n_c−2, symmetric p', () => {
    const b = { n: 6, mean: 10, variance: 4 };
    const c = { n: 11, mean: 12, variance: 1 };
    const w = welchTTest(b, c)!;
    expect(w.df).toBeGreaterThan(5);
    expect(w.df).toBeLessThan(15);
    expect(welchTTest(c, b)!.pValue).toBeCloseTo(w.pValue, 15);
    expect(welchTTest({ n: 1, mean: 1, variance: 0 }, c)).toBeNull();
  });
});
