/**
 * The local guest's life: ensure (build on first use, boot if down, wait for SSH and dockerd),
 * status, clean shutdown and destroy. Every operation that changes anything holds the cache
 * directory's lock, so concurrent benchsuite processes never boot two qemus on one disk.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { release as hostKernelRelease } from 'node:os';
import { join } from 'node:path';
import { ensureWorkloadImage } from '../image/workload-image.js';
import { SshMachine } from '../exec/ssh.js';
import { ConnectionError } from '../exec/types.js';
import { buildDisk, diskReady, readManifest, removeBuildDir, type DiskManifest } from './disk.js';
import { findQemuUsing, killPid, pidAlive, readCmdline, cmdlineUsesDisk, sleep, stepLogger, terminate, throwIfAborted, waitForExit } from './proc.js';
import { bootFirstWorking, freeLocalPort, kvmDevice, planAccelerators, qemuArgv, qemuVersion, qmpExecute, startQemu, type BootOutcome } from './qemu.js';
import { DEFAULT_SETTINGS, runtimeSettingsDiffer, validateSettings, vmPaths, type Accelerator, type VmPaths, type VmSettings } from './settings.js';
import { acquireLock, readState, writeState, type RunningVm, type VmState } from './state.js';

export interface VmInfo {
  accelerator: 'kvm' | 'tcg';
  qemuVersion: string;
  cpus: number;
  memoryMiB: number;
  diskCache: string;
  imagePath: string;
  guestKernel?: string;
}

export interface VmConnection {
  sshUrl: string;
  identityFile: string;
  knownHostsFile: string;
  info: VmInfo;
}

export interface VmOptions {
  /** Cache directory (guest disk, state, lock); default: see defaultCacheDir(). */
  cacheDir?: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface EnsureVmOptions extends VmOptions {
  /** Settings for this boot; omitted fields come from the last `vm up`, then the defaults. */
  settings?: Partial<VmSettings>;
  /** Load benchsuite/workload:local into the guest's Docker (default true). */
  preloadImage?: boolean;
  /** How long a KVM boot may take to reach SSH before KVM is judged hanging (default 90 s). */
  kvmProbeTimeoutMs?: number;
  /** How long a TCG boot may take to reach SSH (default 10 min). */
  tcgBootTimeoutMs?: number;
  /** How long dockerd may take to answer after SSH is up (default 5 min). */
  dockerTimeoutMs?: number;
}

export const TCG_WARNING = 'emulated (TCG), not representative of KVM';

/** Is `pid` the qemu that runs this cache directory's disk? (Guards against pid reuse.) */
function isOurQemu(pid: number, paths: VmPaths): boolean {
  const argv = readCmdline(pid);
  return !!argv && cmdlineUsesDisk(argv, paths.disk) && pidAlive(pid);
}

function sshUrlFor(port: number): string {
  return `ssh://root@127.0.0.1:${port}`;
}

function guestMachine(paths: VmPaths, port: number): SshMachine {
  return new SshMachine(sshUrlFor(port), {
    identityFile: paths.identityFile,
    knownHostsFile: paths.knownHostsFile,
    strictHostKeyChecking: 'yes',
    connectTimeoutSec: 5,
  });
}

function connectionOf(paths: VmPaths, running: RunningVm): VmConnection {
  return {
    sshUrl: sshUrlFor(running.port),
    identityFile: paths.identityFile,
    knownHostsFile: paths.knownHostsFile,
    info: {
      accelerator: running.accelerator,
      qemuVersion: running.qemuVersion,
      cpus: running.settings.cpus,
      memoryMiB: running.settings.memoryMiB,
      diskCache: running.settings.diskCache,
      imagePath: running.imagePath,
      guestKernel: running.guestKernel,
    },
  };
}

async function serialTail(paths: VmPaths, lines = 6): Promise<string> {
  try {
    const text = await readFile(paths.serialLog, 'utf8');
    const tail = text.replace(/\r/g, '').trim().split('\n').slice(-lines).join('\n    ');
    return `serial log ${paths.serialLog} (${text.length} bytes)${tail ? `, last lines:\n    ${tail}` : ', empty'}`;
  } catch {
    return `no serial log at ${paths.serialLog}`;
  }
}

