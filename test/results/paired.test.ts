/**
 * Paired analysis of interleaved runs (src/results/paired.ts): which samples pair up, the record stored on a
 * comparison, when the report uses it, and how the table shows it. Expected intervals are worked by hand from
 * the t quantiles of scipy 1.17 (stats.t.ppf): t₀.₉₇₅(5) = 2.5705818356363146, t₀.₉₉(5) = 3.3649299989072174.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/results/analyze.js';
import type { ComparisonRecord, MetricInfo, RunResults, Sample } from '../../src/results/model.js';
import { adjacentPairs } from '../../src/results/paired.js';
import { buildTableModel, type MetricRow } from '../../src/report/table-model.js';
import { loadFixture } from '../report/helpers.js';
import { pairedBenchMarkdown, pairedRows } from '../../bench/paired.js';

const METRIC: MetricInfo = { workload: 'w', metric: 'mbps', title: 'W', unit: 'MB/s', higherIsBetter: true, primary: true };

/** Interleaved rounds: b c, then c b, …; seq in run order. `fail` lists rounds where the candidate failed. */
function interleaved(b: number[], c: number[], fail: number[] = []): Sample[] {
  const out: Sample[] = [];
  let seq = 0;
  const one = (target: string, round: number, v: number): Sample => {
    const failed = target === 'kvm' && fail.includes(round);
    return {
      seq: seq++, target, workload: 'w', round, warmup: false, ok: !failed, startedAt: '2026-01-01T00:00:00Z', durationMs: 1,
      values: failed ? {} : { mbps: v },
    };
  };
  out.push({ ...one('bare', -1, 999), warmup: true }, { ...one('kvm', -1, 1), warmup: true });
  for (let r = 0; r < b.length; r++) {
    if (r % 2 === 0) out.push(one('bare', r, b[r]!), one('kvm', r, c[r]!));
    else out.push(one('kvm', r, c[r]!), one('bare', r, b[r]!));
  }
  return out;
}

type Input = Parameters<typeof analyze>[0];
function run(samples: Sample[], scenario: Record<string, unknown> = {}): Input {
  return {
    samples,
    targets: [{ id: 'bare' }, { id: 'kvm' }] as RunResults['targets'],
    metrics: [METRIC],
    baseline: 'bare',
    confidence: 0.95,
    scenario: { order: 'interleaved', ...scenario } as unknown as RunResults['scenario'],
  };
}

// A machine that slows down over the run, shared by both targets: the candidate is ~2 % below in every round.
const B = [200, 190, 175, 160, 150, 140];
const C = [196.2, 186.0, 171.4, 156.9, 147.1, 137.1];
const D = C.map((c, i) => Math.log(c / B[i]!));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sdOf = (xs: number[]): number => Math.sqrt(xs.reduce((a, v) => a + (v - mean(xs)) ** 2, 0) / (xs.length - 1));
const handCi = (t: number): { low: number; high: number } => {
  const h = (t * sdOf(D)) / Math.sqrt(D.length);
  return { low: Math.expm1(mean(D) - h) * 100, high: Math.expm1(mean(D) + h) * 100 };
};

describe('adjacentPairs', () => {
  it('pairs the samples of each round, skips warmups and rounds where a side failed, in run order', () => {
    const p = adjacentPairs(interleaved([1, 2, 3, 4], [5, 6, 7, 8], [2]), 'bare', 'kvm', 'w', 'mbps', 1);
    expect(p).toEqual({ baseline: [1, 2, 4], candidate: [5, 6, 8], rounds: [0, 1, 3] });
  });
  it('drops pairs further apart than one round (a sequential run, a resumed round)', () => {
    const seqRun: Sample[] = [...interleaved([1, 2, 3], [4, 5, 6])].map((s, i) => ({ ...s, seq: s.target === 'bare' ? i : 100 + i }));
    expect(adjacentPairs(seqRun, 'bare', 'kvm', 'w', 'mbps', 1).baseline).toEqual([]);
  });
});

describe('analyze: the paired record', () => {
  // Computed inside each test, not at collection: code run while vitest collects the file is invisible to
  // per-test coverage, so a mutation tester would never rerun these tests for it (docs/testing.md).
  const freshOut = () => { const out = analyze(run(interleaved(B, C), { tolerancePct: 3 })); const cmp = out.comparisons[0]!; return { out, cmp }; };

  it('is the t-interval of the mean log ratio over the 6 pairs, worked by hand', () => {
    const { cmp } = freshOut();
    expect(cmp.paired).toBeDefined();
    const p = cmp.paired!;
    expect(p.n).toBe(6);
    expect(p.method).toBe('paired-log');
    expect(p.estimate).toBeCloseTo(Math.expm1(mean(D)) * 100, 10);
    const ci = handCi(2.5705818356363146);
    expect(p.ci!.low).toBeCloseTo(ci.low, 9);
    expect(p.ci!.high).toBeCloseTo(ci.high, 9);
  });

  it('is used here: shared drift, narrower than Fieller, and the verdict follows it', () => {
    const { cmp } = freshOut();
    const p = cmp.paired!;
    expect(p.used).toBe(true);
    expect(p.reason).toBeNull();
    expect(p.ci!.high - p.ci!.low).toBeLessThan(cmp.ci!.high - cmp.ci!.low);
    // Fieller's interval is wide (the drift is in both groups' spread): inconclusive at 3 %; the paired one
    // lies within [−3 %, 0]: pass.
    expect(cmp.ci!.low).toBeLessThan(-3);
    expect(p.ci!.low).toBeGreaterThan(-3);
    expect(cmp.verdict).toBe('pass');
    // The comparison's own figures keep their meaning: Fieller's interval of the ratio of means.
    expect(cmp.method).toBe('fieller');
    expect(cmp.differencePct).toBeCloseTo((mean(C) / mean(B) - 1) * 100, 10);
  });

  it('after a stop on precision it uses the same corrected level as every other interval', () => {
    const stopped = analyze(run(interleaved(B, C)), new Map([['w/mbps', true]])).comparisons[0]!;
    expect(stopped.intervalConfidence).toBeCloseTo(0.98, 12);
    const ci = handCi(3.3649299989072174);
    expect(stopped.paired!.ci!.low).toBeCloseTo(ci.low, 9);
    expect(stopped.paired!.ci!.high).toBeCloseTo(ci.high, 9);
  });

  it('is recorded but not used when the sides do not vary together', () => {
    const b = [100, 104, 97, 102, 99, 101];
    const c = [95, 93, 98, 94, 97, 92];
    const x = analyze(run(interleaved(b, c), { tolerancePct: 3 })).comparisons[0]!;
    expect(x.paired!.used).toBe(false);
    expect(x.paired!.reason).toBe('no-shared-noise');
  });

  it('is absent for a sequential run, and for too few pairs only recorded', () => {
    expect(analyze(run(interleaved(B, C), { order: 'sequential' })).comparisons[0]!.paired).toBeUndefined();
    const few = analyze(run(interleaved(B.slice(0, 4), C.slice(0, 4)))).comparisons[0]!;
    expect(few.paired!.n).toBe(4);
    expect(few.paired!.used).toBe(false);
    expect(few.paired!.reason).toBe('too-few-pairs');
  });
});

