/**
 * Small helpers shared by every report format: target order and labels, the TCG label, metric lookup,
 * sample extraction and number formatting. Everything reads a RunResults and nothing else.
 */
import { ranAs } from '../env/what-ran.js';
import type { ComparisonRecord, MetricInfo, RunResults, Sample, SummaryRecord, TargetRecord } from '../results/model.js';

/** The exact wording every report uses for results measured in a TCG (software-emulated) guest. */
export const TCG_LABEL = 'emulated (TCG), not representative of KVM';

export interface VmInfo {
  accelerator?: string;
  qemuVersion?: string;
  [key: string]: unknown;
}

export interface TargetView {
  id: string;
  /** Display label from the scenario (falls back to the stored target label, then the id). */
  label: string;
  /** The scenario's label when `label` says what ran instead (see what-ran.ts). */
  declared: string;
  role: 'baseline' | 'candidate';
  record: TargetRecord | undefined;
  vm: VmInfo | undefined;
  /** True when the target ran in a qemu guest without KVM. */
  tcg: boolean;
}

export function vmInfo(target: TargetRecord | undefined): VmInfo | undefined {
  const vm = target?.fingerprint?.vm;
  return typeof vm === 'object' && vm !== null ? (vm as VmInfo) : undefined;
}

export function isTcg(target: TargetRecord | undefined): boolean {
  return vmInfo(target)?.accelerator === 'tcg';
}

/** "KVM+Docker: emulated (TCG), not representative of KVM (qemu 7.2.11)". */
export function tcgNote(view: TargetView): string {
  const qemu = view.vm?.qemuVersion;
  return `${view.declared}: ${TCG_LABEL}${typeof qemu === 'string' && qemu ? ` (qemu ${qemu})` : ''}`;
}

/** The scenario's label for a target (falls back to the stored target label, then the id). */
export function declaredLabel(results: RunResults, id: string): string {
  const fromScenario = results.scenario?.targets?.[id]?.label;
  if (typeof fromScenario === 'string' && fromScenario) return fromScenario;
  const rec = results.targets.find((t) => t.id === id);
  return rec?.label || id;
}

/** The column header every output uses: the declared label, or what ran when the measurement disagrees (what-ran.ts). */
export function targetLabel(results: RunResults, id: string): string {
  const declared = declaredLabel(results, id);
  return ranAs(results, id, declared)?.label ?? declared;
}

/** Baseline first, then every other target in the order the results list them (scenario order). */
export function orderedTargets(results: RunResults): TargetView[] {
  const ids: string[] = [];
  const push = (id: string) => {
    if (!ids.includes(id)) ids.push(id);
  };
  push(results.baseline);
  for (const t of results.targets) push(t.id);
  for (const id of Object.keys(results.scenario?.targets ?? {})) push(id);
  return ids.map((id) => {
    const record = results.targets.find((t) => t.id === id);
    return {
      id,
      label: targetLabel(results, id),
      declared: declaredLabel(results, id),
      role: id === results.baseline ? 'baseline' : 'candidate',
      record,
      vm: vmInfo(record),
      tcg: isTcg(record),
    };
  });
}

/** Metrics in the order the results list them; primary ones first when `primaryFirst`. */
export function orderedMetrics(results: RunResults, opts: { secondary?: boolean } = {}): MetricInfo[] {
  const primary = results.metrics.filter((m) => m.primary);
  const secondary = results.metrics.filter((m) => !m.primary);
  return opts.secondary ? [...primary, ...secondary] : primary;
}

export function metricKey(m: { workload: string; metric: string }): string {
  return `${m.workload}/${m.metric}`;
}

/** Index summaries and comparisons once (reports with many rows look them up repeatedly). */
export class ResultsIndex {
  private readonly summaries = new Map<string, SummaryRecord>();
  private readonly comparisons = new Map<string, ComparisonRecord>();
  private readonly samples = new Map<string, Sample[]>();

  constructor(readonly results: RunResults) {
    for (const s of results.summaries) this.summaries.set(`${s.target}\u0000${s.workload}\u0000${s.metric}`, s);
    for (const c of results.comparisons) {
      this.comparisons.set(`${c.baseline}\u0000${c.candidate}\u0000${c.workload}\u0000${c.metric}`, c);
    }
    for (const s of results.samples) {
      if (s.warmup) continue;
      const key = `${s.target}\u0000${s.workload}`;
      const list = this.samples.get(key);
      if (list) list.push(s);
      else this.samples.set(key, [s]);
    }
  }

  summary(target: string, workload: string, metric: string): SummaryRecord | undefined {
    return this.summaries.get(`${target}\u0000${workload}\u0000${metric}`);
  }

  comparison(baseline: string, candidate: string, workload: string, metric: string): ComparisonRecord | undefined {
    return this.comparisons.get(`${baseline}\u0000${candidate}\u0000${workload}\u0000${metric}`);
  }

  /** Measured (non-warmup) samples of one target and workload, ok or not, in sequence order. */
  measured(target: string, workload: string): Sample[] {
    return this.samples.get(`${target}\u0000${workload}`) ?? [];
  }

