/**
 * Booting the guest: the qemu command line, the accelerator decision (KVM only when it is usable
 * and the guest really boots with it; otherwise TCG), starting qemu detached, and its QMP socket.
 */
import { openSync, closeSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { runProcess } from '../exec/process.js';
import { findTool, qemuEscape } from './proc.js';
import type { AccelChoice, Accelerator, VmPaths, VmSettings } from './settings.js';

export const QEMU = 'qemu-system-x86_64';

export interface QemuArgvOptions {
  accelerator: Accelerator;
  settings: Pick<VmSettings, 'cpus' | 'memoryMiB' | 'diskCache'>;
  paths: Pick<VmPaths, 'disk' | 'kernel' | 'initrd' | 'serialLog' | 'pidFile' | 'qmpSocket'>;
  sshPort: number;
  qemuBinary?: string;
  /** Omit the QMP socket (e.g. when its path is too long for a unix socket). */
  qmp?: boolean;
}

/** The kernel command line. `panic=-1` + `-no-reboot`: a guest kernel panic ends qemu instead of looping. */
export function kernelCommandLine(): string {
  return ['root=/dev/vda', 'rw', 'rootfstype=ext4', 'console=ttyS0,115200', 'panic=-1', `systemd.hostname=benchsuite-guest`].join(' ');
}

/** The full qemu argv (no shell involved; "," in paths is doubled as qemu requires). */
export function qemuArgv(o: QemuArgvOptions): string[] {
  if (!Number.isInteger(o.sshPort) || o.sshPort < 1 || o.sshPort > 65535) throw new Error(`invalid SSH port ${o.sshPort}`);
  const p = o.paths;
  const argv = [
    o.qemuBinary ?? QEMU,
    '-name', 'benchsuite-guest',
    '-machine', 'q35',
    ...(o.accelerator === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg,thread=multi', '-cpu', 'max']),
    '-smp', String(o.settings.cpus),
    '-m', `${o.settings.memoryMiB}M`,
    '-nodefaults',
    '-no-user-config',
    '-display', 'none',
    '-kernel', p.kernel,
    '-initrd', p.initrd,
    '-append', kernelCommandLine(),
    '-drive', `file=${qemuEscape(p.disk)},if=virtio,format=raw,cache=${o.settings.diskCache}`,
    // User-mode networking; the only way in is SSH forwarded from 127.0.0.1.
    '-netdev', `user,id=n0,hostfwd=tcp:127.0.0.1:${o.sshPort}-:22`,
    '-device', 'virtio-net-pci,netdev=n0',
    '-device', 'virtio-rng-pci',
    '-serial', `file:${qemuEscape(p.serialLog)}`,
    '-monitor', 'none',
  ];
  if (o.qmp !== false) argv.push('-qmp', `unix:${qemuEscape(p.qmpSocket)},server=on,wait=off`);
  argv.push('-pidfile', p.pidFile, '-no-reboot', '-daemonize');
  return argv;
}

/** "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)" → "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)". */
export function parseQemuVersion(text: string): string | undefined {
  const m = /QEMU emulator version\s+(\S+)(?:\s+(\([^)]*\)))?/.exec(text);
  if (!m?.[1]) return undefined;
  return m[2] ? `${m[1]} ${m[2]}` : m[1];
}

export async function qemuVersion(): Promise<string> {
  const bin = findTool(QEMU);
  if (!bin) throw new Error(`${QEMU} is not installed: apt-get install qemu-system-x86`);
  const r = await runProcess([bin, '--version'], { timeoutMs: 15_000 });
  const v = parseQemuVersion(r.stdout);
  if (r.exitCode !== 0 || !v) throw new Error(`${QEMU} --version failed: ${(r.stderr || r.stdout).trim()}`);
  return v;
}

/** Can this process open /dev/kvm read-write? (Necessary, not sufficient: nested hosts can hang.) */
export function kvmDevice(path = '/dev/kvm'): { usable: boolean; reason: string } {
  if (!existsSync(path)) return { usable: false, reason: `${path} does not exist (no hardware virtualization exposed to this host)` };
  try {
    closeSync(openSync(path, 'r+'));
    return { usable: true, reason: `${path} opens read-write` };
  } catch (e) {
    return { usable: false, reason: `${path} cannot be opened: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
}

/** What an earlier boot attempt with KVM showed on this host. */
export interface KvmProbe {
  result: 'works' | 'hangs' | 'fails';
  detail: string;
  checkedAt: string;
  qemuVersion: string;
  hostKernel: string;
}

export interface AccelPlan {
  attempts: Accelerator[];
  reason: string;
}

/**
 * Which accelerators to try, in order. `auto` tries KVM only when /dev/kvm is usable and no earlier
 * probe on this host (same host kernel and qemu) saw it hang or fail; TCG is the fallback.
 */
export function planAccelerators(
  requested: AccelChoice,
  kvm: { usable: boolean; reason: string },
  probe: KvmProbe | undefined,
  host: { qemuVersion: string; hostKernel: string },
): AccelPlan {
  if (requested === 'tcg') return { attempts: ['tcg'], reason: 'TCG requested (--accel tcg)' };
  if (requested === 'kvm') {
    if (!kvm.usable) throw new Error(`--accel kvm: KVM is not usable: ${kvm.reason}`);
    const warn = probe && probe.result !== 'works' ? ` (an earlier attempt on ${probe.checkedAt} ${probe.result === 'hangs' ? 'hung' : 'failed'}: ${probe.detail})` : '';
    return { attempts: ['kvm'], reason: `KVM requested (--accel kvm)${warn}` };
  }
  if (!kvm.usable) return { attempts: ['tcg'], reason: `KVM not usable: ${kvm.reason}` };
  const sameHost = probe && probe.qemuVersion === host.qemuVersion && probe.hostKernel === host.hostKernel;
  if (probe && sameHost && probe.result !== 'works') {
    return {
      attempts: ['tcg'],
      reason: `KVM ${probe.result === 'hangs' ? 'hung' : 'failed'} on this host before (${probe.checkedAt}: ${probe.detail}); not retried — use --accel kvm to try again`,
    };
  }
  if (probe && sameHost && probe.result === 'works') return { attempts: ['kvm', 'tcg'], reason: `KVM worked here before (${probe.checkedAt})` };
  return { attempts: ['kvm', 'tcg'], reason: `${kvm.reason}; trying KVM first, TCG if the guest does not come up` };
}

export type BootOutcome = { ok: true } | { ok: false; hung: boolean; detail: string };

/**
 * Try each planned accelerator until one boots. A KVM failure is remembered only when a later TCG
 * boot succeeds (so a broken guest disk is not mistaken for a hanging KVM).
 */
export async function bootFirstWorking(
  plan: AccelPlan,
  tryBoot: (accel: Accelerator) => Promise<BootOutcome>,
): Promise<{ accelerator: Accelerator; kvm?: { result: KvmProbe['result']; detail: string }; failures: string[] }> {
  const failures: string[] = [];
  let kvmFailure: { result: KvmProbe['result']; detail: string } | undefined;
  for (const accel of plan.attempts) {
    const outcome = await tryBoot(accel);
    if (outcome.ok) {
      if (accel === 'kvm') return { accelerator: accel, kvm: { result: 'works', detail: 'guest reached SSH' }, failures };
      return { accelerator: accel, kvm: kvmFailure, failures };
    }
    failures.push(`${accel.toUpperCase()}: ${outcome.detail}`);
    if (accel === 'kvm') kvmFailure = { result: outcome.hung ? 'hangs' : 'fails', detail: outcome.detail };
  }
  throw new Error(`the guest did not boot:\n  ${failures.join('\n  ')}`);
}

// A free port: there is a small race until qemu binds it; the caller retries.
export { freeLocalPort } from '../util/net.js';

/** Start qemu daemonized; returns its pid (from -pidfile). Throws with qemu's message on failure. */
export async function startQemu(argv: string[], paths: Pick<VmPaths, 'pidFile' | 'qmpSocket'>, signal?: AbortSignal): Promise<number> {
  await rm(paths.pidFile, { force: true });
  await rm(paths.qmpSocket, { force: true });
  const r = await runProcess(argv, { timeoutMs: 60_000, signal });
  if (r.exitCode !== 0) {
    const msg = (r.stderr || r.stdout).trim() || (r.timedOut ? 'timed out starting' : `exit ${r.exitCode}`);
    const e = new Error(`qemu failed to start: ${msg}`);
    if (/host forwarding rule|Address already in use/i.test(msg)) e.name = 'PortInUse';
    if (/O_DIRECT|cache=none|Invalid argument/i.test(msg) && argv.some((a) => a.includes('cache=none'))) {
      e.message += ' — the cache directory\'s file system may not support O_DIRECT (cache=none); use --disk-cache writeback or put BENCHSUITE_CACHE_DIR on ext4/xfs';
    }
    throw e;
  }
  const pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`qemu wrote no usable pid to ${paths.pidFile}`);
  return pid;
}

/** Send one QMP command (e.g. system_powerdown, quit) to the guest's control socket. */
export function qmpExecute(socketPath: string, command: string, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(socketPath);
    let buf = '';
    let phase: 'greeting' | 'capabilities' | 'command' = 'greeting';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`QMP ${command}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (err: Error | undefined, value?: unknown): void => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    sock.on('error', (e) => done(e));
    sock.on('close', () => {
      // `quit` closes the socket before answering.
      if (phase === 'command' && command === 'quit') done(undefined, {});
    });
    sock.on('data', (d) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (msg.event) continue;
        if (phase === 'greeting' && msg.QMP) {
          phase = 'capabilities';
          sock.write('{"execute":"qmp_capabilities"}\n');
        } else if (phase === 'capabilities' && 'return' in msg) {
          phase = 'command';
          sock.write(`${JSON.stringify({ execute: command })}\n`);
        } else if (phase === 'command') {
          if ('error' in msg) done(new Error(`QMP ${command}: ${JSON.stringify(msg.error)}`));
          else done(undefined, msg.return);
        }
      }
    });
  });
}

