/**
 * `benchsuite doctor [scenario]`: can this scenario run here? Per target: the machine answers (its own
 * doctorChecks), the clients the scenario's workload kinds need are there (their requirements,
 * src/workloads/<kind>/), the target kind's own checks pass (src/targets/kinds.ts: the workloads' programs on
 * the machine, or Docker, its image and the programs inside it), the page cache can be dropped, there is room
 * for the workloads' files (the scratch root, or where the kind says they land), and a remote clock agrees. Every failure names the
 * command that fixes it. Exit 0 only when the scenario can run (warnings do not count), else 1.
 *
 * Commands are argv arrays; the two shell snippets are fixed texts that take values as positional arguments.
 */
import { homedir } from 'node:os';
import type { Scenario, TargetSpec } from '../scenario/schema.js';
import { targetKindFor, type TargetDoctorContext } from '../targets/kinds.js';
import { LocalMachine } from '../exec/local.js';
import { SshMachine } from '../exec/ssh.js';
import type { ExecResult, Machine } from '../exec/types.js';
import { kindOf, requirements, type ProgramRequirement } from '../workloads/index.js';
import { surveyLoad } from '../env/load.js';
import type { MachineLoadRecord } from '../results/model.js';
import { NOISE_THRESHOLDS } from '../util/cpu-noise.js';

export interface Check {
  /** Target id the check is for. */
  target: string;
  /** Short name: reachable, a program a workload kind needs (dd, ab, nginx…), docker, image, drop-caches, free-space, clock, vm. */
  name: string;
  ok: boolean;
  /** A failed required check means the scenario cannot run; a failed optional one is a warning. */
  required: boolean;
  detail: string;
  /** The command (or step) that fixes a failure. */
  fix?: string;
}

export interface DoctorOptions {
  signal?: AbortSignal;
  /** Machine for a target (tests inject one; default: local, SSH, or the running local guest). */
  machineFor?: (targetId: string, spec: TargetSpec) => Promise<Machine | { unavailable: Check[] }>;
  /** Per-command timeout (default 30 s). */
  timeoutMs?: number;
  /** Maximum tolerated clock skew of a remote machine, in seconds (default 2). */
  maxClockSkewSec?: number;
}

/** Fixed script: df of the nearest existing ancestor of $1. */
const DF_SCRIPT = 'd=$1; while [ -n "$d" ] && [ "$d" != / ] && [ ! -d "$d" ]; do d=${d%/*}; done; exec df -P -B1 -- "${d:-/}"';
/** Fixed script: is $1 writable (access(2), so a read-only /proc/sys counts as not writable)? */
const WRITABLE_SCRIPT = 'test -w "$1"';

function firstLine(r: ExecResult): string {
  return ((r.stderr || r.stdout).trim().split('\n').filter(Boolean)[0] ?? '').slice(0, 300);
}

function expandHome(p: string | undefined): string | undefined {
  return p?.startsWith('~/') ? `${homedir()}${p.slice(1)}` : p;
}

