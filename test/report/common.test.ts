// The helpers every report format shares, against values worked out by hand: rounding to two significant
// digits of the half-width, signs, target order and labels, the TCG label, metric selection, slugs, and
// the environment facts compared between targets.
import { describe, expect, it } from 'vitest';
import {
  confidencePct,
  decimalsFor,
  excludesZero,
  fmtDiff,
  fmtMeanCi,
  fmtNumber,
  halfWidth,
  isIncomplete,
  isTcg,
  metricKey,
  metricSelected,
  orderedMetrics,
  orderedTargets,
  relativeHalfWidthPct,
  ResultsIndex,
  slug,
  splitList,
  TCG_LABEL,
  targetHalfWidthPct,
  targetLabel,
  tcgNote,
} from '../../src/report/common.js';
import { environmentFacts, environmentFallback, factDifferences } from '../../src/report/environment.js';
import type { RunResults, Sample, SummaryRecord, TargetRecord } from '../../src/results/model.js';

const sum = (mean: number, ci: { low: number; high: number } | null, n = 10): SummaryRecord =>
  ({ target: 't', workload: 'w', metric: 'm', n, mean, median: mean, stddev: 1, min: mean, max: mean, ci, relativeHalfWidth: null, outliers: [], failed: 0, precisionMet: null });

