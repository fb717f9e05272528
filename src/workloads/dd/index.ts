/** The dd kind: a sequential write of blockSize × count bytes into the run's scratch directory. */
import { parseSize } from '../common/fields.js';
import { defineWorkloadKind } from '../types.js';
import { ddSchema } from './schema.js';
import { DdWorkload } from './workload.js';

export { ddSchema, type DdSpec } from './schema.js';
export { DD_METRIC, DdWorkload, ddArgv, dropCaches } from './workload.js';
export { fullRecords, parseDdOutput, type DdParsed } from './parse.js';

/** `--quick` writes at most this much per sample. */
export const DD_QUICK_MAX_BYTES = 32 * 1024 * 1024;
const MAX_BYTES = 64 * 1024 ** 3;

export const dd = defineWorkloadKind({
  kind: 'dd',
  summary: 'sequential disk write with dd (fdatasync, O_DIRECT or no sync) into the run\'s scratch directory; MB/s',
  schema: ddSchema,
  defaultTitle: (id) => (id ? `Disk Write (dd, ${id})` : 'Disk Write (dd)'),
  quick: (w) => ({ ...w, count: Math.max(1, Math.min(w.count, Math.floor(DD_QUICK_MAX_BYTES / parseSize(w.blockSize)))) }),
  validate(w) {
    const issues = [];
    const bs = parseSize(w.blockSize);
    if (bs > 1024 ** 3) issues.push({ path: ['blockSize'], message: 'at most 1G' });
    if (w.sync === 'direct' && bs % 512 !== 0) issues.push({ path: ['blockSize'], message: 'with sync: direct the block size must be a multiple of 512' });
    if (bs * w.count > MAX_BYTES) issues.push({ path: ['count'], message: `blockSize × count is ${bs * w.count} bytes; at most 64 GiB per sample` });
    return issues;
  },
  requirements: [
    {
      program: 'dd',
      where: 'workload',
      path: '/usr/bin/dd',
      debian: 'coreutils',
      probe: ['dd', '--version'],
      remark: (out) => (/coreutils/i.test(out) ? undefined : 'not GNU dd: timing falls back to the wall clock'),
    },
  ],
  // The file is removed after every sample: one sample's bytes at a time.
  scratchBytes: (w) => ({ bytes: parseSize(w.blockSize) * w.count, lower: 'lower the dd count', field: 'count' }),
  dropsCaches: (w) => (w.dropCaches ? 'dropCaches' : undefined),
  create: (id, spec, title) => new DdWorkload(id, spec, title),
  example: {
    details: { sync: 'fdatasync', blockSize: 1048576, count: 256, droppedCaches: true },
    error: "dd failed: exit 1: dd: error writing '/scratch/dd.out': No space left on device",
    durationMs: { min: 600, spread: 400 },
    cv: 0.03,
  },
});