  /** Values of one metric from the ok, non-warmup samples, in sequence order. */
  values(target: string, workload: string, metric: string): number[] {
    const out: number[] = [];
    for (const s of this.measured(target, workload)) {
      const v = s.ok ? s.values?.[metric] : undefined;
      if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
    }
    return out;
  }
}

/** A summary with no usable mean (no ok samples) is an incomplete cell. */
export function isIncomplete(s: SummaryRecord | undefined): boolean {
  return !s || !(s.n > 0) || typeof s.mean !== 'number' || !Number.isFinite(s.mean);
}

export function halfWidth(ci: { low: number; high: number } | null | undefined): number | null {
  if (!ci || !Number.isFinite(ci.low) || !Number.isFinite(ci.high)) return null;
  return (ci.high - ci.low) / 2;
}

/** Half-width as a percentage of |mean| (computed here so the unit is never ambiguous). */
export function relativeHalfWidthPct(s: SummaryRecord): number | null {
  const hw = halfWidth(s.ci);
  if (hw === null || !Number.isFinite(s.mean) || s.mean === 0) return null;
  return (hw / Math.abs(s.mean)) * 100;
}

/** True when a difference CI (percent) lies entirely on one side of zero. */
export function excludesZero(ci: { low: number; high: number } | null | undefined): boolean {
  return !!ci && Number.isFinite(ci.low) && Number.isFinite(ci.high) && (ci.low > 0 || ci.high < 0);
}

/** Decimals that show two significant digits of `spread` (the CI half-width). */
export function decimalsFor(spread: number | null, value: number): number {
  const ref = spread !== null && spread > 0 && Number.isFinite(spread) ? spread : Math.abs(value) / 1000;
  if (!(ref > 0) || !Number.isFinite(ref)) return 1;
  return Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(ref))));
}

export function fmtNumber(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return String(value);
  const s = value.toFixed(decimals);
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
}

/** `442.1 ± 3.2 MB/s (n=10)`; without a CI: `442.1 MB/s (n=1)`. */
export function fmtMeanCi(s: SummaryRecord, unit: string): string {
  const hw = halfWidth(s.ci);
  const d = decimalsFor(hw, s.mean);
  const u = unit ? ` ${unit}` : '';
  return hw === null ? `${fmtNumber(s.mean, d)}${u} (n=${s.n})` : `${fmtNumber(s.mean, d)} ± ${fmtNumber(hw, d)}${u} (n=${s.n})`;
}

function pctDecimals(ci: { low: number; high: number } | null, value: number): number {
  const hw = halfWidth(ci);
  const ref = hw !== null && hw > 0 ? hw : Math.abs(value);
  if (!(ref > 0)) return 1;
  return Math.min(3, Math.max(1, 1 - Math.floor(Math.log10(ref))));
}

/** `-1.8 % [-3.5, -0.2]`; `+0.4 % [unbounded]` when the interval is unbounded. */
export function fmtDiff(differencePct: number, ci: { low: number; high: number } | null): string {
  const d = pctDecimals(ci, differencePct);
  const sign = differencePct > 0 ? '+' : '';
  const head = `${sign}${fmtNumber(differencePct, d)} %`;
  if (!ci) return `${head} [unbounded]`;
  return `${head} [${fmtNumber(ci.low, d)}, ${fmtNumber(ci.high, d)}]`;
}

export function confidencePct(results: RunResults): string {
  const c = typeof results.confidence === 'number' ? results.confidence : results.scenario?.confidence ?? 0.95;
  return `${+(c * 100).toFixed(1)} %`;
}

/** Target half-width (percent of the mean) when the scenario sampled adaptively. */
export function targetHalfWidthPct(results: RunResults): number | null {
  const s = results.scenario?.samples;
  return typeof s === 'object' && s !== null && typeof s.targetHalfWidthPct === 'number' ? s.targetHalfWidthPct : null;
}

/** Lowercase slug of [a-z0-9-], for file names and measure slugs. */
export function slug(text: string, max = 64): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (s || 'x').slice(0, max).replace(/-+$/g, '') || 'x';
}

export { escapeHtml } from '../util/html.js';

/** Error the user can fix (bad path, bad option, not a results file): exit code 2, message names the fix. */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/**
 * `--metric` filters: each item matches a metric name (`write_mbps`), a workload id (`disk`) or
 * `workload/metric`. Without filters only primary metrics are selected.
 */
export function metricSelected(m: { workload: string; metric: string; primary: boolean }, filters: readonly string[] | undefined): boolean {
  if (!filters || filters.length === 0) return m.primary;
  return filters.some((f) => f === m.metric || f === m.workload || f === `${m.workload}/${m.metric}`);
}

/** Split repeated and comma-separated `--metric` values. */
export function splitList(values: readonly string[] | string | undefined): string[] {
  if (values === undefined) return [];
  const list = typeof values === 'string' ? [values] : values;
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}
