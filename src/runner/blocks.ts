/**
 * Independent blocks (`repeat` K ≥ 2, Kalibera & Jones's second level): per workload, K times the whole
 * cycle — prepare on every target (fresh processes, containers, servers), warm-ups, a fixed count of samples,
 * cleanup. Samples carry their block; block b's rounds are numbered b·n … b·n + n − 1, so a round stays unique
 * per target and workload. Each block's set-up and cleanup time per target is recorded (`results.blocks`) for
 * the optimal repetition counts, and a block is marked finished when it ends without an interrupt: a resumed
 * run skips finished blocks and continues the unfinished one in a fresh set-up (its samples on disk are kept).
 */
import type { BlockRecord, Sample } from '../results/model.js';
import type { Scenario } from '../scenario/schema.js';
import { blockOf } from '../results/levels.js';
import type { SamplingPlan } from './plan.js';
import type { RunSession } from './session.js';

/** Blocks per workload: the scenario's `repeat` (set by --repeat), else 1. */
export function repeatOf(scenario: Pick<Scenario, 'repeat'>): number {
  return scenario.repeat ?? 1;
}

/**
 * What one block takes: K = 1 keeps the scenario's plan as it is; with K ≥ 2 a fixed count per block —
 * `samples` when fixed, else the adaptive plan's `min` (the stopping rule judges one run's interval, which
 * the block-level interval replaces; Kalibera and Jones use fixed counts per level).
 */
export function blockPlan(plan: SamplingPlan, repeat: number): SamplingPlan {
  if (repeat <= 1) return plan;
  return 'fixed' in plan ? plan : { fixed: plan.adaptive.min };
}

/** Where block b's samples live within one workload's samples. */
export interface BlockScope {
  block: number;
  /** The first round number of this block (b·n). */
  roundOffset: number;
}

export function inBlock(samples: readonly Sample[], workload: string, target: string, warmup: boolean, block: number): Sample[] {
  return samples.filter((s) => s.workload === workload && s.target === target && s.warmup === warmup && blockOf(s) === block);
}

/** The blocks of one workload in `results.blocks`: which are finished, and each one's set-up costs. */
export class BlockLedger {
  constructor(
    private readonly session: RunSession,
    private readonly workload: string,
    private readonly repeat: number,
  ) {}

  private get list(): BlockRecord[] {
    this.session.results.blocks ??= [];
    return this.session.results.blocks;
  }

  private find(block: number): BlockRecord | undefined {
    return this.list.find((b) => b.workload === this.workload && b.block === block);
  }

  finished(block: number): boolean {
    return this.find(block)?.finishedAt !== undefined;
  }

  /** The block's record (a fresh one, or the unfinished one of an interrupted run, noted as resumed). */
  start(block: number): BlockRecord {
    const { session } = this;
    session.block = block;
    const old = this.find(block);
    if (old) {
      const taken = session.results.samples.filter((s) => s.workload === this.workload && !s.warmup && blockOf(s) === block).length;
      session.results.notes.push(`${this.workload}: block ${block + 1} of ${this.repeat} continued in a fresh set-up after ${taken} samples`);
      old.prepareMs = {};
      old.cleanupMs = {};
      return old;
    }
    const rec: BlockRecord = { workload: this.workload, block, startedAt: new Date().toISOString(), prepareMs: {}, cleanupMs: {} };
    this.list.push(rec);
    return rec;
  }

  /** The block ended; `done` (sampled to its end, not interrupted) marks it finished for a resume. */
  finish(rec: BlockRecord, done: boolean): void {
    if (done) rec.finishedAt = new Date().toISOString();
    this.session.block = 0;
  }
}
