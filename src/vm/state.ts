/**
 * The VM's state file (JSON in the cache directory) and the lock that serializes build, boot and
 * shutdown between benchsuite processes. The state remembers the running qemu (pid, SSH port,
 * accelerator, settings) and, across boots, what a KVM attempt showed on this host.
 */
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { pidAlive, sleep } from './proc.js';
import { DISK_CACHE_MODES } from './settings.js';

const settingsSchema = z
  .object({
    cpus: z.number().int().min(1),
    memoryMiB: z.number().int().min(1),
    diskCache: z.enum(DISK_CACHE_MODES),
    diskSizeGiB: z.number().int().min(1),
    accel: z.enum(['auto', 'kvm', 'tcg']),
  })
  .strict();

const kvmProbeSchema = z
  .object({
    result: z.enum(['works', 'hangs', 'fails']),
    detail: z.string(),
    checkedAt: z.string(),
    qemuVersion: z.string(),
    hostKernel: z.string(),
  })
  .strict();

const runningSchema = z
  .object({
    pid: z.number().int().positive(),
    port: z.number().int().min(1).max(65535),
    accelerator: z.enum(['kvm', 'tcg']),
    accelReason: z.string().optional(),
    qemuVersion: z.string(),
    settings: settingsSchema,
    startedAt: z.string(),
    imagePath: z.string(),
    guestKernel: z.string().optional(),
    bootToSshMs: z.number().optional(),
    dockerReadyMs: z.number().optional(),
    qemuArgv: z.array(z.string()).optional(),
    /** The benchsuite process that booted it: a run shuts down only a guest it booted itself. */
    startedBy: z.object({ pid: z.number().int().positive(), command: z.string() }).strict().optional(),
  })
  .strict();

export const stateSchema = z
  .object({
    version: z.literal(1),
    /** The settings of the last `vm up` (used when a later call gives none). */
    settings: settingsSchema.optional(),
    kvmProbe: kvmProbeSchema.optional(),
    running: runningSchema.optional(),
  })
  .strict();

export type VmState = z.output<typeof stateSchema>;
export type RunningVm = NonNullable<VmState['running']>;

export const EMPTY_STATE: VmState = { version: 1 };

/** Parse state file text; a missing, empty or unreadable file yields the empty state plus a problem note. */
export function parseState(text: string | undefined): { state: VmState; problem?: string } {
  if (text === undefined || text.trim() === '') return { state: { ...EMPTY_STATE } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { state: { ...EMPTY_STATE }, problem: `state file is not JSON (${(e as Error).message}); ignoring it` };
  }
  const r = stateSchema.safeParse(json);
  if (!r.success) return { state: { ...EMPTY_STATE }, problem: `state file does not match the expected shape; ignoring it:\n${z.prettifyError(r.error)}` };
  return { state: r.data };
}

export async function readState(path: string): Promise<{ state: VmState; problem?: string }> {
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    text = undefined;
  }
  return parseState(text);
}

/** Write atomically (temp file + rename). */
export async function writeState(path: string, state: VmState): Promise<void> {
  const checked = stateSchema.parse(state);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o644 });
  await rename(tmp, path);
}

/**
 * Take the cache directory's lock (a file holding the owner's pid), waiting while another live
 * process holds it; a lock whose owner is gone is taken over. Returns the release function.
 */
export async function acquireLock(
  path: string,
  opts: { signal?: AbortSignal; log?: (s: string) => void; timeoutMs?: number } = {},
): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + (opts.timeoutMs ?? 60 * 60_000);
  const token = `${process.pid} ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  let told = false;
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o644);
      await fh.writeFile(`${token}\n`);
      await fh.close();
      return async () => {
        try {
          if (readFileSync(path, 'utf8').trim() === token) await rm(path, { force: true });
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    try {
      owner = Number((await readFile(path, 'utf8')).split(' ')[0]);
    } catch {
      continue; // released meanwhile
    }
    if (!pidAlive(owner)) {
      await rm(path, { force: true });
      continue;
    }
    if (!told) {
      opts.log?.(`waiting for another benchsuite VM operation (pid ${owner}, lock ${path})`);
      told = true;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the VM lock ${path} held by pid ${owner}`);
    await sleep(500, opts.signal);
  }
}
