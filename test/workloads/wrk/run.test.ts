// wrk for real: against nginx on this host, and in a container on a bridge network (the same server set-up as
// ab's).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerSchema } from '../../../src/scenario/schema.js';
import { DockerTarget } from '../../../src/targets/docker.js';
import { DirectTarget } from '../../../src/targets/direct.js';
import { LocalMachine } from '../../../src/exec/local.js';
import type { Target } from '../../../src/exec/types.js';
import { SampleError } from '../../../src/workloads/types.js';
import { wrk } from '../../../src/workloads/wrk/index.js';

// nginx's workers run as nobody: the directories must be traversable, as the runner's scratch directories are.
const scratchRoot = mkdtempSync('/var/tmp/bs-test-wrk-');
chmodSync(scratchRoot, 0o755);
afterAll(() => rmSync(scratchRoot, { recursive: true, force: true }));

function dir(): string {
  const d = mkdtempSync(join(scratchRoot, 's-'));
  chmodSync(d, 0o755);
  return d;
}

async function withPrepared<T>(target: Target, runId: string, settings: Record<string, unknown>, body: (p: Awaited<ReturnType<ReturnType<typeof wrk.create>['prepare']>>) => Promise<T>): Promise<T> {
  await target.prepare();
  const w = wrk.create('web', wrk.schema.parse({ kind: 'wrk', duration: 1, threads: 1, connections: 4, ...settings }), wrk.defaultTitle());
  const prepared = await w.prepare({ runId, target, scratchDir: dir(), log: () => undefined });
  try {
    return await body(prepared);
  } finally {
    await prepared.cleanup();
  }
}

describe('wrk against nginx', () => {
  it('on this host: req/s and µs percentiles', async () => {
    await withPrepared(new DirectTarget('bare', 'Bare', new LocalMachine()), 'twrkhost', {}, async (p) => {
      const s = await p.runSample({ seq: 1, timeoutMs: 60_000 });
      expect(s.values.requests_per_sec).toBeGreaterThan(0);
      expect(s.values.p50_us).toBeGreaterThan(0);
      expect(s.values.p99_us).toBeGreaterThanOrEqual(s.values.p90_us as number);
      expect(s.details.requests).toBeGreaterThan(0);
    });
  }, 120_000);

  it('in a bridge-network container', async () => {
    const runId = `twrk${Date.now().toString(36)}`;
    const target = new DockerTarget('c', 'C', new LocalMachine(), containerSchema.parse({ network: 'bridge' }), runId);
    await withPrepared(target, runId, {}, async (p) => {
      const s = await p.runSample({ seq: 1, timeoutMs: 60_000 });
      expect(s.values.requests_per_sec).toBeGreaterThan(0);
    });
  }, 240_000);
});
