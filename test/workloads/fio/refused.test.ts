// Bad fio settings through the real CLI: exit 2, the field named, nothing started (no results file, no
// scratch directory). The free-space check reads this host's filesystem before any command runs.
import { existsSync, readdirSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

const GiB = 1024 ** 3;

function scenario(dir: string, workload: string): string {
  const file = join(dir, 'fio.yaml');
  writeFileSync(file, `name: fio-refused\nbaseline: bare\ntargets:\n  bare: {label: Bare, host: local}\nworkloads:\n  disk: ${workload}\nsamples: 2\nwarmup: 0\n`);
  return file;
}

describe('fio settings refused before a run starts', () => {
  it('a size beyond the scratch filesystem\'s free space: exit 2 naming workloads.disk.size', async () => {
    // Two local targets (bare metal, and a container with volume storage) each keep a file of `size` in the
    // scratch root at once: twice the size must not fit in what is free there.
    const dir = tempDir('fio-space');
    const scratchRoot = join(dir, 'scratch');
    const fs = statfsSync(dir);
    const free = Number(fs.bavail) * Number(fs.bsize);
    const size = Math.ceil(free / 2 / GiB) + 1;
    if (size > 64) return; // more free here than two files of fio's largest size: nothing to refuse
    const file = join(dir, 'fio.yaml');
    writeFileSync(
      file,
      `name: fio-refused\nbaseline: bare\ntargets:\n  bare: {label: Bare, host: local}\n  box: {label: Box, host: local, container: {storage: volume}}\n` +
        `workloads:\n  disk: {kind: fio, rw: write, size: ${size}G}\nsamples: 2\nwarmup: 0\nscratchRoot: ${scratchRoot}\n`,
    );
    const r = await runCli(['run', file, '--results-dir', dir], { timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('workloads.disk.size');
    expect(r.stderr).toContain('for each of 2 local targets');
    expect(r.stderr).toContain('is free on its filesystem');
    expect(r.stderr).toContain('scratchRoot');
    expect(existsSync(scratchRoot)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([]);
  }, 150_000);

  it('--quick shrinks the file to 64 MiB before the space is checked', async () => {
    const { fio, FIO_QUICK } = await import('../../../src/workloads/fio/index.js');
    const spec = fio.schema.parse({ kind: 'fio', size: '60G' });
    expect(fio.scratchBytes?.(fio.quick(spec))?.bytes).toBe(FIO_QUICK.maxBytes);
  });

  it('iodepth 0: exit 2 naming workloads.disk.iodepth', async () => {
    const dir = tempDir('fio-iodepth');
    const r = await runCli(['run', scenario(dir, '{kind: fio}'), '--results-dir', dir, '--set', 'workloads.disk.iodepth=0'], { timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/workloads\.disk\.iodepth.*>=\s*1/);
  }, 150_000);

  it('iodepth above 1 with a synchronous engine: exit 2 with the fix', async () => {
    const dir = tempDir('fio-engine');
    const r = await runCli(['run', scenario(dir, '{kind: fio, ioengine: psync, iodepth: 32}'), '--results-dir', dir], { timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('workloads.disk.iodepth');
    expect(r.stderr).toContain('ioengine: libaio');
  }, 150_000);
});
