/**
 * The paired comparison of an interleaved run (docs/statistics.md, "Paired analysis"): each candidate sample
 * with the baseline sample of the same round, the paired interval beside Fieller's, and whether the report
 * uses it.
 */
import { choosePaired, pairedInterval, toOverheadInterval, verdictFor } from '../stats/index.js';
import type { ComparisonRecord, MetricInfo, PairedRecord, RunResults, Sample } from './model.js';

export interface AdjacentPairs {
  baseline: number[];
  candidate: number[];
  /** The round of each pair, in run order. */
  rounds: number[];
}

function usable(s: Sample, target: string, workload: string, metric: string): boolean {
  if (s.target !== target || s.workload !== workload || s.warmup || !s.ok) return false;
  const v = s.values[metric];
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Pairs (baseline, candidate) of counted, successful samples taken in the same round, at most `maxGap` samples
 * apart in the run (seq): one round of T targets spans T − 1. A round where either side failed has no pair; so
 * does a round split by a resumed run. Rounds that hold several samples of a target (repeated blocks reusing
 * round numbers) are paired in run order.
 */
export function adjacentPairs(samples: readonly Sample[], baseline: string, candidate: string, workload: string, metric: string, maxGap: number): AdjacentPairs {
  const byRound = (target: string): Map<number, Sample[]> => {
    const out = new Map<number, Sample[]>();
    for (const s of samples) {
      if (!usable(s, target, workload, metric)) continue;
      const list = out.get(s.round) ?? [];
      list.push(s);
      out.set(s.round, list);
    }
    for (const list of out.values()) list.sort((a, b) => a.seq - b.seq);
    return out;
  };
  const b = byRound(baseline);
  const c = byRound(candidate);
  const found: { seq: number; round: number; b: number; c: number }[] = [];
  for (const [round, bs] of b) {
    const cs = c.get(round);
    if (!cs) continue;
    for (let i = 0; i < Math.min(bs.length, cs.length); i++) {
      const x = bs[i]!;
      const y = cs[i]!;
      if (Math.abs(x.seq - y.seq) > maxGap) continue;
      found.push({ seq: Math.min(x.seq, y.seq), round, b: x.values[metric]!, c: y.values[metric]! });
    }
  }
  found.sort((p, q) => p.seq - q.seq);
  return { baseline: found.map((p) => p.b), candidate: found.map((p) => p.c), rounds: found.map((p) => p.round) };
}

/**
 * The paired record for one comparison, or undefined when the run was sequential (rounds are not taken
 * together), there are fewer than 2 pairs, or the pairs' baseline mean is 0.
 */
export function pairedRecord(
  results: Pick<RunResults, 'samples' | 'targets' | 'scenario'>,
  m: MetricInfo,
  rec: Pick<ComparisonRecord, 'baseline' | 'candidate' | 'ci'>,
  confidence: number,
): PairedRecord | undefined {
  if (results.scenario?.order === 'sequential') return undefined;
  const maxGap = Math.max(1, results.targets.length - 1);
  const pairs = adjacentPairs(results.samples, rec.baseline, rec.candidate, m.workload, m.metric, maxGap);
  if (pairs.baseline.length < 2) return undefined;
  let sum = 0;
  for (const v of pairs.baseline) sum += v;
  if (sum === 0) return undefined;
  const options = { confidence, positive: m.positive ?? true, ...(m.resolution === undefined ? {} : { resolution: m.resolution }) };
  const p = pairedInterval(pairs.baseline, pairs.candidate, options);
  const choice = choosePaired(p, rec.ci);
  return {
    n: p.n,
    method: p.method,
    estimate: p.estimate,
    ci: p.ci,
    ciNullReason: p.nullReason,
    lag1: p.lag1,
    correlation: p.correlation,
    outliers: p.outliers,
    used: choice.used,
    reason: choice.reason,
  };
}

/**
 * Attaches the paired record to a comparison; when it is used, the verdict is decided on its interval
 * (the comparison's own `ci`, `differencePct` and `method` stay the independent-samples figures).
 */
export function withPaired(
  rec: ComparisonRecord,
  results: Pick<RunResults, 'samples' | 'targets' | 'scenario'>,
  m: MetricInfo,
  confidence: number,
  tolerancePct?: number,
): ComparisonRecord {
  const paired = pairedRecord(results, m, rec, confidence);
  if (!paired) return rec;
  const out: ComparisonRecord = { ...rec, paired };
  if (paired.used && typeof tolerancePct === 'number' && rec.verdict !== undefined) {
    out.verdict = verdictFor(toOverheadInterval(paired.ci, m.higherIsBetter), tolerancePct);
  }
  return out;
}