/** Poll SSH until `true` runs in the guest. Fails fast when qemu exits or the key is refused. */
async function waitForSsh(machine: SshMachine, pid: number, paths: VmPaths, timeoutMs: number, signal?: AbortSignal): Promise<BootOutcome> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    throwIfAborted(signal);
    if (!pidAlive(pid)) return { ok: false, hung: false, detail: `qemu exited before SSH answered; ${await serialTail(paths)}` };
    try {
      const r = await machine.exec(['true'], { timeoutMs: 20_000, signal });
      if (r.exitCode === 0) return { ok: true };
      throwIfAborted(signal);
      last = r.timedOut ? 'ssh timed out' : (r.stderr.trim() || `exit ${r.exitCode}`);
    } catch (e) {
      if (!(e instanceof ConnectionError)) throw e;
      last = e.message;
      if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|Permission denied/i.test(last)) {
        return { ok: false, hung: false, detail: `SSH refused: ${last} (known_hosts ${paths.knownHostsFile}, key ${paths.identityFile})` };
      }
    }
    await sleep(1000, signal);
  }
  return {
    ok: false,
    hung: true,
    detail: `no SSH within ${Math.round(timeoutMs / 1000)} s (last: ${last.split('\n').pop() ?? ''}); ${await serialTail(paths, 3)}`,
  };
}

async function waitForDocker(machine: SshMachine, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    throwIfAborted(signal);
    try {
      const r = await machine.exec(['docker', 'info', '--format', '{{.ServerVersion}}'], { timeoutMs: 30_000, signal });
      if (r.exitCode === 0 && r.stdout.trim()) return r.stdout.trim();
      last = (r.stderr || r.stdout).trim();
    } catch (e) {
      if (!(e instanceof ConnectionError)) throw e;
      last = e.message;
    }
    await sleep(1000, signal);
  }
  throw new Error(`dockerd in the guest did not answer \`docker info\` within ${Math.round(timeoutMs / 1000)} s: ${last}`);
}

/** Kill qemu processes on our disk that the state file does not know about (a crashed `up`). */
async function killOrphans(paths: VmPaths, log: (s: string) => void, except?: number): Promise<void> {
  for (const pid of findQemuUsing(paths.disk)) {
    if (pid === except) continue;
    log(`stopping a qemu (pid ${pid}) left on ${paths.disk} by an earlier run`);
    await terminate(pid);
  }
}

async function rotateSerialLog(paths: VmPaths, suffix: string): Promise<void> {
  if (existsSync(paths.serialLog) && statSync(paths.serialLog).size > 0) {
    await rename(paths.serialLog, `${paths.serialLog.replace(/\.log$/, '')}.${suffix}.log`).catch(() => undefined);
  }
}

/**
 * Make sure the guest runs and answers: build the guest disk on first use, boot it if down (KVM when it
 * really works here, else TCG), wait for SSH and for dockerd, preload the workload image.
 */
