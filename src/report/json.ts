/**
 * JSON outputs: the documented summary (summary.json), github-action-benchmark arrays
 * (customBiggerIsBetter / customSmallerIsBetter, one file per direction) and the Bencher Metric Format.
 * Each has a validator so tests (and users) can check a file against the documented shape.
 */
import type { MetricInfo, RunResults } from '../results/model.js';
import { TCG_LABEL, fmtNumber, decimalsFor, slug } from './common.js';
import { buildTableModel, type MetricRow, type SecurityRow, type TableModel } from './table-model.js';

export const SUMMARY_FORMAT = 'benchsuite-summary';
export const SUMMARY_FORMAT_VERSION = 1;

export interface Interval {
  low: number;
  high: number;
}

export interface SummaryJson {
  format: typeof SUMMARY_FORMAT;
  formatVersion: number;
  runId: string;
  scenario: string;
  description: string | null;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  git: { commit: string | null; branch: string | null } | null;
  confidence: number;
  tolerancePct: number | null;
  baseline: string;
  targets: {
    id: string;
    label: string;
    role: 'baseline' | 'candidate';
    kind: 'host' | 'docker' | null;
    host: string | null;
    /** Ran in a qemu guest without KVM; `emulatedNote` is then the TCG label. */
    emulated: boolean;
    emulatedNote: string | null;
    accelerator: string | null;
    kernelSecurity: { value: 'Shared' | 'Isolated' | 'Unknown'; virtualization: string | null; reason: string } | null;
  }[];
  metrics: (Pick<MetricInfo, 'workload' | 'metric' | 'title' | 'unit' | 'higherIsBetter' | 'primary'> & {
    results: {
      target: string;
      n: number;
      failed: number;
      /** No successful samples: every statistic below is null. */
      incomplete: boolean;
      mean: number | null;
      median: number | null;
      stddev: number | null;
      min: number | null;
      max: number | null;
      ci: Interval | null;
      relativeHalfWidthPct: number | null;
      precisionMet: boolean | null;
      outliers: number;
    }[];
    differences: {
      baseline: string;
      candidate: string;
      /** null when either side is incomplete or no comparison was recorded. */
      differencePct: number | null;
      ratio: number | null;
      /** Percent; null when unbounded or unavailable (see `unbounded`). */
      ci: Interval | null;
      unbounded: boolean;
      /** Tolerance verdict stored with the run (scenario.tolerancePct set), else null. */
      verdict: 'pass' | 'fail' | 'inconclusive' | null;
      significant: boolean;
      pValue: number | null;
      mannWhitneyP: number | null;
      withoutOutliers: { differencePct: number; ci: Interval | null } | null;
      /** The interval shown: 'fieller', 'log-delta', 'paired-log' or 'paired-fieller'; null when none. */
      method: string | null;
      /** The paired analysis over adjacent pairs, used or not; null when the results have none. */
      paired: { n: number; method: string; estimate: number | null; ci: Interval | null; used: boolean; reason: string | null } | null;
    }[];
  })[];
  environmentDifferences: string[];
  /** The table's numbered footnotes, in order. */
  footnotes: string[];
  notes: string[];
}

function interval(low: number | null, high: number | null): Interval | null {
  return low !== null && high !== null ? { low, high } : null;
}

