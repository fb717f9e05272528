/**
 * `benchsuite compare`: the same target across two runs (a stored baseline run vs the current run).
 * Workloads, metrics and targets are matched by id; each pair's samples go through the statistics
 * engine's compare() with the tolerance, and its verdict decides the exit code:
 *   0 pass (or inconclusive without --strict), 1 a regression beyond tolerance whose CI excludes it,
 *   3 inconclusive with --strict. (2 is for input errors, raised as ReportInputError.)
 */
import type { MetricInfo, RunResults } from '../results/model.js';
import { compare, describeCiNull, type Verdict } from '../stats/index.js';
import {
  ReportInputError,
  ResultsIndex,
  TCG_LABEL,
  decimalsFor,
  excludesZero,
  fmtDiff,
  fmtNumber,
  isTcg,
  metricSelected,
  targetLabel,
} from './common.js';
import { factDifferences } from './environment.js';
import { alignedTable } from './text.js';
import { markdownCell, markdownCode, markdownText } from '../util/markdown.js';
import { terminalText } from '../util/terminal.js';

export const DEFAULT_TOLERANCE_PCT = 5;
export const EXIT_PASS = 0;
export const EXIT_REGRESSION = 1;
export const EXIT_INPUT = 2;
export const EXIT_INCONCLUSIVE = 3;

export interface Side {
  n: number;
  mean: number;
  ci: { low: number; high: number } | null;
}

export interface RunComparisonRow {
  workload: string;
  metric: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  target: string;
  targetLabel: string;
  baseline: Side | null;
  current: Side | null;
  differencePct: number | null;
  /** Percent; null when unbounded or a side has n < 2. */
  ci: { low: number; high: number } | null;
  /** Overhead in the worse direction (positive = current worse). */
  overheadPct: number | null;
  verdict: Verdict;
  /** Why the verdict is inconclusive without statistics (missing samples…). */
  reason: string | null;
  emulated: boolean;
}

export interface RunComparison {
  baselineRunId: string;
  currentRunId: string;
  scenario: string;
  tolerancePct: number;
  confidence: number;
  strict: boolean;
  rows: RunComparisonRow[];
  /** Environment differences between the two runs, per target (comparing across them is allowed, but flagged). */
  environment: string[];
  /** Workloads/targets/metrics present in only one run, scenario name changes… */
  notes: string[];
  exitCode: number;
}

export interface CompareRunsOptions {
  tolerancePct?: number;
  /** Metric filters (see metricSelected); default: primary metrics. */
  metrics?: string[];
  strict?: boolean;
}

function side(idx: ResultsIndex, target: string, m: MetricInfo, values: number[]): Side | null {
  if (!values.length) return null;
  const s = idx.summary(target, m.workload, m.metric);
  if (s && s.n === values.length && Number.isFinite(s.mean)) return { n: s.n, mean: s.mean, ci: s.ci };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { n: values.length, mean, ci: null };
}