describe('numbers', () => {
  it('halfWidth and the relative half-width in percent of |mean|', () => {
    expect(halfWidth({ low: 97, high: 103 })).toBe(3);
    expect(halfWidth(null)).toBeNull();
    expect(halfWidth(undefined)).toBeNull();
    expect(halfWidth({ low: -Infinity, high: 1 })).toBeNull();
    expect(halfWidth({ low: 1, high: Number.NaN })).toBeNull();
    expect(relativeHalfWidthPct(sum(100, { low: 97, high: 103 }))).toBe(3);
    expect(relativeHalfWidthPct(sum(-50, { low: -51, high: -49 }))).toBe(2); // of |mean|
    expect(relativeHalfWidthPct(sum(0, { low: -1, high: 1 }))).toBeNull();
    expect(relativeHalfWidthPct(sum(100, null))).toBeNull();
    expect(relativeHalfWidthPct(sum(Number.NaN, { low: 1, high: 2 }))).toBeNull();
  });

  it('excludesZero: entirely above or below 0; touching or straddling 0, unbounded or missing is not', () => {
    expect(excludesZero({ low: 0.1, high: 5 })).toBe(true);
    expect(excludesZero({ low: -5, high: -0.1 })).toBe(true);
    expect(excludesZero({ low: 0, high: 5 })).toBe(false);
    expect(excludesZero({ low: -5, high: 0 })).toBe(false);
    expect(excludesZero({ low: -1, high: 1 })).toBe(false);
    expect(excludesZero({ low: 1, high: Infinity })).toBe(false);
    expect(excludesZero({ low: -Infinity, high: -1 })).toBe(false);
    expect(excludesZero(null)).toBe(false);
  });

  it('decimalsFor shows two significant digits of the spread, between 0 and 6', () => {
    expect(decimalsFor(3.2, 442)).toBe(1); // log10 3.2 = 0.5 → floor 0 → 1 decimal: "3.2"
    expect(decimalsFor(0.032, 1)).toBe(3); // floor(-1.49) = -2 → 3: "0.032"
    expect(decimalsFor(32, 4000)).toBe(0); // floor 1.5 = 1 → 0 decimals: "32"
    expect(decimalsFor(3200, 4000)).toBe(0); // never negative
    expect(decimalsFor(1e-9, 1)).toBe(6); // at most 6
    expect(decimalsFor(1, 5)).toBe(1); // log10 1 = 0 → 1
    expect(decimalsFor(null, 4420)).toBe(1); // no spread: a thousandth of the value, 4.42 → 1
    expect(decimalsFor(0, 44.2)).toBe(3); // zero spread: 0.0442 → floor(-1.35) = -2 → 3
    expect(decimalsFor(null, 0)).toBe(1); // nothing to go by
    expect(decimalsFor(Infinity, 5)).toBe(4); // infinite spread ignored: 5 / 1000 = 0.005 → floor(-2.3) = -3 → 4
  });

  it('fmtNumber rounds and never prints a negative zero', () => {
    expect(fmtNumber(1.25, 1)).toBe('1.3'); // 1.25 is exactly representable: toFixed rounds half up here
    expect(fmtNumber(-0.04, 1)).toBe('0.0');
    expect(fmtNumber(-0.4, 0)).toBe('0');
    expect(fmtNumber(-0.6, 0)).toBe('-1');
    expect(fmtNumber(-1.04, 1)).toBe('-1.0');
    expect(fmtNumber(Infinity, 2)).toBe('Infinity');
    expect(fmtNumber(Number.NaN, 2)).toBe('NaN');
  });

  it('fmtMeanCi: mean ± half-width at the half-width\'s precision, unit and n', () => {
    expect(fmtMeanCi(sum(442.1234, { low: 438.9234, high: 445.3234 }), 'MB/s')).toBe('442.1 ± 3.2 MB/s (n=10)');
    expect(fmtMeanCi(sum(1.23456, { low: 1.20456, high: 1.26456 }, 5), 'ms')).toBe('1.235 ± 0.030 ms (n=5)');
    expect(fmtMeanCi(sum(442.1234, null, 1), 'MB/s')).toBe('442.12 MB/s (n=1)'); // no CI: from 442.1 / 1000 = 0.44 → 2 decimals
    expect(fmtMeanCi(sum(12, { low: 11, high: 13 }), '')).toBe('12.0 ± 1.0 (n=10)');
  });

  it('fmtDiff: explicit +, 1 to 3 decimals from the interval, unbounded', () => {
    expect(fmtDiff(-1.84, { low: -3.46, high: -0.22 })).toBe('-1.8 % [-3.5, -0.2]'); // hw 1.62 → 1 decimal
    expect(fmtDiff(0.4, null)).toBe('+0.40 % [unbounded]'); // no interval: from |0.4| → floor(-0.4) = -1 → 2 decimals
    expect(fmtDiff(0.05, { low: 0.04, high: 0.06 })).toBe('+0.050 % [0.040, 0.060]'); // hw 0.01 → 3
    expect(fmtDiff(25, { low: -5, high: 55 })).toBe('+25.0 % [-5.0, 55.0]'); // hw 30 → at least 1
    expect(fmtDiff(0, { low: -1, high: 1 })).toBe('0.0 % [-1.0, 1.0]'); // no sign on zero
    expect(fmtDiff(-0.0001, { low: 0, high: 0 })).toBe('0.000 % [0.000, 0.000]'); // zero width: from |value| → 3
  });

  it('confidence as a percentage, from the results, else the scenario, else 95 %', () => {
    expect(confidencePct({ confidence: 0.95 } as RunResults)).toBe('95 %');
    expect(confidencePct({ confidence: 0.999 } as RunResults)).toBe('99.9 %');
    expect(confidencePct({ scenario: { confidence: 0.9 } } as unknown as RunResults)).toBe('90 %');
    expect(confidencePct({} as RunResults)).toBe('95 %');
  });

  it('targetHalfWidthPct only for adaptive sampling', () => {
    expect(targetHalfWidthPct({ scenario: { samples: { min: 6, max: 30, targetHalfWidthPct: 2 } } } as unknown as RunResults)).toBe(2);
    expect(targetHalfWidthPct({ scenario: { samples: 10 } } as unknown as RunResults)).toBeNull();
    expect(targetHalfWidthPct({ scenario: { samples: null } } as unknown as RunResults)).toBeNull();
    expect(targetHalfWidthPct({} as RunResults)).toBeNull();
  });

  it('isIncomplete: no summary, no ok sample, or no finite mean', () => {
    expect(isIncomplete(undefined)).toBe(true);
    expect(isIncomplete(sum(5, null, 0))).toBe(true);
    expect(isIncomplete(sum(Number.NaN, null, 3))).toBe(true);
    expect(isIncomplete(sum(Infinity, null, 3))).toBe(true);
    expect(isIncomplete(sum(5, null, 1))).toBe(false);
    expect(isIncomplete(sum(0, null, 1))).toBe(false);
  });
});