export async function ensureVm(opts: EnsureVmOptions = {}): Promise<VmConnection> {
  const paths = vmPaths(opts.cacheDir);
  const log = opts.log ?? (() => undefined);
  const { step } = stepLogger(log);
  const signal = opts.signal;
  const release = await acquireLock(paths.lock, { signal, log: step });
  try {
    const { state, problem } = await readState(paths.state);
    if (problem) step(problem);
    const v = validateSettings(opts.settings ?? {}, state.settings ?? DEFAULT_SETTINGS);
    if (!v.ok) throw new Error(`invalid VM settings: ${v.problems.map((p) => p.message).join('; ')}`);
    const settings = v.settings;
    for (const w of v.warnings) step(`warning: ${w}`);

    // Already running?
    if (state.running && isOurQemu(state.running.pid, paths)) {
      const running = state.running;
      const diffs = runtimeSettingsDiffer(running.settings, settings);
      if (settings.accel !== 'auto' && settings.accel !== running.accelerator) diffs.push(`accelerator ${running.accelerator} vs ${settings.accel}`);
      if (diffs.length) {
        throw new Error(`the VM is already running with other settings (${diffs.join(', ')}): run \`benchsuite vm down\` first to change them`);
      }
      const machine = guestMachine(paths, running.port);
      try {
        const ready = await waitForSsh(machine, running.pid, paths, running.accelerator === 'kvm' ? 60_000 : (opts.tcgBootTimeoutMs ?? 600_000), signal);
        if (!ready.ok) throw new Error(`the VM (qemu pid ${running.pid}) runs but does not answer SSH: ${ready.detail}; try \`benchsuite vm down\``);
        await waitForDocker(machine, opts.dockerTimeoutMs ?? 300_000, signal);
        await preload(machine, opts, step);
      } finally {
        await machine.close();
      }
      step(`VM already running: ${sshUrlFor(running.port)} (${running.accelerator.toUpperCase()}, pid ${running.pid})`);
      return connectionOf(paths, running);
    }
    if (state.running) {
      step(`the VM recorded in ${paths.state} (qemu pid ${state.running.pid}) is no longer running; booting a new one`);
      delete state.running;
      await writeState(paths.state, state);
    }
    await killOrphans(paths, step);

    // The guest disk: cached, or built now.
    let manifest: DiskManifest | undefined = await diskReady(paths);
    if (manifest) {
      step(`using the cached guest disk ${paths.disk} (built ${manifest.builtAt})`);
      if (opts.settings?.diskSizeGiB !== undefined && opts.settings.diskSizeGiB !== manifest.diskSizeGiB) {
        step(`note: the cached disk is ${manifest.diskSizeGiB} GiB; a new disk size applies only to a new disk (benchsuite vm destroy, then vm up)`);
      }
    } else {
      const old = await readManifest(paths);
      if (old) step('the cached guest disk was built by an older recipe; rebuilding it');
      manifest = await buildDisk(paths, { diskSizeGiB: settings.diskSizeGiB, signal, log });
    }
    throwIfAborted(signal);

    // Boot: plan accelerators, try them in order.
    const qv = await qemuVersion();
    const hostKernel = hostKernelRelease();
    const plan = planAccelerators(settings.accel, kvmDevice(), state.kvmProbe, { qemuVersion: qv, hostKernel });
    step(`accelerator plan: ${plan.attempts.map((a) => a.toUpperCase()).join(' then ')} — ${plan.reason}`);
    let booted: { pid: number; port: number; argv: string[]; bootToSshMs: number } | undefined;
    const result = await bootFirstWorking(plan, async (accel: Accelerator): Promise<BootOutcome> => {
      const timeoutMs = accel === 'kvm' ? (opts.kvmProbeTimeoutMs ?? 90_000) : (opts.tcgBootTimeoutMs ?? 600_000);
      await rotateSerialLog(paths, 'previous');
      let pid = 0;
      let port = 0;
      let argv: string[] = [];
      for (let attempt = 0; ; attempt++) {
        port = await freeLocalPort();
        argv = qemuArgv({ accelerator: accel, settings, paths, sshPort: port, qmp: paths.qmpSocket.length < 100 });
        step(`booting qemu (${accel.toUpperCase()}, ${settings.cpus} CPUs, ${settings.memoryMiB} MiB, cache=${settings.diskCache}), SSH on 127.0.0.1:${port}`);
        try {
          pid = await startQemu(argv, paths, signal);
          break;
        } catch (e) {
          throwIfAborted(signal);
          if ((e as Error).name === 'PortInUse' && attempt < 3) continue;
          return { ok: false, hung: false, detail: (e as Error).message };
        }
      }
      const t0 = performance.now();
      const machine = guestMachine(paths, port);
      let outcome: BootOutcome;
      try {
        outcome = await waitForSsh(machine, pid, paths, timeoutMs, signal);
      } catch (e) {
        await terminate(pid);
        throw e;
      } finally {
        await machine.close();
      }
      if (!outcome.ok) {
        step(`${accel.toUpperCase()} boot failed: ${outcome.detail}`);
        await terminate(pid);
        if (accel === 'kvm') await rotateSerialLog(paths, 'kvm-probe');
        return outcome;
      }
      booted = { pid, port, argv, bootToSshMs: Math.round(performance.now() - t0) };
      step(`SSH answers after ${(booted.bootToSshMs / 1000).toFixed(1)} s`);
      return outcome;
    });
    if (!booted) throw new Error('internal: boot reported success without a qemu');
    if (result.kvm) {
      state.kvmProbe = { ...result.kvm, checkedAt: new Date().toISOString(), qemuVersion: qv, hostKernel };
      step(`remembered: KVM ${result.kvm.result} on this host (${paths.state})`);
    }
    const running: RunningVm = {
      pid: booted.pid,
      port: booted.port,
      accelerator: result.accelerator,
      accelReason: plan.reason,
      qemuVersion: qv,
      settings,
      startedAt: new Date().toISOString(),
      imagePath: paths.disk,
      guestKernel: manifest.guestKernel,
      bootToSshMs: booted.bootToSshMs,
      qemuArgv: booted.argv,
      startedBy: { pid: process.pid, command: process.argv.slice(2).join(' ').slice(0, 200) },
    };
    state.settings = settings;
    state.running = running;
    await writeState(paths.state, state);

    const machine = guestMachine(paths, booted.port);
    try {
      const t0 = performance.now();
      const version = await waitForDocker(machine, opts.dockerTimeoutMs ?? 300_000, signal);
      running.dockerReadyMs = Math.round(performance.now() - t0);
      step(`dockerd ${version} answers in the guest ${(running.dockerReadyMs / 1000).toFixed(1)} s after SSH`);
      await writeState(paths.state, state);
      await preload(machine, opts, step);
    } catch (e) {
      if (signal?.aborted) {
        await terminate(booted.pid);
        delete state.running;
        await writeState(paths.state, state);
      }
      throw e;
    } finally {
      await machine.close();
    }
    if (result.accelerator === 'tcg') step(`WARNING: the guest is ${TCG_WARNING} (${plan.reason})`);
    return connectionOf(paths, running);
  } finally {
    await release();
  }
}

