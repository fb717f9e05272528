/**
 * Is a machine quiet enough to measure on? One fixed probe, run through Machine.exec (so it works here,
 * on SSH hosts and in the guest), reads /proc twice ~1 s apart: how busy the CPUs were, which processes
 * used them, the load average, and benchsuite's own load — its guests (qemu -name benchsuite-guest) and its
 * servers (nginx with a config in a run's scratch directory). Parsing is pure, for tests on captured text.
 */
import type { MachineLoadRecord } from '../results/model.js';
import type { Machine } from '../exec/types.js';
import { procStatFields } from '../util/proc.js';

/** Above this percentage of all CPUs busy, a run warns (a scenario's maxBusyCpuPct refuses instead). */
export const DEFAULT_BUSY_WARN_PCT = 10;
/** Processes shown as busy use at least this percentage of one core. */
const BUSY_PROCESS_PCT = 5;
/** Kernel clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SEC = 100;
const GUEST_NAME = 'benchsuite-guest';
/** A benchsuite run's scratch directory in a path: …/<runId>/… */
const RUN_DIR = /\/[0-9]{8}-[0-9]{6}-[a-z0-9-]+-[0-9a-f]{4}\//;

/**
 * The fixed probe: $1 is a separator token; nothing else arrives from outside. POSIX sh; the only programs
 * are cat and sleep. Sections: procs, uptime, cpu (the cpu lines of /proc/stat), sleep, then the same
 * three again, loadavg, end.
 */
export const PROBE_SCRIPT = [
  't=$1',
  `m() { printf '\\n%s %s\\n' "$t" "$1"; }`,
  'snap() {',
  '  m "procs$1"; cat /proc/[0-9]*/stat 2>/dev/null',
  '  m "uptime$1"; cat /proc/uptime',
  '  m "cpu$1"; while read -r l; do case $l in cpu*) printf \'%s\\n\' "$l" ;; *) break ;; esac; done < /proc/stat',
  '}',
  'snap 1; sleep 1; snap 2',
  'm loadavg; cat /proc/loadavg',
  'm end',
].join('\n');

/** The command lines of some pids: $1 token, then pids (digits only, checked before). */
export const CMDLINE_SCRIPT = [
  't=$1; shift',
  'for p in "$@"; do printf \'\\n%s %s\\n\' "$t" "$p"; cat "/proc/$p/cmdline" 2>/dev/null; done',
  `printf '\\n%s end\\n' "$t"`,
].join('\n');

export function sections(text: string, token: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = text.split(`\n${token} `);
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    const name = nl < 0 ? part : part.slice(0, nl);
    out.set(name.trim(), nl < 0 ? '' : part.slice(nl + 1));
  }
  return out;
}

interface CpuTimes {
  busy: number;
  total: number;
  cores: number;
}

/** The aggregate "cpu" line: user nice system idle iowait irq softirq steal (guest time is inside user). */
export function cpuTimes(text: string): CpuTimes | undefined {
  const lines = text.split('\n').filter((l) => /^cpu\d*\s/.test(l));
  const agg = lines.find((l) => /^cpu\s/.test(l));
  if (!agg) return undefined;
  const f = agg.trim().split(/\s+/).slice(1, 9).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return undefined;
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total, cores: lines.length - 1 };
}

/** pid → { name, ticks (utime + stime) } from concatenated /proc/<pid>/stat lines. */
export function processTicks(text: string): Map<number, { name: string; ticks: number }> {
  const out = new Map<number, { name: string; ticks: number }>();
  for (const line of text.split('\n')) {
    const m = /^(\d+) \((.*)\) /.exec(line);
    if (!m) continue;
    const f = procStatFields(line);
    const ticks = Number(f[11]) + Number(f[12]);
    if (Number.isFinite(ticks)) out.set(Number(m[1]), { name: m[2] as string, ticks });
  }
  return out;
}

export interface ProbeFacts {
  cores: number | null;
  loadAverage: [number, number, number] | null;
  cpuBusyPct: number | null;
  /** Every process that ran in both snapshots, with its share of one core over the window. */
  processes: { pid: number; name: string; cpuPct: number }[];
}

/** The facts of one probe's output (pure). */
export function parseProbe(text: string, token: string): ProbeFacts {
  const s = sections(text, token);
  const c1 = cpuTimes(s.get('cpu1') ?? '');
  const c2 = cpuTimes(s.get('cpu2') ?? '');
  const dTotal = c1 && c2 ? c2.total - c1.total : 0;
  const cpuBusyPct = c1 && c2 && dTotal > 0 ? (100 * (c2.busy - c1.busy)) / dTotal : null;
  const la = (s.get('loadavg') ?? '').trim().split(/\s+/).slice(0, 3).map(Number);
  const loadAverage = la.length === 3 && la.every(Number.isFinite) ? (la as [number, number, number]) : null;
  const up1 = Number((s.get('uptime1') ?? '').trim().split(/\s+/)[0]);
  const up2 = Number((s.get('uptime2') ?? '').trim().split(/\s+/)[0]);
  const seconds = up2 - up1;
  const p1 = processTicks(s.get('procs1') ?? '');
  const p2 = processTicks(s.get('procs2') ?? '');
  const processes: ProbeFacts['processes'] = [];
  if (seconds > 0) {
    for (const [pid, b] of p2) {
      const a = p1.get(pid);
      if (!a || a.name !== b.name) continue;
      processes.push({ pid, name: b.name, cpuPct: (100 * (b.ticks - a.ticks)) / TICKS_PER_SEC / seconds });
    }
  }
  processes.sort((x, y) => y.cpuPct - x.cpuPct);
  return { cores: c2?.cores ?? c1?.cores ?? null, loadAverage, cpuBusyPct, processes };
}

