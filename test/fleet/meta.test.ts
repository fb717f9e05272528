// Random-effects meta-analysis against values computed by hand (below) and metafor's published BCG example.
import { describe, expect, it } from 'vitest';
import { logRatioStudy, randomEffectsMeta } from '../../src/stats/meta.js';

describe('randomEffectsMeta (DerSimonian–Laird)', () => {
  it('matches a hand-computed example with heterogeneity', () => {
    // y = 0.1, 0.3, 0.5; v = 0.01 each → w = 100 each, Σw = 300, ȳ_FE = 0.3,
    // Q = 100·(0.04 + 0 + 0.04) = 8, df = 2, C = 300 − 30000/300 = 200, τ² = (8 − 2)/200 = 0.03,
    // I² = 6/8 = 0.75, w* = 1/0.04 = 25 each, μ = 0.3, SE = √(1/75) = 0.115470, z(0.975) = 1.959964.
    const r = randomEffectsMeta([{ y: 0.1, v: 0.01 }, { y: 0.3, v: 0.01 }, { y: 0.5, v: 0.01 }]);
    expect(r.q).toBeCloseTo(8, 10);
    expect(r.df).toBe(2);
    expect(r.tau2).toBeCloseTo(0.03, 10);
    expect(r.tau).toBeCloseTo(Math.sqrt(0.03), 10);
    expect(r.i2).toBeCloseTo(0.75, 10);
    expect(r.estimate).toBeCloseTo(0.3, 10);
    expect(r.se).toBeCloseTo(0.1154700538, 8);
    expect(r.ci.low).toBeCloseTo(0.3 - 1.959964 * 0.1154700538, 5);
    expect(r.ci.high).toBeCloseTo(0.3 + 1.959964 * 0.1154700538, 5);
    expect(r.weights).toEqual([1 / 3, 1 / 3, 1 / 3].map((x) => expect.closeTo(x, 12)));
  });

  it('applies the Hartung–Knapp adjustment with a t quantile', () => {
    // Same data: Σw*(y − μ)² = 25·0.08 = 2, SE_HK² = 2/(2·75) = 1/75, t(0.975, 2) = 4.302653.
    const r = randomEffectsMeta([{ y: 0.1, v: 0.01 }, { y: 0.3, v: 0.01 }, { y: 0.5, v: 0.01 }], { hartungKnapp: true });
    expect(r.method).toBe('DL+HK');
    expect(r.se).toBeCloseTo(0.1154700538, 8);
    expect(r.ci.high - r.estimate).toBeCloseTo(4.302653 * 0.1154700538, 5);
  });

  it('Hartung–Knapp never narrower than DerSimonian–Laird (q* at least 1): identical studies', () => {
    // y = 0.2, 0.2; v = 0.02 each → Q = 0, τ² = 0, Σw* = 100, SE_DL = 0.1; raw q* = 0 → taken as 1 → SE_HK = 0.1,
    // CI half-width t(0.975, 1) · 0.1 = 12.706205 · 0.1.
    const r = randomEffectsMeta([{ y: 0.2, v: 0.02 }, { y: 0.2, v: 0.02 }], { hartungKnapp: true });
    expect(r.se).toBeCloseTo(0.1, 12);
    expect(r.ci.high - 0.2).toBeCloseTo(1.2706205, 5);
  });

  it('has τ² = 0 and I² = 0 when Q is below its degrees of freedom, with inverse-variance weights', () => {
    // y = 0, 1; v = 1, 3 → w = 1, 1/3, ȳ = (1/3)/(4/3) = 0.25, Q = 0.0625 + 0.1875 = 0.25 < 1.
    const r = randomEffectsMeta([{ y: 0, v: 1 }, { y: 1, v: 3 }]);
    expect(r.q).toBeCloseTo(0.25, 12);
    expect(r.tau2).toBe(0);
    expect(r.i2).toBe(0);
    expect(r.estimate).toBeCloseTo(0.25, 12);
    expect(r.fixedEstimate).toBeCloseTo(0.25, 12);
    expect(r.se).toBeCloseTo(Math.sqrt(0.75), 12);
    expect(r.weights[0]).toBeCloseTo(0.75, 12);
  });

  it("reproduces metafor's DerSimonian–Laird fit of the BCG vaccine trials (dat.bcg, log risk ratios)", () => {
    // Colditz et al. (1994) as shipped in R's metafor (dat.bcg): tpos, tneg, cpos, cneg.
    // Published output of rma(yi, vi, data=dat, method="DL"): estimate −0.7141, se 0.1787,
    // CI [−1.0644, −0.3638], τ² 0.3088, Q(df = 12) = 152.2330, I² 92.12 %.
    const bcg = [
      [4, 119, 11, 128], [6, 300, 29, 274], [3, 228, 11, 209], [62, 13536, 248, 12619], [33, 5036, 47, 5761],
      [180, 1361, 372, 1079], [8, 2537, 10, 619], [505, 87886, 499, 87892], [29, 7470, 45, 7232],
      [17, 1699, 65, 1600], [186, 50448, 141, 27197], [5, 2493, 3, 2338], [27, 16886, 29, 17825],
    ] as const;
    const studies = bcg.map(([a, b, c, d]) => ({ y: Math.log(a / (a + b) / (c / (c + d))), v: 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d) }));
    const r = randomEffectsMeta(studies);
    expect(r.estimate).toBeCloseTo(-0.7141, 4);
    expect(r.se).toBeCloseTo(0.1787, 4);
    expect(r.ci.low).toBeCloseTo(-1.0644, 3);
    expect(r.ci.high).toBeCloseTo(-0.3638, 3);
    expect(r.tau2).toBeCloseTo(0.3088, 4);
    expect(r.q).toBeCloseTo(152.233, 3);
    expect(r.i2 * 100).toBeCloseTo(92.12, 1);
  });

  it('refuses no studies and non-positive variances', () => {
    expect(() => randomEffectsMeta([])).toThrow(/at least one/);
    expect(() => randomEffectsMeta([{ y: 0, v: 0 }])).toThrow(/variance/);
  });
});

describe('logRatioStudy', () => {
  it('is the log of the ratio of means with the delta-method variance', () => {
    // ln(90/100) = −0.1053605; v = 9²/(4·90²) + 10²/(5·100²) = 0.0025 + 0.002 = 0.0045
    const s = logRatioStudy({ mean: 90, sd: 9, n: 4 }, { mean: 100, sd: 10, n: 5 });
    expect(s?.y).toBeCloseTo(-0.1053605157, 9);
    expect(s?.v).toBeCloseTo(0.0045, 12);
    expect(logRatioStudy({ mean: 90, sd: 9, n: 1 }, { mean: 100, sd: 10, n: 5 })).toBeNull();
    expect(logRatioStudy({ mean: 0, sd: 9, n: 4 }, { mean: 100, sd: 10, n: 5 })).toBeNull();
  });
});