export function summaryJson(results: RunResults, model: TableModel = buildTableModel(results, { metrics: 'all' })): SummaryJson {
  const security = model.rows.find((r): r is SecurityRow => r.kind === 'security');
  return {
    format: SUMMARY_FORMAT,
    formatVersion: SUMMARY_FORMAT_VERSION,
    runId: results.runId,
    scenario: model.title,
    description: results.scenario?.description ?? null,
    status: results.status,
    startedAt: results.startedAt,
    finishedAt: results.finishedAt ?? null,
    git: results.git ? { commit: results.git.commit ?? null, branch: results.git.branch ?? null } : null,
    confidence: results.confidence,
    tolerancePct: typeof results.scenario?.tolerancePct === 'number' ? results.scenario.tolerancePct : null,
    baseline: model.baseline.id,
    targets: model.targets.map((t, i) => {
      const sec = security?.cells[i];
      return {
        id: t.id,
        label: t.label,
        role: t.role,
        kind: t.record?.kind ?? null,
        host: t.record?.host ?? null,
        emulated: t.tcg,
        emulatedNote: t.tcg ? TCG_LABEL : null,
        accelerator: typeof t.vm?.accelerator === 'string' ? t.vm.accelerator : null,
        kernelSecurity:
          sec && sec.value ? { value: sec.value, virtualization: sec.virtualization, reason: sec.reason ?? '' } : null,
      };
    }),
    metrics: model.rows
      .filter((r): r is MetricRow => r.kind === 'metric')
      .map((r) => ({
        workload: r.workload,
        metric: r.metric,
        title: r.title,
        unit: r.unit,
        higherIsBetter: r.higherIsBetter,
        primary: r.primary,
        results: r.cells.map((c) => ({
          target: c.target,
          n: c.n,
          failed: c.failed,
          incomplete: c.incomplete,
          mean: c.mean,
          median: c.median,
          stddev: c.stddev,
          min: c.min,
          max: c.max,
          ci: interval(c.ciLow, c.ciHigh),
          relativeHalfWidthPct: c.relativeHalfWidthPct,
          precisionMet: c.precisionMet,
          outliers: c.outliers,
        })),
        differences: r.differences.map((d) => ({
          baseline: d.baseline,
          candidate: d.candidate,
          differencePct: d.differencePct,
          ratio: d.ratio,
          ci: interval(d.ciLow, d.ciHigh),
          unbounded: d.unbounded,
          verdict: d.verdict,
          significant: d.significant,
          pValue: d.pValue,
          mannWhitneyP: d.mannWhitneyP,
          withoutOutliers: d.withoutOutliers
            ? { differencePct: d.withoutOutliers.differencePct, ci: interval(d.withoutOutliers.ciLow, d.withoutOutliers.ciHigh) }
            : null,
          method: d.method ?? null,
          paired: d.paired
            ? { n: d.paired.n, method: d.paired.method, estimate: d.paired.estimate, ci: interval(d.paired.ciLow, d.paired.ciHigh), used: d.paired.used, reason: d.paired.reason }
            : null,
        })),
      })),
    environmentDifferences: model.environmentDifferences,
    footnotes: model.footnotes.map((f) => `[${f.id}] ${f.text}`),
    notes: results.notes ?? [],
  };
}

// ---------------------------------------------------------------------------------------------------
// github-action-benchmark

export interface GabEntry {
  name: string;
  value: number;
  unit: string;
  range?: string;
  extra?: string;
}

export interface GabExports {
  /** tool: customBiggerIsBetter */
  bigger: GabEntry[];
  /** tool: customSmallerIsBetter */
  smaller: GabEntry[];
}

/**
 * One entry per (metric, target) with a mean, in the file of the metric's direction, plus one
 * "overhead" entry per (metric, candidate) in the smaller-is-better file: the difference in the worse
 * direction (positive = candidate worse than the baseline), in percent.
 */
