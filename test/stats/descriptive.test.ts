/**
 * Issue 11, dependencies: quantiles come from simple-statistics; the mean and sd stay hand-written because of a
 * measured accuracy need at extreme magnitudes, checked here (expected values by hand: the data are exact
 * multiples of simple numbers).
 */
import * as ss from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { mean, median, quantileSorted, sampleStddev, sampleVariance } from '../../src/stats/index.js';
import { medianAbsoluteDeviation } from '../../src/stats/descriptive.js';

describe('descriptive statistics', () => {
  it('type-7 quantiles (R / numpy default), by hand', () => {
    expect(quantileSorted([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 14); // h = 0.4
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 14); // h = 0.75
    expect(quantileSorted([10, 20], 0.5)).toBe(15);
    expect(quantileSorted([7], 0.9)).toBe(7);
    expect(Number.isNaN(quantileSorted([], 0.5))).toBe(true);
    expect(quantileSorted([1, 2, 3], 1.5)).toBe(3); // p is clamped to [0, 1]
    expect(quantileSorted(Float64Array.of(1, 2, 3, 4), 0.25)).toBeCloseTo(1.75, 14);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toBe(1); // |x − 3| = 2,1,0,1,97 → median 1
  });

  it('mean and sd near the top of the double range, where simple-statistics gives NaN / Infinity', () => {
    const top = [1.7e308, 1.6e308, 1.75e308];
    expect(mean(top)).toBeCloseTo(1.6833333333333333e308, -293);
    expect(Number.isNaN(ss.mean(top))).toBe(true); // the measured reason the mean is hand-written
    const big = [1e300, 1.01e300, 0.99e300]; // sd = 0.01e300 exactly by hand
    expect(sampleStddev(big) / 1e298).toBeCloseTo(1, 10);
    expect(ss.sampleStandardDeviation(big)).toBe(Infinity);
    expect(sampleVariance(big)).toBe(Infinity); // the variance itself is not representable: documented
  });

  it('sd of values near 1e-160 does not underflow to 0 (simple-statistics does)', () => {
    const tiny = [1e-160, 1.01e-160, 0.99e-160];
    expect(sampleStddev(tiny) / 1e-162).toBeCloseTo(1, 10);
    expect(ss.sampleStandardDeviation(tiny)).toBe(0);
  });

  it('sd of a constant sample is exactly 0, and 0 for one value', () => {
    expect(sampleStddev([5, 5, 5])).toBe(0);
    expect(sampleStddev([5])).toBe(0);
    expect(sampleStddev([1, 3])).toBeCloseTo(Math.SQRT2, 15);
  });
});
