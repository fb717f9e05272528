/** `--quick`: the same scenario, shrunk for a smoke run of under a minute. Recorded as quick in the results. */
import { parseSize, type Scenario } from './schema.js';

export const QUICK = {
  samples: 3,
  warmup: 1,
  ddMaxBytes: 32 * 1024 * 1024,
  abMaxRequests: 2000,
  timeoutSec: 60,
} as const;

export function quickScenario(s: Scenario): Scenario {
  const workloads: Scenario['workloads'] = {};
  for (const [id, w] of Object.entries(s.workloads)) {
    if (w.kind === 'dd') {
      const bs = parseSize(w.blockSize);
      workloads[id] = { ...w, count: Math.max(1, Math.min(w.count, Math.floor(QUICK.ddMaxBytes / bs))) };
    } else {
      const requests = Math.min(w.requests, QUICK.abMaxRequests);
      workloads[id] = { ...w, requests, concurrency: Math.min(w.concurrency, requests) };
    }
  }
  return { ...s, workloads, samples: QUICK.samples, warmup: Math.min(s.warmup, QUICK.warmup), timeoutSec: Math.min(s.timeoutSec, QUICK.timeoutSec) };
}
