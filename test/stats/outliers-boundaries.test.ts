/**
 * The outlier rules at their edges: the smallest sample sizes, values exactly on a fence or a cutoff (which
 * the rules say are not flagged: every comparison is strict), the lower-is-better slow first sample, and the
 * order in which detectOutliers lists what several rules found. Every quartile below is R's type 7, worked
 * out by hand: position h = (n − 1)·p in the sorted values, interpolated between its neighbours.
 */
import { describe, expect, it } from 'vitest';
import { detectOutliers, madOutliers, slowFirstOutlier, tukeyOutliers } from '../../src/stats/index.js';

describe('smallest sample sizes', () => {
  it('four values are enough for the Tukey and MAD rules', () => {
    // [1, 2, 3, 100]: Q1 at h = 0.75 → 1.75, Q3 at h = 2.25 → 3 + 0.25·97 = 27.25, IQR 25.5;
    // inner high fence 27.25 + 38.25 = 65.5, outer 27.25 + 76.5 = 103.75: 100 is beyond the inner only.
    expect(tukeyOutliers([1, 2, 3, 100])).toEqual([{ index: 3, value: 100, rule: 'tukey-1.5' }]);
    // median 2.5, deviations 1.5, 0.5, 0.5, 97.5 → MAD 1; 97.5 / 1.4826 ≈ 65.8 > 10.
    expect(madOutliers([1, 2, 3, 100])).toEqual([{ index: 3, value: 100, rule: 'mad' }]);
  });

  it('five values are enough for the slow-first rule', () => {
    // rest [100, 101, 102, 103]: Q1 = 100.75, Q3 = 102.25, IQR 1.5, inner low fence 98.5; 50 is below it
    // and below every other value.
    expect(slowFirstOutlier([50, 100, 101, 102, 103], true)).toEqual({ index: 0, value: 50, rule: 'slow-first' });
  });
});

describe('Tukey rule', () => {
  it('flags a low value between the inner and the outer fence as tukey-1.5', () => {
    // [−5, 1..8] sorted: Q1 = sorted[2] = 2, Q3 = sorted[6] = 6, IQR 4: inner low −4, outer low −10.
    expect(tukeyOutliers([-5, 1, 2, 3, 4, 5, 6, 7, 8])).toEqual([{ index: 0, value: -5, rule: 'tukey-1.5' }]);
  });
});

describe('MAD rule', () => {
  it('a value exactly at the cutoff is not flagged; just beyond it is', () => {
    // [−3, 0, 0, 3, x]: median 0, deviations 3, 0, 0, 3, x → MAD 3; cutoff 10 · 1.4826 · 3 = 44.478
    // (44.478 / 4.4478 is exactly 10 in doubles).
    expect(madOutliers([-3, 0, 0, 3, 44.478])).toEqual([]);
    expect(madOutliers([-3, 0, 0, 3, 44.479])).toEqual([{ index: 4, value: 44.479, rule: 'mad' }]);
  });
});

describe('slow first sample', () => {
  // rest [100, 101, 102, 103]: Q1 100.75, Q3 102.25, IQR 1.5 → inner fences 98.5 and 104.5.
  const REST = [100, 101, 102, 103];

  it('higher is better: exactly on the fence is not flagged', () => {
    expect(slowFirstOutlier([98.5, ...REST], true)).toBeNull();
    expect(slowFirstOutlier([98.4, ...REST], true)).toEqual({ index: 0, value: 98.4, rule: 'slow-first' });
  });

  it('higher is better: a first sample that only ties the worst of the rest is not flagged', () => {
    // rest [0, 100, 100, 100, 100]: Q1 = Q3 = 100, IQR 0, fence 100; 0 is below the fence but not strictly
    // below the worst other value (0).
    expect(slowFirstOutlier([0, 0, 100, 100, 100, 100], true)).toBeNull();
  });

  it('lower is better: the highest first sample beyond the upper fence is flagged', () => {
    expect(slowFirstOutlier([200, ...REST], false)).toEqual({ index: 0, value: 200, rule: 'slow-first' });
    // Higher than every other value but inside the fence (104 ≤ 104.5), and exactly on it: not flagged.
    expect(slowFirstOutlier([104, ...REST], false)).toBeNull();
    expect(slowFirstOutlier([104.5, ...REST], false)).toBeNull();
    // The same low first sample that is slow when higher is better is the best one here.
    expect(slowFirstOutlier([50, ...REST], false)).toBeNull();
  });

  it('lower is better: a first sample that only ties the highest of the rest is not flagged', () => {
    // rest [100, 100, 100, 100, 200]: Q3 = sorted[3] = 100, IQR 0, fence 100; 200 is beyond it but ties 200.
    expect(slowFirstOutlier([200, 100, 100, 100, 100, 200], false)).toBeNull();
  });
});

describe('detectOutliers', () => {
  it('evaluates the slow-first rule only when the direction is given', () => {
    // [200, 100, 101, 102, 103] sorted: Q1 101, Q3 103, IQR 2, outer high 109 → 200 is tukey-3;
    // median 102, MAD 1 → 98 / 1.4826 ≈ 66 > 10 → mad.
    const values = [200, 100, 101, 102, 103];
    expect(detectOutliers(values)).toEqual([
      { index: 0, value: 200, rule: 'tukey-3' },
      { index: 0, value: 200, rule: 'mad' },
    ]);
    expect(detectOutliers(values, { higherIsBetter: false })).toEqual([
      { index: 0, value: 200, rule: 'tukey-3' },
      { index: 0, value: 200, rule: 'mad' },
      { index: 0, value: 200, rule: 'slow-first' },
    ]);
    // Higher is better: 200 is the best value, not a slow start.
    expect(detectOutliers(values, { higherIsBetter: true }).map((o) => o.rule)).toEqual(['tukey-3', 'mad']);
  });

  it('lists by index, then Tukey, MAD, slow-first', () => {
    // [10, 100, 101, …, 106, 130] sorted: Q1 = sorted[2] = 101, Q3 = sorted[6] = 105, IQR 4, outer fences
    // 89 and 117 → 10 and 130 are tukey-3. Median 103, deviations 93, 3, 2, 1, 0, 1, 2, 3, 27 → MAD 2,
    // cutoff 29.652: only 10 (93) is mad. Slow first: rest [100 … 106, 130], Q1 at h = 1.75 → 101.75,
    // Q3 at h = 5.25 → 105.25, IQR 3.5, inner low 96.5: 10 is below it and below every other value.
    const values = [10, 100, 101, 102, 103, 104, 105, 106, 130];
    expect(detectOutliers(values, { higherIsBetter: true })).toEqual([
      { index: 0, value: 10, rule: 'tukey-3' },
      { index: 0, value: 10, rule: 'mad' },
      { index: 0, value: 10, rule: 'slow-first' },
      { index: 8, value: 130, rule: 'tukey-3' },
    ]);
  });
});
