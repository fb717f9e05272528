// The CI exports (github-action-benchmark and Bencher Metric Format) of the hand-made run, against entries
// written out by hand. Overhead = the difference in the worse direction: for a higher-is-better metric
// -(difference), for a lower-is-better one +(difference); its interval is flipped the same way.
import { describe, expect, it } from 'vitest';
import { bencher, githubActionBenchmark, validateBencher, validateGabEntries } from '../../src/report/json.js';
import { TCG_LABEL } from '../../src/report/common.js';
import { handRun } from './hand-run.js';

const POS = 'positive = candidate worse than the baseline';

describe('github-action-benchmark entries of the hand-made run', () => {
  it('bigger-is-better: one entry per target with a mean, rounded to the half-width\'s two significant digits', async () => {
    const { bigger } = githubActionBenchmark(await handRun());
    expect(bigger).toEqual([
      // hw 3 → 1 decimal
      { name: 'Disk Write (dd) (write_mbps) - Bare Metal', value: 100, unit: 'MB/s', range: '± 3.0', extra: 'n=10; 95 % CI [97.0, 103.0]; target=bare-metal; workload=dd' },
      // hw 2 → 1 decimal; 2 failed samples and precision not met are said
      { name: 'Disk Write (dd) (write_mbps) - Docker', value: 80, unit: 'MB/s', range: '± 2.0', extra: 'n=8; 95 % CI [78.0, 82.0]; target=docker; workload=dd; failed=2; precision not met' },
      // one sample: no CI, no range; the incomplete docker cell has no entry
      { name: 'Apache Bench (Req/s) (requests_per_sec) - Bare Metal', value: 1000, unit: 'req/s', extra: 'n=1; no CI (n<2); target=bare-metal; workload=ab' },
    ]);
  });

  it('smaller-is-better: lower-is-better metrics and every overhead, positive when the candidate is worse', async () => {
    const { smaller } = githubActionBenchmark(await handRun());
    expect(smaller).toEqual([
      // write_mbps is higher-is-better: -20 % is an overhead of +20 %, [-24, -16] becomes [16, 24], ± 4
      { name: 'Disk Write (dd) (write_mbps) - Docker overhead vs Bare Metal', value: 20, unit: '%', range: '± 4.00', extra: `95 % CI of the overhead [16.00, 24.00] %; ${POS}` },
      // hw 0.5 → 2 decimals
      { name: 'p99 latency (p99_ms) - Bare Metal', value: 2, unit: 'ms', range: '± 0.50', extra: 'n=5; 95 % CI [1.50, 2.50]; target=bare-metal; workload=ab' },
      { name: 'p99 latency (p99_ms) - Docker', value: 2.5, unit: 'ms', range: '± 0.50', extra: 'n=5; 95 % CI [2.00, 3.00]; target=docker; workload=ab' },
      // p99 is lower-is-better: +25 % stays +25 %, [-5, 60] stays, ± 32.5
      { name: 'p99 latency (p99_ms) - Docker overhead vs Bare Metal', value: 25, unit: '%', range: '± 32.50', extra: `95 % CI of the overhead [-5.00, 60.00] %; ${POS}` },
    ]);
    expect(validateGabEntries(smaller)).toEqual([]);
  });

  it('an unbounded or missing difference interval has no range and says why; TCG targets are labelled', async () => {
    const r = await handRun();
    r.comparisons[0]!.ci = null;
    r.comparisons[0]!.ciNullReason = 'unbounded';
    r.comparisons[1]!.ci = null;
    r.comparisons[1]!.ciNullReason = 'too-few-samples';
    (r.targets[1]!.fingerprint as unknown as Record<string, unknown>).vm = { accelerator: 'tcg' };
    const { bigger, smaller } = githubActionBenchmark(r);
    expect(smaller[0]).toEqual({ name: 'Disk Write (dd) (write_mbps) - Docker overhead vs Bare Metal', value: 20, unit: '%', extra: `95 % CI unbounded; ${POS}; ${TCG_LABEL}` });
    expect(smaller[3]).toEqual({ name: 'p99 latency (p99_ms) - Docker overhead vs Bare Metal', value: 25, unit: '%', extra: `no CI (n<2); ${POS}; ${TCG_LABEL}` });
    expect(bigger[1]?.extra?.endsWith(`; precision not met; ${TCG_LABEL}`)).toBe(true);
    expect(bigger[0]?.extra).not.toContain(TCG_LABEL);
  });

  it('a zero difference is written as 0, not -0', async () => {
    const r = await handRun();
    r.comparisons[0]!.differencePct = 0;
    const { smaller } = githubActionBenchmark(r);
    expect(Object.is(smaller[0]?.value, 0)).toBe(true);
  });
});

