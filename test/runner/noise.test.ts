/**
 * Noise per sample, for real on this host: the runner reads /proc around each sample through the target's
 * LocalMachine. A busy loop (`sh -c 'while :; do :; done'`) spins for the sample's duration and is killed after:
 * started outside benchsuite's process tree it must show up as others' CPU; started as benchsuite's own child it
 * is the benchmark's own CPU. The loop's share is read from its own /proc/<pid>/stat, independently of the code
 * under test. Other jobs on this shared machine only add to "others", so the assertions hold under any load.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run.js';
import type { MetricInfo, Sample } from '../../src/results/model.js';
import type { PreparedWorkload, Workload, WorkloadContext } from '../../src/workloads/types.js';
import { capture, FAST, FakeTarget, runTargets, scenarioWith, tempDir } from './fakes.js';

const SPIN_MS = 1000;

function loopTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Each sample spins a busy loop for SPIN_MS, outside benchsuite's tree (orphaned) or as its child; records the loop's ticks. */
class SpinWorkload implements Workload {
  readonly kind = 'spin';
  readonly loopTicks: number[] = [];
  constructor(readonly id: string, private readonly foreign: boolean) {}
  metrics(): MetricInfo[] {
    return [{ workload: this.id, metric: 'value', title: 'Spin', unit: 'u', higherIsBetter: true, primary: true }];
  }
  async prepare(ctx: WorkloadContext): Promise<PreparedWorkload> {
    const env = await ctx.target.open({ workload: this.id, mounts: [], scratchDir: ctx.scratchDir });
    return {
      execCtx: env,
      runSample: async () => {
        let pid: number;
        let child: ReturnType<typeof spawn> | undefined;
        if (this.foreign) {
          // The outer sh exits at once: the loop is re-parented, so it is not in benchsuite's tree.
          pid = Number(execFileSync('sh', ['-c', "sh -c 'while :; do :; done' >/dev/null 2>&1 & echo $!"], { encoding: 'utf8' }).trim());
        } else {
          child = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
          pid = child.pid as number;
        }
        try {
          await new Promise((r) => setTimeout(r, SPIN_MS));
          this.loopTicks.push(loopTicks(pid));
        } finally {
          process.kill(pid, 'SIGKILL');
        }
        if (child) await new Promise((r) => child?.once('exit', r)); // reaped: its time is in our cutime now
        return { values: { value: 1 }, details: {} };
      },
      cleanup: () => env.close(),
    };
  }
}

async function spinRun(foreign: boolean): Promise<{ samples: Sample[]; loopPct: number[] }> {
  const scenario = scenarioWith({ samples: 2, warmup: 0, targets: { A: { label: 'A' } }, baseline: 'A' }, tempDir('scratch'));
  const w = new SpinWorkload('w', foreign);
  const results = await runScenario({ scenario, resultsDir: tempDir('results'), targets: runTargets([new FakeTarget('A')]), workloads: [w], progress: capture(), policy: FAST, survey: false });
  // The loop's share of one core over the sample (its ticks are 1/100 s).
  const loopPct = results.samples.map((s, i) => (100 * (w.loopTicks[i] as number)) / (s.durationMs / 10));
  return { samples: results.samples, loopPct };
}

describe('noise per sample, for real on this host', () => {
  it('a busy loop outside benchsuite during a sample is others\' CPU, and flags the sample', async () => {
    const { samples, loopPct } = await spinRun(true);
    expect(samples).toHaveLength(2);
    for (const [i, s] of samples.entries()) {
      const pct = loopPct[i] as number;
      expect(pct, 'the loop ran').toBeGreaterThan(20);
      expect(s.noise, 'a reading').toBeDefined();
      // Others include the loop (± a tick or two of /proc's 1/100 s resolution); benchsuite's own CPU does not.
      expect(s.noise?.otherBusyPct).toBeGreaterThanOrEqual(pct - 5);
      expect(s.noise?.ownBusyPct).toBeLessThan(pct / 2);
      expect(s.noise?.flagged).toBe(true);
      expect(s.noise?.reasons?.join(' ')).toMatch(/others used/);
      expect(s.noise?.cpus).toBe(Number(execFileSync('nproc', { encoding: 'utf8' }).trim()));
      // Flagged, never dropped: it is a successful sample with its value.
      expect(s.ok).toBe(true);
      expect(s.values.value).toBe(1);
    }
  }, 60_000);

  it('the same loop as benchsuite\'s own child is the benchmark\'s own CPU', async () => {
    const { samples, loopPct } = await spinRun(false);
    for (const [i, s] of samples.entries()) {
      const pct = loopPct[i] as number;
      expect(pct).toBeGreaterThan(20);
      expect(s.noise?.ownBusyPct).toBeGreaterThanOrEqual(pct - 5);
    }
  }, 60_000);
});
