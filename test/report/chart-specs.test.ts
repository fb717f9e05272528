/**
 * The Vega-Lite specs behind the charts, checked as data (no rendering): which points, means, intervals,
 * titles and sizes a chart is asked to draw. Expectations are worked out by hand from the hand-made run
 * (test/report/hand-run.ts) plus a few samples added here. How the specs render is test/report/charts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { inlineSvg, metricChartSpec, overheadChartSpec, reportCharts, titleWithUnit } from '../../src/report/charts.js';
import type { MetricInfo, RunResults, Sample } from '../../src/results/model.js';
import { handRun } from './hand-run.js';

// Loose views of the spec: the parts these tests read.
interface Layer { data?: { values: Record<string, unknown>[] }; mark?: { type: string }; layer?: Layer[]; encoding?: Record<string, { field?: string; sort?: string[]; scale?: { domain?: unknown } }> }
interface Spec { description: string; title: { text: string[]; subtitle: string[] }; width: number | { step: number }; height: number | { step: number }; layer: Layer[] }
const asSpec = (s: unknown): Spec => s as Spec;

function sample(seq: number, target: string, workload: string, values: Record<string, number>, extra: Partial<Sample> = {}): Sample {
  return { seq, target, workload, round: seq, warmup: false, ok: true, startedAt: '2026-11-15T09:30:00.000Z', durationMs: 10, values, details: {}, attempts: 1, ...extra } as Sample;
}

/** The hand-made run with dd samples: bare-metal 101, 99 (and a warm-up, a failure); docker 80. */
async function runWithSamples(): Promise<RunResults> {
  const r = await handRun();
  r.samples = [
    sample(0, 'bare-metal', 'dd', { write_mbps: 555 }, { warmup: true, round: -1 }),
    sample(1, 'bare-metal', 'dd', { write_mbps: 101 }),
    sample(2, 'docker', 'dd', { write_mbps: 80 }),
    sample(3, 'bare-metal', 'dd', { write_mbps: 99 }),
    sample(4, 'docker', 'dd', {}, { ok: false, error: 'short write' }),
  ];
  return r;
}

const metric = (r: RunResults, name: string): MetricInfo => r.metrics.find((m) => m.metric === name) as MetricInfo;

