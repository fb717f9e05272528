import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsv } from '../../src/report/csv.js';
import {
  BENCHER_NAME_MAX,
  BENCHER_SLUG_MAX,
  bencher,
  githubActionBenchmark,
  summaryJson,
  validateBencher,
  validateGabEntries,
  validateSummary,
} from '../../src/report/json.js';
import { TCG_LABEL } from '../../src/report/common.js';
import { loadFixture } from './helpers.js';

const FIXTURES = ['two-targets', 'three-targets-tcg', 'unbounded-ci', 'failed-outliers'];

describe('table.csv', () => {
  it.each(FIXTURES)('%s round-trips through csv-parse with the same numbers', async (name) => {
    const r = await loadFixture(name);
    const text = renderCsv(r);
    const rows = parse(text, { columns: true, cast: true, skip_empty_lines: true }) as Record<string, string | number>[];
    const header = parse(text, { to_line: 1 })[0] as string[];
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(r.metrics.length * r.targets.length);
    for (const row of rows) {
      const s = r.summaries.find((x) => x.target === row.target && x.workload === row.workload && x.metric === row.metric);
      if (!s || !(s.n > 0)) {
        expect(row.incomplete).toBe('true');
        expect(row.mean).toBe('');
        continue;
      }
      // Exactly the stored doubles, not rounded display values.
      expect(row.mean).toBe(s.mean);
      expect(row.n).toBe(s.n);
      expect(row.stddev).toBe(s.stddev);
      expect(row.ci_low).toBe(s.ci ? s.ci.low : '');
      expect(row.ci_high).toBe(s.ci ? s.ci.high : '');
      expect(row.failed).toBe(s.failed);
      if (row.role === 'baseline') {
        expect(row.difference_pct).toBe('');
        continue;
      }
      const c = r.comparisons.find((x) => x.candidate === row.target && x.workload === row.workload && x.metric === row.metric);
      if (!c) continue;
      expect(row.difference_pct).toBe(c.differencePct);
      expect(row.diff_ci_low).toBe(c.ci ? c.ci.low : '');
      expect(row.diff_ci_high).toBe(c.ci ? c.ci.high : '');
      expect(row.diff_unbounded).toBe(c.ci === null && c.ciNullReason !== 'too-few-samples' ? 'true' : 'false');
      expect(row.p_value).toBe(c.pValue ?? '');
      expect(row.mann_whitney_p).toBe(c.mannWhitneyP ?? '');
      if (c.withoutOutliers) expect(row.diff_without_outliers_pct).toBe(c.withoutOutliers.differencePct);
    }
  });

  it('labels TCG rows and carries the kernel security verdict', async () => {
    const r = await loadFixture('three-targets-tcg');
    const rows = parse(renderCsv(r), { columns: true }) as Record<string, string>[];
    const kvm = rows.filter((x) => x.target === 'kvm-docker');
    expect(kvm.length).toBeGreaterThan(0);
    expect(kvm.every((x) => x.emulated!.includes(TCG_LABEL) && x.kernel_security === 'Isolated (tcg)')).toBe(true);
    expect(rows.filter((x) => x.target === 'docker').every((x) => x.emulated === '' && x.kernel_security === 'Shared')).toBe(true);
    expect(rows.filter((x) => x.target === 'bare-metal').every((x) => x.kernel_security === '')).toBe(true);
  });
});

