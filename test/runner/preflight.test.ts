/** The load check before sampling: shown, stored in the results, and a scenario's maxBusyCpuPct refuses a busy machine. */
import { describe, expect, it } from 'vitest';
import type { MachineLoadRecord } from '../../src/results/model.js';
import type { Survey } from '../../src/runner/preflight.js';
import { FakeTarget, readResults, run } from './fakes.js';

const found = (busy: number): Survey => async (machine, targets) =>
  ({
    machine: machine.address, targets, cores: 2, loadAverage: [1.2, 1, 0.5], cpuBusyPct: busy, busy: [], guests: [], servers: [],
    quiet: busy <= 10, warnings: busy > 10 ? [`CPU ${busy} % busy over 1 s on 2 cores`] : [],
  }) satisfies MachineLoadRecord;

describe('preflight', () => {
  it('surveys each machine once, warns in the terminal and records it in the results', async () => {
    const { results, progress, resultsDir } = await run({ samples: 2 }, () => 1, { survey: found(63) });
    const onDisk = readResults(resultsDir, results.runId);
    // Both fake targets live on one LocalMachine each: two machines, each named with its target.
    expect(onDisk.preflight?.machines.map((m) => [m.targets, m.cpuBusyPct])).toEqual([[['A'], 63], [['B'], 63]]);
    expect(progress.lines).toContain('warning: load on local (A): CPU 63 % busy over 1 s on 2 cores');
    expect(results.status).toBe('completed');
  });

  it('a quiet machine gets one plain line', async () => {
    const { progress } = await run({ samples: 2 }, () => 1, { survey: found(4) });
    expect(progress.lines).toContain('load on local (A): quiet (CPU 4 % busy over 1 s on 2 cores, load average 1.2 1 0.5)');
  });

  it('maxBusyCpuPct refuses to start above the limit: nothing is sampled', async () => {
    const targets = [new FakeTarget('A'), new FakeTarget('B')];
    const attempt = run({ samples: 2, maxBusyCpuPct: 50 }, () => 1, { survey: found(63), targets });
    await expect(attempt).rejects.toThrow(/refusing to start: local is 63 % busy; local is 63 % busy, above the scenario's maxBusyCpuPct of 50 %/);
    expect(targets.map((t) => t.opened)).toEqual([0, 0]);
  });

  it('maxBusyCpuPct lets a machine at or under the limit run', async () => {
    const { results } = await run({ samples: 2, maxBusyCpuPct: 63 }, () => 1, { survey: found(63) });
    expect(results.status).toBe('completed');
  });
});
