/** The fio kind: sequential or random I/O on one file in the run's scratch directory; MB/s, IOPS, latency. */
import { parseSize } from '../common/fields.js';
import { defineWorkloadKind, type SpecIssue } from '../types.js';
import { fioSchema } from './schema.js';
import { fioBlockSize, FioWorkload } from './workload.js';

export { FIO_ENGINES, FIO_PATTERNS, fioSchema, type FioSpec } from './schema.js';
export { FIO_METRICS, fioArgv, fioBlockSize, FioWorkload } from './workload.js';
export { parseFioJson, type FioDirection, type FioParsed } from './parse.js';

/** `--quick`: at most this file size and runtime per sample. */
export const FIO_QUICK = { maxBytes: 64 * 1024 * 1024, runtime: 1 } as const;
const MAX_FILE = 64 * 1024 ** 3;
const MAX_BLOCK = 64 * 1024 ** 2;

export const fio = defineWorkloadKind({
  kind: 'fio',
  summary: 'block I/O with fio (sequential or random, direct I/O by default) on a file in the run\'s scratch directory; MB/s, IOPS, latency p50/p99 µs',
  schema: fioSchema,
  defaultTitle: (id) => (id ? `Disk I/O (fio, ${id})` : 'Disk I/O (fio)'),
  quick(w) {
    const size = Math.min(parseSize(w.size), Math.max(FIO_QUICK.maxBytes, fioBlockSize(w)));
    return { ...w, size, runtime: Math.min(w.runtime, FIO_QUICK.runtime) };
  },
  validate(w) {
    const issues: SpecIssue[] = [];
    const bs = fioBlockSize(w);
    const size = parseSize(w.size);
    if (bs > MAX_BLOCK) issues.push({ path: ['blockSize'], message: `at most 64M (got ${bs} bytes)` });
    if (w.direct && bs % 512 !== 0) issues.push({ path: ['blockSize'], message: 'with direct: true the block size must be a multiple of 512' });
    if (size > MAX_FILE) issues.push({ path: ['size'], message: `at most 64G (got ${size} bytes)` });
    if (size < 1024 * 1024) issues.push({ path: ['size'], message: `at least 1M (got ${size} bytes)` });
    else if (size < bs * w.numjobs) issues.push({ path: ['size'], message: `${size} bytes is less than blockSize × numjobs (${bs * w.numjobs}); raise size or lower blockSize` });
    if (w.iodepth > 1 && (w.ioengine === 'psync' || w.ioengine === 'sync')) {
      issues.push({ path: ['iodepth'], message: `${w.iodepth} needs an asynchronous engine: set ioengine: libaio (or posixaio), or iodepth: 1 with ${w.ioengine}` });
    }
    return issues;
  },
  requirements: [{ program: 'fio', where: 'workload', path: '/usr/bin/fio', debian: 'fio', probe: ['fio', '--version'] }],
  // One file of `size` bytes, kept for the workload's samples and removed afterwards.
  scratchBytes: (w) => ({ bytes: parseSize(w.size), lower: 'lower the fio size', field: 'size', refuseBeyondFreeSpace: true }),
  create: (id, spec, title) => new FioWorkload(id, spec, title),
});
