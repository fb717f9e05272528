/**
 * `repeat` K ≥ 2: K independent blocks per workload, each prepared afresh (the fake workload's prepare and
 * cleanup run K times, in order), samples carrying their block, the block-level analysis, resume mid-block
 * and an interrupt inside a block. Expected sequences are written out by hand from src/runner/blocks.ts's
 * rules (block b's rounds are b·n … b·n + n − 1; each block starts with its own warm-ups).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run.js';
import { capture, FAST, FakeTarget, FakeWorkload, interruptAt, readResults, run, runTargets, sequence, type Script } from './fakes.js';

const constant: Script = (t) => (t === 'A' ? 100 : 80);
const oneBlock = ['prepare:A', 'prepare:B', 'sample:A', 'sample:B', 'sample:A', 'sample:B', 'sample:B', 'sample:A', 'cleanup:A', 'cleanup:B'];

describe('repeat: blocks', () => {
  it('prepares, warms up, samples and cleans up every block afresh, K times in order', async () => {
    const { results, workload, targets } = await run({ samples: 2, warmup: 1, repeat: 3 }, constant);
    expect(workload.events).toEqual([...oneBlock, ...oneBlock, ...oneBlock]);
    // Once per target per block: 2 targets × 3 blocks.
    expect(workload.prepares).toBe(6);
    expect(workload.cleanups).toBe(6);
    expect(targets.map((t) => [t.opened, t.closed])).toEqual([[3, 3], [3, 3]]);
    expect(sequence(results)).toEqual([
      'Aw-1', 'Bw-1', 'A0', 'B0', 'B1', 'A1',
      'Aw-1', 'Bw-1', 'A2', 'B2', 'B3', 'A3',
      'Aw-1', 'Bw-1', 'A4', 'B4', 'B5', 'A5',
    ]);
    // Block 0 leaves the field out (as older files do); blocks 1 and 2 carry it.
    expect(results.samples.map((s) => s.block)).toEqual([...Array(6).fill(undefined), ...Array(6).fill(1), ...Array(6).fill(2)]);
    expect(results.samples.slice(0, 6).every((s) => !('block' in s))).toBe(true);
    expect(results.blocks?.map((b) => [b.workload, b.block, Object.keys(b.prepareMs).sort(), Object.keys(b.cleanupMs).sort(), typeof b.finishedAt])).toEqual([
      ['w', 0, ['A', 'B'], ['A', 'B'], 'string'],
      ['w', 1, ['A', 'B'], ['A', 'B'], 'string'],
      ['w', 2, ['A', 'B'], ['A', 'B'], 'string'],
    ]);
    expect(results.status).toBe('completed');
  });

  it('repeat 1 (or absent) is one block as before: no block fields, no block records', async () => {
    const { results, workload } = await run({ samples: 2, warmup: 1, repeat: 1 }, constant);
    expect(workload.events).toEqual(oneBlock);
    expect(results.blocks).toBeUndefined();
    expect(results.samples.some((s) => 'block' in s)).toBe(false);
    expect(results.summaries.some((s) => s.levels)).toBe(false);
  });

  it('an adaptive plan takes its min per block (fixed counts per level)', async () => {
    const { results } = await run({ samples: { min: 3, max: 30, targetHalfWidthPct: 0.001 }, repeat: 2 }, (t, k) => (t === 'A' ? 100 + k : 80 + k));
    expect(results.samples.filter((s) => s.target === 'A').map((s) => [s.round, s.block ?? 0])).toEqual([[0, 0], [1, 0], [2, 0], [3, 1], [4, 1], [5, 1]]);
  });

  it('analyses at two levels: block means, variance at each level, the interval over block means, the difference from them', async () => {
    // A: 100, 102 | 110, 112 | 120, 122 → block means 101, 111, 121; S²_within = 2; S²_between = 100; T² = 100 − 2/2 = 99.
    // B:  90,  92 |  90,  92 |  96,  98 → block means  91,  91,  97.
    const script: Script = (t, k) => (t === 'A' ? 100 + 10 * Math.floor(k / 2) + 2 * (k % 2) : [90, 92, 90, 92, 96, 98][k] as number);
    const { results } = await run({ samples: 2, repeat: 3 }, script);
    const a = results.summaries.find((s) => s.target === 'A');
    expect(a?.n).toBe(6);
    expect(a?.levels?.blockMeans).toEqual([101, 111, 121]);
    expect(a?.levels?.perBlock).toEqual([2, 2, 2]);
    expect(a?.levels?.withinVariance).toBeCloseTo(2, 9);
    expect(a?.levels?.betweenVariance).toBeCloseTo(100, 9);
    expect(a?.levels?.betweenComponent).toBeCloseTo(99, 9);
    // 111 ± t₀.₉₇₅(2)·√(100/3) = 111 ± 24.8414 (scipy); the single-level interval of the 6 values is kept beside it.
    expect(a?.mean).toBe(111);
    expect(a?.ci?.low).toBeCloseTo(111 - 24.841377117503303, 6);
    expect(a?.ci?.high).toBeCloseTo(111 + 24.841377117503303, 6);
    expect(a?.levels?.singleLevel.mean).toBe(111);
    expect(a?.levels?.costs?.sampleSec).toBeGreaterThan(0);
    // Fieller on the block means (101, 111, 121) vs (91, 91, 97), worked with scipy: −16.216 % [−30.100, 3.149].
    const c = results.comparisons[0];
    expect(c?.method).toBe('fieller');
    expect(c?.differencePct).toBeCloseTo(-16.216216216216218, 9);
    expect(c?.ci?.low).toBeCloseTo(-30.10049141170098, 6);
    expect(c?.ci?.high).toBeCloseTo(3.149409241301826, 6);
    expect(c?.levels?.blocks).toEqual({ baseline: 3, candidate: 3 });
    // The paired interval describes adjacent samples of one set-up: not beside the block-level one.
    expect(c?.paired).toBeUndefined();
    // Single level (all 6 values each side): (93 − 111)/111 = −16.216 % too, with a narrower interval.
    expect(c?.levels?.singleLevel.differencePct).toBeCloseTo(-16.216216216216218, 9);
    const single = c?.levels?.singleLevel.ci as { low: number; high: number };
    expect(single.high - single.low).toBeLessThan((c?.ci?.high as number) - (c?.ci?.low as number));
  });
});

describe('repeat: interruption and resume', () => {
  it('an interrupt mid-block cleans up; --resume skips the finished block and continues the unfinished one in a fresh set-up', async () => {
    const controller = new AbortController();
    // Block 0: A0 B0 B1 A1 (A's attempts 0, 1). Block 1: A2 B2, then B3; A's 4th attempt (k = 3, round 3) hangs.
    const script = interruptAt(controller, 'A', 3, (t) => (t === 'A' ? 100 : 90));
    const first = await run({ samples: 2, warmup: 0, repeat: 3 }, script, { signal: controller.signal });
    expect(first.results.status).toBe('interrupted');
    expect(sequence(first.results)).toEqual(['A0', 'B0', 'B1', 'A1', 'A2', 'B2', 'B3']);
    expect(first.workload.events).toEqual([
      'prepare:A', 'prepare:B', 'sample:A', 'sample:B', 'sample:B', 'sample:A', 'cleanup:A', 'cleanup:B',
      'prepare:A', 'prepare:B', 'sample:A', 'sample:B', 'sample:B', 'sample:A', 'cleanup:A', 'cleanup:B',
    ]);
    expect(first.targets.map((t) => [t.opened, t.closed])).toEqual([[2, 2], [2, 2]]);
    expect(readdirSync(first.scratch)).toEqual([]);
    const onDisk = readResults(first.resultsDir, first.results.runId);
    expect(onDisk.blocks?.map((b) => [b.block, b.finishedAt !== undefined])).toEqual([[0, true], [1, false]]);

    const workload = new FakeWorkload('w', (t) => (t === 'A' ? 100 : 90));
    const resumed = await runScenario({
      scenario: onDisk.scenario, resume: onDisk, resultsDir: first.resultsDir, targets: runTargets([new FakeTarget('A'), new FakeTarget('B')]),
      workloads: [workload], progress: capture(), policy: FAST, survey: false,
    });
    // Block 0 is not redone; block 1 is prepared afresh and takes only A3; block 2 runs whole.
    expect(workload.events).toEqual([
      'prepare:A', 'prepare:B', 'sample:A', 'cleanup:A', 'cleanup:B',
      'prepare:A', 'prepare:B', 'sample:A', 'sample:B', 'sample:B', 'sample:A', 'cleanup:A', 'cleanup:B',
    ]);
    expect(sequence(resumed)).toEqual(['A0', 'B0', 'B1', 'A1', 'A2', 'B2', 'B3', 'A3', 'A4', 'B4', 'B5', 'A5']);
    expect(resumed.samples.map((s) => s.block ?? 0)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(resumed.status).toBe('completed');
    expect(resumed.blocks?.map((b) => [b.block, b.finishedAt !== undefined])).toEqual([[0, true], [1, true], [2, true]]);
    expect(resumed.notes).toContain('w: block 2 of 3 continued in a fresh set-up after 3 samples');
  });
});