async function preload(machine: SshMachine, opts: EnsureVmOptions, step: (s: string) => void): Promise<void> {
  if (opts.preloadImage === false) return;
  const t0 = performance.now();
  try {
    await ensureWorkloadImage(machine, { signal: opts.signal, log: step });
    const ms = performance.now() - t0;
    if (ms > 1000) step(`workload image ready in the guest (${(ms / 1000).toFixed(1)} s)`);
  } catch (e) {
    throwIfAborted(opts.signal);
    step(`warning: could not preload the workload image into the guest's Docker: ${(e as Error).message}`);
  }
}

export interface VmStatus {
  running: boolean;
  connection?: VmConnection;
  detail: string;
}

/** Read the state file, check the qemu pid and SSH. Never starts or stops anything. */
export async function vmStatus(opts: VmOptions = {}): Promise<VmStatus> {
  const paths = vmPaths(opts.cacheDir);
  const { state, problem } = await readState(paths.state);
  const manifest = await diskReady(paths);
  const disk = manifest
    ? `disk ${paths.disk} (Debian ${manifest.suite}, kernel ${manifest.guestKernel}, ${manifest.diskSizeGiB} GiB, built ${manifest.builtAt})`
    : `no guest disk in ${paths.cacheDir} yet (the first \`benchsuite vm up\` builds it)`;
  const kvm = state.kvmProbe ? `; KVM ${state.kvmProbe.result} on this host (checked ${state.kvmProbe.checkedAt})` : '';
  const note = problem ? `; ${problem}` : '';
  const r = state.running;
  if (!r) return { running: false, detail: `not running; ${disk}${kvm}${note}` };
  if (!isOurQemu(r.pid, paths)) {
    return { running: false, detail: `not running: qemu pid ${r.pid} recorded in ${paths.state} is gone (see ${paths.serialLog}); ${disk}${kvm}` };
  }
  const connection = connectionOf(paths, r);
  const machine = guestMachine(paths, r.port);
  let ssh = false;
  let sshDetail = '';
  try {
    const res = await machine.exec(['true'], { timeoutMs: 15_000, signal: opts.signal });
    ssh = res.exitCode === 0;
    sshDetail = ssh ? '' : res.stderr.trim();
  } catch (e) {
    sshDetail = (e as Error).message;
  } finally {
    await machine.close();
  }
  const uptime = Math.round((Date.now() - Date.parse(r.startedAt)) / 1000);
  const accel = r.accelerator === 'tcg' ? `TCG — ${TCG_WARNING}` : 'KVM';
  const base = `qemu pid ${r.pid}, ${connection.sshUrl}, ${accel}, ${r.settings.cpus} CPUs, ${r.settings.memoryMiB} MiB, cache=${r.settings.diskCache}, up ${uptime} s; ${disk}`;
  if (!ssh) return { running: false, connection, detail: `qemu runs but SSH does not answer (${sshDetail || 'no answer'}): ${base}` };
  return { running: true, connection, detail: `running: ${base}` };
}