/** df -P -B1 output -> available bytes and mount point. */
export function parseDf(stdout: string): { available: number; mountPoint: string } | null {
  const line = stdout.trim().split('\n')[1];
  if (!line) return null;
  const f = line.trim().split(/\s+/);
  if (f.length < 6) return null;
  const available = Number(f[3]);
  return Number.isFinite(available) ? { available, mountPoint: f.slice(5).join(' ') } : null;
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(0)} MiB`;
  return `${n} B`;
}

/** The most any one workload writes into the scratch directory at once (files are removed after each sample), and how to lower it. */
export function scratchBytesNeeded(scenario: Scenario): { bytes: number; kind: string; lower: string } {
  let need = { bytes: 0, kind: '', lower: '' };
  for (const w of Object.values(scenario.workloads)) {
    const s = kindOf(w).scratchBytes?.(w);
    if (s && s.bytes > need.bytes) need = { ...s, kind: w.kind };
  }
  return need;
}

function firstOutputLine(r: ExecResult): string {
  return ((r.stdout || r.stderr).trim().split('\n')[0] ?? '').trim();
}

/** A program check: the program runs here, with its version line, or the package that provides it. */
function programCheck(req: ProgramRequirement, r: ExecResult, where: string): Omit<Check, 'target'> {
  const ok = r.exitCode === 0;
  const remark = ok ? req.remark?.(`${r.stdout}\n${r.stderr}`) : undefined;
  const what = `${req.program}${req.purpose ? ` (${req.purpose})` : ''}`;
  return {
    name: req.program,
    ok,
    required: true,
    detail: ok ? `${firstOutputLine(r) || req.program}${remark ? ` (${remark})` : ''}` : `${what} is not runnable on ${where}: ${firstLine(r) || `exit ${r.exitCode}`}`,
    fix: `apt-get install ${req.debian}`,
  };
}

async function defaultMachineFor(targetId: string, spec: TargetSpec, signal?: AbortSignal): Promise<Machine | { unavailable: Check[] }> {
  if (spec.host === 'local') return new LocalMachine();
  if (spec.host === 'auto') {
    // Check the host `auto` would pick (without booting a guest); `benchsuite doctor` prints which and why.
    const { explainAutoHost, realAutoHostDeps } = await import('../targets/factory.js');
    return defaultMachineFor(targetId, { ...spec, host: explainAutoHost(await realAutoHostDeps()).host }, signal);
  }
  if (spec.host === 'vm') {
    // The local guest: check it without booting it (`benchsuite run` boots it when needed).
    const checks: Check[] = [];
    const qemu = await new LocalMachine().exec(['qemu-system-x86_64', '--version'], { timeoutMs: 30_000, signal });
    checks.push({
      target: targetId,
      name: 'vm',
      ok: qemu.exitCode === 0,
      required: true,
      detail: qemu.exitCode === 0 ? `qemu: ${qemu.stdout.split('\n')[0]?.trim()}` : `qemu-system-x86_64 is not available (${firstLine(qemu)})`,
      fix: 'apt-get install qemu-system-x86',
    });
    try {
      const specifier = '../vm/index.js';
      const vm = (await import(specifier)) as {
        vmStatus(o: { signal?: AbortSignal }): Promise<{ running: boolean; detail: string; connection?: { sshUrl: string; identityFile: string; knownHostsFile: string } }>;
      };
      const s = await vm.vmStatus({ signal });
      if (s.running && s.connection) {
        return new SshMachine(s.connection.sshUrl, { identityFile: s.connection.identityFile, knownHostsFile: s.connection.knownHostsFile });
      }
      checks.push({
        target: targetId,
        name: 'vm',
        ok: true,
        required: false,
        detail: `local guest ${s.detail}; \`benchsuite run\` boots it (start it now with \`benchsuite vm up\` to check inside it)`,
      });
    } catch (e) {
      checks.push({ target: targetId, name: 'vm', ok: false, required: true, detail: `the local guest cannot be inspected: ${(e as Error).message}` });
    }
    return { unavailable: checks };
  }
  return new SshMachine(spec.host, { identityFile: expandHome(spec.identityFile), knownHostsFile: (spec as { knownHostsFile?: string }).knownHostsFile });
}