export function githubActionBenchmark(results: RunResults, model: TableModel = buildTableModel(results, { metrics: 'all' })): GabExports {
  const bigger: GabEntry[] = [];
  const smaller: GabEntry[] = [];
  const conf = model.confidenceText;
  for (const r of model.rows) {
    if (r.kind !== 'metric') continue;
    const name = `${r.title} (${r.metric})`;
    r.cells.forEach((c, i) => {
      if (c.incomplete || c.mean === null) return;
      const t = model.targets[i];
      if (!t) return;
      const d = decimalsFor(c.halfWidth, c.mean);
      const extra = [
        `n=${c.n}`,
        c.ciLow !== null && c.ciHigh !== null ? `${conf} CI [${fmtNumber(c.ciLow, d)}, ${fmtNumber(c.ciHigh, d)}]` : 'no CI (n<2)',
        `target=${t.id}`,
        `workload=${r.workload}`,
        ...(c.failed ? [`failed=${c.failed}`] : []),
        ...(c.precisionMet === false ? ['precision not met'] : []),
        ...(t.tcg ? [TCG_LABEL] : []),
      ].join('; ');
      const entry: GabEntry = { name: `${name} - ${t.label}`, value: c.mean, unit: r.unit, extra };
      if (c.halfWidth !== null) entry.range = `± ${fmtNumber(c.halfWidth, d)}`;
      (r.higherIsBetter ? bigger : smaller).push(entry);
    });
    r.differences.forEach((dc, i) => {
      const t = model.candidates[i];
      if (!dc.available || dc.differencePct === null || !t) return;
      const flip = r.higherIsBetter ? -1 : 1;
      const value = flip * dc.differencePct;
      const entry: GabEntry = {
        name: `${name} - ${t.label} overhead vs ${model.baseline.label}`,
        value: value === 0 ? 0 : value,
        unit: '%',
        extra: [
          dc.unbounded || dc.ciLow === null || dc.ciHigh === null
            ? dc.unbounded
              ? `${conf} CI unbounded`
              : 'no CI (n<2)'
            : `${conf} CI of the overhead [${fmtNumber(Math.min(flip * dc.ciLow, flip * dc.ciHigh), 2)}, ${fmtNumber(Math.max(flip * dc.ciLow, flip * dc.ciHigh), 2)}] %`,
          'positive = candidate worse than the baseline',
          ...(t.tcg ? [TCG_LABEL] : []),
        ].join('; '),
      };
      if (!dc.unbounded && dc.ciLow !== null && dc.ciHigh !== null) entry.range = `± ${fmtNumber((dc.ciHigh - dc.ciLow) / 2, 2)}`;
      smaller.push(entry);
    });
  }
  return { bigger, smaller };
}