export function compareRuns(base: RunResults, cur: RunResults, options: CompareRunsOptions = {}): RunComparison {
  const tolerancePct = options.tolerancePct ?? DEFAULT_TOLERANCE_PCT;
  if (!Number.isFinite(tolerancePct) || tolerancePct < 0) {
    throw new ReportInputError(`--tolerance ${tolerancePct}: expected a percentage >= 0, e.g. --tolerance 5`);
  }
  const confidence = cur.confidence || base.confidence || 0.95;
  const notes: string[] = [];
  const scenario = cur.scenario?.name ?? base.scenario?.name ?? 'benchsuite';
  if (base.scenario?.name !== cur.scenario?.name) {
    notes.push(`The runs are of different scenarios (${base.scenario?.name} vs ${cur.scenario?.name}); workloads and targets are matched by id.`);
  }
  const bi = new ResultsIndex(base);
  const ci = new ResultsIndex(cur);

  const baseMetrics = new Map(base.metrics.map((m) => [`${m.workload}/${m.metric}`, m]));
  const curMetrics = new Map(cur.metrics.map((m) => [`${m.workload}/${m.metric}`, m]));
  const selected = [...curMetrics.values()].filter((m) => metricSelected(m, options.metrics));
  const selectedBase = [...baseMetrics.values()].filter((m) => metricSelected(m, options.metrics));
  if (options.metrics?.length && selected.length === 0 && selectedBase.length === 0) {
    const names = [...new Set([...curMetrics.keys(), ...baseMetrics.keys()])].join(', ');
    throw new ReportInputError(`--metric ${options.metrics.join(',')}: no such metric in either run. Metrics (workload/metric): ${names}`);
  }
  for (const m of selectedBase) {
    if (!curMetrics.has(`${m.workload}/${m.metric}`)) notes.push(`${m.title} (${m.workload}/${m.metric}) is only in the baseline run ${base.runId}.`);
  }
  const matched = selected.filter((m) => {
    const ok = baseMetrics.has(`${m.workload}/${m.metric}`);
    if (!ok) notes.push(`${m.title} (${m.workload}/${m.metric}) is only in the current run ${cur.runId}.`);
    return ok;
  });

  const baseTargets = new Map(base.targets.map((t) => [t.id, t]));
  const curTargets = new Map(cur.targets.map((t) => [t.id, t]));
  const targets = cur.targets.filter((t) => baseTargets.has(t.id)).map((t) => t.id);
  for (const t of base.targets) if (!curTargets.has(t.id)) notes.push(`Target ${t.id} (${t.label}) is only in the baseline run.`);
  for (const t of cur.targets) if (!baseTargets.has(t.id)) notes.push(`Target ${t.id} (${t.label}) is only in the current run.`);
  if (!targets.length || !matched.length) {
    throw new ReportInputError(
      `${base.runId} and ${cur.runId} have no ${!targets.length ? 'target' : 'metric'} in common (matched by id), so there is nothing to compare. Compare two runs of the same scenario.`,
    );
  }

  const environment: string[] = [];
  for (const id of targets) {
    const diffs = factDifferences(baseTargets.get(id), curTargets.get(id));
    if (diffs.length) environment.push(`${targetLabel(cur, id)}: ${diffs.join('; ')} (baseline run vs current run)`);
    if (isTcg(baseTargets.get(id)) || isTcg(curTargets.get(id))) {
      notes.push(`${targetLabel(cur, id)}: ${TCG_LABEL}.`);
    }
  }

  const rows: RunComparisonRow[] = [];
  for (const m of matched) {
    for (const id of targets) {
      const bv = bi.values(id, m.workload, m.metric);
      const cv = ci.values(id, m.workload, m.metric);
      const row: RunComparisonRow = {
        workload: m.workload,
        metric: m.metric,
        title: m.title,
        unit: m.unit,
        higherIsBetter: m.higherIsBetter,
        target: id,
        targetLabel: targetLabel(cur, id),
        baseline: side(bi, id, m, bv),
        current: side(ci, id, m, cv),
        differencePct: null,
        ci: null,
        overheadPct: null,
        verdict: 'inconclusive',
        reason: null,
        emulated: isTcg(baseTargets.get(id)) || isTcg(curTargets.get(id)),
      };
      if (!bv.length && !cv.length) continue; // this target does not run this workload
      if (!bv.length || !cv.length) {
        row.reason = `no successful samples in the ${!bv.length ? 'baseline' : 'current'} run`;
      } else {
        try {
          const c = compare(bv, cv, { confidence, higherIsBetter: m.higherIsBetter, tolerancePct });
          row.differencePct = c.differencePct;
          row.ci = c.ci;
          row.overheadPct = c.overheadPct;
          row.verdict = c.verdict ?? 'inconclusive';
          if (!c.ci) row.reason = describeCiNull(c.ciNullReason);
        } catch (err) {
          row.reason = (err as Error).message;
        }
      }
      rows.push(row);
    }
  }

  const failed = rows.some((r) => r.verdict === 'fail');
  const inconclusive = rows.some((r) => r.verdict === 'inconclusive');
  const exitCode = failed ? EXIT_REGRESSION : options.strict && inconclusive ? EXIT_INCONCLUSIVE : EXIT_PASS;
  return {
    baselineRunId: base.runId,
    currentRunId: cur.runId,
    scenario,
    tolerancePct,
    confidence,
    strict: options.strict ?? false,
    rows,
    environment,
    notes,
    exitCode,
  };
}

function fmtSide(s: Side | null, unit: string): string {
  if (!s) return 'no samples';
  const hw = s.ci ? (s.ci.high - s.ci.low) / 2 : null;
  const d = decimalsFor(hw, s.mean);
  return `${fmtNumber(s.mean, d)}${hw !== null ? ` ± ${fmtNumber(hw, d)}` : ''} ${unit} (n=${s.n})`;
}

