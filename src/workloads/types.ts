/**
 * The workload contract (the PerfKit life cycle): prepare on a target → samples → cleanup.
 * Adding fio or wrk means one new file implementing Workload and a schema entry.
 */
import type { MetricInfo, Sample } from '../results/model.js';
import type { Environment, Target } from '../targets/types.js';

export interface WorkloadContext {
  runId: string;
  target: Target;
  /** A directory on the target's machine that benchsuite created and marked for this run and target. */
  scratchDir: string;
  signal?: AbortSignal;
  log: (line: string) => void;
}

export interface SampleOutcome {
  /** metric name -> value in the unit its MetricInfo names. */
  values: Record<string, number>;
  details: Record<string, unknown>;
}

/** A sample that ran but must not be averaged in (failed requests, short write, non-zero exit…). */
export class SampleError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SampleError';
  }
}

export interface PreparedWorkload {
  /** The environment the workload runs in (for the fingerprint). */
  readonly env: Environment;
  runSample(options: { seq: number; timeoutMs: number; signal?: AbortSignal }): Promise<SampleOutcome>;
  cleanup(): Promise<void>;
}

export interface Workload {
  readonly id: string;
  readonly kind: string;
  metrics(): MetricInfo[];
  prepare(ctx: WorkloadContext): Promise<PreparedWorkload>;
  /** What the results should say about one target's finished samples of this workload (e.g. a saturated client). */
  notes?(samples: Sample[]): string[];
}
