/** The ab kind: Apache Bench on the target's machine against nginx where the workload runs; req/s. */
import { urlPathProblem } from '../common/fields.js';
import { defineWorkloadKind, type SpecIssue } from '../types.js';
import { abSchema } from './schema.js';
import { AbWorkload } from './workload.js';

export { abSchema, type AbSpec } from './schema.js';
export { AB_METRIC, AB_PERCENTILES, abProbe, AbWorkload, abArgv, clientCpuSeconds, CLIENT_CPU_MARK, CLIENT_SATURATION, withClientCpu } from './workload.js';
export { parseAbOutput, type AbParsed } from './parse.js';
export { NGINX_TEMP_DIRS, nginxArgv, nginxConfig, type NginxConfigOptions } from '../common/nginx.js';

/** `--quick` sends at most this many requests per sample. */
export const AB_QUICK_MAX_REQUESTS = 2000;

export const ab = defineWorkloadKind({
  kind: 'ab',
  summary: 'HTTP requests per second with Apache Bench against nginx serving a static file; the client runs on the target\'s machine',
  schema: abSchema,
  defaultTitle: (id) => (id ? `Apache Bench (Req/s, ${id})` : 'Apache Bench (Req/s)'),
  quick(w) {
    const requests = Math.min(w.requests, AB_QUICK_MAX_REQUESTS);
    return { ...w, requests, concurrency: Math.min(w.concurrency, requests) };
  },
  validate(w) {
    const issues: SpecIssue[] = [];
    if (w.concurrency > w.requests) issues.push({ path: ['concurrency'], message: `${w.concurrency} is more than requests (${w.requests}); ab needs concurrency <= requests` });
    const pathProblem = urlPathProblem(w.path);
    if (pathProblem) issues.push({ path: ['path'], message: pathProblem });
    return issues;
  },
  requirements: [
    // The server runs where the workload runs (on the host, or as the container's main process).
    { program: 'nginx', where: 'workload', path: '/usr/sbin/nginx', debian: 'nginx-light', probe: ['nginx', '-v'], purpose: 'the HTTP server ab measures', service: 'nginx' },
    // The client runs on the target's machine, for host and container targets alike.
    { program: 'ab', where: 'client', path: '/usr/bin/ab', debian: 'apache2-utils', probe: ['ab', '-V'] },
  ],
  create: (id, spec, title) => new AbWorkload(id, spec, title),
  example: {
    settings: { requests: 30000 },
    details: { requests: 30000, concurrency: 32, keepAlive: true },
    error: 'ab: apr_socket_recv: Connection reset by peer (104)',
    durationMs: { min: 1500, spread: 300 },
    cv: 0.02,
    // At concurrency 32: time per request = 32 s / rate; the p99 a little over 2.5 times that.
    secondary: {
      time_per_request_ms: { fromPrimary: (rps) => (32 * 1000) / rps },
      p99_ms: { fromPrimary: (rps) => (32 * 1000 * 2.6) / rps, cv: 0.08 },
    },
  },
});