describe('text helpers', () => {
  it('slug: lowercase a-z0-9 and single dashes, trimmed, cut at max without a trailing dash', () => {
    expect(slug('KVM + Docker / Disk Write (dd)')).toBe('kvm-docker-disk-write-dd');
    expect(slug('--a__b--')).toBe('a-b');
    expect(slug('')).toBe('x');
    expect(slug('!!!')).toBe('x');
    expect(slug('abc-def', 4)).toBe('abc'); // "abc-" loses its dash
    expect(slug('abcdef', 3)).toBe('abc');
    expect(slug('a'.repeat(70))).toBe('a'.repeat(64));
  });

  it('splitList splits repeated and comma-separated values, dropping blanks', () => {
    expect(splitList(undefined)).toEqual([]);
    expect(splitList('a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(splitList(['a,b', ' ', 'c'])).toEqual(['a', 'b', 'c']);
  });

  it('metricSelected: primary only without filters; a filter matches metric, workload or workload/metric', () => {
    const p = { workload: 'disk', metric: 'write_mbps', primary: true };
    const s = { workload: 'web', metric: 'p99_ms', primary: false };
    expect([metricSelected(p, undefined), metricSelected(s, undefined), metricSelected(s, [])]).toEqual([true, false, false]);
    expect(metricSelected(s, ['p99_ms'])).toBe(true);
    expect(metricSelected(s, ['web'])).toBe(true);
    expect(metricSelected(s, ['web/p99_ms'])).toBe(true);
    expect(metricSelected(s, ['disk/p99_ms', 'p99', 'web/'])).toBe(false);
    expect(metricSelected(p, ['p99_ms'])).toBe(false); // a filter also drops primaries it does not name
    expect(metricKey(s)).toBe('web/p99_ms');
  });
});

function rec(id: string, label: string, fingerprint: Record<string, unknown> = {}, extra: Partial<TargetRecord> = {}): TargetRecord {
  return { id, label, host: 'local', kind: 'host', fingerprint, ...extra } as unknown as TargetRecord;
}

describe('targets and metrics', () => {
  const results = {
    baseline: 'b',
    targets: [rec('c', 'Stored C', { vm: { accelerator: 'tcg', qemuVersion: '7.2.11' } }), rec('b', 'Stored B'), rec('d', '')],
    scenario: { targets: { b: { label: 'Bare' }, c: { label: '' }, d: {}, e: { label: 'Only in scenario' } } },
    metrics: [
      { workload: 'w', metric: 'secondary1', primary: false },
      { workload: 'w', metric: 'primary1', primary: true },
      { workload: 'v', metric: 'primary2', primary: true },
    ],
  } as unknown as RunResults;

  it('baseline first, then the stored order, then targets only the scenario names; labels scenario → stored → id', () => {
    const views = orderedTargets(results);
    expect(views.map((v) => [v.id, v.label, v.role, v.tcg])).toEqual([
      ['b', 'Bare', 'baseline', false],
      ['c', 'Stored C', 'candidate', true],
      ['d', 'd', 'candidate', false],
      ['e', 'Only in scenario', 'candidate', false],
    ]);
    expect(views[3]?.record).toBeUndefined();
    expect(targetLabel(results, 'zz')).toBe('zz');
    expect(tcgNote(views[1]!)).toBe(`Stored C: ${TCG_LABEL} (qemu 7.2.11)`);
    expect(tcgNote({ ...views[1]!, vm: { accelerator: 'tcg' } })).toBe(`Stored C: ${TCG_LABEL}`);
    expect(TCG_LABEL).toBe('emulated (TCG), not representative of KVM');
    expect(isTcg(rec('x', 'X', { vm: { accelerator: 'kvm' } }))).toBe(false);
    expect(isTcg(rec('x', 'X', { vm: 'tcg' }))).toBe(false);
    expect(isTcg(undefined)).toBe(false);
  });

  it('metrics: primary only by default; with secondary, primaries first, each group in stored order', () => {
    expect(orderedMetrics(results).map((m) => m.metric)).toEqual(['primary1', 'primary2']);
    expect(orderedMetrics(results, { secondary: true }).map((m) => m.metric)).toEqual(['primary1', 'primary2', 'secondary1']);
  });

  it('ResultsIndex: lookups by key, measured samples without warmups, values only from ok finite samples', () => {
    const s = (seq: number, target: string, extra: Partial<Sample>): Sample =>
      ({ seq, target, workload: 'w', round: seq, warmup: false, ok: true, startedAt: '', durationMs: 1, values: { m: seq }, ...extra }) as Sample;
    const idx = new ResultsIndex({
      summaries: [{ ...sum(1, null), target: 'a' }, { ...sum(2, null), target: 'b' }],
      comparisons: [{ baseline: 'a', candidate: 'b', workload: 'w', metric: 'm', differencePct: 5 }],
      samples: [
        s(0, 'a', { warmup: true }),
        s(1, 'a', {}),
        s(2, 'a', { ok: false, values: {} }),
        s(3, 'a', { values: { m: Number.NaN } }),
        s(4, 'b', {}),
        s(5, 'a', {}),
      ],
    } as unknown as RunResults);
    expect(idx.summary('b', 'w', 'm')?.mean).toBe(2);
    expect(idx.summary('b', 'w', 'x')).toBeUndefined();
    expect(idx.comparison('a', 'b', 'w', 'm')?.differencePct).toBe(5);
    expect(idx.comparison('b', 'a', 'w', 'm')).toBeUndefined();
    expect(idx.measured('a', 'w').map((x) => x.seq)).toEqual([1, 2, 3, 5]);
    expect(idx.measured('zz', 'w')).toEqual([]);
    expect(idx.values('a', 'w', 'm')).toEqual([1, 5]);
  });
});

describe('environment facts', () => {
  const fp = {
    kernelRelease: '6.1.0-18-amd64',
    cpuModel: 'EPYC',
    cores: 2,
    memoryBytes: 4 * 1024 ** 3 + 0.06 * 1024 ** 3,
    virtualization: 'kvm',
    dockerVersion: { unknown: true, reason: 'no docker' },
    docker: { info: { storageDriver: 'overlay2' } },
    scratch: { fsType: 'ext4', storage: 'volume' },
    cpu: { governor: 'performance' },
  };

  it('reads each fact in a fixed order; unknown and missing values stay undefined', () => {
    const facts = environmentFacts(rec('a', 'A', fp, { container: { image: 'img:1', imageId: 'sha256:abc' } } as Partial<TargetRecord>));
    expect(facts.map((f) => [f.key, f.value])).toEqual([
      ['kernelRelease', '6.1.0-18-amd64'],
      ['cpuModel', 'EPYC'],
      ['cores', '2'],
      ['memoryBytes', '4.1 GiB'], // 4.06 GiB to one decimal
      ['virtualization', 'kvm'],
      ['vm.accelerator', undefined],
      ['dockerVersion', undefined],
      ['storageDriver', 'overlay2'],
      ['scratch.fsType', 'ext4 (volume)'],
      ['governor', 'performance'],
      ['image', 'sha256:abc'],
    ]);
    expect(environmentFacts(undefined).every((f) => f.value === undefined)).toBe(true);
    const partial = environmentFacts(rec('a', 'A', { scratch: { storage: 'overlay' }, memoryBytes: 'lots' }, { container: { image: 'img:1' } } as Partial<TargetRecord>));
    expect(partial.find((f) => f.key === 'scratch.fsType')?.value).toBe('overlay');
    expect(partial.find((f) => f.key === 'memoryBytes')?.value).toBe('lots');
    expect(partial.find((f) => f.key === 'image')?.value).toBe('img:1');
  });

  it('lists only facts known on both sides that differ, as "name a vs b"', () => {
    const a = rec('a', 'A', fp);
    const b = rec('b', 'B', { ...fp, kernelRelease: '6.1.0-21-amd64', cores: 4, cpuModel: undefined, virtualization: 'none' });
    expect(factDifferences(a, b)).toEqual(['kernel 6.1.0-18-amd64 vs 6.1.0-21-amd64', 'cores 2 vs 4', 'virtualization kvm vs none']);
    expect(factDifferences(a, a)).toEqual([]);
    expect(factDifferences(a, undefined)).toEqual([]);
  });

  it('the fallback compares each candidate with the baseline, leaving out virtualization and image', () => {
    const results = {
      baseline: 'a',
      scenario: { targets: { a: { label: 'Bare' }, b: { label: 'VM' }, c: { label: 'Same' } } },
      targets: [
        rec('a', 'A', fp),
        rec('b', 'B', { ...fp, kernelRelease: '6.1.0-21-amd64', virtualization: 'none' }),
        rec('c', 'C', { ...fp, virtualization: 'none' }),
      ],
    } as unknown as RunResults;
    expect(environmentFallback(results)).toEqual(['VM vs Bare: kernel 6.1.0-18-amd64 vs 6.1.0-21-amd64']);
  });
});
