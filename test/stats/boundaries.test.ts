/**
 * Boundaries and branches of the issue-11/19 additions, with expectations worked out by hand, so that
 * mutants (flipped comparisons, dropped branches, changed constants) are caught.
 */
import { describe, expect, it } from 'vitest';
import { scaleOf } from '../../src/stats/descriptive.js';
import {
  compare,
  groupStats,
  logDeltaRatioInterval,
  STOPPED_ALPHA_FACTOR,
  stoppedConfidence,
  welchSatterthwaite,
} from '../../src/stats/index.js';

describe('welchSatterthwaite', () => {
  it('equal terms and sizes: (2a)²/(2a²/(n − 1)) = 2(n − 1)', () => {
    expect(welchSatterthwaite(1, 5, 1, 5)).toBeCloseTo(8, 14);
    expect(welchSatterthwaite(3, 4, 3, 4)).toBeCloseTo(6, 14);
  });
  it('one term 0: the other group’s n − 1', () => {
    expect(welchSatterthwaite(0, 10, 2, 4)).toBeCloseTo(3, 14);
    expect(welchSatterthwaite(2, 4, 0, 10)).toBeCloseTo(3, 14);
  });
  it('both 0: n_a + n_b − 2', () => {
    expect(welchSatterthwaite(0, 3, 0, 6)).toBe(7);
  });
  it('unequal: (1 + 4)²/(1/2 + 16/9) by hand', () => {
    expect(welchSatterthwaite(1, 3, 4, 10)).toBeCloseTo(25 / (0.5 + 16 / 9), 12);
  });
  it('tiny and huge terms do not underflow or overflow', () => {
    expect(welchSatterthwaite(1e-200, 5, 1e-200, 5)).toBeCloseTo(8, 12);
    expect(welchSatterthwaite(1e200, 5, 1e200, 5)).toBeCloseTo(8, 12);
  });
});

describe('stoppedConfidence', () => {
  it('multiplies α by the factor 0.4', () => {
    expect(STOPPED_ALPHA_FACTOR).toBe(0.4);
    expect(stoppedConfidence(0.95)).toBeCloseTo(0.98, 14);
    expect(stoppedConfidence(0.9)).toBeCloseTo(0.96, 14);
    expect(() => stoppedConfidence(1)).toThrow(RangeError);
  });
});

describe('groupStats resolution floor', () => {
  it('applies only with n ≥ 2 and only below the observed spread', () => {
    expect(groupStats([5], 1).variance).toBe(0);
    expect(groupStats([5, 5], 1).variance).toBeCloseTo(1 / 12, 15);
    expect(groupStats([5, 5]).variance).toBe(0);
    expect(groupStats([1, 3], 1).variance).toBeCloseTo(2, 14); // s² = 2 > 1/12
    expect(groupStats([1, 3], 12).variance).toBeCloseTo(12, 12); // floor 144/12 = 12 > 2
  });
});

describe('logDeltaRatioInterval', () => {
  it('zero variance on both sides: the point ratio with df = n_b + n_c − 2', () => {
    const l = logDeltaRatioInterval(groupStats([10, 10, 10]), groupStats([5, 5]), 0.95);
    expect(l.ratio).toBe(0.5);
    expect(l.df).toBe(3);
    expect(l.ci!.low).toBeCloseTo(-50, 12);
    expect(l.ci!.high).toBeCloseTo(-50, 12);
  });
  it('a group of one: no interval, too-few-samples', () => {
    const l = logDeltaRatioInterval(groupStats([10]), groupStats([5, 6]), 0.95);
    expect(l.ci).toBeNull();
    expect(l.nullReason).toBe('too-few-samples');
  });
  it('is symmetric on the log scale: ln(high/r) = −ln(low/r)', () => {
    const l = logDeltaRatioInterval(groupStats([10, 11, 9, 10.5]), groupStats([5, 7, 4, 6]), 0.9);
    const r = l.ratio;
    expect(Math.log(l.ratioCi!.high / r)).toBeCloseTo(-Math.log(l.ratioCi!.low / r), 12);
    expect(Math.log(l.ratioCi!.high / r)).toBeCloseTo(l.tCritical! * l.seLogRatio!, 12);
  });
});

describe('scaleOf', () => {
  it('is a power of two at or below the largest magnitude', () => {
    expect(scaleOf([0, 0])).toBe(1);
    expect(scaleOf([3, -1])).toBe(2);
    expect(scaleOf([-4])).toBe(4);
    expect(scaleOf([1, 2], [1000])).toBe(512);
    expect(scaleOf([1e-310])).toBe(2 ** -1030);
    expect(scaleOf([5e-324])).toBe(5e-324);
  });
});

describe('compare: edges of the new rules', () => {
  it('resolution 0 is the same as none (no-variation)', () => {
    expect(compare([2, 2, 2], [3, 3, 3], { resolution: 0 }).ciNullReason).toBe('no-variation');
  });
  it('a verdict needs 3 on each side: 3 vs 2 is inconclusive, 3 vs 3 decides', () => {
    const b = [100, 101, 99];
    expect(compare(b, [80, 81], { tolerancePct: 5 }).verdict).toBe('inconclusive');
    expect(compare(b, [80, 81], { tolerancePct: 5 }).verdictNote).toBe('too-few-samples');
    expect(compare(b, [80, 81, 79], { tolerancePct: 5 }).verdict).toBe('fail');
    expect(compare(b, [80, 81, 79], { tolerancePct: 5 }).verdictNote).toBeUndefined();
  });
  it('a single zero value still allows the log-ratio interval; a negative one does not', () => {
    const b = [100, 102, 98, 101, 99];
    expect(compare(b, [5, 0, 9, 0.5, 12]).method).toBe('log-delta');
    expect(compare(b, [5, -0.1, 9, 0.5, 12]).method).toBe('fieller');
    expect(compare(b, [5, 0, 9, 0.5, 12], { positive: false }).method).toBe('fieller');
  });
  it('means are reported in the original unit at any scale', () => {
    const c = compare([2e300, 4e300], [1e-300, 3e-300]);
    expect(c.meanBaseline).toBeCloseTo(3e300, -290);
    expect(c.meanCandidate / 2e-300).toBeCloseTo(1, 12);
    expect(c.differencePct).toBeCloseTo(-100, 10);
  });
});
