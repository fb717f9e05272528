/**
 * The paired interval over adjacent pairs. Expected values come from scipy 1.17 (worked outside the code):
 *   d = np.log(c/b); stats.t.interval(0.95, df=n-1, loc=d.mean(), scale=stats.sem(d)) → np.expm1(·)·100,
 *   stats.pearsonr(np.log(b), np.log(c), alternative='greater'), and for the paired Fieller interval the roots of
 *   A R² − 2B R + C with A = m_b² − q s_b², B = m_b m_c − q s_bc, C = m_c² − q s_c², q = t²/n (np.roots).
 */
import { describe, expect, it } from 'vitest';
import {
  choosePaired,
  correlationPValue,
  lag1Autocorrelation,
  lag1Bound,
  pairedInterval,
  pearson,
  PAIRED_MIN_PAIRS,
  type PairedInterval,
} from '../../src/stats/paired.js';

const B = [100, 110, 90, 105, 95, 100, 108, 97];
const C = [96, 104, 87, 99, 92, 95, 101, 94];

describe('pairedInterval, positive metric (log ratio)', () => {
  // Computed inside each test, not at collection: code run while vitest collects the file is invisible to
  // per-test coverage, so a mutation tester would never rerun these tests for it (docs/testing.md).
  const freshP = () => { const p = pairedInterval(B, C); return { p }; };
  it('is the t-interval of mean ln(c/b), back-transformed (scipy)', () => {
    const { p } = freshP();
    expect(p.method).toBe('paired-log');
    expect(p.n).toBe(8);
    expect(p.df).toBe(7);
    expect(p.tCritical).toBeCloseTo(2.364624251592784, 10);
    expect(p.estimate).toBeCloseTo(-4.537124618476269, 9);
    expect(p.ci!.low).toBeCloseTo(-5.624361431303297, 9);
    expect(p.ci!.high).toBeCloseTo(-3.4373624982172197, 9);
    expect(p.nullReason).toBeNull();
  });
  it('reports the lag-1 autocorrelation of the differences and the correlation of the logs (numpy/scipy)', () => {
    const { p } = freshP();
    expect(p.lag1).toBeCloseTo(-0.5991916974090268, 10);
    expect(p.correlation).toBeCloseTo(0.9926219954309602, 10);
    expect(correlationPValue(p.correlation!, 8)).toBeCloseTo(4.992527833516983e-7, 12);
  });
  it('is scale-free and bounded above −100 %', () => {
    const { p } = freshP();
    const q = pairedInterval(B.map((v) => v * 1e-300), C.map((v) => v * 1e-300));
    expect(q.ci!.low).toBeCloseTo(p.ci!.low, 9);
    const tiny = pairedInterval([100, 100, 100, 100], [1, 30, 0.5, 2]);
    expect(tiny.ci!.low).toBeGreaterThan(-100);
  });
  it('a higher confidence widens it', () => {
    const { p } = freshP();
    const w = pairedInterval(B, C, { confidence: 0.98 });
    expect(w.ci!.low).toBeLessThan(p.ci!.low);
    expect(w.ci!.high).toBeGreaterThan(p.ci!.high);
  });
});

describe('pairedInterval, a metric that can be ≤ 0 (paired Fieller)', () => {
  const b = [-10, -12, -9, -11, -10.5, -9.5];
  const c = [-11, -13.5, -9.8, -12, -11.6, -10.2];
  // Computed inside each test, not at collection: code run while vitest collects the file is invisible to
  // per-test coverage, so a mutation tester would never rerun these tests for it (docs/testing.md).
  const freshP = () => { const p = pairedInterval(b, c, { positive: false }); return { p }; };
  it('solves the quadratic with the pairs’ covariance, with the sign rule of compare (np.roots)', () => {
    const { p } = freshP();
    expect(p.method).toBe('paired-fieller');
    expect(p.estimate).toBeCloseTo(-9.838709677419356, 9); // (m_c/m_b − 1)·100·sign(m_b)
    expect(p.ci!.low).toBeCloseTo(-11.596616999550392, 8);
    expect(p.ci!.high).toBeCloseTo(-7.7497625867977815, 8);
  });
  it('each bound R makes the paired t statistic of c − R·b equal to ±t (test inversion)', () => {
    const { p } = freshP();
    for (const pct of [p.ci!.low, p.ci!.high]) {
      const R = 1 - pct / 100; // negative baseline: difference = −(R − 1)·100
      const e = c.map((v, i) => v - R * b[i]!);
      const m = e.reduce((s, v) => s + v, 0) / e.length;
      const s = Math.sqrt(e.reduce((acc, v) => acc + (v - m) ** 2, 0) / (e.length - 1));
      expect(Math.abs(m / (s / Math.sqrt(e.length)))).toBeCloseTo(p.tCritical!, 8);
    }
  });
  it('is used for a positive metric with a zero value', () => {
    expect(pairedInterval([5, 6, 0, 7], [5, 7, 1, 8]).method).toBe('paired-fieller');
  });
  it('is unbounded when the baseline mean cannot be told from 0', () => {
    const u = pairedInterval([1, -1, 2, -1.5], [2, -2, 3, -2], { positive: false });
    expect(u.ci).toBeNull();
    expect(u.nullReason).toBe('unbounded');
  });
});

