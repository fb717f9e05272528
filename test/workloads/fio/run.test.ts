// fio for real on this host: a small random read and a sequential write in a scratch directory; the file stays
// for the workload's samples and is gone after cleanup.
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectTarget } from '../../../src/targets/direct.js';
import { LocalMachine } from '../../../src/exec/local.js';
import { fio } from '../../../src/workloads/fio/index.js';

const scratchRoot = mkdtempSync('/var/tmp/bs-test-fio-');
chmodSync(scratchRoot, 0o755);
afterAll(() => rmSync(scratchRoot, { recursive: true, force: true }));

describe.each([
  ['randread', 'iops'],
  ['write', 'mbps'],
] as const)('fio %s on this host', (rw, primary) => {
  it(`two samples with ${primary} as the primary metric; the file is removed at cleanup`, async () => {
    const spec = fio.schema.parse({ kind: 'fio', rw, size: '16M', runtime: 1, iodepth: 8 });
    const w = fio.create('disk', spec, fio.defaultTitle());
    expect(w.metrics().find((m) => m.primary)?.metric).toBe(primary);
    const scratchDir = mkdtempSync(join(scratchRoot, `${rw}-`));
    const target = new DirectTarget('bare', 'Bare', new LocalMachine());
    const prepared = await w.prepare({ runId: 'tfio', target, scratchDir, log: () => undefined });
    try {
      for (const seq of [1, 2]) {
        const s = await prepared.runSample({ seq, timeoutMs: 120_000 });
        expect(s.values.iops).toBeGreaterThan(0);
        expect(s.values.mbps).toBeGreaterThan(0);
        expect(s.values.lat_p99_us).toBeGreaterThanOrEqual(s.values.lat_p50_us as number);
        expect(s.details.blockSize).toBe(rw === 'write' ? 1024 * 1024 : 4096);
      }
      expect(readdirSync(scratchDir)).toEqual(['fio-disk.bin']);
    } finally {
      await prepared.cleanup();
    }
    expect(existsSync(join(scratchDir, 'fio-disk.bin'))).toBe(false);
  }, 180_000);
});
