/** What the runner tells the progress display after each sample, and the ETA it computes. */
import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../../src/runner/session.js';
import { SampleError } from '../../src/workloads/types.js';
import { FakeTarget, run } from './fakes.js';

describe('ProgressTracker', () => {
  it('no ETA before a sample ran; then the samples left times the mean duration', () => {
    const t = new ProgressTracker(10, 2);
    expect(t.etaSec()).toBeNull();
    t.sampled(1000);
    // 8 left × 1 s
    expect(t.etaSec()).toBe(8);
    t.sampled(3000);
    // mean 2 s, 8 left → 16 s
    expect(t.etaSec()).toBe(16);
    t.done = 9;
    expect(t.etaSec()).toBe(2);
    t.done = 12; // more done than planned (retries, adaptive): never negative
    expect(t.etaSec()).toBe(0);
  });
});

describe('progress events of a run', () => {
  it('one per recorded sample: running count of the planned total, target label, round, value or failure', async () => {
    // Interleaved, one warmup: Aw Bw, then A0 B0, B1 A1. B always fails ("boom").
    const targets = [new FakeTarget('A', 'Alpha'), new FakeTarget('B', 'Beta')];
    const { progress } = await run({ samples: 2, warmup: 1 }, (t, k) => (t === 'A' ? 100 + k : new SampleError('boom')), { targets });
    const seen = progress.events.map((e) => [e.done, e.total, e.workload, e.target, e.round, e.warmup, e.text]);
    expect(seen).toEqual([
      [1, 6, 'w', 'Alpha', -1, true, '100.0 u'],
      [2, 6, 'w', 'Beta', -1, true, 'failed: boom'],
      [3, 6, 'w', 'Alpha', 0, false, '101.0 u'],
      [4, 6, 'w', 'Beta', 0, false, 'failed: boom'],
      [5, 6, 'w', 'Beta', 1, false, 'failed: boom'],
      [6, 6, 'w', 'Alpha', 1, false, '102.0 u'],
    ]);
    // Warmups project nothing; every event has an ETA (a sample has run), the last one 0 s.
    expect(progress.events.filter((e) => e.warmup).every((e) => e.projectedRounds === undefined)).toBe(true);
    for (const e of progress.events) expect(e.etaSec).toBeGreaterThanOrEqual(0);
    expect(progress.events.at(-1)?.etaSec).toBe(0);
  });
});
