/**
 * Who booted the running guest decides whether a run shuts it down. A stand-in qemu (a copy of sh named
 * qemu-system-x86_64 whose argv uses the cache's disk, as isOurQemu checks) — no real guest needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runningGuest, vmDownIfBootedHere } from '../../src/vm/index.js';
import { DEFAULT_SETTINGS, vmPaths } from '../../src/vm/settings.js';
import { writeState } from '../../src/vm/state.js';

const root = mkdtempSync(join(tmpdir(), 'bs-vm-owner-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

async function standIn(cacheDir: string, startedByPid: number | undefined): Promise<number> {
  const p = vmPaths(cacheDir);
  const fake = join(mkdtempSync(join(root, 'bin-')), 'qemu-system-x86_64');
  copyFileSync('/bin/sh', fake);
  const child = spawn(fake, ['-c', 'sleep 60; :', 'qemu', '-drive', `file=${p.disk},if=virtio,format=raw`], { stdio: 'ignore' });
  children.push(child);
  await new Promise((r) => setTimeout(r, 200));
  const pid = child.pid as number;
  await writeState(p.state, {
    version: 1,
    settings: DEFAULT_SETTINGS,
    running: {
      pid, port: 40022, accelerator: 'tcg', qemuVersion: '7.2.22', settings: DEFAULT_SETTINGS, startedAt: '2026-12-02T20:00:00.000Z', imagePath: p.disk,
      ...(startedByPid ? { startedBy: { pid: startedByPid, command: 'run layers --quick' } } : {}),
    },
  });
  return pid;
}

describe('runningGuest', () => {
  it('a guest booted by this process is bootedHere', async () => {
    const dir = join(root, 'a');
    const pid = await standIn(dir, process.pid);
    expect(await runningGuest({ cacheDir: dir })).toEqual({
      pid, accelerator: 'tcg', sshUrl: 'ssh://root@127.0.0.1:40022', startedAt: '2026-12-02T20:00:00.000Z', bootedHere: true,
      startedBy: `pid ${process.pid}: benchsuite run layers --quick`,
    });
  });

  it('a guest from `vm up` (another process, or a state without startedBy) is not, and is never shut down by a run', async () => {
    const dir = join(root, 'b');
    const pid = await standIn(dir, 1);
    expect((await runningGuest({ cacheDir: dir }))?.bootedHere).toBe(false);
    expect(await vmDownIfBootedHere({ cacheDir: dir })).toBe(false);
    expect(() => process.kill(pid, 0)).not.toThrow();
    const dir2 = join(root, 'c');
    await standIn(dir2, undefined);
    expect((await runningGuest({ cacheDir: dir2 }))?.bootedHere).toBe(false);
  });

  it('no guest: a missing state file, or a recorded pid that is not a qemu on this disk', async () => {
    expect(await runningGuest({ cacheDir: join(root, 'none') })).toBeUndefined();
    const dir = join(root, 'd');
    const p = vmPaths(dir);
    await writeState(p.state, { version: 1, running: { pid: process.pid, port: 40022, accelerator: 'tcg', qemuVersion: 'x', settings: DEFAULT_SETTINGS, startedAt: 'x', imagePath: p.disk } });
    expect(await runningGuest({ cacheDir: dir })).toBeUndefined();
  });
});