describe('pairedInterval edge cases', () => {
  it('needs 2 pairs', () => {
    const p = pairedInterval([100], [90]);
    expect(p.ci).toBeNull();
    expect(p.nullReason).toBe('too-few-samples');
    expect(p.estimate).toBeCloseTo(-10, 12);
  });
  it('no variation in the ratios and no resolution: no interval; with a resolution, the rounding floor', () => {
    const p = pairedInterval([100, 200, 300], [110, 220, 330]);
    expect(p.nullReason).toBe('no-variation');
    expect(p.estimate).toBeCloseTo(10, 10);
    const q = pairedInterval([10, 10, 10], [11, 11, 11], { resolution: 1 });
    // s_d ≥ (1/√12)·√(1/10² + 1/11²); half-width t(2)·s/√3, t(2) = 4.302652729749464 (scipy)
    const s = Math.sqrt(1 / 100 + 1 / 121) / Math.sqrt(12);
    const h = (4.302652729749464 * s) / Math.sqrt(3);
    expect(q.ci!.low).toBeCloseTo(Math.expm1(Math.log(1.1) - h) * 100, 9);
    expect(q.ci!.high).toBeCloseTo(Math.expm1(Math.log(1.1) + h) * 100, 9);
  });
  it('rejects unequal lengths and a zero baseline mean', () => {
    expect(() => pairedInterval([1, 2], [1])).toThrow(RangeError);
    expect(() => pairedInterval([1, -1], [1, 2], { positive: false })).toThrow(/baseline mean is 0/);
  });
  it('counts pairs whose difference is an outlier, keeping them', () => {
    const b = [100, 100, 100, 100, 100, 100, 100, 100];
    const c = [95, 96, 94, 95, 96, 95, 94, 60];
    const p = pairedInterval(b, c);
    expect(p.outliers).toBe(1);
    expect(p.estimate).toBeLessThan(-9); // the 60 is in the mean
  });
});

describe('lag-1 autocorrelation and correlation', () => {
  it('match hand values', () => {
    // x = 1,2,3,4: mean 2.5, deviations −1.5 −.5 .5 1.5; Σ products = .75 − .25 + .75 = 1.25; Σ squares = 5
    expect(lag1Autocorrelation([1, 2, 3, 4])).toBeCloseTo(0.25, 12);
    expect(lag1Autocorrelation([1, -1, 1, -1])).toBeCloseTo(-0.75, 12);
    expect(lag1Autocorrelation([1, 2])).toBeNull();
    expect(lag1Autocorrelation([3, 3, 3])).toBeNull();
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNull();
  });
  it('the bound is −1/n + z₀.₉₅/√n', () => {
    expect(lag1Bound(6)).toBeCloseTo(-1 / 6 + 1.6448536269514722 / Math.sqrt(6), 10);
  });
});

describe('choosePaired', () => {
  const base: PairedInterval = {
    n: 10, method: 'paired-log', confidence: 0.95, estimate: -5, ci: { low: -6, high: -4 }, nullReason: null,
    df: 9, tCritical: 2.262, lag1: 0, correlation: 0.9, outliers: 0,
  };
  const fieller = { low: -9, high: -1 };
  it('uses the paired interval when every check passes', () => {
    expect(choosePaired(base, fieller)).toEqual({ used: true, reason: null });
    expect(choosePaired(base, null)).toEqual({ used: true, reason: null }); // Fieller unbounded
  });
  it('names the first failing check', () => {
    expect(choosePaired({ ...base, n: PAIRED_MIN_PAIRS - 1 }, fieller).reason).toBe('too-few-pairs');
    expect(choosePaired({ ...base, ci: null, nullReason: 'no-variation' }, fieller).reason).toBe('no-interval');
    // r = 0.5 over 10 pairs: one-sided p = 0.0705566 (scipy t.sf(0.5·√8/√0.75, 8)) > 0.05
    expect(correlationPValue(0.5, 10)).toBeCloseTo(0.070556640625, 9);
    expect(choosePaired({ ...base, correlation: 0.5 }, fieller).reason).toBe('no-shared-noise');
    expect(choosePaired({ ...base, correlation: null }, fieller).reason).toBe('no-shared-noise');
    // bound at n = 10: −0.1 + 1.645/√10 = 0.420
    expect(choosePaired({ ...base, lag1: 0.43 }, fieller).reason).toBe('autocorrelated');
    expect(choosePaired({ ...base, lag1: 0.41 }, fieller).used).toBe(true);
    expect(choosePaired({ ...base, lag1: -0.9 }, fieller).used).toBe(true); // alternation only widens s_d
    expect(choosePaired(base, { low: -6, high: -4 }).reason).toBe('not-narrower');
  });
});