describe('metric chart spec', () => {
  it('a dot per measured ok sample (warm-ups and failures left out) with a fixed jitter, then each target\'s mean and interval', async () => {
    const r = await runWithSamples();
    const spec = asSpec(metricChartSpec(r, metric(r, 'write_mbps')));
    const [dots, means] = spec.layer;
    // jitter(k) = frac(k · 0.6180339887…) · 1.4 − 0.7: k = 1 → 0.618034 · 1.4 − 0.7 = 0.1652476; k = 2 → 0.236068 · 1.4 − 0.7 = −0.3695048.
    const got = dots?.data?.values.map((v) => [v.target, v.value, Number((v.jitter as number).toFixed(6))]);
    expect(got).toEqual([['Bare Metal', 101, 0.165248], ['Bare Metal', 99, -0.369505], ['Docker', 80, 0.165248]]);
    // Means and intervals from the summaries (not recomputed from the dots).
    expect(means?.data?.values).toEqual([
      { target: 'Bare Metal', mean: 100, low: 97, high: 103, n: 10 },
      { target: 'Docker', mean: 80, low: 78, high: 82, n: 8 },
    ]);
    // The baseline first, in the x axis's order and domain.
    const x = dots?.encoding?.x;
    expect(x?.sort).toEqual(['Bare Metal', 'Docker']);
    expect(x?.scale?.domain).toEqual(['Bare Metal', 'Docker']);
  });

  it('titles: metric with unit and direction, what the black marks and dots are, at the run\'s confidence', async () => {
    const r = await runWithSamples();
    r.confidence = 0.9;
    const dd = asSpec(metricChartSpec(r, metric(r, 'write_mbps')));
    expect(dd.title.text).toEqual(['Disk Write (dd) (MB/s), higher is better']);
    expect(dd.title.subtitle).toEqual(['Black: mean with 90 % confidence interval. Dots: individual samples.']);
    expect(dd.description).toBe('Disk Write (dd): mean and 90 % CI per target, with samples');
    const p99 = asSpec(metricChartSpec(r, metric(r, 'p99_ms')));
    expect(p99.title.text).toEqual(['p99 latency (ms), lower is better']);
  });

  it('a target without an interval is drawn at its mean; one without samples is named as incomplete', async () => {
    const r = await runWithSamples();
    // req/s: bare-metal has n = 1 and no CI; docker has n = 0.
    const spec = asSpec(metricChartSpec(r, metric(r, 'requests_per_sec')));
    expect(spec.layer[1]?.data?.values).toEqual([{ target: 'Bare Metal', mean: 1000, low: 1000, high: 1000, n: 1 }]);
    expect(spec.title.subtitle.at(-1)).toBe('Docker: incomplete (no successful samples)');
    expect(spec.title.text).toEqual(['Apache Bench (Req/s), higher is better']); // the unit is in the title already
  });

  it('column width: 480 px shared by the targets, at least 90 and at most 200 per target', async () => {
    const r = await runWithSamples();
    const width = (n: number): unknown => {
      const rr = structuredClone(r);
      rr.targets = Array.from({ length: n }, (_, i) => ({ ...(r.targets[i % r.targets.length] as RunResults['targets'][number]), id: i === 0 ? 'bare-metal' : `t${i}` }));
      rr.scenario = { ...rr.scenario, targets: {} } as RunResults['scenario'];
      return asSpec(metricChartSpec(rr, metric(rr, 'write_mbps'))).width;
    };
    expect(width(2)).toEqual({ step: 200 }); // 480 / 2 = 240 → capped at 200
    expect(width(3)).toEqual({ step: 160 }); // 480 / 3
    expect(width(4)).toEqual({ step: 120 });
    expect(width(6)).toEqual({ step: 90 }); // 480 / 6 = 80 → at least 90
  });
});

describe('overhead chart spec', () => {
  it('one row per primary metric and candidate with a difference: value, interval, significance mark, direction', async () => {
    const r = await runWithSamples();
    const spec = asSpec(overheadChartSpec(r));
    const rowsLayer = spec.layer.find((l) => l.layer);
    // dd −20 % [−24, −16]: excludes 0 → "*", and lower is worse for ↑. p99 is not primary; req/s has no docker data.
    expect(rowsLayer?.data?.values).toEqual([
      { metric: 'Disk Write (dd) ↑', candidate: 'Docker', diff: -20, low: -24, high: -16, unbounded: false, note: '*', worse: 'worse' },
    ]);
    expect(spec.title.text).toEqual(['Difference vs Bare Metal (%)']);
    expect(spec.title.subtitle).toEqual([
      'Dots: difference of the means; bars: 95 % CI (Fieller); * the CI excludes 0.',
      'Shaded: tolerance ±5 %.',
      'Sign: candidate − baseline. For ↑ metrics negative is worse; for ↓ metrics positive is worse.',
    ]);
    // Height: max(18, 44 / candidates) per candidate → 44 for one.
    expect(spec.height).toEqual({ step: 44 });
  });

  it('the tolerance band spans ±tolerance and exists only with a positive tolerance; the zero line always', async () => {
    const r = await runWithSamples();
    const band = (tol: number | undefined): unknown[] => {
      const rr = structuredClone(r);
      rr.scenario = { ...rr.scenario, tolerancePct: tol } as RunResults['scenario'];
      return asSpec(overheadChartSpec(rr)).layer.filter((l) => l.mark?.type === 'rect').map((l) => l.data?.values);
    };
    expect(band(5)).toEqual([[{ lo: -5, hi: 5 }]]);
    expect(band(0)).toEqual([]);
    expect(band(undefined)).toEqual([]);
    const zero = asSpec(overheadChartSpec(r)).layer.filter((l) => l.mark?.type === 'rule').map((l) => l.data?.values);
    expect(zero).toEqual([[{ zero: 0 }]]);
  });

  it('notes: no interval is "CI unbounded" or "no CI (n<2)"; better or equal in the metric\'s direction', async () => {
    const r = await runWithSamples();
    const dd = r.comparisons[0] as RunResults['comparisons'][number];
    const withCmp = (c: Partial<typeof dd>): Record<string, unknown> | undefined => {
      const rr = structuredClone(r);
      rr.comparisons = [{ ...dd, ...c }];
      return asSpec(overheadChartSpec(rr)).layer.find((l) => l.layer)?.data?.values[0];
    };
    expect(withCmp({ ci: null, ciNullReason: 'unbounded', withoutOutliers: undefined })).toMatchObject({ note: 'CI unbounded', unbounded: true, low: -20, high: -20 });
    expect(withCmp({ ci: null, ciNullReason: 'too-few-samples', withoutOutliers: undefined })).toMatchObject({ note: 'no CI (n<2)', unbounded: false });
    // +3 % [−1, 7]: contains 0 → no mark; higher is better → better or equal.
    expect(withCmp({ differencePct: 3, ratio: 1.03, ci: { low: -1, high: 7 }, withoutOutliers: undefined })).toMatchObject({ note: '', worse: 'better or equal', diff: 3 });
  });

  it('no candidates, or no candidate with a difference: no overhead chart', async () => {
    const r = await runWithSamples();
    const none = structuredClone(r);
    none.comparisons = [];
    none.summaries = none.summaries.filter((s) => s.target === 'bare-metal');
    expect(overheadChartSpec(none)).toBeNull();
  });
});

