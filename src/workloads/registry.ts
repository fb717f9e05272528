/**
 * The workload kinds, one line each. Everything else — the scenario schema, quick mode, validation
 * messages, doctor's probes, the workload image's binaries, the guest's packages and set-up's Debian
 * packages — is derived from this list. To add a kind: src/workloads/<kind>/index.ts exporting a
 * WorkloadKind (see docs/architecture.md), and one line here.
 */
import { ab } from './ab/index.js';
import { dd } from './dd/index.js';
import { fio } from './fio/index.js';
import { iperf3 } from './iperf3/index.js';
import { sysbench } from './sysbench/index.js';
import { wrk } from './wrk/index.js';

// New kinds go at the end: the order is the order of messages and of the guest's package list (whose
// hash names the cached guest disk, so reordering rebuilds it).
export const WORKLOAD_KINDS = [
  ab,
  dd,
  fio,
  wrk,
  iperf3,
  sysbench,
] as const;
