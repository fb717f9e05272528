/** The wrk kind: wrk (multi-threaded) on the target's machine against nginx where the workload runs; req/s and µs latency. */
import { urlPathProblem } from '../common/fields.js';
import { defineWorkloadKind, type SpecIssue } from '../types.js';
import { wrkSchema } from './schema.js';
import { WrkWorkload } from './workload.js';

export { wrkSchema, type WrkSpec } from './schema.js';
export { WRK_METRIC, WRK_PERCENTILES, wrkArgv, wrkProbe, WrkWorkload } from './workload.js';
export { parseWrkOutput, socketErrors, WRK_MARK, WRK_REPORT_SCRIPT, type WrkParsed } from './parse.js';

/** `--quick`: at most this many seconds per sample. */
export const WRK_QUICK_DURATION = 1;

export const wrk = defineWorkloadKind({
  kind: 'wrk',
  summary: 'HTTP requests per second and latency percentiles (µs) with wrk against nginx serving a static file; the client runs on the target\'s machine',
  schema: wrkSchema,
  defaultTitle: (id) => (id ? `HTTP (wrk, Req/s, ${id})` : 'HTTP (wrk, Req/s)'),
  quick: (w) => ({ ...w, duration: Math.min(w.duration, WRK_QUICK_DURATION) }),
  validate(w) {
    const issues: SpecIssue[] = [];
    if (w.connections < w.threads) issues.push({ path: ['connections'], message: `${w.connections} is fewer than threads (${w.threads}); wrk needs connections >= threads` });
    const pathProblem = urlPathProblem(w.path);
    if (pathProblem) issues.push({ path: ['path'], message: pathProblem });
    return issues;
  },
  requirements: [
    // The server runs where the workload runs (on the host, or as the container's main process).
    { program: 'nginx', where: 'workload', path: '/usr/sbin/nginx', debian: 'nginx-light', probe: ['nginx', '-v'], purpose: 'the HTTP server wrk measures', service: 'nginx' },
    // The client runs on the target's machine, for host and container targets alike.
    // `wrk -v` prints its version and exits 1: the probe passes when that line is there.
    { program: 'wrk', where: 'client', path: '/usr/bin/wrk', debian: 'wrk', probe: ['sh', '-c', 'wrk -v 2>&1 | grep "^wrk "'] },
  ],
  create: (id, spec, title) => new WrkWorkload(id, spec, title),
});
