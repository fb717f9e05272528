import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/stats/index.js';
import { studentTQuantile } from '../../src/stats/student-t.js';

describe('summarize', () => {
  it('computes the Student-t interval and its relative half-width', () => {
    const values = [9, 10, 11, 10, 10];
    const s = summarize(values);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(10);
    expect(s.median).toBe(10);
    expect(s.stddev).toBeCloseTo(Math.sqrt(0.5), 14);
    expect(s.min).toBe(9);
    expect(s.max).toBe(11);
    expect(s.confidence).toBe(0.95);
    const half = studentTQuantile(0.975, 4) * Math.sqrt(0.5 / 5);
    expect(s.halfWidth).toBeCloseTo(half, 14);
    expect(s.ci!.low).toBeCloseTo(10 - half, 14);
    expect(s.ci!.high).toBeCloseTo(10 + half, 14);
    expect(s.relativeHalfWidth).toBeCloseTo(half / 10, 14);
    expect(s.cv).toBeCloseTo(Math.sqrt(0.5) / 10, 14);
  });

  it('uses |mean| for negative means and honours the confidence option', () => {
    const s = summarize([-9, -10, -11, -10, -10], { confidence: 0.9 });
    expect(s.confidence).toBe(0.9);
    expect(s.relativeHalfWidth!).toBeGreaterThan(0);
    expect(s.relativeHalfWidth).toBeCloseTo((studentTQuantile(0.95, 4) * Math.sqrt(0.1)) / 10, 14);
  });

  it('n = 1: no interval, relativeHalfWidth null, stddev 0', () => {
    const s = summarize([42]);
    expect(s.ci).toBeNull();
    expect(s.halfWidth).toBeNull();
    expect(s.relativeHalfWidth).toBeNull();
    expect(s.cv).toBeNull();
    expect(s.stddev).toBe(0);
    expect(s.median).toBe(42);
  });

  it('mean 0 with spread: relativeHalfWidth null; identical values: 0', () => {
    expect(summarize([-1, 1, -2, 2]).relativeHalfWidth).toBeNull();
    const flat = summarize([3, 3, 3]);
    expect(flat.relativeHalfWidth).toBe(0);
    expect(flat.ci).toEqual({ low: 3, high: 3 });
    expect(summarize([0, 0, 0]).relativeHalfWidth).toBe(0);
  });

  it('rejects empty input, non-finite values and bad confidence', () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, Infinity])).toThrow(RangeError);
    expect(() => summarize([1, 2], { confidence: 0 })).toThrow(RangeError);
  });
});