describe('JSON exports', () => {
  it.each(FIXTURES)('%s: summary.json validates against the documented shape and matches the results', async (name) => {
    const r = await loadFixture(name);
    const s = JSON.parse(JSON.stringify(summaryJson(r)));
    expect(validateSummary(s)).toEqual([]);
    expect(s.runId).toBe(r.runId);
    expect(s.targets.map((t: { id: string }) => t.id)[0]).toBe(r.baseline);
    for (const m of s.metrics) {
      for (const res of m.results) {
        const sum = r.summaries.find((x) => x.target === res.target && x.workload === m.workload && x.metric === m.metric);
        if (res.incomplete) expect(res.mean).toBeNull();
        else expect(res.mean).toBe(sum!.mean);
      }
    }
  });

  it('summary.json validator rejects wrong shapes', async () => {
    const s = JSON.parse(JSON.stringify(summaryJson(await loadFixture('two-targets'))));
    expect(validateSummary({ ...s, format: 'x' })).not.toEqual([]);
    const broken = structuredClone(s);
    broken.metrics[0].results[0].ci = { low: 2, high: 1 };
    broken.metrics[0].differences[0].candidate = 'nope';
    expect(validateSummary(broken).join('\n')).toMatch(/ci must be[\s\S]*candidate must name a target/);
  });

  it('marks TCG targets in summary.json', async () => {
    const s = summaryJson(await loadFixture('three-targets-tcg'));
    const kvm = s.targets.find((t) => t.id === 'kvm-docker')!;
    expect(kvm.emulated).toBe(true);
    expect(kvm.emulatedNote).toBe(TCG_LABEL);
    expect(kvm.kernelSecurity!.value).toBe('Isolated');
    expect(s.targets.find((t) => t.id === 'docker')!.emulated).toBe(false);
  });

  it.each(FIXTURES)('%s: github-action-benchmark arrays validate, one file per direction', async (name) => {
    const r = await loadFixture(name);
    const { bigger, smaller } = githubActionBenchmark(r);
    for (const arr of [bigger, smaller]) {
      const roundTripped = JSON.parse(JSON.stringify(arr));
      expect(validateGabEntries(roundTripped)).toEqual([]);
    }
    expect(bigger.length).toBeGreaterThan(0);
    // Each metric lands in the file of its direction; overheads are smaller-is-better percentages.
    for (const m of r.metrics) {
      const inBigger = bigger.filter((e) => e.name.startsWith(`${m.title} (${m.metric}) - `) && !e.name.includes(' overhead vs '));
      const inSmaller = smaller.filter((e) => e.name.startsWith(`${m.title} (${m.metric}) - `) && !e.name.includes(' overhead vs '));
      if (m.higherIsBetter) expect(inSmaller).toEqual([]);
      else expect(inBigger).toEqual([]);
    }
    const overhead = smaller.filter((e) => e.name.includes(' overhead vs '));
    expect(overhead.every((e) => e.unit === '%')).toBe(true);
    const sum = r.summaries.find((x) => x.target === r.baseline && x.metric === 'write_mbps')!;
    const base = bigger.find((e) => e.name.startsWith('Disk Write (dd) (write_mbps) - ') && e.extra!.includes(`target=${r.baseline}`))!;
    expect(base.value).toBe(sum.mean);
    expect(base.unit).toBe('MB/s');
  });

  it('github-action-benchmark validator rejects wrong shapes', () => {
    expect(validateGabEntries({})).not.toEqual([]);
    expect(validateGabEntries([{ name: 'a', value: '1', unit: 'x' }])).not.toEqual([]);
    expect(validateGabEntries([{ name: 'a', value: 1, unit: 'x', range: 3 }])).not.toEqual([]);
    expect(validateGabEntries([{ name: 'a', value: 1, unit: 'x' }, { name: 'a', value: 2, unit: 'x' }])).not.toEqual([]);
  });

  it.each(FIXTURES)('%s: Bencher Metric Format validates (names, slugs, bounds)', async (name) => {
    const r = await loadFixture(name);
    const b = JSON.parse(JSON.stringify(bencher(r)));
    expect(validateBencher(b)).toEqual([]);
    for (const [bench, measures] of Object.entries(b as Record<string, Record<string, { value: number; lower_value?: number; upper_value?: number }>>)) {
      expect(bench.length).toBeLessThanOrEqual(BENCHER_NAME_MAX);
      for (const [slug, m] of Object.entries(measures)) {
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(BENCHER_SLUG_MAX);
        if (m.lower_value !== undefined) expect(m.lower_value).toBeLessThanOrEqual(m.upper_value!);
      }
    }
    const baseKey = `${r.scenario.name}/${r.metrics[0]!.workload}/${r.baseline}`;
    const sum = r.summaries.find((x) => x.target === r.baseline && x.metric === r.metrics[0]!.metric)!;
    expect(b[baseKey]['write-mbps']).toEqual({ value: sum.mean, lower_value: sum.ci!.low, upper_value: sum.ci!.high });
  });

  it('Bencher: an unbounded difference has a value but no bounds', async () => {
    const r = await loadFixture('unbounded-ci');
    const b = bencher(r);
    const m = b[`${r.scenario.name}/dd/docker`]!['write-mbps-overhead-pct']!;
    expect(typeof m.value).toBe('number');
    expect(m.lower_value).toBeUndefined();
    expect(m.upper_value).toBeUndefined();
  });

  it('Bencher validator rejects wrong shapes', () => {
    expect(validateBencher([])).not.toEqual([]);
    expect(validateBencher({ a: { 'Not_A_Slug': { value: 1 } } })).not.toEqual([]);
    expect(validateBencher({ a: { ['x'.repeat(65)]: { value: 1 } } })).not.toEqual([]);
    expect(validateBencher({ ['n'.repeat(1025)]: { ok: { value: 1 } } })).not.toEqual([]);
    expect(validateBencher({ a: { ok: { value: 1, lower_value: 3, upper_value: 2 } } })).not.toEqual([]);
  });
});