/** pid → argv from CMDLINE_SCRIPT's output. */
export function parseCmdlines(text: string, token: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [name, body] of sections(text, token)) {
    if (!/^\d+$/.test(name)) continue;
    const argv = body.replace(/\n$/, '').split('\0').filter((a, i, all) => !(a === '' && i === all.length - 1));
    if (argv.length > 0 && argv[0] !== '') out.set(Number(name), argv);
  }
  return out;
}

export function guestAccelerator(argv: string[]): 'kvm' | 'tcg' | 'unknown' {
  const i = argv.indexOf('-accel');
  const accel = i >= 0 ? (argv[i + 1] ?? '') : argv.includes('-enable-kvm') ? 'kvm' : '';
  return accel.startsWith('kvm') ? 'kvm' : accel.startsWith('tcg') ? 'tcg' : 'unknown';
}

const isGuest = (argv: string[]): boolean => /qemu-system/.test(argv[0] ?? '') && argv.includes(GUEST_NAME);
const isServer = (argv: string[]): boolean => /nginx/.test(argv[0] ?? '') && RUN_DIR.test(argv.join(' '));

export interface LoadOptions {
  /** Warn above this percentage of all CPUs busy (default DEFAULT_BUSY_WARN_PCT). */
  warnAbovePct?: number;
  /** The run itself uses the guest with this pid (it is reported, but not as foreign load). */
  ownGuestPid?: number;
}

/** Combine probe facts and command lines into the record, with the warnings a user should read. */
export function assessLoad(machine: string, targets: string[], facts: ProbeFacts, cmdlines: Map<number, string[]>, o: LoadOptions = {}): MachineLoadRecord {
  const cpuOf = (pid: number): number | null => {
    const c = facts.processes.find((p) => p.pid === pid)?.cpuPct;
    return c === undefined ? null : round1(c);
  };
  const guests: MachineLoadRecord['guests'] = [];
  const servers: MachineLoadRecord['servers'] = [];
  for (const [pid, argv] of cmdlines) {
    if (isGuest(argv)) guests.push({ pid, accelerator: guestAccelerator(argv), cpuPct: cpuOf(pid) });
    else if (isServer(argv)) servers.push({ pid, args: argv.join(' ').slice(0, 200) });
  }
  const busy = facts.processes.filter((p) => p.cpuPct >= BUSY_PROCESS_PCT).slice(0, 5).map((p) => ({ ...p, cpuPct: round1(p.cpuPct) }));
  const warnings: string[] = [];
  for (const g of guests) {
    const use = g.cpuPct === null ? '' : `, ${round1(g.cpuPct)} % of a core`;
    const whose = g.pid === o.ownGuestPid ? ' (this run uses it)' : '; `benchsuite vm down` stops it';
    warnings.push(`benchsuite's guest runs here (qemu pid ${g.pid}, ${g.accelerator.toUpperCase()}${use})${whose}`);
  }
  if (servers.length > 0) warnings.push(`${servers.length} benchsuite server(s) of another run still run here (pid ${servers.map((s) => s.pid).join(', ')}); \`benchsuite clean\` removes leftovers`);
  const limit = o.warnAbovePct ?? DEFAULT_BUSY_WARN_PCT;
  if (facts.cpuBusyPct !== null && facts.cpuBusyPct > limit) {
    const la = facts.loadAverage ? `, load average ${facts.loadAverage.join(' ')}` : '';
    const top = busy.length ? `; busiest: ${busy.map((p) => `${p.name} (pid ${p.pid}) ${p.cpuPct} %`).join(', ')}` : '';
    warnings.push(`CPU ${round1(facts.cpuBusyPct)} % busy over 1 s on ${facts.cores ?? '?'} cores${la}${top}`);
  }
  const foreignGuest = guests.some((g) => g.pid !== o.ownGuestPid);
  const quiet = !foreignGuest && servers.length === 0 && facts.cpuBusyPct !== null && facts.cpuBusyPct <= limit;
  return {
    machine, targets, cores: facts.cores, loadAverage: facts.loadAverage,
    cpuBusyPct: facts.cpuBusyPct === null ? null : round1(facts.cpuBusyPct), busy, guests, servers, quiet, warnings,
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Survey one machine (about 1 s plus the round trips). Never throws: a failed probe is recorded with its reason. */
export async function surveyLoad(machine: Machine, targets: string[], o: LoadOptions & { signal?: AbortSignal } = {}): Promise<MachineLoadRecord> {
  const token = `BSLOAD${Math.random().toString(36).slice(2, 10)}`;
  try {
    const r = await machine.exec(['sh', '-c', PROBE_SCRIPT, 'sh', token], { timeoutMs: 30_000, signal: o.signal });
    if (r.exitCode !== 0 || !r.stdout.includes(`${token} end`)) throw new Error(`the /proc probe failed (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 200)}`);
    const facts = parseProbe(r.stdout, token);
    const wanted = facts.processes.filter((p) => /^qemu-system|^nginx/.test(p.name)).map((p) => String(p.pid));
    let cmdlines = new Map<number, string[]>();
    if (wanted.length > 0) {
      const c = await machine.exec(['sh', '-c', CMDLINE_SCRIPT, 'sh', token, ...wanted], { timeoutMs: 30_000, signal: o.signal });
      cmdlines = parseCmdlines(c.stdout, token);
    }
    return assessLoad(machine.address, targets, facts, cmdlines, o);
  } catch (e) {
    const error = (e as Error).message;
    return { machine: machine.address, targets, cores: null, loadAverage: null, cpuBusyPct: null, busy: [], guests: [], servers: [], quiet: false, warnings: [`load survey failed: ${error}`], error };
  }
}