describe('Bencher Metric Format of the hand-made run', () => {
  it('one benchmark per scenario/workload/target; CI as lower/upper; overhead measures on candidates', async () => {
    const b = bencher(await handRun());
    expect(b).toEqual({
      'docker-overhead/dd/bare-metal': { 'write-mbps': { value: 100, lower_value: 97, upper_value: 103 } },
      'docker-overhead/dd/docker': {
        'write-mbps': { value: 80, lower_value: 78, upper_value: 82 },
        'write-mbps-overhead-pct': { value: 20, lower_value: 16, upper_value: 24 },
      },
      'docker-overhead/ab/bare-metal': {
        'requests-per-sec': { value: 1000 },
        'p99-ms': { value: 2, lower_value: 1.5, upper_value: 2.5 },
      },
      'docker-overhead/ab/docker': {
        'p99-ms': { value: 2.5, lower_value: 2, upper_value: 3 },
        'p99-ms-overhead-pct': { value: 25, lower_value: -5, upper_value: 60 },
      },
    });
    expect(validateBencher(b)).toEqual([]);
  });

  it('an unbounded overhead keeps its value without bounds; a benchmark with no measure is left out', async () => {
    const r = await handRun();
    r.comparisons[0]!.ci = null;
    r.comparisons[0]!.ciNullReason = 'unbounded';
    r.summaries = r.summaries.filter((s) => !(s.workload === 'dd' && s.target === 'bare-metal'));
    const b = bencher(r);
    expect(b['docker-overhead/dd/bare-metal']).toBeUndefined();
    // No baseline summary: no difference either, and the docker benchmark keeps only its own value.
    expect(b['docker-overhead/dd/docker']).toEqual({ 'write-mbps': { value: 80, lower_value: 78, upper_value: 82 } });
    const r2 = await handRun();
    r2.comparisons[0]!.ci = null;
    r2.comparisons[0]!.ciNullReason = 'unbounded';
    expect(bencher(r2)['docker-overhead/dd/docker']?.['write-mbps-overhead-pct']).toEqual({ value: 20 });
  });

  it('two metrics whose slugs collide get distinct measure slugs', async () => {
    const r = await handRun();
    r.metrics.push({ workload: 'dd', metric: 'write-mbps', title: 'Other', unit: 'MB/s', higherIsBetter: true, primary: true });
    r.summaries.push({ ...r.summaries[0]!, metric: 'write-mbps', mean: 7, ci: null });
    const measures = bencher(r)['docker-overhead/dd/bare-metal'];
    expect(measures).toEqual({ 'write-mbps': { value: 100, lower_value: 97, upper_value: 103 }, 'write-mbps-2': { value: 7 } });
  });
});

describe('validators', () => {
  it('github-action-benchmark: array of {name, value, unit, range?, extra?} with unique non-empty names', () => {
    expect(validateGabEntries({})).toEqual(['not a JSON array']);
    expect(validateGabEntries([])).toEqual([]);
    expect(validateGabEntries([{ name: 'a', value: 1, unit: 'ms', range: '± 1', extra: 'x' }])).toEqual([]);
    expect(validateGabEntries([null, [], 'x'])).toEqual(['[0] is not an object', '[1] is not an object', '[2] is not an object']);
    expect(validateGabEntries([{ name: '', value: Infinity, unit: 1, range: 2, extra: 3, other: 4 }])).toEqual([
      '[0].name must be a non-empty string',
      '[0].value must be a finite number',
      '[0].unit must be a string',
      '[0].range must be a string',
      '[0].extra must be a string',
      '[0] has unknown key other',
    ]);
    expect(validateGabEntries([{ name: 'a', value: 1, unit: '' }, { name: 'a', value: 2, unit: '' }])).toEqual(['duplicate name "a"']);
    expect(validateGabEntries([{ value: '1', unit: '' }])).toEqual(['[0].name must be a non-empty string', '[0].value must be a finite number']);
  });

  it('Bencher: object of benchmarks, lowercase measure slugs up to 64, finite values, lower ≤ upper', () => {
    expect(validateBencher([])).toEqual(['not a JSON object']);
    expect(validateBencher(null)).toEqual(['not a JSON object']);
    expect(validateBencher({ b: { 'a-b': { value: 1, lower_value: 0, upper_value: 1 } } })).toEqual([]);
    expect(validateBencher({ b: { 'a-b': { value: 1, lower_value: 1, upper_value: 1 } } })).toEqual([]); // equal bounds are fine
    expect(validateBencher({ b: { m: { value: 1, lower_value: 2, upper_value: 1 } } })).toEqual(['b/m: lower_value > upper_value']);
    expect(validateBencher({ b: [] })).toEqual(['b: measures must be an object']);
    expect(validateBencher({ b: { m: null } })).toEqual(['b/m: not an object']);
    expect(validateBencher({ b: { m: { value: Number.NaN, lower_value: 'x', extra: 1 } } })).toEqual([
      'b/m: value must be a finite number',
      'b/m: lower_value must be a finite number',
      'b/m: unknown key extra',
    ]);
    for (const bad of ['Write', 'a_b', '-a', 'a-', 'a--b', 'x'.repeat(65)]) {
      expect(validateBencher({ b: { [bad]: { value: 1 } } }), bad).toEqual([`b: measure slug ${JSON.stringify(bad)} is not a lowercase slug of at most 64 characters`]);
    }
    expect(validateBencher({ b: { ['x'.repeat(64)]: { value: 1 } } })).toEqual([]);
    expect(validateBencher({ ['n'.repeat(1025)]: {} })).toEqual(['benchmark name length 1025 not in 1..1024']);
    expect(validateBencher({ ['n'.repeat(1024)]: {} })).toEqual([]);
    expect(validateBencher({ '': {} })).toEqual(['benchmark name length 0 not in 1..1024']);
  });
});