describe('chart files', () => {
  it('one per primary metric, named workload-metric, then the overhead chart; a clash gets -2, -3', async () => {
    const r = await runWithSamples();
    expect(reportCharts(r).map((c) => [c.name, c.title])).toEqual([
      ['dd-write-mbps', 'Disk Write (dd) (write_mbps)'],
      ['ab-requests-per-sec', 'Apache Bench (Req/s) (requests_per_sec)'],
      ['overhead', 'Difference vs baseline'],
    ]);
    expect(reportCharts(r, { secondary: true }).map((c) => c.name)).toEqual(['dd-write-mbps', 'ab-requests-per-sec', 'ab-p99-ms', 'overhead']);
    // "dd/write.mbps" slugs like dd/write_mbps; a metric slugged "overhead" must not take the overhead chart's name.
    r.metrics.push(
      { workload: 'dd', metric: 'write.mbps', title: 'Again', unit: 'MB/s', higherIsBetter: true, primary: true },
      { workload: 'dd', metric: 'write-mbps', title: 'Thrice', unit: 'MB/s', higherIsBetter: true, primary: true },
    );
    expect(reportCharts(r).map((c) => c.name)).toEqual(['dd-write-mbps', 'ab-requests-per-sec', 'dd-write-mbps-2', 'dd-write-mbps-3', 'overhead']);
  });

  it('titleWithUnit adds the unit unless the title already names it (any case)', () => {
    expect(titleWithUnit('Disk Write (dd)', 'MB/s')).toBe('Disk Write (dd) (MB/s)');
    expect(titleWithUnit('Apache Bench (Req/s)', 'req/s')).toBe('Apache Bench (Req/s)');
    expect(titleWithUnit('Count', '')).toBe('Count');
  });

  it('inlineSvg drops the XML declaration and namespaces and prefixes every id and reference to one', () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><clipPath id="c1"/><g clip-path="url(#c1)"/><use xlink:href="#c1"/><use href="#c1"/></svg>';
    expect(inlineSvg(svg, 'ch0')).toBe('<svg><clipPath id="ch0-c1"/><g clip-path="url(#ch0-c1)"/><use xlink:href="#ch0-c1"/><use href="#ch0-c1"/></svg>');
  });
});
