/**
 * Noise around one sample, from two readings of the machine's CPU counters (before and after the sample):
 * the aggregate `cpu` line of /proc/stat (all CPUs, in USER_HZ ticks) and the CPU time of the benchmark's own
 * processes. Pure: the readings arrive as text (CPU_COUNTERS_SCRIPT's output, or the same text built in-process
 * on this host), so the arithmetic is tested on captured lines.
 *
 * The benchmark's own CPU is the CPU time of every process in the process trees rooted at the "own roots" the
 * machine and the environment name: benchsuite itself on this host (so the workloads' commands, servers and clients, and the docker
 * and ssh clients it starts), the kept-open remote shell on an SSH host (its commands are its children) and the servers
 * started there, and a container's runtime shim (the container's main process and every `docker exec` in it).
 * A process's time is utime + stime + cutime + cstime: children that exit inside the window (a sample's commands) are counted
 * through the parent that waited for them. Everything else busy on the machine is "others".
 */
import { procStatFields } from './proc.js';

/** Where the defaults of flagging live; docs/statistics.md ("Noise per sample") explains them. */
export interface NoiseThresholds {
  stealPct: number;
  otherBusyPctOfCore: number;
}
export const NOISE_THRESHOLDS: Readonly<NoiseThresholds> = Object.freeze({
  /** A sample is flagged when the hypervisor stole at least this share of all CPU time (percent). */
  stealPct: 5,
  /** … or when everything but the benchmark used at least this much CPU, in percent of one core. */
  otherBusyPctOfCore: 25,
});

/**
 * The probe run on a machine without an in-process reader (SSH hosts, the guest): the cpu lines of /proc/stat,
 * `root <pid>` for the shell that runs it (the kept-open session shell, whose children are the benchmark's
 * commands), then every process's stat line. POSIX sh; cat is the only program; no argument reaches it.
 */
export const CPU_COUNTERS_SCRIPT = [
  'while read -r l; do case $l in cpu*) printf \'%s\\n\' "$l" ;; *) break ;; esac; done < /proc/stat',
  'printf \'root %s\\n\' "$PPID"',
  'cat /proc/[0-9]*/stat 2>/dev/null',
  'true',
].join('\n');

/** One reading. */
export interface CpuCounters {
  /** The aggregate cpu line: user nice system idle iowait irq softirq steal, in ticks (guest time is inside user). */
  cpu: number[];
  /** Number of cpuN lines (the CPUs online). */
  cpus: number;
  /** Ticks of the benchmark's own processes (utime + stime + cutime + cstime over the own trees). */
  ownTicks: number;
}

/** The noise of one sample, as recorded on it (percentages rounded to 0.1). */
export interface SampleNoise {
  /** Steal: percent of all CPU time the hypervisor gave to others. */
  stealPct: number;
  /** iowait: percent of all CPU time idle with I/O outstanding (a disk workload causes it itself; never a flag reason). */
  iowaitPct: number;
  /** CPU used by everything but the benchmark, in percent of one core. */
  otherBusyPct: number;
  /** CPU used by the benchmark's own processes, in percent of one core. */
  ownBusyPct: number;
  cpus: number;
  /** Set when over a threshold (NOISE_THRESHOLDS); the sample still counts in every statistic. */
  flagged?: boolean;
  reasons?: string[];
}

const FIELDS = 8;

