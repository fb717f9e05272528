/**
 * Issue 11, statistics at the edges: the sign of a baseline, extreme magnitudes, and verdicts from samples
 * with no visible spread. Expected values come from the scipy-checked cases in compare.test.ts (scale
 * invariance), from symmetry, or from closed forms worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { compare, summarize, VERDICT_MIN_N } from '../../src/stats/index.js';

const BASE = [100, 101, 99, 100.5, 99.5, 100.2, 99.8, 100.1];
const MINUS_10 = BASE.map((x) => x - 10);
// scipy-checked in compare.test.ts: Fieller CI of compare(BASE, MINUS_10), percent.
const REF = { diff: -9.998750156230473, low: -10.617814135057147, high: -9.375851334235607 };

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe('sign rule: the difference is relative to the baseline magnitude', () => {
  const neg10 = [-10, -10.2, -9.8, -10.1, -9.9];
  const neg12 = [-12, -12.2, -11.8, -12.1, -11.9];
  const pos10 = neg10.map((x) => -x);
  const pos12 = neg12.map((x) => -x);

  it('−10 → −12 (higher is better) is a 20 % decrease and fails a 5 % tolerance', () => {
    const c = compare(neg10, neg12, { tolerancePct: 5 });
    // (m_c − m_b)/|m_b| = (−12 − (−10))/10 = −20 %
    expect(c.differencePct).toBeCloseTo(-20, 10);
    expect(c.overheadPct).toBeCloseTo(20, 10);
    expect(c.ci!.low).toBeLessThan(-20);
    expect(c.ci!.high).toBeGreaterThan(-20);
    expect(c.verdict).toBe('fail');
    expect(c.ratio).toBeCloseTo(1.2, 12); // the ratio itself stays m_c/m_b
  });

  it('mirrors the positive case exactly: ci(−b, −c) = −ci(b, c) flipped', () => {
    const p = compare(pos10, pos12);
    const n = compare(neg10, neg12);
    expect(n.differencePct).toBeCloseTo(-p.differencePct, 10);
    expect(n.ci!.low).toBeCloseTo(-p.ci!.high, 10);
    expect(n.ci!.high).toBeCloseTo(-p.ci!.low, 10);
    expect(n.pValue).toBeCloseTo(p.pValue!, 12);
  });

  it('a negative baseline against a positive candidate is an increase (+200 %), a pass for higher-is-better', () => {
    const c = compare(neg10, pos10, { tolerancePct: 5 });
    expect(c.differencePct).toBeCloseTo(200, 10);
    expect(c.verdict).toBe('pass');
    const t = compare(neg10, pos10, { tolerancePct: 5, higherIsBetter: false });
    expect(t.verdict).toBe('fail');
  });

  it('a baseline mean of exactly 0 is refused with a message naming the baseline', () => {
    expect(() => compare([-1, 1], [2, 3])).toThrow(/baseline mean is 0/);
  });
});

describe('extreme magnitudes: scale before squaring', () => {
  for (const scale of [1e300, 1e-300, 1e-160, 1e-310]) {
    it(`×${scale}: the same percentages as at scale 1, no NaN`, () => {
      const b = BASE.map((x) => x * scale);
      const c = MINUS_10.map((x) => x * scale);
      const r = compare(b, c, { tolerancePct: 10 });
      const tol = scale < 1e-300 ? 1e-9 : 1e-12; // subnormal inputs carry fewer digits
      expect(relErr(r.differencePct, REF.diff)).toBeLessThan(tol);
      expect(relErr(r.ci!.low, REF.low)).toBeLessThan(tol * 10);
      expect(relErr(r.ci!.high, REF.high)).toBeLessThan(tol * 10);
      expect(r.pValue!).toBeGreaterThan(0);
      expect(r.pValue!).toBeLessThan(1e-9);
      // [−10.62, −9.38] straddles a 10 % tolerance: a point interval from underflow would pass it.
      expect(r.verdict).toBe('inconclusive');
      const s = summarize(b);
      expect(Number.isFinite(s.stddev)).toBe(true);
      expect(relErr(s.stddev / scale, summarize(BASE).stddev)).toBeLessThan(tol);
      expect(relErr(s.mean / scale, summarize(BASE).mean)).toBeLessThan(tol);
      expect(s.ci!.low).toBeLessThan(s.mean);
    });
  }

  it('values at the top of the double range (1.7e308) do not overflow the mean', () => {
    const b = [1.7e308, 1.6e308, 1.75e308];
    const c = [1.5e308, 1.55e308, 1.45e308];
    const r = compare(b, c);
    expect(r.meanBaseline).toBeCloseTo(1.6833333333333333e308, -300);
    expect(r.differencePct).toBeCloseTo((1.5 / (5.05 / 3) - 1) * 100, 9);
    expect(r.ci).not.toBeNull();
  });

  it('never NaN: an interval is a pair of finite numbers or null with a reason', () => {
    const cases: Array<[number[], number[]]> = [
      [[5e-324, 1e-323, 1.5e-323], [1e-323, 1.5e-323, 2e-323]],
      [[1e308, 1e-308, 1], [1, 2, 3]],
      [[1e-300, 1e300], [1, 1]],
      [[1e300, 1e300], [1e-300, 1e-300]],
      [[3, 3, 3], [3, 3, 3]],
    ];
    for (const [b, c] of cases) {
      const r = compare(b, c, { tolerancePct: 1 });
      expect(Number.isNaN(r.differencePct)).toBe(false);
      if (r.ci === null) expect(r.ciNullReason, JSON.stringify([b, c])).not.toBeNull();
      else {
        expect(Number.isFinite(r.ci.low) && Number.isFinite(r.ci.high), JSON.stringify(r.ci)).toBe(true);
        expect(r.ci.low).toBeLessThanOrEqual(r.ci.high);
      }
      if (r.pValue !== null) expect(Number.isNaN(r.pValue)).toBe(false);
    }
  });
});

describe('no definitive verdict from nothing', () => {
  it('constant samples 100,100 vs 94,94: no interval, no p-value, inconclusive', () => {
    const c = compare([100, 100], [94, 94], { tolerancePct: 1 });
    expect(c.ci).toBeNull();
    expect(c.ciNullReason).toBe('no-variation');
    expect(c.pValue).toBeNull();
    expect(c.verdict).toBe('inconclusive');
    expect(c.differencePct).toBeCloseTo(-6, 12);
  });

  it('constant samples without a resolution give no interval at any n', () => {
    const c = compare([100, 100, 100, 100, 100], [94, 94, 94, 94, 94], { tolerancePct: 1 });
    expect(c.ciNullReason).toBe('no-variation');
    expect(c.verdict).toBe('inconclusive');
  });

  it(`fewer than ${VERDICT_MIN_N} samples a side: inconclusive even with a known resolution`, () => {
    expect(VERDICT_MIN_N).toBe(3);
    const c = compare([100, 100], [94, 94], { tolerancePct: 1, resolution: 1 });
    expect(c.ci).not.toBeNull();
    expect(c.verdict).toBe('inconclusive');
    expect(c.verdictNote).toBe('too-few-samples');
    expect(c.pValue!).toBeGreaterThan(0);
  });

  it('with resolution 1 at n = 3 the sd floor is 1/√12 and the Welch p follows (closed form at df = 4)', () => {
    const c = compare([100, 100, 100], [94, 94, 94], { tolerancePct: 1, resolution: 1 });
    // v_b = v_c = (1/12)/3 = 1/36, t = −6/√(2/36) = −25.456, df = (2/36)²/(2·(1/36)²/2) = 4.
    const t = -6 / Math.sqrt(2 / 36);
    expect(c.tStatistic!).toBeCloseTo(t, 10);
    expect(c.welchDf!).toBeCloseTo(4, 12);
    // Student t with 4 df: F(t) = ½ + ¾·u·(1 − u²/3), u = t/√(4 + t²)  ⇒  p = 2·(1 − F(|t|)).
    const u = Math.abs(t) / Math.sqrt(4 + t * t);
    const p = 2 * (0.5 - 0.75 * u * (1 - (u * u) / 3));
    expect(c.pValue! / p - 1).toBeLessThan(1e-6);
    expect(c.verdict).toBe('fail'); // −6 % ± ~0.8 %: a real difference once the quantum is known
    expect(c.resolution).toBe(1);
  });

  it('summarize: the interval of a constant quantized metric is ± t·(q/√12)/√n, not a point', () => {
    const s = summarize([1, 1, 1, 1, 1], { resolution: 1 });
    expect(s.stddev).toBe(0); // the observed spread is still reported as observed
    // t_{0.975}(4) = 2.7764451051977934 (mpmath, test/fixtures/stats/reference.py)
    const half = (2.7764451051977934 * (1 / Math.sqrt(12))) / Math.sqrt(5);
    expect(s.halfWidth!).toBeCloseTo(half, 12);
    expect(s.relativeHalfWidth!).toBeCloseTo(half, 12);
    expect(summarize([1, 1, 1, 1, 1]).halfWidth).toBe(0);
    // a floor below the observed spread changes nothing
    expect(summarize([1, 2, 3], { resolution: 0.001 }).halfWidth).toBe(summarize([1, 2, 3]).halfWidth);
  });

  it('rejects a negative or non-finite resolution', () => {
    expect(() => compare([1, 2], [1, 2], { resolution: -1 })).toThrow(/resolution/);
    expect(() => summarize([1, 2], { resolution: Number.NaN })).toThrow(/resolution/);
  });
});

describe('describeCiNull', () => {
  it('names each reason for a report', async () => {
    const { describeCiNull } = await import('../../src/stats/index.js');
    expect(describeCiNull('too-few-samples')).toMatch(/fewer than 2/);
    expect(describeCiNull('no-variation')).toMatch(/no variation/);
    expect(describeCiNull('not-computable')).toMatch(/range/);
    expect(describeCiNull('unbounded')).toMatch(/unbounded/);
  });
});
