/** `--quick`: the same scenario, shrunk for a smoke run of under a minute. Recorded as quick in the results. */
import { kindOf } from '../workloads/index.js';
import type { Scenario } from './schema.js';

/** Run-wide settings of a quick run; each workload kind shrinks its own settings (its `quick`). */
export const QUICK = {
  samples: 3,
  warmup: 1,
  timeoutSec: 60,
} as const;

export function quickScenario(s: Scenario): Scenario {
  const workloads: Scenario['workloads'] = {};
  for (const [id, w] of Object.entries(s.workloads)) workloads[id] = kindOf(w).quick(w) as typeof w;
  return { ...s, workloads, samples: QUICK.samples, warmup: Math.min(s.warmup, QUICK.warmup), timeoutSec: Math.min(s.timeoutSec, QUICK.timeoutSec) };
}
