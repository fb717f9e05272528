/**
 * The pipeline's bookkeeping across workloads, with fakes: the progress total it announces, the per-sample
 * timeout it passes down, and the workload's own notes about its samples.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run.js';
import type { Sample } from '../../src/results/model.js';
import type { PreparedWorkload, WorkloadContext } from '../../src/workloads/types.js';
import { capture, FAST, FakeTarget, FakeWorkload, runTargets, scenarioWith, tempDir } from './fakes.js';

/** A fake workload that records the timeout each sample got and says how many ok samples it was given. */
class NotingWorkload extends FakeWorkload {
  readonly timeouts: number[] = [];
  override async prepare(ctx: WorkloadContext): Promise<PreparedWorkload> {
    const p = await super.prepare(ctx);
    return {
      ...p,
      runSample: (o) => {
        this.timeouts.push(o.timeoutMs);
        return p.runSample(o);
      },
    };
  }
  notes(samples: Sample[]): string[] {
    return [`${samples.length} measured: ${samples.map((s) => s.values.value).join(',')}`];
  }
}

async function twoWorkloads(script: (t: string, k: number) => number | Error) {
  const scenario = scenarioWith({ samples: 2, warmup: 1, timeoutSec: 7, workloads: { w1: { kind: 'dd' }, w2: { kind: 'dd' } } }, tempDir('scratch'));
  const w1 = new NotingWorkload('w1', script);
  const w2 = new NotingWorkload('w2', script);
  const progress = capture();
  const results = await runScenario({
    scenario, resultsDir: tempDir('results'), targets: runTargets([new FakeTarget('A'), new FakeTarget('B')]), workloads: [w1, w2],
    progress, policy: FAST, survey: false,
  });
  return { results, progress, w1, w2 };
}

describe('pipeline across workloads', () => {
  it('the progress total is every sample of every workload from the start: 2 workloads × 2 targets × (1 warm-up + 2)', async () => {
    const { progress } = await twoWorkloads((_, k) => 10 + k);
    expect(progress.events).toHaveLength(12);
    expect(progress.events.map((e) => e.total)).toEqual(Array(12).fill(12));
    expect(progress.events.map((e) => e.done)).toEqual([...Array(12).keys()].map((k) => k + 1));
  });

  it('each sample gets the scenario\'s timeout in milliseconds', async () => {
    const { w1, w2 } = await twoWorkloads(() => 1);
    expect([...w1.timeouts, ...w2.timeouts]).toEqual(Array(12).fill(7000));
  });

  it('a workload\'s notes see only its own measured, successful samples of each target, and are prefixed', async () => {
    // Per target: warm-up (k = 0) 10, then 11, 12; B's second sample fails.
    const { results } = await twoWorkloads((t, k) => (t === 'B' && k === 2 ? new Error('boom') : 10 + k));
    expect(results.notes.filter((n) => n.includes('measured'))).toEqual([
      'w1 · A: 2 measured: 11,12',
      'w1 · B: 1 measured: 11',
      'w2 · A: 2 measured: 11,12',
      'w2 · B: 1 measured: 11',
    ]);
  });
});
