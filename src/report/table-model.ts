/**
 * The comparison table, built once from a RunResults and fed to every format (terminal, Markdown, HTML;
 * CSV and JSON read the same cells' numbers).
 *
 * Rows: each workload's primary metric (optionally the secondary metrics too), then a Kernel Security row.
 * Columns: "Metric", the baseline's label, each candidate's label, then one Difference column per candidate
 * (candidate vs baseline). Labels come from the scenario, never from the code.
 */
import { formatKernelSecurity, kernelSecurity } from '../env/kernel-security.js';
import type { ComparisonRecord, MetricInfo, RunResults, SummaryRecord } from '../results/model.js';
import type { Interval } from '../stats/types.js';
import { describeCiNull } from '../stats/compare.js';
import {
  ResultsIndex,
  confidencePct,
  excludesZero,
  fmtDiff,
  fmtMeanCi,
  fmtNumber,
  decimalsFor,
  isIncomplete,
  orderedMetrics,
  orderedTargets,
  relativeHalfWidthPct,
  targetHalfWidthPct,
  tcgNote,
  type TargetView,
} from './common.js';
import { environmentDifferences as postureEnvironmentDifferences } from './posture-bridge.js';
import { ranAs, type RanAs } from '../env/what-ran.js';
import { noiseNote, pinNote } from './noise.js';
import { levelsMethodNote, perLevelVarianceNote } from './levels-notes.js';

export type NoteKind =
  | 'ran-as'
  | 'precision'
  | 'unbounded'
  | 'no-ci'
  | 'interval-method'
  | 'paired'
  | 'verdict'
  | 'outliers'
  | 'failed'
  | 'incomplete'
  | 'security'
  | 'tcg'
  | 'noise'
  | 'pinning'
  | 'levels'
  | 'environment';

export interface Footnote {
  /** 1-based, in order of first reference; unreferenced notes (environment) come last. */
  id: number;
  kind: NoteKind;
  text: string;
}

export interface TableColumn {
  kind: 'metric' | 'target' | 'difference';
  header: string;
  /** Target column: the target id. Difference column: the candidate id. */
  targetId?: string;
  baselineId?: string;
  /** Footnote ids attached to the header (e.g. the TCG label). */
  notes: number[];
}

export interface ValueCell {
  kind: 'value';
  target: string;
  /** `442.1 ± 3.2 MB/s (n=10)`, or `incomplete (0 of 10 ok)`. No footnote refs (see `display`). */
  text: string;
  incomplete: boolean;
  n: number;
  failed: number;
  mean: number | null;
  median: number | null;
  stddev: number | null;
  min: number | null;
  max: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  halfWidth: number | null;
  /** Half-width as a percentage of |mean|. */
  relativeHalfWidthPct: number | null;
  precisionMet: boolean | null;
  /** Distinct samples flagged as outliers (flagged, never removed). */
  outliers: number;
  notes: number[];
}

export interface DiffCell {
  kind: 'difference';
  baseline: string;
  candidate: string;
  /** `-1.8 % [-3.5, -0.2] *`, `+0.4 % [unbounded]`, or `n/a`. */
  text: string;
  available: boolean;
  differencePct: number | null;
  ratio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** The interval of the ratio is unbounded (comparison.ci === null, Fieller g >= 1). */
  unbounded: boolean;
  /** No interval because a side has fewer than 2 samples. */
  tooFewSamples: boolean;
  /** Tolerance verdict stored with the comparison (scenario.tolerancePct), when set. */
  verdict: 'pass' | 'fail' | 'inconclusive' | null;
  /** The CI excludes 0 (marked `*`). */
  significant: boolean;
  pValue: number | null;
  mannWhitneyP: number | null;
  /** Candidate worse than the baseline in the metric's direction (sign only, not significance). */
  worse: boolean | null;
  withoutOutliers: { differencePct: number; ciLow: number | null; ciHigh: number | null; unbounded: boolean } | null;
  /**
   * The interval shown: 'fieller', 'log-delta', or the paired one ('paired-log', 'paired-fieller') when the
   * comparison's paired interval is used; null when unavailable.
   */
  method?: string | null;
  /** The comparison's paired analysis, used or not (absent in results from before it existed). */
  paired?: PairedView | null;
  notes: number[];
}

