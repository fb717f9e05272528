/**
 * Text renderers: the terminal table printed at the end of `benchsuite run` (an aligned Markdown table,
 * readable as plain text) and the Markdown report (table.md).
 */
import type { RunResults } from '../results/model.js';
import { stringify as toYaml } from 'yaml';
import { confidencePct, targetHalfWidthPct } from './common.js';
import { postureReport } from './posture-bridge.js';
import { buildTableModel, tableGrid, type TableModel, type TableOptions } from './table-model.js';
import { markdownCell, markdownCode, markdownFence, markdownText } from '../util/markdown.js';
import { terminalText } from '../util/terminal.js';

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

/** A cell for the terminal: control characters and escape sequences removed, pipes escaped to keep the columns. */
function terminalCell(s: string): string {
  return terminalText(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/**
 * An aligned pipe table, readable as is in a terminal. `escape` makes each cell safe for where the table goes:
 * the terminal (default) or Markdown (`markdownCell`: no raw HTML, no inline syntax).
 */
export function alignedTable(grid: string[][], rightAligned: (col: number) => boolean, escape: (cell: string) => string = terminalCell): string {
  const esc = grid.map((r) => r.map((c) => escape(String(c))));
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
    for (const f of model.footnotes) out.push(`[${f.id}] ${terminalText(f.text)}`);
  }
  out.push('');
  out.push(...model.legend.map(terminalText));
  return out.join('\n');
}

/**
 * The table printed at the end of `benchsuite run`: a heading line, the TCG warning when any target ran
 * in an emulated guest, the table, footnotes and legend.
 */
export function renderTerminalTable(results: RunResults, options: TableOptions = {}): string {
  const model = buildTableModel(results, options);
  const lines = [terminalText(`${model.title}: run ${model.runId} (${results.status}, ${model.confidenceText} confidence)`)];
  for (const n of model.tcgNotes) lines.push(`WARNING ${terminalText(n)}`);
  lines.push('', renderTableBlock(model));
  return `${lines.join('\n')}\n`;
}

/** A list of Markdown items; each item must already be Markdown-safe (built with util/markdown.ts). */
function mdList(items: string[]): string {
  return items.map((i) => `- ${i.replace(/[\r\n]+/g, ' ')}`).join('\n');
}

/** Markdown footnote lines need a hard break between them; a blank line keeps each its own paragraph. */
function mdTableBlock(model: TableModel): string {
  const grid = tableGrid(model);
  const out = [alignedTable(grid, (c) => c > 0, markdownCell), ''];
  for (const f of model.footnotes) out.push(`[${f.id}] ${markdownText(f.text)}`, '');
  for (const l of model.legend) out.push(markdownText(l), '');
  return out.join('\n').trimEnd();
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
  out.push(`# ${markdownCell(sc?.name ?? 'benchsuite')}: benchmark report`, '');
  // The description is prose: each line made inline-safe (no raw HTML, no headings, no fences).
  if (sc?.description) out.push(sc.description.trim().split(/\r?\n/).map((l) => markdownText(l)).join('\n'), '');
  const meta = [
    `Run: ${markdownCode(results.runId)} (${markdownCell(results.status)}${results.quick ? ', quick' : ''})`,
    `Started: ${markdownCell(results.startedAt)}${results.finishedAt ? `; finished: ${markdownCell(results.finishedAt)}` : ''}`,
    ...(results.git?.commit || results.git?.branch
      ? [`Git: ${[results.git.commit ? markdownCode(results.git.commit) : '', results.git.branch ? `(${markdownCell(results.git.branch)})` : ''].filter(Boolean).join(' ')}`]
      : []),
    ...(results.command?.length ? [`Command: ${markdownCode(results.command.join(' '))}`] : []),
    markdownCell(`Confidence: ${confidencePct(results)}; sampling: ${samplingText(results)}; order: ${sc?.order ?? 'unknown'}; warmup: ${sc?.warmup ?? 'unknown'}`),
    `Baseline: ${markdownCell(primary.baseline.label)}`,
    ...(typeof sc?.tolerancePct === 'number' ? [`Tolerance: ${sc.tolerancePct} %`] : []),
    markdownCell(`benchsuite ${results.tool?.version ?? ''}`.trim()),
  ];
  out.push(mdList(meta), '');
  for (const n of primary.tcgNotes) out.push(`> **Warning:** ${markdownCell(n)}.`, '');

  out.push('## Results', '', mdTableBlock(primary), '');
  if (hasSecondary) {
    out.push('## Secondary metrics', '', mdTableBlock(buildTableModel(results, { metrics: 'secondary', security: false, environmentDifferences: [] })), '');
  }
  out.push('## Environment differences', '');
  out.push(primary.environmentDifferences.length ? mdList(primary.environmentDifferences.map((d) => markdownText(d))) : 'None found between the baseline and the candidates.', '');
  out.push(postureReport(results).markdown.trim(), '');
  if (results.notes?.length) out.push('## Notes', '', mdList(results.notes.map((n) => markdownText(n))), '');
  // A fence longer than any backtick run in the YAML: a ``` line in a description cannot end the block.
  out.push('## Scenario as run', '', markdownFence(toYaml(results.scenario ?? {}).trimEnd(), 'yaml'), '');
  return out.join('\n');
}