/** Memoizes one command per machine, so targets sharing a machine do not repeat it. */
class MachineProbe {
  private cache = new Map<string, Promise<ExecResult>>();
  constructor(
    readonly machine: Machine,
    private readonly timeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {}

  private survey: Promise<MachineLoadRecord> | undefined;

  /** The machine's load over ~1 s (src/env/load.ts), once per machine. */
  load(): Promise<MachineLoadRecord> {
    this.survey ??= surveyLoad(this.machine, [], { signal: this.signal });
    return this.survey;
  }

  exec(argv: string[]): Promise<ExecResult> {
    const key = JSON.stringify(argv);
    let p = this.cache.get(key);
    if (!p) {
      p = this.machine.exec(argv, { timeoutMs: this.timeoutMs, signal: this.signal }).catch(
        (e: Error): ExecResult => ({ argv, stdout: '', stderr: e.message, exitCode: 255, timedOut: false, aborted: false, durationMs: 0 }),
      );
      this.cache.set(key, p);
    }
    return p;
  }
}

async function checkTarget(
  scenario: Scenario,
  targetId: string,
  spec: TargetSpec,
  probe: MachineProbe,
  localProbe: MachineProbe,
  opts: Required<Pick<DoctorOptions, 'maxClockSkewSec' | 'timeoutMs'>> & { signal?: AbortSignal },
): Promise<Check[]> {
  const machine = probe.machine;
  const checks: Check[] = [];
  const add = (c: Omit<Check, 'target'>): void => void checks.push({ target: targetId, ...c });
  const needed = requirements([...new Set(Object.values(scenario.workloads).map((w) => w.kind))]);

  // Reachability: each kind of machine knows how to check it and what to do when it fails.
  const reach = await machine.doctorChecks({ timeoutMs: opts.timeoutMs, signal: opts.signal });
  for (const c of reach) add(c);
  if (reach.some((c) => !c.ok && c.required)) return checks; // nothing else can be checked there

  // Pinning: taskset on the machine (it applies a client's pin, and a workload's on a machine itself).
  if (spec.pin?.client || spec.pin?.workload) {
    const ts = await probe.exec(['taskset', '--version']);
    add({
      name: 'taskset',
      ok: ts.exitCode === 0,
      required: true,
      detail: ts.exitCode === 0 ? `${firstOutputLine(ts)} (pin)` : `taskset, which applies the target's pin, is not runnable on ${machine.address}: ${firstLine(ts) || `exit ${ts.exitCode}`}`,
      fix: 'apt-get install util-linux, or remove the target\'s pin',
    });
  }

  // Clients run on the machine, whatever the target kind.
  for (const req of needed.filter((q) => q.where === 'client')) add(programCheck(req, await probe.exec(req.probe), machine.address));

  // Where the workloads run: the target kind knows what to check there (the machine's programs; an engine and its image).
  const kind = targetKindFor(spec);
  const kindContext: TargetDoctorContext = {
    spec,
    machine,
    exec: (argv) => probe.exec(argv),
    execHere: (argv) => localProbe.exec(argv),
    workloadPrograms: needed.filter((q) => q.where === 'workload'),
    programOnMachine: async (req) => programCheck(req, await probe.exec(req.probe), machine.address),
  };
  for (const c of await kind.doctorChecks(kindContext)) add(c);

  // Dropping the page cache (a kind's setting such as dd's dropCaches): the machine's kernel.
  const dropping = Object.entries(scenario.workloads).flatMap(([id, w]) => {
    const field = kindOf(w).dropsCaches?.(w);
    return field ? [`workloads.${id}.${field}=false`] : [];
  });
  if (dropping.length) {
    const r = await probe.exec(['sh', '-c', WRITABLE_SCRIPT, 'sh', '/proc/sys/vm/drop_caches']);
    add({
      name: 'drop-caches',
      ok: r.exitCode === 0,
      required: false,
      detail:
        r.exitCode === 0
          ? `/proc/sys/vm/drop_caches is writable on ${machine.address}`
          : `/proc/sys/vm/drop_caches is not writable on ${machine.address}: samples run with a warm page cache (recorded per sample)`,
      fix: `run benchsuite as root on ${machine.address}, or --set ${dropping.join(' --set ')}`,
    });
  }

  // Free space for the workloads' files: in the scratch root, or where the target kind says they land.
  const { bytes: need, kind: writer, lower } = scratchBytesNeeded(scenario);
  if (need > 0) {
    const elsewhere = await kind.scratchSpace?.(kindContext);
    const dir = elsewhere?.dir ?? scenario.scratchRoot;
    const where = elsewhere?.where ?? `scratch root ${dir}`;
    const r = await probe.exec(['sh', '-c', DF_SCRIPT, 'sh', dir]);
    const df = r.exitCode === 0 ? parseDf(r.stdout) : null;
    const margin = Math.max(64 * 1024 ** 2, Math.round(need * 0.1));
    const ok = df !== null && df.available >= need + margin;
    add({
      name: 'free-space',
      ok,
      required: true,
      detail: df
        ? `${formatBytes(df.available)} free on ${df.mountPoint} for ${where}; ${writer} writes ${formatBytes(need)}${ok ? '' : ` (+${formatBytes(margin)} margin)`}`
        : `cannot read free space of ${where}: ${firstLine(r) || `exit ${r.exitCode}`}`,
      fix: ok ? undefined : `free space on ${machine.address}, or --set scratchRoot=<a directory with room>, or ${lower}`,
    });
  }

  add(loadCheck(await probe.load(), machine.address));

  // Clock skew of a remote machine against this one (timestamps in results and logs).
  if (!machine.isThisHost) {
    const t0 = Date.now();
    const r = await machine.exec(['date', '+%s.%N'], { timeoutMs: opts.timeoutMs, signal: opts.signal }).catch(
      (e: Error): ExecResult => ({ argv: [], stdout: '', stderr: e.message, exitCode: 255, timedOut: false, aborted: false, durationMs: 0 }),
    );
    const t1 = Date.now();
    const remote = Number(r.stdout.trim().replace(/\.N$/, '')) * 1000; // busybox date prints a literal N
    if (r.exitCode === 0 && Number.isFinite(remote)) {
      // The remote clock was read somewhere between t0 and t1 of ours: only a reading outside that window
      // (widened by the tolerance) proves a skew. An SSH round trip can take a second on a slow link.
      const skew = remote < t0 ? (remote - t0) / 1000 : remote > t1 ? (remote - t1) / 1000 : 0;
      const ok = Math.abs(skew) < opts.maxClockSkewSec;
      const rtt = ((t1 - t0) / 1000).toFixed(2);
      add({
        name: 'clock',
        ok,
        required: false,
        detail:
          skew === 0
            ? `${machine.address} clock agrees with this host's within the ${rtt} s round trip`
            : `${machine.address} clock is ${skew > 0 ? 'ahead' : 'behind'} by at least ${Math.abs(skew).toFixed(2)} s (round trip ${rtt} s)`,
        fix: `synchronise the clocks: timedatectl set-ntp true (or run chrony) on ${machine.address} and here`,
      });
    } else {
      add({ name: 'clock', ok: false, required: false, detail: `cannot read the clock of ${machine.address}: ${firstLine(r)}`, fix: `make sure \`date\` runs on ${machine.address}` });
    }
  }
  return checks;
}

/**
 * A warning (never a failure) when the machine is busy: CPU used over ~1 s, in percent of one core, at or above the
 * threshold that flags a sample (NOISE_THRESHOLDS.otherBusyPctOfCore), with the busiest processes; also benchsuite's
 * own guests and servers left running there.
 */
export function loadCheck(rec: MachineLoadRecord, where: string): Omit<Check, 'target'> {
  const limit = NOISE_THRESHOLDS.otherBusyPctOfCore;
  if (rec.error !== undefined || rec.cpuBusyPct === null || rec.cores === null) {
    return { name: 'load', ok: false, required: false, detail: `could not read the load of ${where}: ${rec.error ?? 'no /proc/stat figure'}`, fix: `make sure /proc is readable and sh and cat run on ${where}` };
  }
  const ofCore = Math.round(rec.cpuBusyPct * rec.cores * 10) / 10;
  const busy = ofCore >= limit;
  const leftovers = rec.warnings.filter((w) => !w.startsWith('CPU '));
  const top = rec.busy.length ? `; busiest: ${rec.busy.map((p) => `${p.name} (pid ${p.pid}) ${p.cpuPct} %`).join(', ')}` : '';
  const la = rec.loadAverage ? `, load average ${rec.loadAverage.join(' ')}` : '';
  const head = `${ofCore} % of a core busy over 1 s on ${rec.cores} cores${la}`;
  return {
    name: 'load',
    ok: !busy && leftovers.length === 0,
    required: false,
    detail: busy || leftovers.length ? `${where} is busy: ${head}${top}${leftovers.length ? `; ${leftovers.join('; ')}` : ''}` : `${where} is quiet: ${head}`,
    fix: `stop what runs there or wait for a quiet machine: samples taken while others use ≥ ${limit} % of a core are flagged (kept, and named in the report)`,
  };
}

export async function doctor(scenario: Scenario, opts: DoctorOptions = {}): Promise<{ ok: boolean; checks: Check[] }> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxClockSkewSec = opts.maxClockSkewSec ?? 2;
  const machineFor = opts.machineFor ?? ((id: string, spec: TargetSpec) => defaultMachineFor(id, spec, opts.signal));
  const probes = new Map<string, MachineProbe>();
  const owned: Machine[] = [];
  const local = new MachineProbe(new LocalMachine(), timeoutMs, opts.signal);
  const results: Check[][] = [];
  try {
    const jobs = Object.entries(scenario.targets).map(async ([id, spec], index) => {
      let m: Machine | { unavailable: Check[] };
      try {
        m = await machineFor(id, spec);
      } catch (e) {
        results[index] = [{ target: id, name: 'reachable', ok: false, required: true, detail: `cannot connect to ${spec.host}: ${(e as Error).message}`, fix: 'check the target\'s host (ssh://user@host[:port])' }];
        return;
      }
      if ('unavailable' in m) {
        results[index] = m.unavailable;
        return;
      }
      const key = `${m.address}|${spec.identityFile ?? ''}`;
      let probe = probes.get(key);
      if (!probe) {
        probe = new MachineProbe(m, timeoutMs, opts.signal);
        probes.set(key, probe);
        owned.push(m);
      }
      results[index] = await checkTarget(scenario, id, spec, probe, local, { timeoutMs, maxClockSkewSec, signal: opts.signal });
    });
    await Promise.all(jobs);
  } finally {
    if (!opts.machineFor) await Promise.all(owned.map((m) => m.close().catch(() => undefined)));
  }
  const checks = results.flat();
  return { ok: checks.every((c) => c.ok || !c.required), checks };
}

/** One line per check, "OK", "FAIL" or "WARN" (a failed check the run survives), and the fix under a failure. */
export function formatChecks(checks: Check[]): string {
  const width = Math.max(0, ...checks.map((c) => c.target.length));
  const lines: string[] = [];
  for (const c of checks) {
    const status = c.ok ? 'OK  ' : c.required ? 'FAIL' : 'WARN';
    lines.push(`${status} ${c.target.padEnd(width)}  ${c.name}: ${c.detail}`);
    if (!c.ok && c.fix) lines.push(`${' '.repeat(5 + width)}  fix: ${c.fix}`);
  }
  return lines.join('\n');
}
