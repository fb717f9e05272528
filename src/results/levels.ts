/**
 * Two-level analysis of a run whose samples come in ≥ 2 blocks (`repeat`, docs/statistics.md "Repetitions at
 * two levels"): per target and metric the within- and between-block variance, the interval of the mean from
 * the block means (t with K − 1 df), the difference's interval from the block means of each side (the same
 * `compare` rules: Fieller, or the log-ratio interval), and Kalibera–Jones's optimal samples per block from the
 * measured set-up and sample costs. The single-level figures are kept beside them. With one block nothing
 * changes.
 */
import { DEFAULT_ADAPTIVE_PLAN, levelPlan, twoLevelSummary } from '../stats/index.js';
import type { ComparisonRecord, LevelsRecord, MetricInfo, RunResults, Sample, SummaryRecord } from './model.js';

/** analyze.ts's compareRecord (passed in, so the two files do not import each other). */
type CompareRecord = (
  base: number[], cand: number[], m: MetricInfo, baseline: string, candidate: string, confidence: number, tolerancePct?: number,
) => ComparisonRecord | undefined;

type Input = Pick<RunResults, 'samples' | 'targets' | 'metrics' | 'baseline' | 'confidence' | 'scenario'> & Partial<Pick<RunResults, 'blocks'>>;

/** A sample's block (absent = 0). */
export const blockOf = (s: Pick<Sample, 'block'>): number => s.block ?? 0;

/** Successful measured values of one target, workload and metric, grouped by block (ascending block index). */
export function valuesByBlock(samples: readonly Sample[], target: string, workload: string, metric: string): number[][] {
  const by = new Map<number, number[]>();
  for (const s of samples) {
    if (s.target !== target || s.workload !== workload || s.warmup || !s.ok) continue;
    const v = s.values[metric];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const b = blockOf(s);
    const list = by.get(b);
    if (list) list.push(v);
    else by.set(b, [v]);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/**
 * Mean set-up cost of one block (prepare + cleanup + its warm-ups) and of one sample, seconds; undefined when
 * unknown. The first block also fingerprints each target (once per run), so it is left out when later blocks exist.
 */
export function measuredCosts(r: Input, target: string, workload: string): { blockSec: number; sampleSec: number } | undefined {
  const all = (r.blocks ?? []).filter((b) => b.workload === workload && typeof b.prepareMs[target] === 'number');
  const records = all.some((b) => b.block > 0) ? all.filter((b) => b.block > 0) : all;
  const mine = r.samples.filter((s) => s.target === target && s.workload === workload && s.ok);
  const measured = mine.filter((s) => !s.warmup);
  if (records.length === 0 || measured.length === 0) return undefined;
  const setup = records.map((b) => {
    const warm = mine.filter((s) => s.warmup && blockOf(s) === b.block).reduce((sum, s) => sum + s.durationMs, 0);
    return (b.prepareMs[target] as number) + (b.cleanupMs[target] ?? 0) + warm;
  });
  return {
    blockSec: setup.reduce((a, b) => a + b, 0) / setup.length / 1000,
    sampleSec: measured.reduce((a, s) => a + s.durationMs, 0) / measured.length / 1000,
  };
}

/** The half-width the plan aims at: the adaptive plan's target, else the default ±1 %. */
function targetPct(r: Input): number {
  const s = r.scenario.samples;
  return typeof s === 'object' && s !== null && typeof s.targetHalfWidthPct === 'number' ? s.targetHalfWidthPct : DEFAULT_ADAPTIVE_PLAN.targetHalfWidthPct;
}

/**
 * Rewrite, in place, the summaries and comparisons of every metric with ≥ 2 blocks on the sides concerned:
 * mean, ci and relativeHalfWidth of a summary become the block-level ones (the pooled figures go to
 * `levels.singleLevel`); a comparison with ≥ 2 blocks on both sides is recomputed on the block means.
 */
export function applyLevels(
  r: Input,
  summaries: SummaryRecord[],
  comparisons: ComparisonRecord[],
  level: (m: MetricInfo) => number,
  compareRecord: CompareRecord,
): void {
  if (!r.samples.some((s) => blockOf(s) > 0)) return; // one block: nothing changes
  for (const m of r.metrics) {
    const blocks = new Map<string, number[][]>();
    for (const t of r.targets) blocks.set(t.id, valuesByBlock(r.samples, t.id, m.workload, m.metric));
    for (const s of summaries) {
      const b = blocks.get(s.target);
      if (s.workload !== m.workload || s.metric !== m.metric || !b || b.length < 2) continue;
      const lv = summaryLevels(r, m, s, b, level(m));
      s.levels = lv.record;
      s.mean = lv.mean;
      s.ci = lv.ci;
      s.relativeHalfWidth = lv.relativeHalfWidth;
    }
    const base = blocks.get(r.baseline) ?? [];
    for (const [i, c] of comparisons.entries()) {
      const cand = blocks.get(c.candidate) ?? [];
      if (c.workload !== m.workload || c.metric !== m.metric || base.length < 2 || cand.length < 2) continue;
      const means = (bs: number[][]): number[] => bs.map((v) => v.reduce((a, x) => a + x, 0) / v.length);
      const harmonic = (bs: number[][]): number => bs.length / bs.reduce((a, v) => a + 1 / v.length, 0);
      // A block mean's quantum: the metric's resolution over √ñ (its rounding error's sd is resolution/√(12ñ)).
      const resolution = m.resolution === undefined ? undefined : m.resolution / Math.sqrt(Math.min(harmonic(base), harmonic(cand)));
      const rec = compareRecord(means(base), means(cand), { ...m, resolution }, c.baseline, c.candidate, level(m), r.scenario.tolerancePct);
      if (!rec) continue;
      delete rec.withoutOutliers; // outliers are flagged per sample; a block mean is not one
      comparisons[i] = {
        ...rec,
        ...(c.intervalConfidence !== undefined ? { intervalConfidence: c.intervalConfidence } : {}),
        levels: {
          blocks: { baseline: base.length, candidate: cand.length },
          singleLevel: { differencePct: c.differencePct, ci: c.ci, ...(c.method ? { method: c.method } : {}) },
        },
      };
    }
  }
}

function summaryLevels(r: Input, m: MetricInfo, s: SummaryRecord, blocks: number[][], confidence: number) {
  const two = twoLevelSummary(blocks, { confidence, ...(m.resolution !== undefined ? { resolution: m.resolution } : {}) });
  const costs = measuredCosts(r, s.target, m.workload);
  const pct = targetPct(r);
  const record: LevelsRecord = {
    blocks: two.blocks,
    perBlock: two.perBlock,
    blockMeans: two.blockMeans,
    withinVariance: two.withinVariance,
    betweenVariance: two.betweenVariance,
    betweenComponent: two.betweenComponent,
    singleLevel: { mean: s.mean, ci: s.ci, relativeHalfWidth: s.relativeHalfWidth },
    ...(costs ? { costs, plan: { targetHalfWidthPct: pct, ...levelPlan(two, costs, pct / 100) } } : {}),
  };
  return { record, mean: two.mean, ci: two.ci, relativeHalfWidth: two.relativeHalfWidth };
}
