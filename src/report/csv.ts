/**
 * table.csv: one row per (metric, target), one value per cell. Numbers are written as numbers at full
 * precision (they parse back to the same doubles), empty cells mean "not applicable / unknown",
 * booleans are `true`/`false`. Difference columns are filled on candidate rows only.
 */
import { stringify } from 'csv-stringify/sync';
import type { RunResults } from '../results/model.js';
import { buildTableModel, type MetricRow, type SecurityRow } from './table-model.js';
import { TCG_LABEL } from './common.js';
import { csvCell } from '../util/csv.js';

/** Column order of table.csv (documented in docs/reports.md). */
export const CSV_COLUMNS = [
  'run_id',
  'scenario',
  'workload',
  'metric',
  'title',
  'unit',
  'higher_is_better',
  'primary',
  'target',
  'target_label',
  'role',
  'baseline',
  'n',
  'failed',
  'incomplete',
  'mean',
  'median',
  'stddev',
  'min',
  'max',
  'ci_low',
  'ci_high',
  'ci_half_width',
  'relative_half_width_pct',
  'precision_met',
  'outliers',
  'difference_pct',
  'diff_ci_low',
  'diff_ci_high',
  'diff_unbounded',
  'diff_significant',
  'verdict',
  'p_value',
  'mann_whitney_p',
  'diff_without_outliers_pct',
  'diff_without_outliers_ci_low',
  'diff_without_outliers_ci_high',
  'kernel_security',
  'emulated',
  'confidence',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];
export type CsvRow = Record<CsvColumn, string | number | boolean | null>;

/** The rows of table.csv as objects (before stringification). */
export function csvRows(results: RunResults): CsvRow[] {
  const model = buildTableModel(results, { metrics: 'all' });
  const security = model.rows.find((r): r is SecurityRow => r.kind === 'security');
  const rows: CsvRow[] = [];
  for (const row of model.rows) {
    if (row.kind !== 'metric') continue;
    const r = row as MetricRow;
    model.targets.forEach((t, i) => {
      const cell = r.cells[i];
      if (!cell) return;
      const diff = t.role === 'candidate' ? r.differences[i - 1] : undefined;
      const sec = security?.cells[i];
      rows.push({
        run_id: results.runId,
        scenario: model.title,
        workload: r.workload,
        metric: r.metric,
        title: r.title,
        unit: r.unit,
        higher_is_better: r.higherIsBetter,
        primary: r.primary,
        target: t.id,
        target_label: t.label,
        role: t.role,
        baseline: model.baseline.id,
        n: cell.n,
        failed: cell.failed,
        incomplete: cell.incomplete,
        mean: cell.mean,
        median: cell.median,
        stddev: cell.stddev,
        min: cell.min,
        max: cell.max,
        ci_low: cell.ciLow,
        ci_high: cell.ciHigh,
        ci_half_width: cell.halfWidth,
        relative_half_width_pct: cell.relativeHalfWidthPct,
        precision_met: cell.precisionMet,
        outliers: cell.outliers,
        difference_pct: diff?.available ? diff.differencePct : null,
        diff_ci_low: diff?.available ? diff.ciLow : null,
        diff_ci_high: diff?.available ? diff.ciHigh : null,
        diff_unbounded: diff?.available ? diff.unbounded : null,
        diff_significant: diff?.available ? diff.significant : null,
        verdict: diff?.available ? diff.verdict : null,
        p_value: diff?.available ? diff.pValue : null,
        mann_whitney_p: diff?.available ? diff.mannWhitneyP : null,
        diff_without_outliers_pct: diff?.withoutOutliers?.differencePct ?? null,
        diff_without_outliers_ci_low: diff?.withoutOutliers?.ciLow ?? null,
        diff_without_outliers_ci_high: diff?.withoutOutliers?.ciHigh ?? null,
        kernel_security: sec && sec.value ? sec.text : null,
        emulated: t.tcg ? `TCG: ${TCG_LABEL}` : null,
        confidence: results.confidence,
      });
    });
  }
  return rows;
}

export function renderCsv(results: RunResults): string {
  // Text cells a spreadsheet would evaluate (=, +, -, @, tab, CR first) are neutralised; numbers stay numbers.
  const rows = csvRows(results).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, csvCell(v)])) as CsvRow);
  return stringify(rows, {
    header: true,
    columns: [...CSV_COLUMNS],
    cast: {
      boolean: (v) => (v ? 'true' : 'false'),
      // String(n) is the shortest text that parses back to the same double.
      number: (v) => String(v),
    },
  });
}