async function downUnlocked(paths: VmPaths, state: VmState, log: (s: string) => void): Promise<void> {
  const pids = new Set<number>(findQemuUsing(paths.disk));
  const r = state.running;
  if (r && isOurQemu(r.pid, paths)) pids.add(r.pid);
  if (pids.size === 0) {
    if (r) log(`the VM (qemu pid ${r.pid}) was not running`);
    else log('the VM is not running');
  } else {
    const t0 = performance.now();
    if (r && pids.has(r.pid)) {
      log(`shutting the guest down (ssh systemctl poweroff, qemu pid ${r.pid})`);
      const machine = guestMachine(paths, r.port);
      try {
        await machine.exec(['systemctl', 'poweroff'], { timeoutMs: 20_000 });
      } catch {
        /* the connection drops as the guest goes down */
      } finally {
        await machine.close().catch(() => undefined);
      }
    }
    const waitAll = async (ms: number): Promise<boolean> => {
      const results = await Promise.all([...pids].map((p) => waitForExit(p, ms)));
      return results.every(Boolean);
    };
    let gone = await waitAll(r?.accelerator === 'kvm' ? 60_000 : 120_000);
    if (!gone && existsSync(paths.qmpSocket)) {
      log('the guest did not power off; sending an ACPI power-button press (QMP system_powerdown)');
      await qmpExecute(paths.qmpSocket, 'system_powerdown').catch(() => undefined);
      gone = await waitAll(30_000);
    }
    if (!gone) {
      log('stopping qemu (SIGTERM, then SIGKILL)');
      await Promise.all([...pids].map((p) => terminate(p)));
    }
    for (const p of pids) if (pidAlive(p)) killPid(p, 'SIGKILL');
    log(`VM stopped in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  delete state.running;
  await writeState(paths.state, state);
  await rm(paths.pidFile, { force: true });
  await rm(paths.qmpSocket, { force: true });
}

export interface RunningGuest {
  pid: number;
  accelerator: 'kvm' | 'tcg';
  sshUrl: string;
  startedAt: string;
  /** Booted by this process (a run that boots the guest shuts it down at its end unless asked to keep it). */
  bootedHere: boolean;
  startedBy?: string;
}

/** The guest of this cache directory, when its qemu runs (the state file and /proc; nothing is started or stopped). */
export async function runningGuest(opts: VmOptions = {}): Promise<RunningGuest | undefined> {
  const paths = vmPaths(opts.cacheDir);
  if (!existsSync(paths.state)) return undefined;
  const r = (await readState(paths.state)).state.running;
  if (!r || !isOurQemu(r.pid, paths)) return undefined;
  return {
    pid: r.pid, accelerator: r.accelerator, sshUrl: sshUrlFor(r.port), startedAt: r.startedAt,
    bootedHere: r.startedBy?.pid === process.pid, startedBy: r.startedBy ? `pid ${r.startedBy.pid}: benchsuite ${r.startedBy.command}` : undefined,
  };
}

/**
 * At the end of a run: shut the guest down if this process booted it (a guest from `vm up` or from a run
 * with --keep-vm is left alone). Returns true when it stopped one.
 */
export async function vmDownIfBootedHere(opts: VmOptions = {}): Promise<boolean> {
  const guest = await runningGuest(opts);
  if (!guest?.bootedHere) return false;
  await vmDown(opts);
  return true;
}

/** Shut the guest down cleanly (poweroff over SSH, then QMP, then signals); no qemu is left. */
export async function vmDown(opts: VmOptions = {}): Promise<void> {
  const paths = vmPaths(opts.cacheDir);
  const log = opts.log ?? (() => undefined);
  if (!existsSync(paths.cacheDir)) return;
  const release = await acquireLock(paths.lock, { signal: opts.signal, log });
  try {
    const { state } = await readState(paths.state);
    await downUnlocked(paths, state, log);
  } finally {
    await release();
  }
}

/** vmDown, then remove the guest disk and everything else in the cache directory. */
export async function vmDestroy(opts: VmOptions = {}): Promise<void> {
  const paths = vmPaths(opts.cacheDir);
  const log = opts.log ?? (() => undefined);
  if (!existsSync(paths.cacheDir)) return;
  const release = await acquireLock(paths.lock, { signal: opts.signal, log });
  try {
    const { state } = await readState(paths.state);
    await downUnlocked(paths, state, log);
    for (const name of await readdir(paths.cacheDir)) {
      if (name === 'lock') continue;
      const p = join(paths.cacheDir, name);
      if (p === paths.diskDir || name.startsWith('.build-') || name.startsWith('.old-')) await removeBuildDir(p);
      else await rm(p, { recursive: true, force: true });
    }
    log(`removed the guest disk and state in ${paths.cacheDir}`);
  } finally {
    await release();
  }
  await rmdir(paths.cacheDir).catch(() => undefined);
}
