// iperf3 for real: on this host (server on 127.0.0.1) and with the server in a container on a bridge network,
// where the client connects to the container's own address (read inside it) — the run's own container only.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerSchema } from '../../../src/scenario/schema.js';
import { DockerTarget } from '../../../src/targets/docker.js';
import { DirectTarget } from '../../../src/targets/direct.js';
import { LocalMachine } from '../../../src/exec/local.js';
import type { Target } from '../../../src/exec/types.js';
import { iperf3 } from '../../../src/workloads/iperf3/index.js';

const scratchRoot = mkdtempSync('/var/tmp/bs-test-iperf3-');
chmodSync(scratchRoot, 0o755);
afterAll(() => rmSync(scratchRoot, { recursive: true, force: true }));

async function oneSample(target: Target, runId: string): Promise<{ values: Record<string, number>; details: Record<string, unknown> }> {
  await target.prepare();
  const spec = iperf3.schema.parse({ kind: 'iperf3', duration: 1 });
  const prepared = await iperf3.create('tcp', spec, iperf3.defaultTitle()).prepare({ runId, target, scratchDir: mkdtempSync(join(scratchRoot, 's-')), log: () => undefined });
  try {
    return await prepared.runSample({ seq: 1, timeoutMs: 60_000 });
  } finally {
    await prepared.cleanup();
  }
}

describe('iperf3 TCP throughput', () => {
  it('on this host: client and server on 127.0.0.1', async () => {
    const s = await oneSample(new DirectTarget('bare', 'Bare', new LocalMachine()), 'tiperf3host');
    expect(s.details.address).toBe('127.0.0.1');
    expect(s.values.throughput_gbps).toBeGreaterThan(0);
    expect(s.values.retransmits).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('server in a bridge-network container: the client connects to that container\'s own address', async () => {
    const runId = `tiperf3${Date.now().toString(36)}`;
    const target = new DockerTarget('c', 'C', new LocalMachine(), containerSchema.parse({ network: 'bridge', capDrop: ['ALL'], securityOpt: ['no-new-privileges'] }), runId);
    const s = await oneSample(target, runId);
    expect(String(s.details.address)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(String(s.details.address)).not.toMatch(/^127\./);
    expect(s.values.throughput_gbps).toBeGreaterThan(0);
  }, 180_000);
});
