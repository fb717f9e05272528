// Noise per sample: parsing /proc readings and the arithmetic, on captured and hand-made fixtures
// (test/fixtures/noise/README.md). Expected values are computed by hand in the comments.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOISE_THRESHOLDS, noiseBetween, parseCpuCounters, summarizeNoise, type SampleNoise } from '../../src/util/cpu-noise.js';

const fx = (name: string): string => readFileSync(`test/fixtures/noise/${name}`, 'utf8');

describe('parseCpuCounters', () => {
  it('reads the aggregate cpu line, the CPU count and the own tree (root line, reaped child, odd names)', () => {
    const a = parseCpuCounters(fx('small-before.txt'));
    // own tree 100 with children 101, 102: 100 = 5+3+10+2 = 20, 101 = 7+11 = 18, 102 = 1+1 = 2 → 40; 200 is foreign.
    expect(a).toEqual({ cpu: [1000, 10, 500, 8000, 40, 0, 20, 30], cpus: 2, ownTicks: 40 });
    // after: 100 = 6+3+40+12 = 61, 102 = 3+2 = 5 (101 exited) → 66
    expect(parseCpuCounters(fx('small-after.txt'))?.ownTicks).toBe(66);
    // An extra root adds its tree: 200 = 40+10+300+50 = 400.
    expect(parseCpuCounters(fx('small-before.txt'), [200])?.ownTicks).toBe(440);
  });

  it('pads a short cpu line (old kernels without steal) and rejects text without one', () => {
    expect(parseCpuCounters('cpu  1 2 3 4\ncpu0 1 2 3 4\n')).toEqual({ cpu: [1, 2, 3, 4, 0, 0, 0, 0], cpus: 1, ownTicks: 0 });
    expect(parseCpuCounters('no stat here')).toBeUndefined();
    expect(parseCpuCounters('cpu  a b c d')).toBeUndefined();
  });
});

describe('noiseBetween', () => {
  it('computes steal, iowait, own and others from hand-computed deltas', () => {
    const a = parseCpuCounters(fx('small-before.txt'));
    const b = parseCpuCounters(fx('small-after.txt'));
    // Δ user 120, nice 0, system 40, idle 20, iowait 10, irq 0, softirq 10, steal 10: total 210 over 2 CPUs = 105 per core.
    // busy = 120 + 40 + 10 = 170; own Δ = 66 − 40 = 26; others = 144 → 144/105 = 137.1 %; own 26/105 = 24.8 %.
    // steal 10/210 = 4.8 % (< 5: no steal flag); iowait 10/210 = 4.8 %.
    expect(noiseBetween(a!, b!)).toEqual({
      stealPct: 4.8, iowaitPct: 4.8, otherBusyPct: 137.1, ownBusyPct: 24.8, cpus: 2,
      flagged: true, reasons: ['others used 137.1 % of a core (≥ 25 %)'],
    });
  });

  it('moves a process from others to own when it is an own root', () => {
    const a = parseCpuCounters(fx('small-before.txt'), [200]);
    const b = parseCpuCounters(fx('small-after.txt'), [200]);
    // own Δ = (61 + 5 + 460) − 440 = 86; others = 170 − 86 = 84 → 84/105 = 80 %; own 86/105 = 81.9 %.
    const n = noiseBetween(a!, b!);
    expect(n?.otherBusyPct).toBe(80);
    expect(n?.ownBusyPct).toBe(81.9);
  });

  it('flags steal at its threshold and leaves a quiet sample unflagged', () => {
    const a = parseCpuCounters(fx('small-before.txt'));
    const b = parseCpuCounters(fx('small-after.txt'));
    const n = noiseBetween(a!, b!, { stealPct: 4.8, otherBusyPctOfCore: 1000 });
    expect(n?.flagged).toBe(true);
    expect(n?.reasons).toEqual(['steal 4.8 % of CPU time (≥ 4.8 %)']);
    const quiet = noiseBetween(a!, b!, { stealPct: 4.9, otherBusyPctOfCore: 137.2 });
    expect(quiet?.flagged).toBeUndefined();
    expect(quiet?.reasons).toBeUndefined();
  });

  it('on the captured busy host: the spinning loop is others, or own when its pid is a root', () => {
    // Strip the root line: with no own tree, everything busy is others.
    const strip = (t: string): string => t.replace(/^root .*$/m, '');
    const a = parseCpuCounters(strip(fx('busy-before.txt')));
    const b = parseCpuCounters(strip(fx('busy-after.txt')));
    // Δ user 176, system 43, idle 1, rest 0: total 220 over 2 CPUs = 110 per core; busy 219 → 199.1 %.
    const n = noiseBetween(a!, b!);
    expect(n).toMatchObject({ stealPct: 0, iowaitPct: 0, otherBusyPct: 199.1, ownBusyPct: 0, flagged: true });
    // The loop (pid 25880): utime+stime 23+1 → 88+1, Δ 65 ticks = 59.1 % of a core; others 154/110 = 140 %.
    const a2 = parseCpuCounters(strip(fx('busy-before.txt')), [25880]);
    const b2 = parseCpuCounters(strip(fx('busy-after.txt')), [25880]);
    expect(noiseBetween(a2!, b2!)).toMatchObject({ otherBusyPct: 140, ownBusyPct: 59.1 });
  });

  it('gives no reading when no time passed', () => {
    const a = parseCpuCounters(fx('small-before.txt'));
    expect(noiseBetween(a!, a!)).toBeUndefined();
  });
});

describe('summarizeNoise', () => {
  const s = (otherBusyPct: number, stealPct = 0): { noise: SampleNoise } => {
    const flagged = otherBusyPct >= NOISE_THRESHOLDS.otherBusyPctOfCore || stealPct >= NOISE_THRESHOLDS.stealPct;
    return { noise: { stealPct, iowaitPct: 0, otherBusyPct, ownBusyPct: 50, cpus: 2, ...(flagged ? { flagged, reasons: ['x'] } : {}) } };
  };
  it('counts flagged samples and takes medians over those with a reading', () => {
    // others 10, 30, 50, 2 (and one sample without a reading): sorted 2 10 30 50 → median 20; flagged 30 and 50; steal 6 flags the first.
    const sum = summarizeNoise([s(10, 6), s(30), s(50), s(2), {}]);
    expect(sum).toEqual({ n: 4, flagged: 3, medianOtherBusyPct: 20, maxOtherBusyPct: 50, medianStealPct: 0, flaggedForSteal: 1, flaggedForOthers: 2 });
    expect(summarizeNoise([{}, {}])).toBeUndefined();
  });
});
