/**
 * Noise per sample without real processes: the counter reader a runner builds for a target, and the noise
 * between two readings, with scripted readings and expectations worked out by hand. The same path for real
 * on this host (busy loops around real samples) is test/runner/noise.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Machine, Target } from '../../src/exec/types.js';
import { counterReader, noiseSince } from '../../src/runner/noise.js';
import type { CpuCounters } from '../../src/util/cpu-noise.js';
import type { PreparedWorkload } from '../../src/workloads/types.js';
import { FakeTarget, run, ScratchMachine, type Script } from './fakes.js';

// Two readings by hand: between them user +50, system +20, idle +80 ticks (150 in all) on 2 CPUs (75 per core);
// the benchmark's own trees used 30 ticks. Others: 70 − 30 = 40 ticks → 40 / 75 = 53.3 % of a core (≥ 25 %: flagged);
// own 30 / 75 = 40 %; no steal, no iowait.
const BEFORE: CpuCounters = { cpu: [100, 0, 50, 800, 0, 0, 0, 0], cpus: 2, ownTicks: 10 };
const AFTER: CpuCounters = { cpu: [150, 0, 70, 880, 0, 0, 0, 0], cpus: 2, ownTicks: 40 };
const EXPECTED = { stealPct: 0, iowaitPct: 0, otherBusyPct: 53.3, ownBusyPct: 40, cpus: 2, flagged: true, reasons: ['others used 53.3 % of a core (≥ 25 %)'] };

/** A machine that answers cpuCounters from a script and records what it was asked. */
class CountingMachine extends ScratchMachine {
  readonly asked: { own: readonly number[]; signal?: AbortSignal }[] = [];
  constructor(private readonly answer: (call: number) => Promise<CpuCounters | undefined>) {
    super();
  }
  cpuCounters(own: readonly number[], options?: { signal?: AbortSignal }): Promise<CpuCounters | undefined> {
    this.asked.push({ own, signal: options?.signal });
    return this.answer(this.asked.length - 1);
  }
}

const prepared = (ownPids?: number[]): PreparedWorkload => ({ execCtx: { ownPids } } as unknown as PreparedWorkload);
const targetOn = (machine: Machine): Target => ({ machine } as unknown as Target);

describe('counterReader', () => {
  it('none when the machine cannot read counters', () => {
    expect(counterReader(targetOn({} as Machine), prepared())).toBeUndefined();
  });

  it('asks the machine with the exec context\'s own pids (none: an empty list) and the run\'s signal', async () => {
    const m = new CountingMachine(async () => AFTER);
    const signal = new AbortController().signal;
    expect(await counterReader(targetOn(m), prepared([42, 43]), signal)?.()).toEqual(AFTER);
    expect(await counterReader(targetOn(m), prepared())?.()).toEqual(AFTER);
    expect(m.asked).toEqual([{ own: [42, 43], signal }, { own: [], signal: undefined }]);
  });

  it('a failed read is no reading, not an error', async () => {
    const m = new CountingMachine(async () => {
      throw new Error('ssh: connection lost');
    });
    await expect(counterReader(targetOn(m), prepared())?.()).resolves.toBeUndefined();
  });
});

describe('noiseSince', () => {
  it('the noise between the reading before and one taken now', async () => {
    expect(await noiseSince(async () => AFTER, BEFORE)).toEqual(EXPECTED);
  });

  it('nothing without a reader, without a reading before, or when the reading now fails', async () => {
    let reads = 0;
    const read = async (): Promise<CpuCounters> => {
      reads++;
      return AFTER;
    };
    expect(await noiseSince(undefined, BEFORE)).toBeUndefined();
    expect(await noiseSince(read, undefined)).toBeUndefined();
    expect(reads).toBe(0); // no reading before: nothing to compare with, so none is taken after
    expect(await noiseSince(async () => undefined, BEFORE)).toBeUndefined();
  });
});

describe('noise on the samples of a run', () => {
  it('each sample, warm-ups and failures too, records the noise between the readings around it', async () => {
    // Readings alternate BEFORE, AFTER: every sample sees the hand-worked noise above.
    class NoisyTarget extends FakeTarget {
      override readonly machine = new CountingMachine(async (k) => (k % 2 === 0 ? BEFORE : AFTER));
    }
    const targets = [new NoisyTarget('A'), new NoisyTarget('B')];
    const script: Script = (t, k) => (t === 'B' && k === 1 ? new Error('boom') : 5);
    const { results } = await run({ samples: 2, warmup: 1 }, script, { targets });
    expect(results.samples).toHaveLength(6);
    for (const s of results.samples) expect(s.noise).toEqual(EXPECTED);
    expect(results.samples.filter((s) => !s.ok)).toHaveLength(1);
  });
});
