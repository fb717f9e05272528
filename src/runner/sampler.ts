/**
 * The Sampler: in which order targets take samples, the warmups, and when to stop (a fixed count, or
 * adaptive: precise enough, or `max`). It knows targets by id only; taking a sample is the sink's job.
 */
import { decideSampling, type AdaptiveDecision, type AdaptivePlan } from '../stats/index.js';
import { roundOrder, type Order } from './order.js';
import type { SamplingPlan } from './plan.js';

export interface SamplerConfig {
  order: Order;
  warmup: number;
  plan: SamplingPlan;
  confidence: number;
  /** The scenario's baseline target id. */
  baseline: string;
  higherIsBetter: boolean;
  /** The primary metric's quantum and positivity, for the stopping rule (MetricInfo). */
  resolution?: number;
  positive?: boolean;
  random: () => number;
}

/** What the sampler needs from the run, for one workload. */
export interface SampleSink {
  take(target: string, round: number, warmup: boolean): Promise<void>;
  /** Samples already recorded (resume: those on disk are not taken again). */
  existing(target: string, warmup: boolean): number;
  /** The primary metric's values of finished, successful, non-warmup samples. */
  values(target: string): number[];
  /** The target stopped (failures in a row). */
  skipped(target: string): boolean;
  aborted(): boolean;
  /** Adaptive: the sampler projects this many further rounds over this many targets. */
  projected?(rounds: number, targets: number): void;
}

export interface SamplingOutcome {
  /** Adaptive plans only: every target's interval and each candidate's overhead interval met the goal. */
  precisionMet: boolean;
  /** Successful samples per target at the stop (the minimum over the targets still sampling). */
  n: number;
  plan: AdaptivePlan;
}

export class Sampler {
  constructor(private readonly cfg: SamplerConfig) {}

  /** Sample `targets` (ids, in scenario order). Resolves undefined for a fixed plan or an interrupted run. */
  async run(targets: readonly string[], sink: SampleSink): Promise<SamplingOutcome | undefined> {
    await this.warmups(targets, sink);
    if (this.cfg.order === 'sequential') await this.sequential(targets, sink);
    else await this.rounds(targets, sink);
    const { plan } = this.cfg;
    if (!('adaptive' in plan) || sink.aborted()) return undefined;
    const live = targets.filter((t) => !sink.skipped(t));
    if (live.length === 0) return undefined;
    const d = this.decide(live, sink);
    return { precisionMet: d.precisionMet, n: d.n, plan: plan.adaptive };
  }

  /** Warmups: stored and flagged by the sink, never in the statistics; interleaved unless randomized. */
  private async warmups(targets: readonly string[], sink: SampleSink): Promise<void> {
    const order = this.cfg.order === 'randomized' ? 'randomized' : 'interleaved';
    for (let k = 0; k < this.cfg.warmup; k++) {
      for (const t of roundOrder(targets, k, order, this.cfg.random)) {
        if (sink.aborted()) return;
        if (sink.existing(t, true) > k) continue;
        await sink.take(t, -1 - k, true);
      }
    }
  }

  /** Interleaved or randomized: one sample of every target per round. */
  private async rounds(targets: readonly string[], sink: SampleSink): Promise<void> {
    const { plan } = this.cfg;
    for (let r = Math.min(...targets.map((t) => sink.existing(t, false))); ; r++) {
      // A target stopped after failures leaves the active set, so n can still reach max.
      const live = targets.filter((t) => !sink.skipped(t));
      if (sink.aborted() || live.length === 0) return;
      if ('fixed' in plan) {
        if (r >= plan.fixed) return;
      } else if (r >= plan.adaptive.min) {
        // Rounds are capped at max even when failures left a target with fewer values than rounds.
        if (r >= plan.adaptive.max) return;
        const d = this.decide(live, sink);
        if (d.done) return;
        sink.projected?.(Math.min(d.projectedRemaining, plan.adaptive.max - r), live.length);
      }
      for (const t of roundOrder(targets, r, this.cfg.order, this.cfg.random)) {
        if (sink.aborted()) return;
        if (sink.existing(t, false) > r) continue;
        await sink.take(t, r, false);
      }
    }
  }

  /** Sequential: all samples of one target, then the next; the baseline first, so candidates can check the overhead. */
  private async sequential(targets: readonly string[], sink: SampleSink): Promise<void> {
    const { plan } = this.cfg;
    const ordered = [...targets].sort((a, b) => Number(b === this.cfg.baseline) - Number(a === this.cfg.baseline));
    for (const t of ordered) {
      for (let r = sink.existing(t, false); ; r++) {
        if (sink.aborted() || sink.skipped(t)) break;
        if ('fixed' in plan) {
          if (r >= plan.fixed) break;
        } else if (r >= plan.adaptive.min && (r >= plan.adaptive.max || this.targetDone(t, targets, sink, plan.adaptive))) break;
        await sink.take(t, r, false);
      }
    }
  }

  /** Sequential adaptive: this target's own interval, and for a candidate the overhead's interval, meet the goal. */
  private targetDone(t: string, targets: readonly string[], sink: SampleSink, plan: AdaptivePlan): boolean {
    const own = sink.values(t);
    if (own.length >= plan.max) return true;
    if (own.length < plan.min) return false;
    const base = this.baselineOf(targets.filter((x) => !sink.skipped(x)));
    const samples: Record<string, number[]> = { [t]: own };
    if (base !== t && base !== undefined && sink.values(base).length >= 2) samples[base] = sink.values(base);
    const baseline = base !== undefined && samples[base] ? base : t;
    const d = decideSampling({ baseline, samples, ...this.metric(), plan });
    return d.targets.find((x) => x.id === t)?.met ?? false;
  }

  private baselineOf(live: readonly string[]): string | undefined {
    return live.includes(this.cfg.baseline) ? this.cfg.baseline : live[0];
  }

  private decide(live: readonly string[], sink: SampleSink): AdaptiveDecision {
    const samples: Record<string, number[]> = {};
    for (const t of live) samples[t] = sink.values(t);
    const plan = 'adaptive' in this.cfg.plan ? this.cfg.plan.adaptive : undefined;
    return decideSampling({ baseline: this.baselineOf(live) as string, samples, ...this.metric(), plan });
  }

  private metric(): { higherIsBetter: boolean; confidence: number; resolution?: number; positive?: boolean } {
    const { higherIsBetter, confidence, resolution, positive } = this.cfg;
    return { higherIsBetter, confidence, resolution, positive };
  }
}
