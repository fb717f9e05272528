// table.csv against a hand-written expected table. The run below is built by hand with round numbers, so
// every derived cell (half-width = (high - low) / 2, relative half-width = half-width / |mean| × 100,
// significant = the difference interval excludes 0, distinct outliers, roles, empty cells) is worked out
// on paper in the comments, not taken from the implementation.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsv } from '../../src/report/csv.js';
import { handRun, RUN_ID } from './hand-run.js';

/** The documented column order (docs/reports.md), written out independently of CSV_COLUMNS. */
const EXPECTED_COLUMNS = [
  'run_id', 'scenario', 'workload', 'metric', 'title', 'unit', 'higher_is_better', 'primary',
  'target', 'target_label', 'role', 'baseline', 'n', 'failed', 'incomplete',
  'mean', 'median', 'stddev', 'min', 'max', 'ci_low', 'ci_high', 'ci_half_width', 'relative_half_width_pct',
  'precision_met', 'outliers',
  'difference_pct', 'diff_ci_low', 'diff_ci_high', 'diff_unbounded', 'diff_significant', 'verdict',
  'p_value', 'mann_whitney_p',
  'diff_without_outliers_pct', 'diff_without_outliers_ci_low', 'diff_without_outliers_ci_high',
  'kernel_security', 'emulated', 'confidence',
];

type Row = Record<string, string>;

// Common cells of every row of this run.
const RUN = { run_id: RUN_ID, scenario: 'docker-overhead', baseline: 'bare-metal', confidence: '0.95', emulated: '' };
const BARE = { target: 'bare-metal', target_label: 'Bare Metal', role: 'baseline', kernel_security: '' };
const DOCKER = { target: 'docker', target_label: 'Docker', role: 'candidate', kernel_security: 'Shared' };
const NO_DIFF = {
  difference_pct: '', diff_ci_low: '', diff_ci_high: '', diff_unbounded: '', diff_significant: '', verdict: '',
  p_value: '', mann_whitney_p: '', diff_without_outliers_pct: '', diff_without_outliers_ci_low: '', diff_without_outliers_ci_high: '',
};
const DD = { workload: 'dd', metric: 'write_mbps', title: 'Disk Write (dd)', unit: 'MB/s', higher_is_better: 'true', primary: 'true' };
const P99 = { workload: 'ab', metric: 'p99_ms', title: 'p99 latency', unit: 'ms', higher_is_better: 'false', primary: 'false' };
const RPS = { workload: 'ab', metric: 'requests_per_sec', title: 'Apache Bench (Req/s)', unit: 'req/s', higher_is_better: 'true', primary: 'true' };

const EXPECTED: Row[] = [
  {
    ...RUN, ...DD, ...BARE, ...NO_DIFF, n: '10', failed: '0', incomplete: 'false',
    mean: '100', median: '99', stddev: '4', min: '94', max: '108', ci_low: '97', ci_high: '103', ci_half_width: '3', relative_half_width_pct: '3',
    precision_met: 'true', outliers: '0',
  },
  {
    ...RUN, ...DD, ...DOCKER, n: '8', failed: '2', incomplete: 'false',
    mean: '80', median: '81', stddev: '5', min: '70', max: '83', ci_low: '78', ci_high: '82', ci_half_width: '2', relative_half_width_pct: '2.5',
    precision_met: 'false', outliers: '1',
    difference_pct: '-20', diff_ci_low: '-24', diff_ci_high: '-16', diff_unbounded: 'false', diff_significant: 'true', verdict: 'fail',
    p_value: '0.001', mann_whitney_p: '0.002', diff_without_outliers_pct: '-19', diff_without_outliers_ci_low: '-22', diff_without_outliers_ci_high: '-16',
  },
  // Primary metrics first (dd, req/s), then the secondary p99, each baseline then candidate.
  {
    ...RUN, ...RPS, ...BARE, ...NO_DIFF, n: '1', failed: '0', incomplete: 'false',
    mean: '1000', median: '1000', stddev: '0', min: '1000', max: '1000', ci_low: '', ci_high: '', ci_half_width: '', relative_half_width_pct: '',
    precision_met: '', outliers: '0',
  },
  {
    // No successful sample: every statistic empty, and no difference (n/a) although the baseline has a value.
    ...RUN, ...RPS, ...DOCKER, ...NO_DIFF, n: '0', failed: '5', incomplete: 'true',
    mean: '', median: '', stddev: '', min: '', max: '', ci_low: '', ci_high: '', ci_half_width: '', relative_half_width_pct: '',
    precision_met: '', outliers: '0',
  },
  {
    ...RUN, ...P99, ...BARE, ...NO_DIFF, n: '5', failed: '0', incomplete: 'false',
    mean: '2', median: '2', stddev: '0.25', min: '1.75', max: '2.25', ci_low: '1.5', ci_high: '2.5', ci_half_width: '0.5', relative_half_width_pct: '25',
    precision_met: '', outliers: '0',
  },
  {
    ...RUN, ...P99, ...DOCKER, n: '5', failed: '0', incomplete: 'false',
    mean: '2.5', median: '2.5', stddev: '0.75', min: '2', max: '3', ci_low: '2', ci_high: '3', ci_half_width: '0.5', relative_half_width_pct: '20',
    precision_met: '', outliers: '0',
    difference_pct: '25', diff_ci_low: '-5', diff_ci_high: '60', diff_unbounded: 'false', diff_significant: 'false', verdict: 'inconclusive',
    p_value: '0.3', mann_whitney_p: '0.4', diff_without_outliers_pct: '', diff_without_outliers_ci_low: '', diff_without_outliers_ci_high: '',
  },
];

