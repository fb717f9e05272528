/**
 * The runner pipeline with a fake target and a fake workload (no Docker): order, warmups, failures and
 * retries, the stop after failures in a row, resume and interruption. Every expected sequence below is
 * written out by hand from the documented rules (docs/scenarios.md, "The run life cycle").
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run.js';
import { ConnectionError } from '../../src/exec/types.js';
import { SampleError } from '../../src/workloads/types.js';
import { InputError } from '../../src/scenario/errors.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { capture, FAST, FakeTarget, FakeWorkload, interruptAt, readResults, run, runTargets, sequence, type Script } from './fakes.js';

const constant: Script = (t) => (t === 'A' ? 100 : 80);

describe('order', () => {
  it('interleaved reverses every other round: A B, B A, A B, B A (warmup round first)', async () => {
    const { results, workload } = await run({ samples: 4, warmup: 1 }, constant);
    expect(sequence(results)).toEqual(['Aw-1', 'Bw-1', 'A0', 'B0', 'B1', 'A1', 'A2', 'B2', 'B3', 'A3']);
    expect(workload.calls).toEqual(['A', 'B', 'A', 'B', 'B', 'A', 'A', 'B', 'B', 'A']);
    expect(results.status).toBe('completed');
  });

  it('interleaved with three targets: A B C, then C B A', async () => {
    const { results } = await run({ samples: 3, targets: { A: { label: 'A' }, B: { label: 'B' }, C: { label: 'C' } } }, constant);
    expect(sequence(results)).toEqual(['A0', 'B0', 'C0', 'C1', 'B1', 'A1', 'A2', 'B2', 'C2']);
  });

  it('sequential: all samples of one target, then the next (warmups interleaved before)', async () => {
    const { results } = await run({ samples: 3, warmup: 1, order: 'sequential' }, constant);
    expect(sequence(results)).toEqual(['Aw-1', 'Bw-1', 'A0', 'A1', 'A2', 'B0', 'B1', 'B2']);
  });

  it('sequential takes the baseline first, wherever the scenario lists it', async () => {
    const { results } = await run({ samples: 2, order: 'sequential', baseline: 'B' }, constant);
    expect(sequence(results)).toEqual(['B0', 'B1', 'A0', 'A1']);
  });

  it('randomized: every round is a permutation, the same seed gives the same order, another seed another', async () => {
    const input: Partial<ScenarioInput> = { samples: 12, order: 'randomized', targets: { A: { label: 'A' }, B: { label: 'B' }, C: { label: 'C' } } };
    const one = await run(input, constant, { seed: 7 });
    const two = await run(input, constant, { seed: 7 });
    const other = await run(input, constant, { seed: 8 });
    expect(sequence(two.results)).toEqual(sequence(one.results));
    expect(one.results.scenario.seed).toBe(7);
    const rounds = (r: typeof one.results): string[][] => [...Array(12).keys()].map((k) => r.samples.filter((s) => s.round === k).map((s) => s.target));
    for (const round of rounds(one.results)) expect([...round].sort()).toEqual(['A', 'B', 'C']);
    // Not the interleaved pattern, and not one fixed order either.
    expect(new Set(rounds(one.results).map((r) => r.join(''))).size).toBeGreaterThan(2);
    expect(sequence(other.results)).not.toEqual(sequence(one.results));
  });

  it('randomized: warm-up rounds are shuffled too (interleaving would give only A B C and C B A)', async () => {
    const input: Partial<ScenarioInput> = { samples: 2, warmup: 8, order: 'randomized', targets: { A: { label: 'A' }, B: { label: 'B' }, C: { label: 'C' } } };
    const { results } = await run(input, constant, { seed: 7 });
    const warm = [...Array(8).keys()].map((k) => results.samples.filter((s) => s.warmup && s.round === -1 - k).map((s) => s.target).join(''));
    for (const w of warm) expect([...w].sort().join('')).toBe('ABC');
    expect(new Set(warm).size).toBeGreaterThan(2);
  });
});

describe('warmups', () => {
  it('are recorded and flagged, never in the statistics', async () => {
    // Warmups return 1000, samples 100, 102, 104, 106 (A) — mean 103 — and 50 (B).
    const script: Script = (t, k) => (t === 'A' ? (k < 2 ? 1000 : 100 + 2 * (k - 2)) : k < 2 ? 1000 : 50);
    const { results } = await run({ samples: 4, warmup: 2 }, script);
    expect(results.samples.filter((s) => s.warmup).map((s) => s.round)).toEqual([-1, -1, -2, -2]);
    const a = results.summaries.find((s) => s.target === 'A');
    expect(a?.n).toBe(4);
    expect(a?.mean).toBeCloseTo(103, 10);
    expect(a?.max).toBe(106);
    // (50 − 103) / 103 = −51.456… %
    expect(results.comparisons[0]?.differencePct).toBeCloseTo(-51.4563, 3);
  });
});

describe('failures', () => {
  it('retries a lost connection (attempts recorded) and records any other failure as is', async () => {
    const script: Script = (t, k) => {
      if (t === 'B' && k === 1) return new ConnectionError('connection reset');
      if (t === 'B' && k === 3) return new SampleError('short write', { bytes: 12 });
      return 10 + k;
    };
    const { results, progress } = await run({ samples: 3 }, script);
    // B: attempt 0 → round 0 ok; attempt 1 lost, attempt 2 → round 1 ok (2 attempts); attempt 3 → round 2 failed.
    const b = results.samples.filter((s) => s.target === 'B');
    expect(b.map((s) => [s.round, s.ok, s.attempts])).toEqual([[0, true, 1], [1, true, 2], [2, false, 1]]);
    expect(b[1]?.values.value).toBe(12);
    expect(b[2]?.error).toBe('short write');
    expect(b[2]?.details).toEqual({ bytes: 12 });
    expect(progress.lines.some((l) => l.includes('connection reset; retrying'))).toBe(true);
    expect(results.status).toBe('failed');
  });

  it('backs off k × retryDelayMs before attempt k + 1, and says so', async () => {
    const script: Script = (t, k) => (t === 'B' && k < 2 ? new ConnectionError('gone') : 5);
    const { results, progress } = await run({ samples: 2 }, script, { policy: { retryDelayMs: 4 } });
    // Attempt 1 lost → wait 1 × 4 ms; attempt 2 lost → wait 2 × 4 ms; attempt 3 succeeds.
    expect(progress.lines.filter((l) => l.includes('retrying'))).toEqual(['w · B: gone; retrying in 0.004 s', 'w · B: gone; retrying in 0.008 s']);
    expect(results.samples.filter((s) => s.target === 'B').map((s) => s.attempts)).toEqual([3, 1]);
  });

  it('an interrupt during the back-off ends the wait at once and records nothing for that sample', async () => {
    const controller = new AbortController();
    const script: Script = (t) => {
      if (t === 'B') {
        setTimeout(() => controller.abort(), 20);
        return new ConnectionError('gone');
      }
      return 5;
    };
    const started = performance.now();
    // A 60 s back-off: the run ends only because the abort cuts the wait short.
    const { results } = await run({ samples: 3 }, script, { signal: controller.signal, policy: { retryDelayMs: 60_000 } });
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(results.status).toBe('interrupted');
    expect(results.samples.filter((s) => s.target === 'B')).toEqual([]);
  });

  it('a failure\'s progress line carries the first 80 characters of its error', async () => {
    const long = `${'x'.repeat(80)}TAIL`;
    const { progress } = await run({ samples: 2 }, (t) => (t === 'B' ? new SampleError(long) : 1));
    expect(progress.events.find((e) => e.target === 'B')?.text).toBe(`failed: ${'x'.repeat(80)}`);
  });

  it('gives up a sample after three lost connections', async () => {
    const script: Script = (t, k) => (t === 'B' && k < 3 ? new ConnectionError('gone') : 5);
    const { results } = await run({ samples: 2 }, script);
    const b = results.samples.filter((s) => s.target === 'B');
    expect(b.map((s) => [s.ok, s.attempts])).toEqual([[false, 3], [true, 1]]);
  });

  it('stops a target after three failures in a row; the others go on', async () => {
    const { results, workload } = await run({ samples: 6 }, (t) => (t === 'B' ? new SampleError('boom') : 1));
    expect(results.samples.filter((s) => s.target === 'B').length).toBe(3);
    expect(results.samples.filter((s) => s.target === 'A').length).toBe(6);
    expect(workload.calls.filter((t) => t === 'B').length).toBe(3);
    expect(results.notes).toContain('w · B: stopped after 3 consecutive failed samples (last: boom)');
    expect(results.status).toBe('failed');
  });

  it('a success resets the count: fail, fail, ok, fail, fail, ok never stops', async () => {
    const { results } = await run({ samples: 6 }, (t, k) => (t === 'B' && k % 3 !== 2 ? new SampleError('flaky') : 1));
    expect(results.samples.filter((s) => s.target === 'B').map((s) => s.ok)).toEqual([false, false, true, false, false, true]);
    expect(results.notes.some((n) => n.includes('stopped after'))).toBe(false);
  });

  it('a target that cannot be prepared gets one failed "not run" sample and the run goes on', async () => {
    const targets = [new FakeTarget('A'), new FakeTarget('B', 'B', 'no docker here')];
    const { results } = await run({ samples: 2 }, constant, { targets });
    const b = results.samples.filter((s) => s.target === 'B');
    expect(b.map((s) => [s.ok, s.error])).toEqual([[false, 'not run: no docker here']]);
    expect(results.samples.filter((s) => s.target === 'A').length).toBe(2);
  });
});

describe('interruption and resume', () => {
  it('an abort inside a sample stores what was collected, cleans up, and --resume takes only the rest', async () => {
    const controller = new AbortController();
    // Order: Aw Bw A0 B0 B1 A1 …: the 6th call (A's 3rd attempt, k = 2, round 1) is interrupted.
    const script = interruptAt(controller, 'A', 2, (t) => (t === 'A' ? 100 : 90));
    const first = await run({ samples: 4, warmup: 1 }, script, { signal: controller.signal });
    expect(first.results.status).toBe('interrupted');
    expect(sequence(first.results)).toEqual(['Aw-1', 'Bw-1', 'A0', 'B0', 'B1']);
    // Stored: the results file and the append-only sample log.
    const onDisk = readResults(first.resultsDir, first.results.runId);
    expect(onDisk.status).toBe('interrupted');
    expect(onDisk.samples.length).toBe(5);
    const log = readFileSync(join(first.resultsDir, `${first.results.runId}.samples.jsonl`), 'utf8').trim().split('\n');
    expect(log.length).toBe(5);
    // Cleaned up: both exec contexts closed, the scratch directory gone.
    expect(first.workload.cleanups).toBe(2);
    expect(first.targets.map((t) => t.closed)).toEqual([1, 1]);
    expect(readdirSync(first.scratch)).toEqual([]);

    // Resume: A1, then rounds 2 and 3 (A B, B A); nothing already on disk runs again.
    const workload = new FakeWorkload('w', (t) => (t === 'A' ? 100 : 90));
    const resumed = await runScenario({
      scenario: onDisk.scenario, resume: onDisk, resultsDir: first.resultsDir, targets: runTargets([new FakeTarget('A'), new FakeTarget('B')]),
      workloads: [workload], progress: capture(), policy: FAST, survey: false,
    });
    expect(workload.calls).toEqual(['A', 'A', 'B', 'B', 'A']);
    expect(resumed.status).toBe('completed');
    expect(resumed.runId).toBe(first.results.runId);
    expect(sequence(resumed)).toEqual(['Aw-1', 'Bw-1', 'A0', 'B0', 'B1', 'A1', 'A2', 'B2', 'B3', 'A3']);
    expect(resumed.samples.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(resumed.notes.some((n) => n.startsWith('resumed at'))).toBe(true);
    expect(existsSync(join(first.scratch, first.results.runId))).toBe(false);
  });

  it('each target\'s fingerprint is recorded once; --resume refuses a target whose environment changed, naming what', async () => {
    const controller = new AbortController();
    const script = interruptAt(controller, 'B', 1, () => 5);
    const first = await run({ samples: 3 }, script, { signal: controller.signal });
    expect(first.results.status).toBe('interrupted');
    // Recorded from this host (read independently here).
    for (const t of first.results.targets) expect(t.fingerprint.kernelRelease).toBe(release());
    const onDisk = readResults(first.resultsDir, first.results.runId);
    (onDisk.targets.find((t) => t.id === 'B')!.fingerprint as { kernelRelease: string }).kernelRelease = '1.0.0-elsewhere';
    const again = () =>
      runScenario({
        scenario: onDisk.scenario, resume: onDisk, resultsDir: first.resultsDir, targets: runTargets([new FakeTarget('A'), new FakeTarget('B')]),
        workloads: [new FakeWorkload('w', () => 5)], progress: capture(), policy: FAST, survey: false,
      });
    const err = await again().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(
      `cannot resume ${first.results.runId}: the environment of target B changed (kernelRelease: "1.0.0-elsewhere" → ${JSON.stringify(release())}); start a new run instead`,
    );
  });
});
