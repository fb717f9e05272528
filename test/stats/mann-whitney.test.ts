import { describe, expect, it } from 'vitest';
import { compare } from '../../src/stats/index.js';
import { mannWhitney, mannWhitneyExactSf } from '../../src/stats/mann-whitney.js';

describe('Mann–Whitney U, exact', () => {
  it('hand-computed small cases', () => {
    // Complete separation, 3 vs 3: only 1 of C(6,3) = 20 orderings is as extreme on each side → p = 2/20.
    const sep = mannWhitney([1, 2, 3], [4, 5, 6]);
    expect(sep.method).toBe('exact');
    expect(sep.u).toBe(9);
    expect(sep.pValue).toBeCloseTo(0.1, 15);
    // 2 vs 2 separated: 2 · 1/6.
    expect(mannWhitney([1, 2], [3, 4]).pValue).toBeCloseTo(1 / 3, 15);
    // [1,3] vs [2,4]: U_c = 3; U over 2×2 has counts 1,1,2,1,1 / 6, P(U ≥ 3) = 2/6 → p = 2/3.
    const inter = mannWhitney([1, 3], [2, 4]);
    expect(inter.u).toBe(3);
    expect(inter.pValue).toBeCloseTo(2 / 3, 15);
    // Perfectly interleaved → U at the centre → p capped at 1.
    expect(mannWhitney([1, 4], [2, 3]).pValue).toBe(1);
  });

  it('null distribution sums to one, is symmetric, and matches binomial counts', () => {
    const sf = mannWhitneyExactSf(4, 6);
    expect(sf.length).toBe(25);
    expect(sf[0]).toBeCloseTo(1, 14);
    // P(U = k) = P(U = mn − k)
    for (let k = 0; k < 24; k++) {
      const pk = sf[k]! - sf[k + 1]!;
      const mirror = 24 - k === 24 ? sf[24]! : sf[24 - k]! - sf[25 - k]!;
      expect(pk).toBeCloseTo(mirror, 14);
    }
    // P(U = 24) = 1 / C(10, 4) = 1/210
    expect(sf[24]).toBeCloseTo(1 / 210, 15);
    expect(mannWhitneyExactSf(6, 4)).toBe(sf); // cached under the sorted pair
  });

  it('matches scipy mannwhitneyu(method="exact") on 10 vs 12 and 20 vs 20', () => {
    const b1 = [100.01, 101.49, 98.63, 95.55, 97.73, 95.04, 100.3, 106.7, 97.54, 96.9];
    const c1 = [106.45, 105.78, 104.53, 99.35, 103.85, 107.48, 97.28, 101.71, 94.49, 97.55, 94.79, 102.82];
    const r1 = mannWhitney(b1, c1);
    expect(r1.method).toBe('exact');
    expect(r1.u).toBe(77);
    expect(r1.pValue).toBeCloseTo(0.28293378448177214, 12);

    const b2 = [
      93.663, 101.356, 100.784, 99.065, 87.416, 97.307, 99.757, 100.567, 92.349, 97.611, 95.107, 95.956, 105.304,
      95.962, 99.837, 104.422, 97.082, 99.441, 100.552, 100.319,
    ];
    const c2 = [
      95.875, 102.381, 108.794, 94.264, 106.297, 102.597, 98.793, 112.002, 105.811, 96.004, 102.373, 104.883, 101.056,
      105.415, 101.667, 105.336, 109.193, 98.622, 103.016, 99.683,
    ];
    const r2 = mannWhitney(b2, c2);
    expect(r2.method).toBe('exact');
    expect(r2.u).toBe(308);
    expect(Math.abs(r2.pValue / 0.002914511329658594 - 1)).toBeLessThan(1e-10);
    expect(compare(b2, c2).mannWhitneyP).toBe(r2.pValue);
  });
});

describe('Mann–Whitney U, normal approximation', () => {
  it('with ties: tie-corrected variance and continuity correction (scipy asymptotic)', () => {
    const r = mannWhitney([1, 2, 2, 3, 3, 3, 4, 5], [3, 4, 4, 5, 6, 6, 7], { method: 'normal' });
    expect(r.hasTies).toBe(true);
    expect(r.method).toBe('normal');
    expect(r.u).toBe(49);
    expect(r.pValue).toBeCloseTo(0.015984685125196244, 12);
  });

  it('large tie-free samples use the normal approximation', () => {
    const b = Array.from({ length: 25 }, (_, i) => i + 1);
    const c = b.map((x) => x + 7.5);
    const r = mannWhitney(b, c);
    expect(r.method).toBe('normal');
    expect(r.u).toBe(472);
    expect(r.pValue).toBeCloseTo(0.002035157807278379, 12);
  });

  it('all values tied gives p = 1', () => {
    expect(mannWhitney([2, 2, 2], [2, 2]).pValue).toBe(1);
  });

  it('exact on request handles ties; normal on request works for small samples', () => {
    expect(mannWhitney([1, 2], [2, 3], { method: 'exact' }).method).toBe('exact');
    expect(mannWhitney([1, 2, 3], [4, 5, 6], { method: 'normal' }).method).toBe('normal');
  });
});
