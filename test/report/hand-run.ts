// A run built by hand with round numbers, shared by the tests that check report formats against expected
// output written out by hand (csv-expected, exports-expected). The scaffolding (targets, fingerprints,
// scenario) comes from the two-targets fixture; every number that a report derives from is set here.
import type { RunResults } from '../../src/results/model.js';
import { loadFixture } from './helpers.js';

export const RUN_ID = '20261115-093000-docker-overhead-a1b2';

/** The hand-made run: a two-target fixture (for its targets and fingerprints) with hand-written numbers. */
export async function handRun(): Promise<RunResults> {
  const r = await loadFixture('two-targets');
  r.runId = RUN_ID;
  r.confidence = 0.95;
  r.samples = [];
  r.metrics = [
    { workload: 'dd', metric: 'write_mbps', title: 'Disk Write (dd)', unit: 'MB/s', higherIsBetter: true, primary: true },
    { workload: 'ab', metric: 'p99_ms', title: 'p99 latency', unit: 'ms', higherIsBetter: false, primary: false },
    { workload: 'ab', metric: 'requests_per_sec', title: 'Apache Bench (Req/s)', unit: 'req/s', higherIsBetter: true, primary: true },
  ];
  const base = { outliers: [], failed: 0, relativeHalfWidth: null };
  r.summaries = [
    // dd: ci [97, 103] → half-width 3, relative 3 / 100 = 3 %.
    { ...base, target: 'bare-metal', workload: 'dd', metric: 'write_mbps', n: 10, mean: 100, median: 99, stddev: 4, min: 94, max: 108, ci: { low: 97, high: 103 }, precisionMet: true },
    // ci [78, 82] → half-width 2 (stddev 5 differs on purpose), relative 2 / 80 = 2.5 %; one sample flagged by two
    // rules counts once; 2 failed samples.
    {
      ...base, target: 'docker', workload: 'dd', metric: 'write_mbps', n: 8, mean: 80, median: 81, stddev: 5, min: 70, max: 83,
      ci: { low: 78, high: 82 }, precisionMet: false, failed: 2,
      outliers: [{ index: 3, value: 70, rule: 'iqr' }, { index: 3, value: 70, rule: 'mad' }],
    },
    // p99: ci [1.5, 2.5] → half-width 0.5, relative 0.5 / 2 = 25 %.
    { ...base, target: 'bare-metal', workload: 'ab', metric: 'p99_ms', n: 5, mean: 2, median: 2, stddev: 0.25, min: 1.75, max: 2.25, ci: { low: 1.5, high: 2.5 }, precisionMet: null },
    // ci [2, 3] → half-width 0.5, relative 0.5 / 2.5 = 20 %.
    { ...base, target: 'docker', workload: 'ab', metric: 'p99_ms', n: 5, mean: 2.5, median: 2.5, stddev: 0.75, min: 2, max: 3, ci: { low: 2, high: 3 }, precisionMet: null },
    // req/s: one sample on the baseline (no CI at all), none on docker (5 failed: incomplete).
    { ...base, target: 'bare-metal', workload: 'ab', metric: 'requests_per_sec', n: 1, mean: 1000, median: 1000, stddev: 0, min: 1000, max: 1000, ci: null, precisionMet: null },
    { ...base, target: 'docker', workload: 'ab', metric: 'requests_per_sec', n: 0, mean: Number.NaN, median: Number.NaN, stddev: Number.NaN, min: Number.NaN, max: Number.NaN, ci: null, precisionMet: null, failed: 5 },
  ];
  r.comparisons = [
    // -20 % [-24, -16]: excludes 0 → significant; tolerance verdict fail; without the outlier -19 % [-22, -16].
    {
      workload: 'dd', metric: 'write_mbps', baseline: 'bare-metal', candidate: 'docker', ratio: 0.8, differencePct: -20,
      ci: { low: -24, high: -16 }, ciNullReason: null, pValue: 0.001, mannWhitneyP: 0.002, higherIsBetter: true, verdict: 'fail',
      withoutOutliers: { differencePct: -19, ci: { low: -22, high: -16 } },
    },
    // +25 % [-5, 60]: contains 0 → not significant; verdict inconclusive.
    {
      workload: 'ab', metric: 'p99_ms', baseline: 'bare-metal', candidate: 'docker', ratio: 1.25, differencePct: 25,
      ci: { low: -5, high: 60 }, ciNullReason: null, pValue: 0.3, mannWhitneyP: 0.4, higherIsBetter: false, verdict: 'inconclusive',
    },
  ];
  return r;
}

