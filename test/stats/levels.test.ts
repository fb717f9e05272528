/**
 * Two levels (Kalibera & Jones): every expected value is worked by hand from the definitions in
 * docs/statistics.md ("Repetitions at two levels"); t quantiles from scipy.stats.t.ppf.
 */
import { describe, expect, it } from 'vitest';
import { levelPlan, twoLevelSummary } from '../../src/stats/levels.js';

// scipy.stats.t.ppf(0.975, 2), t.ppf(0.975, 1), t.ppf(0.95, 2)
const T975_2 = 4.302652729749462;
const T975_1 = 12.706204736174694;
const T95_2 = 2.9199855803537242;

describe('twoLevelSummary', () => {
  // Blocks [10, 12], [14, 16], [9, 11]: block means 11, 15, 10; grand mean 12.
  // Within: each block's deviations are ±1, so SS = 2 per block, df = 1 per block: S²_within = 6/3 = 2.
  // Between: ((11−12)² + (15−12)² + (10−12)²)/(3−1) = (1 + 9 + 4)/2 = 7.  ñ = 2, T² = 7 − 2/2 = 6.
  const blocks = [[10, 12], [14, 16], [9, 11]];

  it('pools the within-block variance, takes the variance of the block means, and the Kalibera–Jones component', () => {
    const s = twoLevelSummary(blocks);
    expect(s.blocks).toBe(3);
    expect(s.perBlock).toEqual([2, 2, 2]);
    expect(s.blockMeans).toEqual([11, 15, 10]);
    expect(s.mean).toBe(12);
    expect(s.withinVariance).toBeCloseTo(2, 12);
    expect(s.betweenVariance).toBeCloseTo(7, 12);
    expect(s.harmonicN).toBe(2);
    expect(s.betweenComponent).toBeCloseTo(6, 12);
    expect(s.df).toBe(2);
  });

  it('interval of the mean: t(K − 1) over the block means, 12 ± 4.3027·√(7/3)', () => {
    const s = twoLevelSummary(blocks);
    const hw = T975_2 * Math.sqrt(7 / 3); // 6.5724…
    expect(s.halfWidth).toBeCloseTo(hw, 9);
    expect(s.ci?.low).toBeCloseTo(12 - hw, 9);
    expect(s.ci?.high).toBeCloseTo(12 + hw, 9);
    expect(s.relativeHalfWidth).toBeCloseTo(hw / 12, 9);
    expect(twoLevelSummary(blocks, { confidence: 0.9 }).halfWidth).toBeCloseTo(T95_2 * Math.sqrt(7 / 3), 9);
  });

  it('unequal blocks: [1, 2, 3] and [5] — ñ is the harmonic mean, the mean is the mean of block means', () => {
    // Means 2 and 5 (mean 3.5). Within: SS 2 on 2 df (the single value adds no df): 1. Between: 1.5² + 1.5² = 4.5.
    // ñ = 2/(1/3 + 1) = 1.5; T² = 4.5 − 1/1.5 = 3.8333…; half-width t(1)·√(4.5/2).
    const s = twoLevelSummary([[1, 2, 3], [5]]);
    expect(s.mean).toBe(3.5);
    expect(s.withinVariance).toBeCloseTo(1, 12);
    expect(s.betweenVariance).toBeCloseTo(4.5, 12);
    expect(s.harmonicN).toBeCloseTo(1.5, 12);
    expect(s.betweenComponent).toBeCloseTo(4.5 - 1 / 1.5, 12);
    expect(s.halfWidth).toBeCloseTo(T975_1 * Math.sqrt(4.5 / 2), 9);
  });

  it('blocks that agree better than their own noise: the component is 0, not negative', () => {
    // Means 11 and 11.5: S²_between = 0.125; S²_within = (2 + 2)/2 = 2; 0.125 − 2/2 < 0 → 0.
    const s = twoLevelSummary([[10, 12], [10.5, 12.5]]);
    expect(s.betweenVariance).toBeCloseTo(0.125, 12);
    expect(s.betweenComponent).toBe(0);
  });

  it('one block: no between-block variance and no interval', () => {
    const s = twoLevelSummary([[1, 2, 3]]);
    expect(s.betweenVariance).toBeNull();
    expect(s.betweenComponent).toBeNull();
    expect(s.ci).toBeNull();
    expect(s.withinVariance).toBeCloseTo(1, 12);
  });

  it('a quantized metric: variances floored at resolution²/12 within and resolution²/(12ñ) between', () => {
    const s = twoLevelSummary([[1, 1], [1, 1]], { resolution: 1 });
    expect(s.withinVariance).toBeCloseTo(1 / 12, 12);
    expect(s.betweenVariance).toBeCloseTo(1 / 24, 12);
    expect(s.halfWidth).toBeCloseTo(T975_1 * Math.sqrt(1 / 24 / 2), 9);
  });

  it('gives the same relative figures near 1e300 as near 1', () => {
    const big = twoLevelSummary(blocks.map((b) => b.map((v) => v * 1e300)));
    expect(big.relativeHalfWidth).toBeCloseTo(T975_2 * Math.sqrt(7 / 3) / 12, 9);
    // The variances themselves are in unit² (near 1e600 they leave the double range); near 1e150 they do not.
    const mid = twoLevelSummary(blocks.map((b) => b.map((v) => v * 1e150)));
    expect((mid.betweenComponent as number) / mid.mean ** 2).toBeCloseTo(6 / 144, 9);
  });

  it('rejects empty input', () => {
    expect(() => twoLevelSummary([])).toThrow(RangeError);
    expect(() => twoLevelSummary([[1], []])).toThrow(RangeError);
    expect(() => twoLevelSummary([[1, Number.NaN]])).toThrow(RangeError);
  });
});

describe('levelPlan (optimal repetition counts)', () => {
  const s = { withinVariance: 2, betweenComponent: 6, mean: 12, confidence: 0.95 };

  it('n* = √(c_block·S²_within/(c_sample·T²)) = √(8·2/(0.5·6)) = 2.309 → 3 per block', () => {
    const p = levelPlan(s, { blockSec: 8, sampleSec: 0.5 }, 0.1);
    expect(p.optimalPerBlock).toBeCloseTo(Math.sqrt(16 / 3), 12);
    expect(p.recommendedPerBlock).toBe(3);
  });

  it('blocks for ±10 %: smallest K with t(K − 1)·√((6 + 2/3)/K) ≤ 1.2 is 21, costing 21·(8 + 3·0.5) s', () => {
    // scipy: K = 20 gives t(19)·√(6.667/20) = 2.0930·0.5774 = 1.2084 > 1.2; K = 21: 2.0860·0.5634 = 1.1753.
    const p = levelPlan(s, { blockSec: 8, sampleSec: 0.5 }, 0.1);
    expect(p.recommendedBlocks).toBe(21);
    expect(p.estimatedSec).toBeCloseTo(199.5, 9);
  });

  it('cheap blocks favour more blocks: c_block = c_sample gives n* < 1, still at least 2 per block', () => {
    const p = levelPlan(s, { blockSec: 0.5, sampleSec: 0.5 }, 0.1);
    expect(p.optimalPerBlock).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(p.recommendedPerBlock).toBe(2);
  });

  it('no between-block component: no optimum (one long block is cheapest)', () => {
    const p = levelPlan({ ...s, betweenComponent: 0 }, { blockSec: 8, sampleSec: 0.5 }, 0.1);
    expect(p).toEqual({ optimalPerBlock: null, recommendedPerBlock: null, recommendedBlocks: null, estimatedSec: null });
  });
});