/** What a difference cell carries of ComparisonRecord.paired. */
export interface PairedView {
  n: number;
  method: string;
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  used: boolean;
  reason: string | null;
}

export interface SecurityCell {
  kind: 'security';
  target: string;
  /** `Shared`, `Isolated (kvm)`, `Unknown`, or `—` for the baseline. */
  text: string;
  value: 'Shared' | 'Isolated' | 'Unknown' | null;
  virtualization: string | null;
  reason: string | null;
  notes: number[];
}

/** A metric's row: the metric as its workload declares it (MetricInfo), plus its label and cells. */
export interface MetricRow extends Pick<MetricInfo, 'workload' | 'metric' | 'title' | 'unit' | 'higherIsBetter' | 'primary'> {
  kind: 'metric';
  label: string;
  /** One per target column, baseline first. */
  cells: ValueCell[];
  /** One per candidate, in candidate order. */
  differences: DiffCell[];
}

export interface SecurityRow {
  kind: 'security';
  label: 'Kernel Security';
  cells: SecurityCell[];
}

export type TableRow = MetricRow | SecurityRow;

export interface TableModel {
  title: string;
  runId: string;
  confidence: number;
  /** e.g. "95 %". */
  confidenceText: string;
  baseline: TargetView;
  candidates: TargetView[];
  targets: TargetView[];
  columns: TableColumn[];
  rows: TableRow[];
  footnotes: Footnote[];
  /** Unnumbered lines explaining the markers. */
  legend: string[];
  /** One line per target measured in a TCG guest. */
  tcgNotes: string[];
  /**
   * Columns headed with what ran instead of their declared label (a KVM target that ran on the host kernel or
   * in a TCG guest); their reasons are the first footnotes, so the first line under the table says why.
   */
  ranAs: (RanAs & { targetId: string })[];
  environmentDifferences: string[];
}

export interface TableOptions {
  /** Which metrics become rows: primary only (default), all (primary first), or secondary only. */
  metrics?: 'primary' | 'all' | 'secondary';
  /** Include the Kernel Security row. Default true. */
  security?: boolean;
  /** Override the environment differences (default: from src/env/posture.ts). */
  environmentDifferences?: string[];
}

class Notes {
  readonly list: Footnote[] = [];
  private readonly byText = new Map<string, number>();
  ref(kind: NoteKind, text: string): number {
    const existing = this.byText.get(text);
    if (existing !== undefined) return existing;
    const id = this.list.length + 1;
    this.list.push({ id, kind, text });
    this.byText.set(text, id);
    return id;
  }
}

function distinctOutliers(s: SummaryRecord): number {
  return new Set((s.outliers ?? []).map((o) => o.index)).size;
}

function rowLabels(metrics: MetricInfo[]): Map<MetricInfo, string> {
  const counts = new Map<string, number>();
  for (const m of metrics) counts.set(m.title, (counts.get(m.title) ?? 0) + 1);
  const arrow = (m: MetricInfo) => (m.higherIsBetter ? '↑' : '↓');
  return new Map(
    metrics.map((m) => [m, `${(counts.get(m.title) ?? 0) > 1 ? `${m.title}: ${m.metric}` : m.title} ${arrow(m)}`]),
  );
}