/**
 * Does this host run guests with KVM? Decided by trying (a guest booted with `-accel kvm`), and kept
 * until the next boot: the verdict is keyed by the kernel's boot_id, which changes at every boot, so a
 * BIOS switch, a module load or a kernel update is noticed after a reboot and never before.
 */
export interface KvmVerdict {
  /** /proc/sys/kernel/random/boot_id when the verdict was reached. */
  bootId: string;
  kvm: boolean;
  reason: string;
  checkedAt: string;
}

export const BOOT_ID_FILE = '/proc/sys/kernel/random/boot_id';

export function currentBootId(file = BOOT_ID_FILE): string | undefined {
  try {
    const id = readFileSync(file, 'utf8').trim();
    return /^[0-9a-f-]{16,64}$/i.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The cached verdict, when it was reached during this boot; anything else (other boot, unreadable) is ignored. */
export function readKvmVerdict(file: string, bootId: string | undefined): KvmVerdict | undefined {
  if (!bootId) return undefined;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<KvmVerdict>;
    if (v.bootId !== bootId || typeof v.kvm !== 'boolean' || typeof v.reason !== 'string' || typeof v.checkedAt !== 'string') return undefined;
    return v as KvmVerdict;
  } catch {
    return undefined;
  }
}

/** Write atomically; a cache that cannot be written only costs a new try next time. */
export function writeKvmVerdict(file: string, verdict: KvmVerdict): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(verdict, null, 1)}\n`, { mode: 0o644 });
    renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}
