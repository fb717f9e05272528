/**
 * The run's noise sources in words, for the table model's footnotes (so every format carries them): per target
 * and workload, how many samples ran under others' load or steal over the thresholds, and how much.
 */
import type { PinRecord, Sample } from '../results/model.js';
import { parseCpuList } from '../util/cpu-list.js';
import { NOISE_THRESHOLDS, summarizeNoise } from '../util/cpu-noise.js';

/** One footnote's text for these (non-warmup) samples, or undefined when none was flagged. */
export function noiseNote(where: string, samples: readonly Sample[]): string | undefined {
  const s = summarizeNoise(samples);
  if (!s || s.flagged === 0) return undefined;
  const parts: string[] = [];
  if (s.flaggedForOthers > 0) {
    parts.push(`${s.flaggedForOthers} of ${s.n} samples ran with other processes using ≥ ${NOISE_THRESHOLDS.otherBusyPctOfCore} % of a core (median over all samples ${s.medianOtherBusyPct} %, max ${s.maxOtherBusyPct} %)`);
  }
  if (s.flaggedForSteal > 0) parts.push(`${s.flaggedForSteal} of ${s.n} under CPU steal ≥ ${NOISE_THRESHOLDS.stealPct} % (median ${s.medianStealPct} %)`);
  return `Noise, ${where}: ${parts.join('; ')}. Flagged samples are kept in every statistic (samples[].noise in the results).`;
}

/** A pinned target's CPUs as set and as read back, for a footnote on its column. */
export function pinNote(label: string, pin: PinRecord | undefined): string | undefined {
  if (!pin || (!pin.workload && !pin.client)) return undefined;
  const part = (what: string, want: string | undefined, got: string | undefined): string | undefined => {
    if (!want) return undefined;
    const same = got !== undefined && JSON.stringify(parseCpuList(got)) === JSON.stringify(parseCpuList(want));
    const back = got === undefined ? 'not read back' : same ? 'read back the same' : `read back ${got}, NOT as set`;
    return `${what} on CPUs ${want} (${back})`;
  };
  const parts = [part('workload and server', pin.workload, pin.workloadAffinity), part('client', pin.client, pin.clientAffinity)].filter(Boolean);
  return `Pinned, ${label}: ${parts.join('; ')}.`;
}
