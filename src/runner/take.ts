/**
 * Taking one sample of one workload on one target: retries on a lost connection, records the outcome
 * (failed samples too), and stops a target after too many failures in a row.
 */
import type { MetricInfo, Sample } from '../results/model.js';
import { ConnectionError } from '../exec/types.js';
import { SampleError, type PreparedWorkload } from '../workloads/types.js';
import type { RunSession } from './session.js';
import { noiseSince, type CounterReader } from './noise.js';

export interface SamplingPolicy {
  /** Attempts per sample when the connection is lost (ConnectionError). */
  maxAttempts: number;
  /** A target stops sampling a workload after this many failed samples in a row. */
  maxConsecutiveFailures: number;
  /** Back-off before attempt k + 1 is k times this. */
  retryDelayMs: number;
}

export const DEFAULT_POLICY: Readonly<SamplingPolicy> = Object.freeze({ maxAttempts: 3, maxConsecutiveFailures: 3, retryDelayMs: 1000 });

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((res) => {
    const t = setTimeout(res, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      res();
    }, { once: true });
  });

export interface TakerTarget {
  id: string;
  label: string;
  prepared: PreparedWorkload;
  /** Reads the machine's CPU counters around each sample (noise per sample, src/runner/noise.ts). */
  counters?: CounterReader;
}

export class SampleTaker {
  private readonly failures = new Map<string, number>();
  private readonly stopped = new Set<string>();
  /** Adaptive: further rounds the sampler projects (shown with the ETA). */
  projectedRounds: number | undefined;

  constructor(
    private readonly session: RunSession,
    private readonly workload: string,
    private readonly primary: MetricInfo,
    private readonly targets: Map<string, TakerTarget>,
    private readonly timeoutMs: number,
    private readonly policy: SamplingPolicy = DEFAULT_POLICY,
  ) {}

  /** The target stopped after repeated failures. */
  skipped(target: string): boolean {
    return this.stopped.has(target);
  }

  async take(target: string, round: number, warmup: boolean): Promise<void> {
    const { session } = this;
    if (this.stopped.has(target) || session.aborted) return;
    const t = this.targets.get(target);
    if (!t) throw new Error(`internal: ${target} not prepared`);
    const outcome = await this.attempt(t, round, warmup);
    if (!outcome) return; // interrupted: an unfinished sample is not recorded
    const sample = session.record(outcome);
    session.tracker.sampled(sample.durationMs);
    this.countFailure(t, sample);
    const v = sample.values[this.primary.metric];
    session.update({
      workload: this.workload, target: t.label, round, warmup,
      text: sample.ok && v !== undefined ? `${v.toFixed(1)} ${this.primary.unit}` : `failed: ${(sample.error ?? '').slice(0, 80)}`,
      projectedRounds: warmup ? undefined : this.projectedRounds,
    });
  }

  /** Run the sample, retrying a lost connection; undefined when interrupted. */
  private async attempt(t: TakerTarget, round: number, warmup: boolean): Promise<Omit<Sample, 'seq'> | undefined> {
    const { session } = this;
    const base = { target: t.id, workload: this.workload, round, warmup, startedAt: new Date().toISOString() };
    const t0 = performance.now();
    for (let attempts = 1; ; attempts++) {
      const before = await t.counters?.();
      try {
        const out = await t.prepared.runSample({ seq: session.nextSeq(), timeoutMs: this.timeoutMs, signal: session.signal });
        const durationMs = performance.now() - t0;
        const noise = await noiseSince(t.counters, before);
        return { ...base, ok: true, durationMs, values: out.values, details: out.details, attempts, ...(noise ? { noise } : {}) };
      } catch (e) {
        if (session.aborted) return undefined;
        if (e instanceof ConnectionError && attempts < this.policy.maxAttempts) {
          session.log(`${this.workload} · ${t.id}: ${e.message}; retrying in ${(this.policy.retryDelayMs * attempts) / 1000} s`);
          await sleep(this.policy.retryDelayMs * attempts, session.signal);
          continue;
        }
        const details = e instanceof SampleError ? e.details : undefined;
        const durationMs = performance.now() - t0;
        const noise = await noiseSince(t.counters, before);
        return { ...base, ok: false, error: (e as Error).message, durationMs, values: {}, details, attempts, ...(noise ? { noise } : {}) };
      }
    }
  }

  private countFailure(t: TakerTarget, sample: Sample): void {
    const n = sample.ok ? 0 : (this.failures.get(t.id) ?? 0) + 1;
    this.failures.set(t.id, n);
    if (n >= this.policy.maxConsecutiveFailures) {
      this.stopped.add(t.id);
      this.session.note(`${this.workload} · ${t.id}: stopped after ${n} consecutive failed samples (last: ${sample.error})`);
    }
  }
}
