/**
 * Host process helpers for the guest's qemu: is a pid alive (zombies count as gone), which qemu
 * processes use a given guest disk, waiting with an abort signal, progress lines with elapsed time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { procStatFields } from '../util/proc.js';
import { basename, join } from 'node:path';

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const e = new Error('interrupted');
  e.name = 'AbortError';
  return e;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}

/** Alive and not a zombie (a daemonized qemu's parent may be an init that does not reap). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const state = procStatFields(readFileSync(`/proc/${pid}/stat`, 'utf8'))[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export function readCmdline(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((s, i, a) => !(s === '' && i === a.length - 1));
  } catch {
    return undefined;
  }
}

/** qemu escapes "," in option values by doubling it. */
export function qemuEscape(value: string): string {
  return value.replaceAll(',', ',,');
}

/** Does this argv run qemu on `diskPath`? */
export function cmdlineUsesDisk(argv: string[], diskPath: string): boolean {
  if (!argv[0] || !basename(argv[0]).startsWith('qemu-system')) return false;
  const needle = `file=${qemuEscape(diskPath)},`;
  return argv.some((a) => a.includes(needle));
}

/** Pids of live qemu processes whose command line uses `diskPath`. */
export function findQemuUsing(diskPath: string): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    const argv = readCmdline(pid);
    if (argv && cmdlineUsesDisk(argv, diskPath) && pidAlive(pid)) pids.push(pid);
  }
  return pids;
}

/** Wait until `pid` is gone; true if it went within the time. */
export async function waitForExit(pid: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(200, signal);
  }
  return true;
}

export function killPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

/** TERM, then KILL after `graceMs`; resolves when the process is gone. */
export async function terminate(pid: number, graceMs = 5000): Promise<void> {
  if (!pidAlive(pid)) return;
  killPid(pid, 'SIGTERM');
  if (await waitForExit(pid, graceMs)) return;
  killPid(pid, 'SIGKILL');
  await waitForExit(pid, 10_000);
}

/** Progress lines: "[  12.3s] message", measured from the logger's creation. */
export function stepLogger(log: (line: string) => void): { step: (msg: string) => void; elapsedMs: () => number } {
  const started = performance.now();
  const elapsedMs = (): number => performance.now() - started;
  return {
    step: (msg) => log(`[${(elapsedMs() / 1000).toFixed(1).padStart(6)}s] ${msg}`),
    elapsedMs,
  };
}

/**
 * The ETA part of a progress line: "about 40 s left of ~300 s expected", or, past the expectation,
 * "longer than the ~300 s expected". Empty without an expectation.
 */
export function etaText(elapsedMs: number, expectedMs?: number): string {
  if (!expectedMs || !(expectedMs > 0)) return '';
  const expected = Math.round(expectedMs / 1000);
  const left = Math.round((expectedMs - elapsedMs) / 1000);
  return left > 0 ? `about ${left} s left of ~${expected} s expected` : `longer than the ~${expected} s expected`;
}

/** Run `work`, logging "still …" (with an ETA when `expectedMs` is known) every `everyMs` while it lasts. */
export async function withTicker<T>(log: (msg: string) => void, what: string, work: Promise<T>, everyMs = 15_000, expectedMs?: number): Promise<T> {
  const started = Date.now();
  const t = setInterval(() => {
    const elapsed = Date.now() - started;
    const eta = etaText(elapsed, expectedMs);
    log(`… still ${what} (${Math.round(elapsed / 1000)} s${eta ? `; ${eta}` : ''})`);
  }, everyMs);
  try {
    return await work;
  } finally {
    clearInterval(t);
  }
}

export const SBIN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A program on PATH or in the sbin directories (a non-login root shell may lack them). */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), ...SBIN_PATH.split(':')];
  for (const d of dirs) if (d && existsSync(join(d, name))) return join(d, name);
  return undefined;
}