export function buildTableModel(results: RunResults, options: TableOptions = {}): TableModel {
  const idx = new ResultsIndex(results);
  const notes = new Notes();
  const targets = orderedTargets(results);
  const baseline = targets[0] as TargetView;
  const candidates = targets.slice(1);
  const confidenceText = confidencePct(results);
  const precisionTarget = targetHalfWidthPct(results);

  const columns: TableColumn[] = [{ kind: 'metric', header: 'Metric', notes: [] }];
  // What ran, where it differs from what was declared: referenced first, so these are footnotes [1], [2], ….
  const ran = targets.flatMap((t) => {
    const r = ranAs(results, t.id, t.declared);
    return r ? [{ ...r, targetId: t.id }] : [];
  });
  const ranNote = new Map(ran.map((r) => [r.targetId, notes.ref('ran-as', `${r.label}: ${r.reason}`)]));
  for (const t of targets) {
    const pin = pinNote(t.label, results.targets.find((r) => r.id === t.id)?.pin);
    const headerNotes = [
      ...(ranNote.has(t.id) ? [ranNote.get(t.id) as number] : []),
      ...(t.tcg ? [notes.ref('tcg', tcgNote(t))] : []),
      ...(pin ? [notes.ref('pinning', pin)] : []),
    ];
    columns.push({ kind: 'target', header: t.label, targetId: t.id, notes: headerNotes });
  }
  for (const c of candidates) {
    columns.push({
      kind: 'difference',
      header: `Difference: ${c.label} vs ${baseline.label}`,
      targetId: c.id,
      baselineId: baseline.id,
      notes: [],
    });
  }

  const which = options.metrics ?? 'primary';
  const metrics = orderedMetrics(results, { secondary: which !== 'primary' }).filter((m) => which !== 'secondary' || !m.primary);
  const labels = rowLabels(metrics);
  const rows: TableRow[] = [];

  for (const m of metrics) {
    const where = (t: TargetView) => `${t.label}, ${labels.get(m)?.replace(/ [↑↓]$/, '')}`;
    // Blocks (`repeat` ≥ 2): which interval the cells show, and the per-level variance with its recommendation.
    const levelSummaries = targets.map((t) => ({ label: t.label, summary: idx.summary(t.id, m.workload, m.metric) }));
    const perLevel = perLevelVarianceNote(labels.get(m)?.replace(/ [↑↓]$/, '') ?? m.title, levelSummaries);
    const cells: ValueCell[] = targets.map((t) => {
      const s = idx.summary(t.id, m.workload, m.metric);
      const measured = idx.measured(t.id, m.workload);
      const failedSamples = measured.filter((x) => !x.ok);
      const failed = s && typeof s.failed === 'number' ? s.failed : failedSamples.length;
      const cellNotes: number[] = [];
      if (isIncomplete(s)) {
        const total = measured.length || failed;
        const firstError = failedSamples.find((x) => x.error)?.error;
        cellNotes.push(
          notes.ref(
            'incomplete',
            `${where(t)}: no successful samples${failed ? ` (${failed} failed${firstError ? `; first error: ${oneLine(firstError)}` : ''})` : ' were recorded'}, so there is no summary.`,
          ),
        );
        return {
          kind: 'value',
          target: t.id,
          text: `incomplete (0 of ${total} ok)`,
          incomplete: true,
          n: 0,
          failed,
          mean: null,
          median: null,
          stddev: null,
          min: null,
          max: null,
          ciLow: null,
          ciHigh: null,
          halfWidth: null,
          relativeHalfWidthPct: null,
          precisionMet: s?.precisionMet ?? null,
          outliers: 0,
          notes: cellNotes,
        };
      }
      const sum = s as SummaryRecord;
      if (sum.levels) {
        cellNotes.push(notes.ref('levels', levelsMethodNote(sum.levels.blocks)));
        if (perLevel) cellNotes.push(notes.ref('levels', perLevel));
      }
      if (sum.precisionMet === false) {
        cellNotes.push(
          notes.ref(
            'precision',
            `Precision not met: the ${confidenceText} CI half-width is wider than ${precisionTarget !== null ? `the scenario's target of ${precisionTarget} % of the mean` : "the scenario's precision target"} (more samples or a quieter machine would narrow it).`,
          ),
        );
      }
      const nOut = distinctOutliers(sum);
      if (nOut > 0) {
        const unique = new Map<number, { value: number; rules: string[] }>();
        for (const o of sum.outliers) {
          const e = unique.get(o.index) ?? { value: o.value, rules: [] };
          e.rules.push(o.rule);
          unique.set(o.index, e);
        }
        const d = decimalsFor((sum.ci ? (sum.ci.high - sum.ci.low) / 2 : null), sum.mean);
        const listed = [...unique.values()]
          .slice(0, 5)
          .map((e) => `${fmtNumber(e.value, d)} (${e.rules.join(', ')})`)
          .join(', ');
        cellNotes.push(
          notes.ref(
            'outliers',
            `${where(t)}: ${nOut} of ${sum.n} samples flagged as outliers: ${listed}${unique.size > 5 ? ', …' : ''}; they are kept in the mean.`,
          ),
        );
      }
      if (failed > 0) {
        const firstError = failedSamples.find((x) => x.error)?.error;
        cellNotes.push(
          notes.ref(
            'failed',
            `${where(t)}: ${failed} of ${sum.n + failed} samples failed${firstError ? ` (first error: ${oneLine(firstError)})` : ''}; the summary uses the ${sum.n} that succeeded.`,
          ),
        );
      }
      const noise = m.primary ? noiseNote(`${t.label} · ${m.workload}`, measured) : undefined;
      if (noise) cellNotes.push(notes.ref('noise', noise));
      const hw = sum.ci ? (sum.ci.high - sum.ci.low) / 2 : null;
      return {
        kind: 'value',
        target: t.id,
        text: fmtMeanCi(sum, m.unit),
        incomplete: false,
        n: sum.n,
        failed,
        mean: sum.mean,
        median: num(sum.median),
        stddev: num(sum.stddev),
        min: num(sum.min),
        max: num(sum.max),
        ciLow: sum.ci ? sum.ci.low : null,
        ciHigh: sum.ci ? sum.ci.high : null,
        halfWidth: hw,
        relativeHalfWidthPct: relativeHalfWidthPct(sum),
        precisionMet: sum.precisionMet ?? null,
        outliers: nOut,
        notes: cellNotes,
      };
    });

    const baseCell = cells[0] as ValueCell;
    const differences: DiffCell[] = candidates.map((c, i) => {
      const candCell = cells[i + 1] as ValueCell;
      const cmp = idx.comparison(baseline.id, c.id, m.workload, m.metric);
      const empty: DiffCell = {
        kind: 'difference',
        baseline: baseline.id,
        candidate: c.id,
        text: 'n/a',
        available: false,
        differencePct: null,
        ratio: null,
        ciLow: null,
        ciHigh: null,
        unbounded: false,
        tooFewSamples: false,
        verdict: null,
        significant: false,
        pValue: null,
        mannWhitneyP: null,
        worse: null,
        withoutOutliers: null,
        method: null,
        paired: null,
        notes: [],
      };
      if (!cmp || baseCell.incomplete || candCell.incomplete || !Number.isFinite(cmp.differencePct)) return empty;
      const diffNotes: number[] = [];
      const paired = pairedView(cmp.paired);
      const shown = shownInterval(cmp);
      if (shown.paired) diffNotes.push(notes.ref('paired', pairedNote(cmp, `${c.label} vs ${baseline.label}, ${labels.get(m)?.replace(/ [↑↓]$/, '')}`)));
      const tooFewSamples = shown.ci === null && cmp.ciNullReason === 'too-few-samples';
      const unbounded = shown.ci === null && !tooFewSamples;
      if (unbounded && (cmp.ciNullReason === 'no-variation' || cmp.ciNullReason === 'not-computable')) {
        diffNotes.push(notes.ref('no-ci', `No interval: ${describeCiNull(cmp.ciNullReason)}.`));
      } else if (unbounded) {
        diffNotes.push(
          notes.ref(
            'unbounded',
            `Unbounded: the baseline's mean cannot be told apart from 0 at ${confidenceText} confidence, so the interval of the ratio (Fieller) has no finite bounds.`,
          ),
        );
      }
      if (!shown.paired && cmp.method === 'log-delta' && cmp.ci) {
        diffNotes.push(
          notes.ref(
            'interval-method',
            "Interval on the log of the ratio of means (delta method): for this positive metric Fieller's interval would reach −100 % or be unbounded (docs/statistics.md).",
          ),
        );
      }
      if (cmp.levels) diffNotes.push(notes.ref('levels', levelsMethodNote(Math.min(cmp.levels.blocks.baseline, cmp.levels.blocks.candidate))));
      if (tooFewSamples) {
        diffNotes.push(notes.ref('no-ci', 'No interval: a side has fewer than 2 successful samples.'));
      }
      const tol = results.scenario?.tolerancePct;
      if (cmp.verdict === 'fail') {
        diffNotes.push(
          notes.ref(
            'verdict',
            `${c.label} vs ${baseline.label}, ${labels.get(m)?.replace(/ [↑↓]$/, '')}: overhead beyond the scenario's tolerance${typeof tol === 'number' ? ` of ${tol} %` : ''} (the whole interval is past it).`,
          ),
        );
      }
      let without: DiffCell['withoutOutliers'] = null;
      if (cmp.withoutOutliers && Number.isFinite(cmp.withoutOutliers.differencePct)) {
        const w = cmp.withoutOutliers;
        without = {
          differencePct: w.differencePct,
          ciLow: w.ci ? w.ci.low : null,
          ciHigh: w.ci ? w.ci.high : null,
          unbounded: w.ci === null,
        };
        diffNotes.push(
          notes.ref(
            'outliers',
            `${c.label} vs ${baseline.label}, ${labels.get(m)?.replace(/ [↑↓]$/, '')}: with the flagged outliers left out the difference is ${fmtDiff(w.differencePct, w.ci)}${excludesZero(w.ci) ? ' *' : ''}.`,
          ),
        );
      }
      const significant = excludesZero(shown.ci);
      const diff = shown.differencePct;
      return {
        kind: 'difference',
        baseline: baseline.id,
        candidate: c.id,
        text: `${tooFewSamples ? fmtDiff(diff, shown.ci).replace('[unbounded]', '[no CI, n<2]') : fmtDiff(diff, shown.ci)}${significant ? ' *' : ''}`,
        available: true,
        differencePct: diff,
        ratio: shown.method === 'paired-log' ? 1 + diff / 100 : num(cmp.ratio),
        ciLow: shown.ci ? shown.ci.low : null,
        ciHigh: shown.ci ? shown.ci.high : null,
        unbounded,
        tooFewSamples,
        verdict: cmp.verdict ?? null,
        significant,
        pValue: num(cmp.pValue),
        mannWhitneyP: num(cmp.mannWhitneyP),
        worse: diff === 0 ? false : m.higherIsBetter ? diff < 0 : diff > 0,
        withoutOutliers: without,
        method: shown.ci ? shown.method : null,
        paired,
        notes: diffNotes,
      };
    });

    rows.push({
      kind: 'metric',
      label: labels.get(m) ?? m.title,
      workload: m.workload,
      metric: m.metric,
      title: m.title,
      unit: m.unit,
      higherIsBetter: m.higherIsBetter,
      primary: m.primary,
      cells,
      differences,
    });
  }

  if (options.security ?? true) {
    const cells: SecurityCell[] = targets.map((t) => {
      if (t.role === 'baseline') {
        return { kind: 'security', target: t.id, text: '—', value: null, virtualization: null, reason: null, notes: [] };
      }
      const ks = kernelSecurity(results, t.id);
      const text = formatKernelSecurity(ks);
      return {
        kind: 'security',
        target: t.id,
        text,
        value: ks.value,
        virtualization: ks.virtualization ?? null,
        reason: ks.reason,
        notes: [notes.ref('security', `Kernel Security, ${t.label}: ${ks.reason}.`.replace(/\.\.$/, '.'))],
      };
    });
    rows.push({ kind: 'security', label: 'Kernel Security', cells });
  }

  const envDiffs = options.environmentDifferences ?? postureEnvironmentDifferences(results);
  for (const d of envDiffs) notes.ref('environment', `Environment difference: ${d}`);

  const hasDiffs = candidates.length > 0;
  const legend = [
    `Cells: mean ± half-width of the ${confidenceText} confidence interval, and the number of successful samples n.`,
    ...(hasDiffs
      ? [
          `Difference: (candidate − baseline) / baseline in percent, with its ${confidenceText} confidence interval (Fieller's, unless a note names another method); * marks an interval that excludes 0.`,
        ]
      : []),
    '↑ higher is better; ↓ lower is better.',
  ];

  return {
    title: results.scenario?.name ?? 'benchsuite',
    runId: results.runId,
    confidence: results.confidence,
    confidenceText,
    baseline,
    candidates,
    targets,
    columns,
    rows,
    footnotes: notes.list,
    legend,
    tcgNotes: targets.filter((t) => t.tcg).map(tcgNote),
    ranAs: ran,
    environmentDifferences: envDiffs,
  };
}