/** Parse one reading; roots are extra own-tree roots (a `root <pid>` line in the text adds one). */
export function parseCpuCounters(text: string, roots: readonly number[] = []): CpuCounters | undefined {
  const lines = text.split('\n');
  const agg = lines.find((l) => /^cpu\s/.test(l));
  if (!agg) return undefined;
  const f = agg.trim().split(/\s+/).slice(1, 1 + FIELDS).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return undefined;
  while (f.length < FIELDS) f.push(0);
  const cpus = lines.filter((l) => /^cpu\d+\s/.test(l)).length;
  const own = new Set(roots);
  for (const l of lines) {
    const m = /^root (\d+)$/.exec(l.trim());
    if (m) own.add(Number(m[1]));
  }
  const procs = new Map<number, { ppid: number; ticks: number }>();
  for (const l of lines) {
    const m = /^(\d+) \(/.exec(l);
    if (!m) continue;
    const p = procStatFields(l);
    const ticks = Number(p[11]) + Number(p[12]) + Number(p[13]) + Number(p[14]);
    const ppid = Number(p[1]);
    if (Number.isFinite(ticks) && Number.isFinite(ppid)) procs.set(Number(m[1]), { ppid, ticks });
  }
  return { cpu: f, cpus, ownTicks: treeTicks(procs, own) };
}

/** Sum of ticks over the processes in the trees rooted at roots (a process counts once). */
function treeTicks(procs: Map<number, { ppid: number; ticks: number }>, roots: Set<number>): number {
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const seen = new Set<number>();
  let sum = 0;
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    sum += procs.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return sum;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The noise between two readings, flagged against the thresholds; undefined when no time passed. */
export function noiseBetween(a: CpuCounters, b: CpuCounters, t: NoiseThresholds = NOISE_THRESHOLDS): SampleNoise | undefined {
  const d = b.cpu.map((x, i) => x - (a.cpu[i] ?? 0));
  const total = d.reduce((s, x) => s + x, 0);
  const cpus = b.cpus || a.cpus || 1;
  if (!(total > 0)) return undefined;
  const [user = 0, nice = 0, system = 0, , iowait = 0, irq = 0, softirq = 0, steal = 0] = d;
  const busy = user + nice + system + irq + softirq;
  const perCore = total / cpus;
  const own = Math.max(0, b.ownTicks - a.ownTicks);
  const noise: SampleNoise = {
    stealPct: round1((100 * steal) / total),
    iowaitPct: round1((100 * iowait) / total),
    otherBusyPct: round1((100 * Math.max(0, busy - own)) / perCore),
    ownBusyPct: round1((100 * own) / perCore),
    cpus,
  };
  const reasons: string[] = [];
  if (noise.stealPct >= t.stealPct) reasons.push(`steal ${noise.stealPct} % of CPU time (≥ ${t.stealPct} %)`);
  if (noise.otherBusyPct >= t.otherBusyPctOfCore) reasons.push(`others used ${noise.otherBusyPct} % of a core (≥ ${t.otherBusyPctOfCore} %)`);
  if (reasons.length > 0) Object.assign(noise, { flagged: true, reasons });
  return noise;
}

/** What a report says about one target's samples of one workload: how many were flagged, and the typical other load. */
export interface NoiseSummary {
  n: number;
  flagged: number;
  /** Median of others' CPU (percent of one core) over the samples with a reading, and its maximum. */
  medianOtherBusyPct: number;
  maxOtherBusyPct: number;
  medianStealPct: number;
  flaggedForSteal: number;
  flaggedForOthers: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Summary over samples (those without a reading are left out of n); undefined when none has one. */
export function summarizeNoise(samples: readonly { noise?: SampleNoise }[], t: NoiseThresholds = NOISE_THRESHOLDS): NoiseSummary | undefined {
  const xs = samples.map((s) => s.noise).filter((x): x is SampleNoise => x !== undefined);
  if (xs.length === 0) return undefined;
  const others = xs.map((x) => x.otherBusyPct);
  return {
    n: xs.length,
    flagged: xs.filter((x) => x.flagged).length,
    medianOtherBusyPct: round1(median(others)),
    maxOtherBusyPct: Math.max(...others),
    medianStealPct: round1(median(xs.map((x) => x.stealPct))),
    flaggedForSteal: xs.filter((x) => x.stealPct >= t.stealPct).length,
    flaggedForOthers: xs.filter((x) => x.otherBusyPct >= t.otherBusyPctOfCore).length,
  };
}
