/**
 * From samples to the summaries and comparisons stored in the results, using the statistics engine.
 * Warmups and failed samples never enter the statistics; failed ones are counted.
 */
import { compare, summarize, withoutOutliers } from '../stats/index.js';
import type { ComparisonRecord, MetricInfo, RunResults, Sample, SummaryRecord } from './model.js';

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
  results: Pick<RunResults, 'samples' | 'targets' | 'metrics' | 'baseline' | 'confidence' | 'scenario'>,
  precision: Map<string, boolean> = new Map(),
): { summaries: SummaryRecord[]; comparisons: ComparisonRecord[] } {
  const summaries: SummaryRecord[] = [];
  const comparisons: ComparisonRecord[] = [];
  const confidence = results.confidence;
  for (const m of results.metrics) {
    const byTarget = new Map<string, number[]>();
    for (const t of results.targets) {
      const values = valuesFor(results.samples, t.id, m.workload, m.metric);
      byTarget.set(t.id, values);
      const failed = results.samples.filter((s) => s.target === t.id && s.workload === m.workload && !s.warmup && !s.ok).length;
      if (values.length === 0) {
        if (failed > 0 || m.primary) summaries.push(emptySummary(t.id, m, failed));
        continue;
      }
      const s = summarize(values, { confidence, higherIsBetter: m.higherIsBetter });
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
      });
    }
    const base = byTarget.get(results.baseline) ?? [];
    for (const t of results.targets) {
      if (t.id === results.baseline) continue;
      const cand = byTarget.get(t.id) ?? [];
      const rec = compareRecord(base, cand, m, results.baseline, t.id, confidence, results.scenario.tolerancePct);
      if (rec) comparisons.push(rec);
    }
  }
  return { summaries, comparisons };
}

function emptySummary(target: string, m: MetricInfo, failed: number): SummaryRecord {
  return {
    target, workload: m.workload, metric: m.metric, n: 0, mean: NaN, median: NaN, stddev: NaN, min: NaN, max: NaN,
    ci: null, relativeHalfWidth: null, outliers: [], failed, precisionMet: null,
  };
}

/** A ratio to a zero baseline is undefined (e.g. ab's whole-millisecond p50 on a fast server): no comparison. */
function comparable(base: number[], cand: number[]): boolean {
  return base.length > 0 && cand.length > 0 && base.some((v) => v !== 0);
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
  const c = compare(base, cand, { confidence, higherIsBetter: m.higherIsBetter, tolerancePct });
  const rec: ComparisonRecord = {
    workload: m.workload,
    metric: m.metric,
    baseline,
    candidate,
    ratio: c.ratio,
    differencePct: c.differencePct,
    ci: c.ci,
    ciNullReason: c.ciNullReason,
    pValue: c.pValue,
    mannWhitneyP: c.mannWhitneyP,
    higherIsBetter: m.higherIsBetter,
    ...(c.verdict ? { verdict: c.verdict } : {}),
  };
  // With flagged samples left out, beside (never instead of) the full comparison.
  const sb = summarize(base, { confidence, higherIsBetter: m.higherIsBetter });
  const sc = summarize(cand, { confidence, higherIsBetter: m.higherIsBetter });
  if (sb.outliers.length + sc.outliers.length > 0) {
    const b2 = withoutOutliers(base, sb.outliers);
    const c2 = withoutOutliers(cand, sc.outliers);
    if (b2.length >= 2 && c2.length >= 2 && comparable(b2, c2)) {
      const w = compare(b2, c2, { confidence, higherIsBetter: m.higherIsBetter });
      rec.withoutOutliers = { differencePct: w.differencePct, ci: w.ci };
    }
  }
  return rec;
}
