// sysbench for real on this host: cpu (events/s) and memory (MiB/s), one second each.
import { describe, expect, it } from 'vitest';
import { DirectTarget } from '../../../src/targets/direct.js';
import { LocalMachine } from '../../../src/exec/local.js';
import { sysbench } from '../../../src/workloads/sysbench/index.js';

describe.each([
  ['cpu', 'events_per_sec'],
  ['memory', 'mib_per_sec'],
] as const)('sysbench %s on this host', (test, metric) => {
  it(`measures ${metric}`, async () => {
    const w = sysbench.create('s', sysbench.schema.parse({ kind: 'sysbench', test, duration: 1 }), 'S');
    expect(w.metrics().filter((m) => m.primary).map((m) => m.metric)).toEqual([metric]);
    const prepared = await w.prepare({ runId: 'tsysbench', target: new DirectTarget('bare', 'Bare', new LocalMachine()), scratchDir: '/nonexistent', log: () => undefined });
    try {
      const s = await prepared.runSample({ seq: 1, timeoutMs: 60_000 });
      expect(s.values[metric]).toBeGreaterThan(0);
      expect(s.details.totalEvents).toBeGreaterThan(0);
    } finally {
      await prepared.cleanup();
    }
  }, 120_000);
});
