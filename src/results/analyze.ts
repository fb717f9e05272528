/**
 * From samples to the summaries and comparisons stored in the results, using the statistics engine.
 * Warmups and failed samples never enter the statistics; failed ones are counted.
 *
 * Per metric: its `resolution` (quantum) floors the sd, `positive` (default true) keeps intervals above −100 %.
 * A workload whose adaptive sampling stopped on precision (precision map true for any of its metrics) gets
 * intervals at stoppedConfidence(confidence), which restores the nominal coverage (docs/statistics.md).
 * Interleaved runs also get the paired interval over adjacent pairs (./paired.ts), at the same level.
 */
import { compare, stoppedConfidence, summarize, withoutOutliers } from '../stats/index.js';
import { applyLevels } from './levels.js';
import type { ComparisonRecord, MetricInfo, RunResults, Sample, SummaryRecord } from './model.js';
import { withPaired } from './paired.js';

export function valuesFor(samples: Sample[], target: string, workload: string, metric: string): number[] {
  const out: number[] = [];
  for (const s of samples) {
    if (s.target !== target || s.workload !== workload || s.warmup || !s.ok) continue;
    const v = s.values[metric];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}

export function analyze(
  results: Pick<RunResults, 'samples' | 'targets' | 'metrics' | 'baseline' | 'confidence' | 'scenario'> & Partial<Pick<RunResults, 'blocks'>>,
  precision: Map<string, boolean> = new Map(),
): { summaries: SummaryRecord[]; comparisons: ComparisonRecord[] } {
  const summaries: SummaryRecord[] = [];
  const comparisons: ComparisonRecord[] = [];
  const confidence = results.confidence;
  const stoppedOnPrecision = new Set<string>();
  for (const [key, met] of precision) if (met) stoppedOnPrecision.add(key.slice(0, key.indexOf('/')));
  for (const m of results.metrics) {
    const level = stoppedOnPrecision.has(m.workload) ? stoppedConfidence(confidence) : confidence;
    const adjusted = level !== confidence ? { intervalConfidence: level } : {};
    const byTarget = new Map<string, number[]>();
    for (const t of results.targets) {
      const values = valuesFor(results.samples, t.id, m.workload, m.metric);
      byTarget.set(t.id, values);
      const failed = results.samples.filter((s) => s.target === t.id && s.workload === m.workload && !s.warmup && !s.ok).length;
      if (values.length === 0) {
        if (failed > 0 || m.primary) summaries.push(emptySummary(t.id, m, failed));
        continue;
      }
      const s = summarize(values, statsOptions(m, level));
      summaries.push({
        target: t.id,
        workload: m.workload,
        metric: m.metric,
        n: s.n,
        mean: s.mean,
        median: s.median,
        stddev: s.stddev,
        min: s.min,
        max: s.max,
        ci: s.ci,
        relativeHalfWidth: s.relativeHalfWidth,
        outliers: s.outliers.map((o) => ({ index: o.index, value: o.value, rule: o.rule })),
        failed,
        precisionMet: precision.get(`${m.workload}/${m.metric}`) ?? null,
        ...adjusted,
      });
    }
    const base = byTarget.get(results.baseline) ?? [];
    for (const t of results.targets) {
      if (t.id === results.baseline) continue;
      const cand = byTarget.get(t.id) ?? [];
      const rec = compareRecord(base, cand, m, results.baseline, t.id, level, results.scenario.tolerancePct);
      if (rec) comparisons.push({ ...withPaired(rec, results, m, level, results.scenario.tolerancePct), ...adjusted });
    }
  }
  // Samples in ≥ 2 blocks (`repeat`): intervals from the block means (src/results/levels.ts).
  applyLevels(results, summaries, comparisons, (m) => (stoppedOnPrecision.has(m.workload) ? stoppedConfidence(confidence) : confidence), compareRecord);
  return { summaries, comparisons };
}

function emptySummary(target: string, m: MetricInfo, failed: number): SummaryRecord {
  return {
    target, workload: m.workload, metric: m.metric, n: 0, mean: NaN, median: NaN, stddev: NaN, min: NaN, max: NaN,
    ci: null, relativeHalfWidth: null, outliers: [], failed, precisionMet: null,
  };
}

function statsOptions(m: MetricInfo, confidence: number): { confidence: number; higherIsBetter: boolean; resolution?: number } {
  return m.resolution === undefined
    ? { confidence, higherIsBetter: m.higherIsBetter }
    : { confidence, higherIsBetter: m.higherIsBetter, resolution: m.resolution };
}

/** A ratio to a zero baseline mean is undefined (e.g. ab's whole-millisecond p50 on a fast server): no comparison. */
function comparable(base: number[], cand: number[]): boolean {
  if (base.length === 0 || cand.length === 0) return false;
  let sum = 0;
  for (const v of base) sum += v;
  return base.some((v) => v !== 0) && sum !== 0;
}

export function compareRecord(
  base: number[],
  cand: number[],
  m: MetricInfo,
  baseline: string,
  candidate: string,
  confidence: number,
  tolerancePct?: number,
): ComparisonRecord | undefined {
  if (!comparable(base, cand)) return undefined;
  const options = { ...statsOptions(m, confidence), positive: m.positive ?? true };
  const c = compare(base, cand, { ...options, tolerancePct });
  const rec: ComparisonRecord = {
    workload: m.workload,
    metric: m.metric,
    baseline,
    candidate,
    ratio: c.ratio,
    differencePct: c.differencePct,
    ci: c.ci,
    method: c.method,
    ciNullReason: c.ciNullReason,
    pValue: c.pValue,
    mannWhitneyP: c.mannWhitneyP,
    higherIsBetter: m.higherIsBetter,
    ...(c.verdict ? { verdict: c.verdict } : {}),
  };
  // With flagged samples left out, beside (never instead of) the full comparison.
  const sb = summarize(base, options);
  const sc = summarize(cand, options);
  if (sb.outliers.length + sc.outliers.length > 0) {
    const b2 = withoutOutliers(base, sb.outliers);
    const c2 = withoutOutliers(cand, sc.outliers);
    if (b2.length >= 2 && c2.length >= 2 && comparable(b2, c2)) {
      const w = compare(b2, c2, options);
      rec.withoutOutliers = { differencePct: w.differencePct, ci: w.ci };
    }
  }
  return rec;
}
