// ab against nginx in a real container, on a bridge network and on the host's: the server's address comes
// from the target's networking fact (target.network), not from docker's run arguments. On a bridge network a
// server listening on 127.0.0.1 inside the container would not be reachable through the published port.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerSchema } from '../../../src/scenario/schema.js';
import { DockerTarget } from '../../../src/targets/docker.js';
import { LocalMachine } from '../../../src/exec/local.js';
import { ab } from '../../../src/workloads/ab/index.js';

// nginx's workers run as nobody: the directories must be traversable, as the runner's scratch directories are.
const scratchRoot = mkdtempSync('/var/tmp/bs-test-ab-net-');
chmodSync(scratchRoot, 0o755);
afterAll(() => rmSync(scratchRoot, { recursive: true, force: true }));

describe.each(['bridge', 'host'] as const)('ab with a container on the %s network', (network) => {
  it('serves and measures a sample with no failed requests', async () => {
    const runId = `t${Date.now().toString(36)}${network}`;
    const target = new DockerTarget('c', 'C', new LocalMachine(), containerSchema.parse({ network }), runId);
    expect(target.network).toBe(network);
    await target.prepare();
    const spec = ab.schema.parse({ kind: 'ab', requests: 200, concurrency: 4 });
    const workload = ab.create('web', spec, ab.defaultTitle());
    const scratchDir = mkdtempSync(join(scratchRoot, `${network}-`));
    chmodSync(scratchDir, 0o755);
    const prepared = await workload.prepare({ runId, target, scratchDir, log: () => undefined });
    try {
      const s = await prepared.runSample({ seq: 1, timeoutMs: 60_000 });
      expect(s.values.requests_per_sec).toBeGreaterThan(0);
      expect(s.details.failedRequests).toBe(0);
      expect(s.details.completeRequests).toBe(200);
      expect(s.details.percentilesFrom).toBe('ab -e (0.001 ms)');
      expect(s.values.p50_ms).toBeGreaterThan(0);
    } finally {
      await prepared.cleanup();
    }
  }, 120_000);
});