function verdictText(r: RunComparisonRow): string {
  const v = r.verdict === 'fail' ? 'FAIL (regression)' : r.verdict;
  return r.reason && r.verdict === 'inconclusive' ? `${v}: ${r.reason}` : v;
}

function grid(c: RunComparison): string[][] {
  const out: string[][] = [['Metric', 'Target', `Baseline run ${c.baselineRunId}`, `Current run ${c.currentRunId}`, 'Difference', 'Verdict']];
  for (const r of c.rows) {
    out.push([
      `${r.title} (${r.metric}) ${r.higherIsBetter ? '↑' : '↓'}`,
      `${r.targetLabel}${r.emulated ? ' [TCG]' : ''}`,
      fmtSide(r.baseline, r.unit),
      fmtSide(r.current, r.unit),
      r.differencePct === null ? 'n/a' : `${fmtDiff(r.differencePct, r.ci)}${excludesZero(r.ci) ? ' *' : ''}`,
      verdictText(r),
    ]);
  }
  return out;
}

/** One line per regression, naming the metric and target. */
export function regressionLines(c: RunComparison): string[] {
  return c.rows
    .filter((r) => r.verdict === 'fail')
    .map(
      (r) =>
        `regression: ${r.title} (${r.workload}/${r.metric}) on ${r.targetLabel}: ${fmtDiff(r.differencePct ?? 0, r.ci)}, beyond the tolerance of ${c.tolerancePct} % (the whole interval is worse)`,
    );
}

function footer(c: RunComparison): string[] {
  const conf = `${+(c.confidence * 100).toFixed(1)} %`;
  const lines = [
    `Difference: (current − baseline run) / baseline run, ${conf} CI (Fieller); * the CI excludes 0. Tolerance ${c.tolerancePct} %: fail when the whole interval is worse by more; pass when it lies within.`,
  ];
  if (c.environment.length) {
    lines.push('Environment differences between the runs (comparison allowed, but flagged):');
    lines.push(...c.environment.map((e) => `  - ${e}`));
  }
  if (c.notes.length) lines.push(...c.notes.map((n) => `Note: ${n}`));
  return lines;
}

export function summaryLine(c: RunComparison): string {
  const fails = c.rows.filter((r) => r.verdict === 'fail').length;
  const inc = c.rows.filter((r) => r.verdict === 'inconclusive').length;
  const pass = c.rows.filter((r) => r.verdict === 'pass').length;
  const outcome =
    c.exitCode === EXIT_REGRESSION ? 'REGRESSION' : c.exitCode === EXIT_INCONCLUSIVE ? 'INCONCLUSIVE (--strict)' : 'OK';
  return `${outcome}: ${pass} pass, ${fails} fail, ${inc} inconclusive (tolerance ${c.tolerancePct} %)`;
}

export function renderRunComparisonText(c: RunComparison): string {
  const lines = [
    terminalText(`${c.scenario}: ${c.baselineRunId} (baseline run) vs ${c.currentRunId} (current run)`),
    '',
    alignedTable(grid(c), (col) => col >= 2 && col <= 4),
    '',
    ...footer(c).map((l) => (l.startsWith('  - ') ? `  - ${terminalText(l.slice(4))}` : terminalText(l))),
    ...regressionLines(c).map(terminalText),
    terminalText(summaryLine(c)),
  ];
  return `${lines.join('\n')}\n`;
}

/** The same, as Markdown for $GITHUB_STEP_SUMMARY. */
export function renderRunComparisonMarkdown(c: RunComparison): string {
  const icon = c.exitCode === EXIT_REGRESSION ? '❌' : c.exitCode === EXIT_INCONCLUSIVE ? '⚠️' : '✅';
  const lines = [
    `### ${icon} benchsuite compare: ${markdownCell(c.scenario)}`,
    '',
    `Baseline run ${markdownCode(c.baselineRunId)} vs current run ${markdownCode(c.currentRunId)} — ${markdownCell(summaryLine(c))}`,
    '',
    alignedTable(grid(c), (col) => col >= 2 && col <= 4, markdownCell),
    '',
    ...footer(c).map((l) => (l.startsWith('  - ') ? `- ${markdownText(l.slice(4))}` : markdownText(l))),
    '',
    ...regressionLines(c).map((l) => `- **${markdownCell(l)}**`),
    '',
  ];
  return lines.join('\n');
}
