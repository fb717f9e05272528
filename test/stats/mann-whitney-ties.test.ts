/**
 * Issue 11: Mann–Whitney with ties uses the exact permutation distribution with mid-ranks for small samples.
 * Every expected p-value below comes from a brute-force enumerator written here, independently of the
 * engine: it labels every subset of the pooled values as "candidate", counts U by comparing pairs (a tie
 * counts ½), and takes p = share of labelings with |U − n_b n_c/2| ≥ the observed one.
 */
import { describe, expect, it } from 'vitest';
import { compare, mannWhitney } from '../../src/stats/index.js';

function uByPairs(b: readonly number[], c: readonly number[]): number {
  let u = 0;
  for (const x of c) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
  return u;
}

function bruteForceP(b: readonly number[], c: readonly number[]): number {
  const pooled = [...b, ...c];
  const nb = b.length;
  const nc = c.length;
  const center = (nb * nc) / 2;
  const observed = Math.abs(uByPairs(b, c) - center);
  let hit = 0;
  let all = 0;
  const pick: number[] = [];
  const walk = (start: number): void => {
    if (pick.length === nc) {
      const chosen = new Set(pick);
      const cc = pick.map((i) => pooled[i]!);
      const bb = pooled.filter((_, i) => !chosen.has(i));
      all++;
      if (Math.abs(uByPairs(bb, cc) - center) >= observed - 1e-9) hit++;
      return;
    }
    for (let i = start; i <= pooled.length - (nc - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return hit / all;
}

describe('Mann–Whitney exact with ties (mid-ranks)', () => {
  it('issue 11 case, n = 18 vs 2 with whole-millisecond ties: p = 1/C(20,2) = 1/190, not the normal 0.025', () => {
    const b = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2];
    const c = [3, 3];
    // Only the labeling that puts both 3s in the candidate is as extreme: U = 36 (U = 0 is impossible,
    // the lowest group holds ten tied values).
    const r = mannWhitney(b, c);
    expect(r.hasTies).toBe(true);
    expect(r.method).toBe('exact');
    expect(r.u).toBe(36);
    expect(r.pValue).toBeCloseTo(1 / 190, 14);
    expect(bruteForceP(b, c)).toBeCloseTo(1 / 190, 14);
    expect(mannWhitney(b, c, { method: 'normal' }).pValue).toBeGreaterThan(0.014); // the old answer, ~3× too large
  });

  it('constant samples 100,100 vs 94,94: p = 2/C(4,2) = 1/3, never 0', () => {
    const r = mannWhitney([100, 100], [94, 94]);
    expect(r.pValue).toBeCloseTo(1 / 3, 14);
    expect(compare([100, 100], [94, 94]).mannWhitneyP).toBeCloseTo(1 / 3, 14);
  });

  const cases: Array<[number[], number[]]> = [
    [[1, 2, 2, 3, 3, 3, 4, 5], [3, 4, 4, 5, 6, 6, 7]],
    [[1, 1, 2, 2, 2, 3], [2, 3, 3, 4]],
    [[5, 5, 5, 6], [5, 6, 6, 6, 7]],
    [[1, 1, 1, 1, 1, 1, 1, 2, 2], [1, 2, 2, 2]],
    [[10, 11, 11, 12, 13, 13, 13, 14, 15], [12, 13, 14, 14, 16]],
    [[2, 2, 2], [2, 2]],
  ];
  for (const [b, c] of cases) {
    it(`matches brute-force enumeration: [${b}] vs [${c}]`, () => {
      const expected = bruteForceP(b, c);
      const r = mannWhitney(b, c);
      expect(r.method).toBe('exact');
      expect(r.u).toBe(uByPairs(b, c));
      expect(Math.abs(r.pValue - expected)).toBeLessThan(1e-12);
      // and the same with the samples swapped (U mirrors, p does not change)
      expect(Math.abs(mannWhitney(c, b).pValue - expected)).toBeLessThan(1e-12);
    });
  }

  it('without ties the exact answer still agrees with enumeration', () => {
    const b = [1.5, 3.2, 4.1, 7.7, 2.2];
    const c = [5.5, 6.1, 8.8, 9.0];
    expect(Math.abs(mannWhitney(b, c).pValue - bruteForceP(b, c))).toBeLessThan(1e-12);
  });

  it('above 40 values in total it falls back to the normal approximation', () => {
    const b = Array.from({ length: 21 }, (_, i) => i % 5);
    const c = Array.from({ length: 20 }, (_, i) => (i % 5) + 1);
    expect(mannWhitney(b, c).method).toBe('normal');
    expect(mannWhitney(b.slice(0, 20), c).method).toBe('exact');
  });
});
