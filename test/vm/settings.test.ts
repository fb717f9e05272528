import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, defaultCacheDir, runtimeSettingsDiffer, validateSettings, vmPaths } from '../../src/vm/settings.js';

describe('VM settings', () => {
  it('defaults: 2 CPUs, 2048 MiB, cache=none, 4 GiB, auto accelerator', () => {
    expect(DEFAULT_SETTINGS).toEqual({ cpus: 2, memoryMiB: 2048, diskCache: 'none', diskSizeGiB: 4, accel: 'auto' });
    const v = validateSettings({});
    expect(v.ok && v.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('accepts whole numbers given as strings (CLI flags) and merges over a base', () => {
    const v = validateSettings({ cpus: '1', memoryMiB: 1024 }, { ...DEFAULT_SETTINGS, diskCache: 'writeback' });
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.settings).toMatchObject({ cpus: 1, memoryMiB: 1024, diskCache: 'writeback' });
  });

  it('rejects fractions, out-of-range values, unknown modes and names every bad field', () => {
    const v = validateSettings({ cpus: 1.5, memoryMiB: 100, diskCache: 'fast', accel: 'hvf', diskSizeGiB: '2x' });
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.problems.map((p) => p.field).sort()).toEqual(['accel', 'cpus', 'diskCache', 'diskSizeGiB', 'memoryMiB']);
      expect(v.problems.find((p) => p.field === 'memoryMiB')?.message).toMatch(/between 512 and/);
    }
  });

  it('refuses cache=unsafe with the reason', () => {
    const v = validateSettings({ diskCache: 'unsafe' });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problems[0]?.message).toMatch(/ignores guest flushes/);
  });

  it('warns when the guest gets more CPUs than the host has', () => {
    const v = validateSettings({ cpus: 64 });
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.warnings.join(' ')).toMatch(/compete for host cores|64 guest CPUs/);
  });

  it('reports the runtime differences that need a reboot', () => {
    expect(runtimeSettingsDiffer(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, diskSizeGiB: 9, accel: 'tcg' })).toEqual([]);
    expect(runtimeSettingsDiffer(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, cpus: 1 })).toEqual(['cpus 2 vs 1']);
  });

  it('cache directory: env override, root default, user default', () => {
    expect(defaultCacheDir({ BENCHSUITE_CACHE_DIR: '/x/y' }, 0)).toBe('/x/y');
    expect(defaultCacheDir({}, 0)).toBe('/var/cache/benchsuite/vm');
    expect(defaultCacheDir({ HOME: '/home/u' }, 1000)).toBe('/home/u/.cache/benchsuite/vm');
  });

  it('keeps every file of the VM inside the cache directory', () => {
    const p = vmPaths('/c');
    for (const [k, v] of Object.entries(p)) if (k !== 'cacheDir') expect(v.startsWith('/c/')).toBe(true);
    expect(p.disk).toBe('/c/image/disk.img');
    expect(p.state).toBe('/c/state.json');
  });
});