function near(actual: string, expected: string): boolean {
  if (expected === '' || Number.isNaN(Number(expected))) return actual === expected;
  return actual !== '' && Math.abs(Number(actual) - Number(expected)) <= 1e-9 * Math.max(1, Math.abs(Number(expected)));
}

describe('table.csv against a hand-written table', () => {
  it('has exactly the documented columns, in order', async () => {
    const header = (parse(renderCsv(await handRun()), { to_line: 1 }) as string[][])[0];
    expect(header).toEqual(EXPECTED_COLUMNS);
    expect([...CSV_COLUMNS]).toEqual(EXPECTED_COLUMNS);
  });

  it('every row and every cell matches (numbers to 1e-9 relative, text exactly)', async () => {
    const rows = parse(renderCsv(await handRun()), { columns: true, skip_empty_lines: true }) as Row[];
    expect(rows.length).toBe(EXPECTED.length);
    rows.forEach((row, i) => {
      const want = EXPECTED[i] as Row;
      expect(Object.keys(want).sort(), `expected row ${i} is complete`).toEqual([...EXPECTED_COLUMNS].sort());
      for (const col of EXPECTED_COLUMNS) {
        expect(near(row[col] as string, want[col] as string), `row ${i} (${want.metric}/${want.target}) ${col}: got "${row[col]}", want "${want[col]}"`).toBe(true);
      }
    });
  });

  it('an unbounded difference: diff_unbounded true, empty bounds, not significant; too few samples is not unbounded', async () => {
    const r = await handRun();
    const cmp = r.comparisons[1]!;
    cmp.ci = null;
    cmp.ciNullReason = 'unbounded';
    let row = (parse(renderCsv(r), { columns: true }) as Row[])[5]!;
    expect([row.diff_unbounded, row.diff_ci_low, row.diff_ci_high, row.diff_significant, row.difference_pct]).toEqual(['true', '', '', 'false', '25']);
    cmp.ciNullReason = 'too-few-samples';
    row = (parse(renderCsv(r), { columns: true }) as Row[])[5]!;
    expect([row.diff_unbounded, row.diff_ci_low, row.diff_ci_high, row.diff_significant]).toEqual(['false', '', '', 'false']);
  });

  it('significance follows the interval on both sides of zero, not the p-value or the sign of the difference', async () => {
    const r = await handRun();
    const cmp = r.comparisons[1]!;
    const sig = (low: number, high: number): string => {
      cmp.ci = { low, high };
      return (parse(renderCsv(r), { columns: true }) as Row[])[5]!.diff_significant as string;
    };
    // Entirely above 0, entirely below 0, touching 0 at either end, straddling 0.
    expect([sig(1, 60), sig(-60, -1), sig(0, 60), sig(-60, 0), sig(-5, 60)]).toEqual(['true', 'true', 'false', 'false', 'false']);
  });

  it('a verdict left unset stays empty, and each stored verdict is written as stored', async () => {
    const r = await handRun();
    const cmp = r.comparisons[0]!;
    const verdict = (): string => (parse(renderCsv(r), { columns: true }) as Row[])[1]!.verdict as string;
    const seen: string[] = [];
    for (const v of ['pass', 'fail', 'inconclusive', undefined] as const) {
      if (v) cmp.verdict = v;
      else delete cmp.verdict;
      seen.push(verdict());
    }
    expect(seen).toEqual(['pass', 'fail', 'inconclusive', '']);
  });
});
