/**
 * src/results/analyze.ts: from a run's samples to the stored summaries and comparisons. Expected values are
 * worked out by hand (plain sums) or from the independent references named beside them.
 */
import { describe, expect, it } from 'vitest';
import { analyze, valuesFor } from '../../src/results/analyze.js';
import type { MetricInfo, RunResults, Sample } from '../../src/results/model.js';

const METRIC: MetricInfo = { workload: 'w', metric: 'mbps', title: 'W', unit: 'MB/s', higherIsBetter: true, primary: true };

let seq = 0;
function samples(target: string, values: number[], metric = 'mbps', extra: Partial<Sample> = {}): Sample[] {
  return values.map((v, i) => ({
    seq: seq++,
    target,
    workload: 'w',
    round: i,
    warmup: false,
    ok: true,
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 1,
    values: { [metric]: v },
    ...extra,
  }));
}

type Input = Parameters<typeof analyze>[0];
function run(all: Sample[], metrics: MetricInfo[] = [METRIC], tolerancePct?: number): Input {
  return {
    samples: all,
    targets: [{ id: 'bare' }, { id: 'kvm' }] as RunResults['targets'],
    metrics,
    baseline: 'bare',
    confidence: 0.95,
    scenario: (tolerancePct === undefined ? {} : { tolerancePct }) as RunResults['scenario'],
  };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('analyze: outliers are reported, and a "without outliers" difference beside the full one (issue 18)', () => {
  const base = [100, 101, 99, 100.5, 99.5, 100.2, 250]; // 250 lies far beyond Q3 + 3·IQR
  const cand = [90, 91, 89, 90.5, 89.5, 90.2, 90.1];
  // Computed inside each test, not at collection: code run while vitest collects the file is invisible to
  // per-test coverage, so a mutation tester would never rerun these tests for it (docs/testing.md).
  const freshOut = () => { const out = analyze(run([...samples('bare', base), ...samples('kvm', cand)])); return { out }; };

  it('keeps the flagged sample in the summary, with its index, value and rule', () => {
    const { out } = freshOut();
    const s = out.summaries.find((x) => x.target === 'bare')!;
    expect(s.n).toBe(7);
    expect(s.mean).toBeCloseTo(mean(base), 12); // flagged, never removed from the statistics
    expect(s.outliers.map((o) => [o.index, o.value])).toContainEqual([6, 250]);
    expect(s.outliers.find((o) => o.index === 6)!.rule).toBe('tukey-3');
    expect(out.summaries.find((x) => x.target === 'kvm')!.outliers).toEqual([]);
  });

  it('compares all samples, and separately without the flagged one', () => {
    const { out } = freshOut();
    expect(out.comparisons).toHaveLength(1);
    const c = out.comparisons[0]!;
    expect(c.differencePct).toBeCloseTo((mean(cand) / mean(base) - 1) * 100, 10);
    expect(c.withoutOutliers).toBeDefined();
    expect(c.withoutOutliers!.differencePct).toBeCloseTo((mean(cand) / mean(base.slice(0, 6)) - 1) * 100, 10);
    expect(c.withoutOutliers!.ci!.low).toBeLessThan(c.withoutOutliers!.differencePct);
    expect(c.withoutOutliers!.ci!.high).toBeGreaterThan(c.withoutOutliers!.differencePct);
  });

  it('adds no "without outliers" figure when nothing is flagged', () => {
    const clean = analyze(run([...samples('bare', base.slice(0, 6)), ...samples('kvm', cand)]));
    expect(clean.comparisons[0]!.withoutOutliers).toBeUndefined();
  });
});

describe('analyze: which samples count', () => {
  it('skips warmups and failed samples, and counts the failures', () => {
    const all = [
      ...samples('bare', [500], 'mbps', { warmup: true, round: -1 }),
      ...samples('bare', [100, 102, 98]),
      ...samples('bare', [], 'mbps'),
      { ...samples('bare', [0])[0]!, ok: false, values: {} },
      ...samples('kvm', [90, 92, 88]),
    ];
    expect(valuesFor(all, 'bare', 'w', 'mbps')).toEqual([100, 102, 98]);
    const out = analyze(run(all));
    const s = out.summaries.find((x) => x.target === 'bare')!;
    expect(s.n).toBe(3);
    expect(s.failed).toBe(1);
    expect(s.mean).toBeCloseTo(100, 12);
    expect(out.comparisons[0]!.differencePct).toBeCloseTo(-10, 10);
  });

  it('a baseline whose mean is 0 gives no comparison rather than an error', () => {
    const out = analyze(run([...samples('bare', [-1, 1]), ...samples('kvm', [2, 3])]));
    expect(out.comparisons).toEqual([]);
  });

  it('passes the scenario tolerance to the verdict', () => {
    const out = analyze(run([...samples('bare', [100, 101, 99, 100]), ...samples('kvm', [80, 81, 79, 80])], [METRIC], 5));
    expect(out.comparisons[0]!.verdict).toBe('fail');
  });
});

describe('analyze: metric resolution and positivity reach the statistics', () => {
  const P50: MetricInfo = { workload: 'w', metric: 'p50', title: 'p50', unit: 'ms', higherIsBetter: false, primary: false };

  it('constant whole-millisecond samples: no interval without a resolution, an honest one with it', () => {
    const all = [...samples('bare', [1, 1, 1, 1], 'p50'), ...samples('kvm', [2, 2, 2, 2], 'p50')];
    const plain = analyze(run(all, [P50]));
    expect(plain.comparisons[0]!.ci).toBeNull();
    expect(plain.comparisons[0]!.ciNullReason).toBe('no-variation');
    expect(plain.summaries[0]!.ci).toEqual({ low: 1, high: 1 });

    const quantized = analyze(run(all, [{ ...P50, resolution: 1 }]));
    const s = quantized.summaries.find((x) => x.target === 'bare')!;
    // ± t_{0.975}(3)·(1/√12)/√4, t_{0.975}(3) = 3.182446305283708 (mpmath)
    const half = (3.182446305283708 / Math.sqrt(12)) / 2;
    expect(s.ci!.low).toBeCloseTo(1 - half, 10);
    expect(s.ci!.high).toBeCloseTo(1 + half, 10);
    expect(s.stddev).toBe(0);
    expect(quantized.comparisons[0]!.ci).not.toBeNull();
  });

  it('a positive metric never shows a bound below −100 %; a non-positive one keeps Fieller', () => {
    // test/fixtures/stats/reference.py: Fieller [−100.71, −88.29], log-delta [−98.22, −83.00]
    const all = [...samples('bare', [100, 102, 98, 101, 99]), ...samples('kvm', [5, 1, 9, 0.5, 12])];
    const c = analyze(run(all)).comparisons[0]!;
    expect(c.method).toBe('log-delta');
    expect(c.ci!.low).toBeCloseTo(-98.22098279732678, 8);
    const f = analyze(run(all, [{ ...METRIC, positive: false }])).comparisons[0]!;
    expect(f.method).toBe('fieller');
    expect(f.ci!.low).toBeCloseTo(-100.7068553681057, 8);
  });
});

describe('analyze: correction after an adaptive stop on precision', () => {
  const all = [...samples('bare', [100, 101, 99, 100.5, 99.5, 100.2]), ...samples('kvm', [90, 91, 89, 90.5, 89.5, 90.2])];

  it('widens intervals to the 98 % formula level and says so', () => {
    const plain = analyze(run(all));
    const stopped = analyze(run(all), new Map([['w/mbps', true]]));
    const sp = plain.summaries[0]!;
    const ss = stopped.summaries[0]!;
    expect(sp.intervalConfidence).toBeUndefined();
    expect(ss.intervalConfidence).toBeCloseTo(0.98, 12);
    expect(ss.precisionMet).toBe(true);
    // t_{0.99}(5)/t_{0.975}(5) = 3.3649299989072178 / 2.5705818356363148 (mpmath)
    const widen = 3.3649299989072178 / 2.5705818356363148;
    expect((ss.ci!.high - ss.mean) / (sp.ci!.high - sp.mean)).toBeCloseTo(widen, 8);
    const cs = stopped.comparisons[0]!;
    expect(cs.intervalConfidence).toBeCloseTo(0.98, 12);
    expect(cs.ci!.high - cs.ci!.low).toBeGreaterThan(plain.comparisons[0]!.ci!.high - plain.comparisons[0]!.ci!.low);
  });

  it('no correction when precision was not met (the stop was at max, not chosen by the data)', () => {
    const out = analyze(run(all), new Map([['w/mbps', false]]));
    expect(out.summaries[0]!.intervalConfidence).toBeUndefined();
    expect(out.summaries[0]!.precisionMet).toBe(false);
  });
});