/** Cell text with its footnote refs, e.g. `442.1 ± 3.2 MB/s (n=10) [1,3]`. */
export function cellDisplay(cell: { text: string; notes: number[] }): string {
  return cell.notes.length ? `${cell.text} [${cell.notes.join(',')}]` : cell.text;
}

export function headerDisplay(col: TableColumn): string {
  return col.notes.length ? `${col.header} [${col.notes.join(',')}]` : col.header;
}

/** The table as a grid of display strings (header row first), the common input of text renderers. */
export function tableGrid(model: TableModel): string[][] {
  const grid: string[][] = [model.columns.map(headerDisplay)];
  const nDiff = model.candidates.length;
  for (const row of model.rows) {
    if (row.kind === 'metric') {
      grid.push([row.label, ...row.cells.map(cellDisplay), ...row.differences.map(cellDisplay)]);
    } else {
      grid.push([row.label, ...row.cells.map(cellDisplay), ...Array.from({ length: nDiff }, () => '')]);
    }
  }
  return grid;
}

/**
 * The difference a report shows: the paired estimate and interval when the comparison's paired analysis is
 * used (docs/statistics.md, "Paired analysis"), otherwise the comparison's own (Fieller's or log-delta).
 */
export function shownInterval(cmp: ComparisonRecord): { differencePct: number; ci: Interval | null; method: string; paired: boolean } {
  const p = cmp.paired;
  if (p && p.used === true && p.ci && typeof p.estimate === 'number' && Number.isFinite(p.estimate)) {
    return { differencePct: p.estimate, ci: p.ci, method: p.method, paired: true };
  }
  return { differencePct: cmp.differencePct, ci: cmp.ci, method: cmp.method ?? 'fieller', paired: false };
}

function pairedView(p: ComparisonRecord['paired']): PairedView | null {
  if (!p) return null;
  return {
    n: p.n,
    method: p.method,
    estimate: num(p.estimate),
    ciLow: p.ci ? num(p.ci.low) : null,
    ciHigh: p.ci ? num(p.ci.high) : null,
    used: p.used === true,
    reason: p.reason ?? null,
  };
}

/** "…: paired over 20 adjacent pairs (narrower than Fieller's ±3.1 %)." */
function pairedNote(cmp: ComparisonRecord, where: string): string {
  const n = cmp.paired?.n ?? 0;
  const name = cmp.method === 'log-delta' ? "the log-ratio interval's" : "Fieller's";
  const than = cmp.ci
    ? `narrower than ${name} ±${fmtNumber((cmp.ci.high - cmp.ci.low) / 2, 1)} %`
    : "Fieller's interval is unbounded";
  return `${where}: paired over ${n} adjacent pairs (${than}).`;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
