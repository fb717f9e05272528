/**
 * Adaptive stopping through the runner (fake target and workload): stop on precision at `min`, stop at
 * `max` when it is not met, always end (issue 11: a target stopped after failures leaves the active set;
 * rounds are capped at max), and sequential mode checks the overhead's interval and records the flag.
 * Half-widths below are worked by hand: hw% = t(0.975, n−1)·sd/√n / mean · 100.
 */
import { describe, expect, it } from 'vitest';
import { SampleError } from '../../src/workloads/types.js';
import { run, type Script } from './fakes.js';

const count = (r: Awaited<ReturnType<typeof run>>['results'], t: string): number => r.samples.filter((s) => s.target === t && !s.warmup).length;
const flag = (r: Awaited<ReturnType<typeof run>>['results'], t: string): boolean | null | undefined => r.summaries.find((s) => s.target === t)?.precisionMet;

/** A: 100, 100.1, 99.9, …; B: 120, 120.1, 119.9, … */
const tight: Script = (t, k) => (t === 'A' ? 100 : 120) + [0, 0.1, -0.1][k % 3]!;
/** A alternates 50, 150 (CV ≈ 50 %): never precise. */
const noisyA: Script = (t, k) => (t === 'A' ? (k % 2 ? 150 : 50) : 100);

describe('adaptive, interleaved', () => {
  it('stops at min when every interval is within the goal', async () => {
    // n = 3: sd 0.1, t(2) = 4.303 → A ±0.248 %, B ±0.207 %; overhead ≈ ±0.39 points: all ≤ 1.
    const { results } = await run({ samples: { min: 3, max: 10, targetHalfWidthPct: 1 } }, tight);
    expect([count(results, 'A'), count(results, 'B')]).toEqual([3, 3]);
    expect(results.notes).toContain('w: precision of ±1 % met after 3 samples per target');
    expect([flag(results, 'A'), flag(results, 'B')]).toEqual([true, true]);
  });

  it('stops at max when precision is not met, and says so', async () => {
    const { results } = await run({ samples: { min: 3, max: 6, targetHalfWidthPct: 1 } }, noisyA);
    expect([count(results, 'A'), count(results, 'B')]).toEqual([6, 6]);
    expect(results.notes).toContain('w: precision not met (±1 % wanted) after 6 samples per target');
    expect(flag(results, 'A')).toBe(false);
  });

  it('ends at max when one target always fails (it leaves the active set after three failures)', { timeout: 30_000 }, async () => {
    const script: Script = (t, k) => (t === 'B' ? new SampleError('always') : noisyA('A', k));
    const { results } = await run({ samples: { min: 3, max: 6, targetHalfWidthPct: 1 } }, script);
    expect(count(results, 'A')).toBe(6);
    expect(count(results, 'B')).toBe(3);
    expect(results.status).toBe('failed');
    expect(results.notes).toContain('w: precision not met (±1 % wanted) after 6 samples per target');
  });

  it('ends at max rounds when a flaky target (fail, fail, ok, …) has fewer values than rounds', { timeout: 30_000 }, async () => {
    const script: Script = (t, k) => (t === 'B' ? (k % 3 === 2 ? 100 : new SampleError('flaky')) : noisyA('A', k));
    const { results } = await run({ samples: { min: 3, max: 6, targetHalfWidthPct: 1 } }, script);
    expect(count(results, 'A')).toBe(6);
    expect(count(results, 'B')).toBe(6);
    expect(results.samples.filter((s) => s.target === 'B' && s.ok).length).toBe(2);
  });
});

describe('adaptive, sequential', () => {
  it("keeps sampling a candidate until the overhead's interval is met (or max), and records the flag", async () => {
    // A = 99.5, 100.5, …; B = 199, 201, … (same CV). At n = 4 each own interval is ±0.92 % (sd 0.577, t(3) = 3.182),
    // met; the overhead B/A − 1 = +100 % has a half-width ≈ 2.447·200·√(2·0.00289²) ≈ ±2.0 points, not met, and
    // cannot fall below 200·0.00289·t ≈ 1.8 points while A stays at 4 samples: B runs to max.
    const script: Script = (t, k) => (t === 'A' ? 100 : 200) * (1 + (k % 2 ? 0.005 : -0.005));
    const { results } = await run({ order: 'sequential', samples: { min: 4, max: 8, targetHalfWidthPct: 1 } }, script);
    expect(results.samples.map((s) => s.target).join('')).toBe('AAAABBBBBBBB');
    expect(results.notes).toContain('w: precision not met (±1 % wanted) after 4 samples per target');
    expect([flag(results, 'A'), flag(results, 'B')]).toEqual([false, false]);
  });

  it('stops each target at min when its own and the overhead intervals are met', async () => {
    const { results } = await run({ order: 'sequential', samples: { min: 3, max: 10, targetHalfWidthPct: 1 } }, tight);
    expect(results.samples.map((s) => s.target).join('')).toBe('AAABBB');
    expect(results.notes).toContain('w: precision of ±1 % met after 3 samples per target');
    expect([flag(results, 'A'), flag(results, 'B')]).toEqual([true, true]);
  });
});