export function validateGabEntries(data: unknown): string[] {
  const errors: string[] = [];
  if (!Array.isArray(data)) return ['not a JSON array'];
  data.forEach((e, i) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      errors.push(`[${i}] is not an object`);
      return;
    }
    const o = e as Record<string, unknown>;
    if (typeof o.name !== 'string' || !o.name) errors.push(`[${i}].name must be a non-empty string`);
    if (typeof o.value !== 'number' || !Number.isFinite(o.value)) errors.push(`[${i}].value must be a finite number`);
    if (typeof o.unit !== 'string') errors.push(`[${i}].unit must be a string`);
    if ('range' in o && typeof o.range !== 'string') errors.push(`[${i}].range must be a string`);
    if ('extra' in o && typeof o.extra !== 'string') errors.push(`[${i}].extra must be a string`);
    for (const k of Object.keys(o)) if (!['name', 'value', 'unit', 'range', 'extra'].includes(k)) errors.push(`[${i}] has unknown key ${k}`);
  });
  const names = new Set<string>();
  for (const e of data as { name?: unknown }[]) {
    if (typeof e?.name === 'string') {
      if (names.has(e.name)) errors.push(`duplicate name ${JSON.stringify(e.name)}`);
      names.add(e.name);
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------
// Bencher Metric Format

export interface BencherMetric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}
export type BencherJson = Record<string, Record<string, BencherMetric>>;

export const BENCHER_NAME_MAX = 1024;
export const BENCHER_SLUG_MAX = 64;
const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Benchmarks are named `<scenario>/<workload>/<target id>`; each carries one measure per metric (slug of
 * the metric name, e.g. `write-mbps`) with the CI as lower/upper values, and on candidates an
 * `<metric>-overhead-pct` measure (difference in the worse direction, percent, with its CI).
 */
export function bencher(results: RunResults, model: TableModel = buildTableModel(results, { metrics: 'all' })): BencherJson {
  const out: BencherJson = {};
  const measureSlugs = new Map<string, string>();
  const used = new Set<string>();
  const measureFor = (metric: string, suffix = ''): string => {
    const key = `${metric}\u0000${suffix}`;
    const known = measureSlugs.get(key);
    if (known) return known;
    const base = slug(metric, BENCHER_SLUG_MAX - suffix.length - 3);
    let s = `${base}${suffix}`;
    for (let k = 2; used.has(s); k++) s = `${base}-${k}${suffix}`;
    used.add(s);
    measureSlugs.set(key, s);
    return s;
  };
  for (const r of model.rows) {
    if (r.kind !== 'metric') continue;
    r.cells.forEach((c, i) => {
      const t = model.targets[i];
      if (!t) return;
      const bench = `${model.title}/${r.workload}/${t.id}`.slice(0, BENCHER_NAME_MAX);
      const entry = (out[bench] ??= {});
      if (!c.incomplete && c.mean !== null) {
        const m: BencherMetric = { value: c.mean };
        if (c.ciLow !== null && c.ciHigh !== null) {
          m.lower_value = c.ciLow;
          m.upper_value = c.ciHigh;
        }
        entry[measureFor(r.metric)] = m;
      }
      if (t.role === 'candidate') {
        const d = r.differences[i - 1];
        if (d?.available && d.differencePct !== null) {
          const flip = r.higherIsBetter ? -1 : 1;
          const m: BencherMetric = { value: flip * d.differencePct || 0 };
          if (!d.unbounded && d.ciLow !== null && d.ciHigh !== null) {
            const a = flip * d.ciLow;
            const b = flip * d.ciHigh;
            m.lower_value = Math.min(a, b) || 0;
            m.upper_value = Math.max(a, b) || 0;
          }
          entry[measureFor(r.metric, '-overhead-pct')] = m;
        }
      }
    });
  }
  for (const k of Object.keys(out)) if (Object.keys(out[k] as object).length === 0) delete out[k];
  return out;
}

export function validateBencher(data: unknown): string[] {
  const errors: string[] = [];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return ['not a JSON object'];
  for (const [bench, measures] of Object.entries(data as Record<string, unknown>)) {
    if (!bench || bench.length > BENCHER_NAME_MAX) errors.push(`benchmark name length ${bench.length} not in 1..${BENCHER_NAME_MAX}`);
    if (typeof measures !== 'object' || measures === null || Array.isArray(measures)) {
      errors.push(`${bench}: measures must be an object`);
      continue;
    }
    for (const [measure, m] of Object.entries(measures as Record<string, unknown>)) {
      if (measure.length > BENCHER_SLUG_MAX || !SLUG_RE.test(measure)) errors.push(`${bench}: measure slug ${JSON.stringify(measure)} is not a lowercase slug of at most ${BENCHER_SLUG_MAX} characters`);
      if (typeof m !== 'object' || m === null) {
        errors.push(`${bench}/${measure}: not an object`);
        continue;
      }
      const o = m as Record<string, unknown>;
      if (typeof o.value !== 'number' || !Number.isFinite(o.value)) errors.push(`${bench}/${measure}: value must be a finite number`);
      for (const k of ['lower_value', 'upper_value']) {
        if (k in o && (typeof o[k] !== 'number' || !Number.isFinite(o[k] as number))) errors.push(`${bench}/${measure}: ${k} must be a finite number`);
      }
      for (const k of Object.keys(o)) if (!['value', 'lower_value', 'upper_value'].includes(k)) errors.push(`${bench}/${measure}: unknown key ${k}`);
      if (typeof o.lower_value === 'number' && typeof o.upper_value === 'number' && o.lower_value > o.upper_value) {
        errors.push(`${bench}/${measure}: lower_value > upper_value`);
      }
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------
// summary.json validation (structural; mirrors SummaryJson and docs/reports.md)

export function validateSummary(data: unknown): string[] {
  const errors: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const numOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
  const intervalOrNull = (v: unknown) => v === null || (isObj(v) && typeof v.low === 'number' && typeof v.high === 'number' && v.low <= v.high);
  if (!isObj(data)) return ['not a JSON object'];
  if (data.format !== SUMMARY_FORMAT) errors.push(`format must be "${SUMMARY_FORMAT}"`);
  if (data.formatVersion !== SUMMARY_FORMAT_VERSION) errors.push(`formatVersion must be ${SUMMARY_FORMAT_VERSION}`);
  for (const k of ['runId', 'scenario', 'status', 'startedAt', 'baseline']) if (typeof data[k] !== 'string') errors.push(`${k} must be a string`);
  if (typeof data.confidence !== 'number') errors.push('confidence must be a number');
  if (!numOrNull(data.tolerancePct)) errors.push('tolerancePct must be a number or null');
  for (const k of ['environmentDifferences', 'footnotes', 'notes']) {
    if (!Array.isArray(data[k]) || !(data[k] as unknown[]).every((x) => typeof x === 'string')) errors.push(`${k} must be an array of strings`);
  }
  const targets = Array.isArray(data.targets) ? data.targets : (errors.push('targets must be an array'), []);
  const ids = new Set<string>();
  targets.forEach((t, i) => {
    if (!isObj(t) || typeof t.id !== 'string' || typeof t.label !== 'string') return errors.push(`targets[${i}] needs id and label strings`);
    ids.add(t.id);
    if (t.role !== 'baseline' && t.role !== 'candidate') errors.push(`targets[${i}].role must be baseline or candidate`);
    if (typeof t.emulated !== 'boolean') errors.push(`targets[${i}].emulated must be a boolean`);
    if (t.kernelSecurity !== null && !(isObj(t.kernelSecurity) && ['Shared', 'Isolated', 'Unknown'].includes(t.kernelSecurity.value as string))) {
      errors.push(`targets[${i}].kernelSecurity must be null or {value: Shared|Isolated|Unknown, …}`);
    }
    return undefined;
  });
  if (typeof data.baseline === 'string' && !ids.has(data.baseline)) errors.push('baseline is not one of targets[].id');
  const metrics = Array.isArray(data.metrics) ? data.metrics : (errors.push('metrics must be an array'), []);
  metrics.forEach((m, i) => {
    if (!isObj(m)) return errors.push(`metrics[${i}] is not an object`);
    for (const k of ['workload', 'metric', 'title', 'unit']) if (typeof m[k] !== 'string') errors.push(`metrics[${i}].${k} must be a string`);
    for (const k of ['higherIsBetter', 'primary']) if (typeof m[k] !== 'boolean') errors.push(`metrics[${i}].${k} must be a boolean`);
    const res = Array.isArray(m.results) ? m.results : (errors.push(`metrics[${i}].results must be an array`), []);
    res.forEach((r, j) => {
      const p = `metrics[${i}].results[${j}]`;
      if (!isObj(r)) return errors.push(`${p} is not an object`);
      if (typeof r.target !== 'string' || !ids.has(r.target)) errors.push(`${p}.target must name a target`);
      if (typeof r.n !== 'number' || typeof r.failed !== 'number' || typeof r.outliers !== 'number') errors.push(`${p}: n, failed, outliers must be numbers`);
      if (typeof r.incomplete !== 'boolean') errors.push(`${p}.incomplete must be a boolean`);
      for (const k of ['mean', 'median', 'stddev', 'min', 'max', 'relativeHalfWidthPct']) if (!numOrNull(r[k])) errors.push(`${p}.${k} must be a number or null`);
      if (!intervalOrNull(r.ci)) errors.push(`${p}.ci must be {low, high} or null`);
      if (r.incomplete === false && r.mean === null) errors.push(`${p}: complete result without a mean`);
      return undefined;
    });
    const diffs = Array.isArray(m.differences) ? m.differences : (errors.push(`metrics[${i}].differences must be an array`), []);
    diffs.forEach((d, j) => {
      const p = `metrics[${i}].differences[${j}]`;
      if (!isObj(d)) return errors.push(`${p} is not an object`);
      if (typeof d.candidate !== 'string' || !ids.has(d.candidate)) errors.push(`${p}.candidate must name a target`);
      for (const k of ['differencePct', 'ratio', 'pValue', 'mannWhitneyP']) if (!numOrNull(d[k])) errors.push(`${p}.${k} must be a number or null`);
      if (!intervalOrNull(d.ci)) errors.push(`${p}.ci must be {low, high} or null`);
      if (typeof d.unbounded !== 'boolean' || typeof d.significant !== 'boolean') errors.push(`${p}: unbounded and significant must be booleans`);
      if (d.unbounded === true && d.ci !== null) errors.push(`${p}: unbounded with a finite ci`);
      return undefined;
    });
    return undefined;
  });
  return errors;
}
