// An iperf3 address that is neither loopback nor the run's own container: exit 2 naming the field.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';
import { iperf3 } from '../../../src/workloads/iperf3/index.js';

describe('iperf3 address', () => {
  it.each(['10.0.0.5', '172.17.0.2', '8.8.8.8', 'example.com', '127.0.0.1; rm -rf /', '127.256.0.1', '::1'])('refuses %s', (address) => {
    const r = iperf3.schema.safeParse({ kind: 'iperf3', address });
    expect(r.success).toBe(false);
  });
  it.each(['auto', '127.0.0.1', '127.1.2.3'])('accepts %s', (address) => {
    expect(iperf3.schema.safeParse({ kind: 'iperf3', address }).success).toBe(true);
  });
  it('through the CLI: exit 2, naming workloads.tcp.address and what is allowed', async () => {
    const dir = tempDir('iperf3-refused');
    const file = join(dir, 'iperf3.yaml');
    writeFileSync(file, 'name: iperf3-refused\nbaseline: bare\ntargets:\n  bare: {label: Bare}\nworkloads:\n  tcp: {kind: iperf3}\n');
    const r = await runCli(['run', file, '--results-dir', dir, '--set', 'workloads.tcp.address=10.0.0.5'], { timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('workloads.tcp.address');
    expect(r.stderr).toContain('loopback');
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([]);
  }, 150_000);
});
