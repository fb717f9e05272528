import { describe, expect, it } from 'vitest';
import {
  detectOutliers,
  madOutliers,
  slowFirstOutlier,
  summarize,
  tukeyFences,
  tukeyOutliers,
  withoutOutliers,
} from '../../src/stats/index.js';

const ONE_TO_EIGHT = [1, 2, 3, 4, 5, 6, 7, 8];

describe('Tukey fences', () => {
  it('type-7 quartiles', () => {
    const f = tukeyFences([...ONE_TO_EIGHT, 100]);
    expect(f.q1).toBe(3);
    expect(f.q3).toBe(7);
    expect(f.inner).toEqual({ low: -3, high: 13 });
    expect(f.outer).toEqual({ low: -9, high: 19 });
  });

  it('flags beyond 3 IQR as tukey-3, between 1.5 and 3 IQR as tukey-1.5, on either side', () => {
    expect(tukeyOutliers([...ONE_TO_EIGHT, 100])).toEqual([{ index: 8, value: 100, rule: 'tukey-3' }]);
    expect(tukeyOutliers([...ONE_TO_EIGHT, 15])).toEqual([{ index: 8, value: 15, rule: 'tukey-1.5' }]);
    // [−50, 1..8]: Q1 = 2, Q3 = 6, outer low fence −10
    expect(tukeyOutliers([-50, ...ONE_TO_EIGHT])).toEqual([{ index: 0, value: -50, rule: 'tukey-3' }]);
    expect(tukeyOutliers(ONE_TO_EIGHT)).toEqual([]);
  });

  it('needs at least 4 values', () => {
    expect(tukeyOutliers([1, 2, 100])).toEqual([]);
    expect(detectOutliers([1, 2, 100])).toEqual([]);
  });
});

describe('MAD rule', () => {
  it('flags |x − median| / (1.4826·MAD) > 10', () => {
    // median 5, MAD 2 → threshold |x − 5| > 29.652
    expect(madOutliers([...ONE_TO_EIGHT, 100])).toEqual([{ index: 8, value: 100, rule: 'mad' }]);
    expect(madOutliers([...ONE_TO_EIGHT, 34])).toEqual([]); // |34 − 5| = 29 < 29.652
    expect(madOutliers([...ONE_TO_EIGHT, 35])).toEqual([{ index: 8, value: 35, rule: 'mad' }]); // 30 > 29.652
    expect(madOutliers([...ONE_TO_EIGHT, 15])).toEqual([]);
  });

  it('is skipped when MAD = 0 (Tukey still applies)', () => {
    const values = [5, 5, 5, 5, 5, 9];
    expect(madOutliers(values)).toEqual([]);
    expect(tukeyOutliers(values)).toEqual([{ index: 5, value: 9, rule: 'tukey-3' }]);
  });
});

describe('slow first sample', () => {
  const throughput = [50, 100, 101, 99, 100.5, 99.5];

  it('flags a first sample that is the worst and beyond the fence of the others', () => {
    expect(slowFirstOutlier(throughput, true)).toEqual({ index: 0, value: 50, rule: 'slow-first' });
    expect(slowFirstOutlier([130, 100, 101, 99, 100.5, 99.5], false)).toEqual({
      index: 0,
      value: 130,
      rule: 'slow-first',
    });
  });

  it('respects direction: the lowest time is the best, not slow', () => {
    expect(slowFirstOutlier(throughput, false)).toBeNull();
  });

  it('does not flag when another sample is worse or when inside the fence', () => {
    expect(slowFirstOutlier([97, 100, 101, 95, 100.5, 99.5], true)).toBeNull();
    // rest: Q1 = 99.5, Q3 = 100.5 → fence 98; 99.2 is worst but inside
    expect(slowFirstOutlier([99.2, 100, 101, 99.5, 100.5, 99.4], true)).toBeNull();
    expect(slowFirstOutlier([50, 100, 101, 99], true)).toBeNull(); // n < 5
  });

  it('is reported by detectOutliers/summarize only when the direction is given', () => {
    expect(detectOutliers(throughput).map((o) => o.rule)).toEqual(['tukey-3', 'mad']);
    expect(detectOutliers(throughput, { higherIsBetter: true }).map((o) => o.rule)).toEqual([
      'tukey-3',
      'mad',
      'slow-first',
    ]);
    expect(summarize(throughput, { higherIsBetter: true }).outliers.some((o) => o.rule === 'slow-first')).toBe(true);
  });
});

describe('withoutOutliers', () => {
  it('removes each flagged index once, keeps order, can filter by rule', () => {
    const values = [50, 100, 101, 99, 100.5, 99.5, 130];
    const outliers = detectOutliers(values, { higherIsBetter: true });
    expect(outliers.filter((o) => o.index === 0).length).toBeGreaterThan(1);
    expect(withoutOutliers(values, outliers)).toEqual([100, 101, 99, 100.5, 99.5]);
    expect(withoutOutliers(values, outliers, ['slow-first'])).toEqual([100, 101, 99, 100.5, 99.5, 130]);
    expect(withoutOutliers(values, [])).toEqual(values);
  });

  it('summarize flags but never drops', () => {
    const s = summarize([...ONE_TO_EIGHT, 100]);
    expect(s.n).toBe(9);
    expect(s.max).toBe(100);
    expect(s.outliers.map((o) => o.rule)).toEqual(['tukey-3', 'mad']);
  });
});
