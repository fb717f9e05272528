/** Public surface of the reporting layer. */
export { renderReports, parseFormats, defaultOutDir, DEFAULT_FORMATS, REPORT_FORMATS } from './render.js';
export type { ReportFormat, RenderOptions } from './render.js';
export { renderTerminalTable, renderMarkdown } from './text.js';
export { renderCsv, csvRows, CSV_COLUMNS } from './csv.js';
export {
  summaryJson,
  githubActionBenchmark,
  bencher,
  validateSummary,
  validateGabEntries,
  validateBencher,
  SUMMARY_FORMAT,
  SUMMARY_FORMAT_VERSION,
} from './json.js';
export type { SummaryJson, GabEntry, GabExports, BencherJson, BencherMetric } from './json.js';
export { renderHtml } from './html.js';
export { reportCharts, renderCharts, renderSvg, svgToPng, metricChartSpec, overheadChartSpec } from './charts.js';
export type { Chart, RenderedChart } from './charts.js';
export { buildTableModel, tableGrid, cellDisplay } from './table-model.js';
export type { TableModel, TableRow, MetricRow, SecurityRow, ValueCell, DiffCell, SecurityCell, Footnote, TableOptions } from './table-model.js';
export { loadResults, parseSamplesLog, validateResults } from './load.js';
export { compareRuns, renderRunComparisonText, renderRunComparisonMarkdown, DEFAULT_TOLERANCE_PCT } from './compare-runs.js';
export type { RunComparison, RunComparisonRow, CompareRunsOptions } from './compare-runs.js';
export { loadHistory, buildHistory, historyCharts, renderHistory } from './history.js';
export type { HistoryLoad, HistorySeries, HistoryPoint, HistoryReport } from './history.js';
export { ReportInputError, TCG_LABEL } from './common.js';