describe('table model: the paired interval in the difference cell', () => {
  const withPaired = (r: RunResults, paired: ComparisonRecord['paired']): RunResults => ({
    ...r,
    comparisons: r.comparisons.map((c, i) => (i === 0 ? { ...c, paired } : c)),
  });
  const firstDiff = (r: RunResults) => {
    const model = buildTableModel(r);
    const row = model.rows.find((x): x is MetricRow => x.kind === 'metric' && x.differences[0]!.available)!;
    return { model, row, cell: row.differences[0]! };
  };

  it('old results without `paired` render exactly as before', async () => {
    const r = await loadFixture('two-targets');
    const cmp = r.comparisons[0]!;
    expect(cmp.paired).toBeUndefined();
    const { cell, model } = firstDiff(r);
    expect(cell.ciLow).toBe(cmp.ci!.low);
    expect(cell.differencePct).toBe(cmp.differencePct);
    expect(cell.paired).toBeNull();
    expect(model.footnotes.some((f) => f.kind === 'paired')).toBe(false);
  });

  it('a used paired interval replaces the cell and gets a footnote naming k and Fieller’s half-width', async () => {
    const r = await loadFixture('two-targets');
    const cmp = r.comparisons[0]!;
    const paired = { n: 12, method: 'paired-log' as const, estimate: -2.25, ci: { low: -2.75, high: -1.75 }, lag1: 0, correlation: 0.9, outliers: 0, used: true, reason: null };
    const { cell, model, row } = firstDiff(withPaired(r, paired));
    expect(row.workload).toBe(cmp.workload);
    expect(cell.text.startsWith('-2.25 % [-2.75, -1.75] *')).toBe(true);
    expect(cell.ciLow).toBe(-2.75);
    expect(cell.method).toBe('paired-log');
    const note = model.footnotes.find((f) => f.kind === 'paired')!;
    const hw = ((cmp.ci!.high - cmp.ci!.low) / 2).toFixed(1);
    expect(note.text).toContain(`paired over 12 adjacent pairs (narrower than Fieller's ±${hw} %)`);
    expect(cell.notes).toContain(note.id);
  });

  it('a paired interval computed but not used leaves the cell and the footnotes alone', async () => {
    const r = await loadFixture('two-targets');
    const cmp = r.comparisons[0]!;
    const paired = { n: 12, method: 'paired-log' as const, estimate: -2.25, ci: { low: -2.75, high: -1.75 }, lag1: 0, correlation: 0.1, outliers: 0, used: false, reason: 'no-shared-noise' };
    const { cell, model } = firstDiff(withPaired(r, paired));
    expect(cell.differencePct).toBe(cmp.differencePct);
    expect(cell.ciLow).toBe(cmp.ci!.low);
    expect(cell.paired).toMatchObject({ used: false, reason: 'no-shared-noise', n: 12 });
    expect(model.footnotes.some((f) => f.kind === 'paired')).toBe(false);
  });
});

describe('bench/paired.ts: re-analysing a results file', () => {
  it('tabulates Fieller and paired half-widths per comparison, also for a file stored without `paired`', () => {
    const input = run(interleaved(B, C));
    const results = { ...input, summaries: [], comparisons: [] } as unknown as RunResults;
    const [row] = pairedRows(results, 'x.json');
    const ci = handCi(2.5705818356363146);
    expect(row!.pairs).toBe(6);
    expect(row!.n).toBe(6);
    expect(row!.pairedHalfWidth).toBeCloseTo((ci.high - ci.low) / 2, 9);
    expect(row!.fiellerHalfWidth!).toBeGreaterThan(row!.pairedHalfWidth!);
    expect(row!.used).toBe(true);
    const md = pairedBenchMarkdown({ rows: [row!], sources: ['x.json'], seconds: 1, startLoad: { load: '0 0 0', ticks: [0, 1] } });
    expect(md).toContain('| x.json | w / mbps | 6 | 6 |');
    expect(md).toContain('the paired interval was used in 1 of 1');
  });
});
