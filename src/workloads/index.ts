import type { Scenario } from '../scenario/schema.js';
import { AbWorkload } from './ab.js';
import { DdWorkload } from './dd.js';
import type { Workload } from './types.js';

export function createWorkloads(scenario: Scenario): Workload[] {
  const entries = Object.entries(scenario.workloads);
  const count = (kind: string): number => entries.filter(([, w]) => w.kind === kind).length;
  return entries.map(([id, spec]) => {
    switch (spec.kind) {
      case 'dd':
        return new DdWorkload(id, spec, spec.title ?? (count('dd') > 1 ? `Disk Write (dd, ${id})` : undefined));
      case 'ab':
        return new AbWorkload(id, spec, spec.title ?? (count('ab') > 1 ? `Apache Bench (Req/s, ${id})` : undefined));
    }
  });
}
