/** The sysbench kind: CPU (events/s at a fixed prime limit) or memory (MiB/s), where the workload runs. */
import { parseSize } from '../common/fields.js';
import { defineWorkloadKind, type SpecIssue } from '../types.js';
import { sysbenchSchema } from './schema.js';
import { SysbenchWorkload } from './workload.js';

export { sysbenchSchema, type SysbenchSpec } from './schema.js';
export { SYSBENCH_METRICS, sysbenchArgv, SysbenchWorkload } from './workload.js';
export { parseSysbenchOutput, type SysbenchParsed } from './parse.js';

/** `--quick`: at most this many seconds per sample. */
export const SYSBENCH_QUICK_DURATION = 1;

export const sysbench = defineWorkloadKind({
  kind: 'sysbench',
  summary: 'CPU (events/s, prime numbers up to a fixed limit) or memory bandwidth (MiB/s) with sysbench where the workload runs',
  schema: sysbenchSchema,
  defaultTitle: (id) => (id ? `CPU/Memory (sysbench, ${id})` : 'CPU/Memory (sysbench)'),
  quick: (w) => ({ ...w, duration: Math.min(w.duration, SYSBENCH_QUICK_DURATION) }),
  validate(w) {
    const issues: SpecIssue[] = [];
    const block = parseSize(w.memoryBlockSize);
    if (block > 1024 ** 3) issues.push({ path: ['memoryBlockSize'], message: `at most 1G per thread (got ${block} bytes)` });
    if (parseSize(w.memoryTotalSize) < block) issues.push({ path: ['memoryTotalSize'], message: 'must be at least memoryBlockSize' });
    return issues;
  },
  requirements: [{ program: 'sysbench', where: 'workload', path: '/usr/bin/sysbench', debian: 'sysbench', probe: ['sysbench', '--version'] }],
  create: (id, spec, title) => new SysbenchWorkload(id, spec, title),
});
