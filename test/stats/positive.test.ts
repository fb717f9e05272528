/**
 * Issue 19: for a metric positive by nature no difference bound goes below −100 %. Where Fieller's interval
 * would reach it, the delta-method interval on the log of the ratio of means is used and named in `method`.
 * Reference values: mpmath at 40 digits, test/fixtures/stats/reference.py (independent of the engine).
 */
import { describe, expect, it } from 'vitest';
import { compare, fiellerRatioInterval, groupStats, logDeltaRatioInterval } from '../../src/stats/index.js';

// A throughput that collapsed to ~5 % of bare metal with a very noisy candidate (the TCG guest case).
const B = [100, 102, 98, 101, 99];
const C = [5, 1, 9, 0.5, 12];
const REF = {
  fieller: { low: -100.7068553681057, high: -88.28890526396563, df: 4.002419999778555 },
  logDelta: { low: -98.22098279732678, high: -82.99622962917658, df: 4.002419999778555 },
};

describe('positive metrics: intervals respect the range', () => {
  it("Fieller's interval of this case crosses −100 % (the defect)", () => {
    const f = fiellerRatioInterval(groupStats(B), groupStats(C), 0.95);
    expect(f.ci!.low).toBeCloseTo(REF.fieller.low, 8);
    expect(f.ci!.low).toBeLessThan(-100);
    const plain = compare(B, C, { positive: false });
    expect(plain.method).toBe('fieller');
    expect(plain.ci!.low).toBeLessThan(-100);
  });

  it('compare uses the log-ratio interval instead, and says so', () => {
    const c = compare(B, C); // positive by default
    expect(c.method).toBe('log-delta');
    expect(c.ci!.low).toBeCloseTo(REF.logDelta.low, 8);
    expect(c.ci!.high).toBeCloseTo(REF.logDelta.high, 8);
    expect(c.df!).toBeCloseTo(REF.logDelta.df, 9);
    expect(c.ci!.low).toBeGreaterThan(-100);
    expect(c.differencePct).toBeCloseTo(-94.5, 10);
    // overhead orientation for a throughput: +94.5 % with bounds below 100 %
    expect(c.overheadCi!.high).toBeLessThan(100);
  });

  it('logDeltaRatioInterval alone matches the reference', () => {
    const l = logDeltaRatioInterval(groupStats(B), groupStats(C), 0.95);
    expect(l.ci!.low).toBeCloseTo(REF.logDelta.low, 8);
    expect(l.ci!.high).toBeCloseTo(REF.logDelta.high, 8);
    expect(() => logDeltaRatioInterval(groupStats([-1, -2]), groupStats(C), 0.95)).toThrow(RangeError);
  });

  it('an unbounded Fieller set of a positive metric gets a bounded log-ratio interval', () => {
    const b = [0.1, 10, 0.2, 8]; // baseline mean not distinguishable from 0 at n = 4
    const c = [5, 6, 5.5, 6.5];
    expect(compare(b, c, { positive: false }).ciNullReason).toBe('unbounded');
    const r = compare(b, c);
    expect(r.method).toBe('log-delta');
    expect(r.ci).not.toBeNull();
    expect(r.ci!.low).toBeGreaterThan(-100);
    expect(r.ciUnbounded).toBe(false);
  });

  it('keeps Fieller where it stays above −100 %', () => {
    const c = compare([100, 101, 99, 100.5], [90, 91, 89, 90.5]);
    expect(c.method).toBe('fieller');
  });

  it('keeps Fieller when the data are not positive (negative values seen)', () => {
    const c = compare([100, 102, 98, 101, 99], [5, -3, 9, 0.5, 12]);
    expect(c.method).toBe('fieller');
    expect(c.ci!.low).toBeLessThan(-100);
  });

  it('the log-ratio interval is scale-free like Fieller (×1e300, ×1e-300)', () => {
    for (const s of [1e300, 1e-300]) {
      const c = compare(B.map((x) => x * s), C.map((x) => x * s));
      expect(c.method).toBe('log-delta');
      expect(c.ci!.low).toBeCloseTo(REF.logDelta.low, 6);
    }
  });
});
