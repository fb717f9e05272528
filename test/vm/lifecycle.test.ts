import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureVm, vmDestroy, vmDown, vmStatus } from '../../src/vm/index.js';
import { DEFAULT_SETTINGS, vmPaths } from '../../src/vm/settings.js';
import { readState, writeState } from '../../src/vm/state.js';

// No qemu involved: these exercise the state handling around a VM that is not (or no longer) there.
const root = mkdtempSync(join(tmpdir(), 'bs-vm-life-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `c${n++}`);

const staleRunning = (pid: number, disk: string) => ({
  version: 1 as const,
  settings: DEFAULT_SETTINGS,
  running: {
    pid,
    port: 40022,
    accelerator: 'tcg' as const,
    qemuVersion: '7.2.22',
    settings: DEFAULT_SETTINGS,
    startedAt: new Date().toISOString(),
    imagePath: disk,
  },
});

describe('VM lifecycle without a VM', () => {
  it('status of an empty cache: not running, no image yet', async () => {
    const s = await vmStatus({ cacheDir: freshDir() });
    expect(s.running).toBe(false);
    expect(s.connection).toBeUndefined();
    expect(s.detail).toMatch(/not running; no guest disk/);
  });

  it('a recorded pid that is not our qemu (gone, or reused by another program) is reported as not running', async () => {
    const dir = freshDir();
    const p = vmPaths(dir);
    await writeState(p.state, staleRunning(process.pid, p.disk)); // this test process is alive but is no qemu
    const s = await vmStatus({ cacheDir: dir });
    expect(s.running).toBe(false);
    expect(s.detail).toMatch(new RegExp(`qemu pid ${process.pid} recorded in .* is gone`));
  });

  it('down clears a stale entry and kills nothing that is not its qemu', async () => {
    const dir = freshDir();
    const p = vmPaths(dir);
    await writeState(p.state, staleRunning(process.pid, p.disk));
    const lines: string[] = [];
    await vmDown({ cacheDir: dir, log: (l) => lines.push(l) });
    expect((await readState(p.state)).state.running).toBeUndefined();
    expect(lines.join('\n')).toMatch(/was not running/);
    expect(existsSync(p.lock)).toBe(false);
  });

  it('down and destroy of a cache directory that does not exist do nothing', async () => {
    const dir = freshDir();
    await vmDown({ cacheDir: dir });
    await vmDestroy({ cacheDir: dir });
    expect(existsSync(dir)).toBe(false);
  });

  it('destroy removes the guest disk, leftovers of interrupted builds, the state and the directory', async () => {
    const dir = freshDir();
    const p = vmPaths(dir);
    mkdirSync(p.diskDir, { recursive: true });
    writeFileSync(p.disk, 'x');
    mkdirSync(join(dir, '.build-999999999-abc', 'rootfs', 'etc'), { recursive: true });
    writeFileSync(p.serialLog, 'boot');
    await writeState(p.state, { version: 1, settings: DEFAULT_SETTINGS });
    await vmDestroy({ cacheDir: dir });
    expect(existsSync(dir)).toBe(false);
  });

  it('ensureVm rejects invalid settings before building or booting anything', async () => {
    const dir = freshDir();
    await expect(ensureVm({ cacheDir: dir, settings: { cpus: 0 } })).rejects.toThrow(/invalid VM settings: cpus must be between 1/);
    expect(existsSync(vmPaths(dir).diskDir)).toBe(false);
    expect(existsSync(vmPaths(dir).lock)).toBe(false);
  });
});
