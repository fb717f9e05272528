/** The order module the Sampler uses: interleaving reverses, a randomized round is an unbiased seeded shuffle. */
import { describe, expect, it } from 'vitest';
import { roundOrder, seededRandom } from '../../src/runner/order.js';

describe('roundOrder', () => {
  it('interleaved: scenario order on even rounds, reversed on odd ones', () => {
    const never = (): number => {
      throw new Error('interleaved must not draw random numbers');
    };
    expect([0, 1, 2, 3].map((r) => roundOrder(['A', 'B'], r, 'interleaved', never).join(''))).toEqual(['AB', 'BA', 'AB', 'BA']);
    expect(roundOrder(['A', 'B', 'C'], 1, 'interleaved', never)).toEqual(['C', 'B', 'A']);
  });

  it('does not change the list it is given', () => {
    const items = ['A', 'B', 'C'];
    roundOrder(items, 1, 'interleaved', Math.random);
    roundOrder(items, 0, 'randomized', seededRandom(1));
    expect(items).toEqual(['A', 'B', 'C']);
  });

  it('randomized: the same seed gives the same rounds, another seed others', () => {
    const rounds = (seed: number): string[] => {
      const random = seededRandom(seed);
      return [...Array(20).keys()].map((r) => roundOrder(['A', 'B', 'C', 'D'], r, 'randomized', random).join(''));
    };
    expect(rounds(42)).toEqual(rounds(42));
    expect(rounds(43)).not.toEqual(rounds(42));
    for (const r of rounds(42)) expect([...r].sort().join('')).toBe('ABCD');
  });

  it('randomized: all 6 orders of three targets, each about 1/6 of the time (unbiased Fisher–Yates)', () => {
    // 6000 shuffles: each order expected 1000, sd √(6000·(1/6)·(5/6)) ≈ 29; ±150 is > 5 sd.
    const random = seededRandom(2026);
    const counts = new Map<string, number>();
    for (let r = 0; r < 6000; r++) {
      const key = roundOrder(['A', 'B', 'C'], r, 'randomized', random).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['ABC', 'ACB', 'BAC', 'BCA', 'CAB', 'CBA']);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});

describe('seededRandom', () => {
  it('is reproducible, in [0, 1), and uniform on average', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = [...Array(10_000)].map(() => a());
    expect([...Array(10_000)].map(() => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // Mean of 10,000 U(0,1): 0.5 ± 0.0029 (sd); ±0.015 is > 5 sd. Each tenth holds about 1000 (sd 30).
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.015);
    for (let d = 0; d < 10; d++) expect(Math.abs(xs.filter((x) => Math.floor(x * 10) === d).length - 1000)).toBeLessThan(150);
    expect(seededRandom(8)()).not.toBe(seededRandom(7)());
  });
});
