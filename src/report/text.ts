/**
 * Text renderers: the terminal table printed at the end of `benchsuite run` (an aligned Markdown table,
 * readable as plain text) and the Markdown report (table.md).
 */
import type { RunResults } from '../results/model.js';
import { stringify as toYaml } from 'yaml';
import { confidencePct, targetHalfWidthPct } from './common.js';
import { postureReport } from './posture-bridge.js';
import { buildTableModel, tableGrid, type TableModel, type TableOptions } from './table-model.js';

function width(s: string): number {
  // Code points; the table uses no wide (CJK) characters of its own.
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}

function escapeCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** An aligned pipe table: valid Markdown, and readable as is in a terminal. */
export function alignedTable(grid: string[][], rightAligned: (col: number) => boolean): string {
  const esc = grid.map((r) => r.map(escapeCell));
  const cols = Math.max(...esc.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, c) => Math.max(3, ...esc.map((r) => width(r[c] ?? ''))));
  const line = (r: string[]) => `| ${widths.map((w, c) => pad(r[c] ?? '', w, rightAligned(c))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (rightAligned(c) ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  const [head, ...body] = esc;
  return [line(head ?? []), rule, ...body.map(line)].join('\n');
}

/** The table, its numbered footnotes and the marker legend. */
export function renderTableBlock(model: TableModel): string {
  const grid = tableGrid(model);
  const out = [alignedTable(grid, (c) => c > 0)];
  if (model.footnotes.length) {
    out.push('');
    for (const f of model.footnotes) out.push(`[${f.id}] ${f.text}`);
  }
  out.push('');
  out.push(...model.legend);
  return out.join('\n');
}

/**
 * The table printed at the end of `benchsuite run`: a heading line, the TCG warning when any target ran
 * in an emulated guest, the table, footnotes and legend.
 */
export function renderTerminalTable(results: RunResults, options: TableOptions = {}): string {
  const model = buildTableModel(results, options);
  const lines = [`${model.title}: run ${model.runId} (${results.status}, ${model.confidenceText} confidence)`];
  for (const n of model.tcgNotes) lines.push(`WARNING ${n}`);
  lines.push('', renderTableBlock(model));
  return `${lines.join('\n')}\n`;
}

function mdList(items: string[]): string {
  return items.map((i) => `- ${i.replace(/\n/g, ' ')}`).join('\n');
}

/** Markdown footnote lines need a hard break between them; a blank line keeps each its own paragraph. */
function mdTableBlock(model: TableModel): string {
  const grid = tableGrid(model);
  const out = [alignedTable(grid, (c) => c > 0), ''];
  for (const f of model.footnotes) out.push(`[${f.id}] ${escapeInline(f.text)}`, '');
  for (const l of model.legend) out.push(escapeInline(l), '');
  return out.join('\n').trimEnd();
}

function escapeInline(s: string): string {
  // Keep "*" from turning footnotes into emphasis.
  return s.replace(/([*_`\\<>])/g, '\\$1');
}

export function samplingText(results: RunResults): string {
  const s = results.scenario?.samples;
  const target = targetHalfWidthPct(results);
  if (typeof s === 'number') return `${s} samples per target and workload`;
  if (s && typeof s === 'object') {
    return `adaptive, ${s.min}–${s.max} samples until the CI half-width is within ${target} % of the mean`;
  }
  return 'unknown';
}

/** The Markdown report (table.md). */
export function renderMarkdown(results: RunResults): string {
  const primary = buildTableModel(results, { metrics: 'primary' });
  const hasSecondary = results.metrics.some((m) => !m.primary);
  const sc = results.scenario;
  const out: string[] = [];
  out.push(`# ${sc?.name ?? 'benchsuite'}: benchmark report`, '');
  if (sc?.description) out.push(sc.description.trim(), '');
  const meta = [
    `Run: \`${results.runId}\` (${results.status}${results.quick ? ', quick' : ''})`,
    `Started: ${results.startedAt}${results.finishedAt ? `; finished: ${results.finishedAt}` : ''}`,
    ...(results.git?.commit || results.git?.branch
      ? [`Git: ${[results.git.commit ? `\`${results.git.commit}\`` : '', results.git.branch ? `(${results.git.branch})` : ''].filter(Boolean).join(' ')}`]
      : []),
    ...(results.command?.length ? [`Command: \`${results.command.join(' ').replace(/`/g, "'")}\``] : []),
    `Confidence: ${confidencePct(results)}; sampling: ${samplingText(results)}; order: ${sc?.order ?? 'unknown'}; warmup: ${sc?.warmup ?? 'unknown'}`,
    `Baseline: ${primary.baseline.label}`,
    ...(typeof sc?.tolerancePct === 'number' ? [`Tolerance: ${sc.tolerancePct} %`] : []),
    `benchsuite ${results.tool?.version ?? ''}`.trim(),
  ];
  out.push(mdList(meta), '');
  for (const n of primary.tcgNotes) out.push(`> **Warning:** ${n}.`, '');

  out.push('## Results', '', mdTableBlock(primary), '');
  if (hasSecondary) {
    out.push('## Secondary metrics', '', mdTableBlock(buildTableModel(results, { metrics: 'secondary', security: false, environmentDifferences: [] })), '');
  }
  out.push('## Environment differences', '');
  out.push(primary.environmentDifferences.length ? mdList(primary.environmentDifferences) : 'None found between the baseline and the candidates.', '');
  out.push(postureReport(results).markdown.trim(), '');
  if (results.notes?.length) out.push('## Notes', '', mdList(results.notes), '');
  out.push('## Scenario as run', '', '```yaml', toYaml(results.scenario ?? {}).trimEnd(), '```', '');
  return out.join('\n');
}
