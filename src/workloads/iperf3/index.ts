/** The iperf3 kind: TCP throughput, server where the workload runs, client on the target's machine; Gbit/s. */
import { defineWorkloadKind, type SpecIssue } from '../types.js';
import { iperf3Schema } from './schema.js';
import { Iperf3Workload } from './workload.js';

export { iperf3Schema, LOOPBACK_V4, type Iperf3Spec } from './schema.js';
export { IPERF3_METRIC, iperf3ClientArgv, iperf3ServerArgv, Iperf3Workload } from './workload.js';
export { localAddresses, parseIperf3Json, type Iperf3Parsed } from './parse.js';

/** `--quick`: at most this many seconds per sample. */
export const IPERF3_QUICK_DURATION = 1;

export const iperf3 = defineWorkloadKind({
  kind: 'iperf3',
  summary: 'TCP throughput with iperf3: the server where the workload runs (in the container for a Docker target), the client on the target\'s machine; Gbit/s and retransmits',
  schema: iperf3Schema,
  defaultTitle: (id) => (id ? `TCP Throughput (iperf3, ${id})` : 'TCP Throughput (iperf3)'),
  quick: (w) => ({ ...w, duration: Math.min(w.duration, IPERF3_QUICK_DURATION), omit: 0 }),
  validate(w) {
    const issues: SpecIssue[] = [];
    if (w.omit >= w.duration) issues.push({ path: ['omit'], message: `${w.omit} s leaves nothing of a ${w.duration} s sample; must be less than duration` });
    return issues;
  },
  requirements: [
    // The server runs where the workload runs; the client on the target's machine (the same program).
    { program: 'iperf3', where: 'workload', path: '/usr/bin/iperf3', debian: 'iperf3', probe: ['iperf3', '--version'], purpose: 'the TCP server iperf3 measures', service: 'iperf3' },
    { program: 'iperf3', where: 'client', path: '/usr/bin/iperf3', debian: 'iperf3', probe: ['iperf3', '--version'] },
  ],
  create: (id, spec, title) => new Iperf3Workload(id, spec, title),
});
