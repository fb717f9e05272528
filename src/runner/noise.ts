/**
 * Noise per sample (src/util/cpu-noise.ts): the target's machine reads its CPU counters just before and just after
 * each sample (warmups too); the sample records steal, iowait and the CPU others used, flagged over the thresholds.
 * A flagged sample is never dropped and counts in every statistic: the flag explains, it does not filter.
 */
import type { Target } from '../exec/types.js';
import { noiseBetween, type CpuCounters, type SampleNoise } from '../util/cpu-noise.js';
import type { PreparedWorkload } from '../workloads/types.js';

export type CounterReader = () => Promise<CpuCounters | undefined>;

/** The reader for one prepared workload on one target; undefined when the machine offers none. A failed read is no reading. */
export function counterReader(target: Target, prepared: PreparedWorkload, signal?: AbortSignal): CounterReader | undefined {
  const m = target.machine;
  if (!m.cpuCounters) return undefined;
  const own = prepared.execCtx.ownPids ?? [];
  return () => (m.cpuCounters as NonNullable<typeof m.cpuCounters>)(own, { signal }).catch(() => undefined);
}

/** The noise between a reading taken before the sample and one taken now. */
export async function noiseSince(read: CounterReader | undefined, before: CpuCounters | undefined): Promise<SampleNoise | undefined> {
  if (!read || !before) return undefined;
  const after = await read();
  return after ? noiseBetween(before, after) : undefined;
}
