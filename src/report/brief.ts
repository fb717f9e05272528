/**
 * The brief table (`--style brief`): the article's shape, for a slide or a message.
 *
 *   Metric | Bare Metal | KVM + Docker | Difference
 *
 * Means with their unit and only the digits their precision supports (rounded at the first significant
 * digit of the CI half-width); the difference as "−1.1 % (−5.9 to +4.1)", or "no difference resolved (±5 %)"
 * when its interval contains 0 and lies within ± the scenario's tolerance; the Kernel Security row; one
 * footnote line (n, confidence, machine, date). Built on the table model, so its headers say what ran (a
 * column that did not run in a KVM guest is not headed "KVM + Docker", and the line under the table says why).
 * Markdown, HTML and a PNG (from an SVG drawn here with DejaVu Sans metrics).
 */
import type { RunResults } from '../results/model.js';
import { escapeHtml } from './common.js';
import { DEFAULT_TOLERANCE_PCT } from './compare-runs.js';
import { buildTableModel, type DiffCell, type MetricRow, type SecurityRow, type TableModel, type ValueCell } from './table-model.js';
import { dejaVuWidth } from './text-metrics.js';

export const REPORT_STYLES = ['detailed', 'brief'] as const;
export type ReportStyle = (typeof REPORT_STYLES)[number];

export interface BriefTable {
  title: string;
  header: string[];
  rows: string[][];
  /** Lines under the table: why a column is headed with what ran (if any), then the one footnote line. */
  notes: string[];
}

const MINUS = '\u2212';

function signed(v: string): string {
  return v.startsWith('-') ? `${MINUS}${v.slice(1)}` : v;
}

/** A number rounded at the first significant digit of `precision` (the CI half-width); 3 significant digits without one. */
export function roundToPrecision(value: number, precision: number | null): string {
  if (!Number.isFinite(value)) return String(value);
  let exp: number;
  if (precision !== null && Number.isFinite(precision) && precision > 0) exp = Math.floor(Math.log10(precision));
  else exp = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value))) - 2;
  if (exp >= 0) {
    const step = 10 ** exp;
    return signed(String(Math.round(value / step) * step));
  }
  const s = value.toFixed(Math.min(6, -exp));
  return signed(/^-0\.?0*$/.test(s) ? s.slice(1) : s);
}

function meanText(cell: ValueCell, unit: string): string {
  if (cell.incomplete || cell.mean === null) return 'incomplete';
  return `${roundToPrecision(cell.mean, cell.halfWidth)}${unit ? ` ${unit}` : ''}`;
}

/** Percent with one decimal (two when the interval is narrower than 0.2 points), with a sign. */
function pct(v: number, fine: boolean): string {
  const s = v.toFixed(fine ? 2 : 1);
  const z = /^-?0\.0+$/.test(s);
  if (z) return s.replace('-', '');
  return v > 0 ? `+${s}` : signed(s);
}

/** "−1.1 % (−5.9 to +4.1)", or "no difference resolved (±5 %)". */
export function briefDifference(d: DiffCell, tolerancePct: number): string {
  if (!d.available || d.differencePct === null) return 'n/a';
  if (d.ciLow === null || d.ciHigh === null) {
    return `${pct(d.differencePct, false)} % (${d.tooFewSamples ? 'no interval: n < 2' : 'interval unbounded'})`;
  }
  const containsZero = d.ciLow <= 0 && d.ciHigh >= 0;
  if (containsZero && d.ciLow >= -tolerancePct && d.ciHigh <= tolerancePct) return `no difference resolved (±${tolerancePct} %)`;
  const fine = d.ciHigh - d.ciLow < 0.2;
  return `${pct(d.differencePct, fine)} % (${pct(d.ciLow, fine)} to ${pct(d.ciHigh, fine)})`;
}

function machineText(results: RunResults, model: TableModel): string {
  const fp = model.baseline.record?.fingerprint;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
  const parts = [str(fp?.cpuModel), str(fp?.cores) ? `${str(fp?.cores)} cores` : undefined, str(fp?.kernelRelease) ? `Linux ${str(fp?.kernelRelease)}` : undefined].filter(Boolean);
  return parts.length ? parts.join(', ') : 'machine unknown';
}

function nText(model: TableModel): string {
  const ns = new Set<number>();
  for (const r of model.rows) if (r.kind === 'metric') for (const c of r.cells) if (!c.incomplete) ns.add(c.n);
  const list = [...ns].sort((a, b) => a - b);
  if (!list.length) return 'n = 0';
  return list.length === 1 ? `n = ${list[0]} per cell` : `n = ${list[0]}–${list.at(-1)} per cell`;
}

export function buildBrief(results: RunResults): BriefTable {
  const model = buildTableModel(results, { metrics: 'primary' });
  const tol = typeof results.scenario?.tolerancePct === 'number' ? results.scenario.tolerancePct : DEFAULT_TOLERANCE_PCT;
  const many = model.candidates.length > 1;
  const header = ['Metric', model.baseline.label];
  for (const c of model.candidates) header.push(c.label, many ? `Difference (${c.label})` : 'Difference');
  const rows: string[][] = [];
  for (const r of model.rows) {
    if (r.kind === 'metric') {
      const row = r as MetricRow;
      const out = [row.label, meanText(row.cells[0] as ValueCell, row.unit)];
      model.candidates.forEach((_, i) => out.push(meanText(row.cells[i + 1] as ValueCell, row.unit), briefDifference(row.differences[i] as DiffCell, tol)));
      rows.push(out);
    } else {
      const row = r as SecurityRow;
      const out = [row.label, row.cells[0]?.text ?? '—'];
      model.candidates.forEach((_, i) => out.push(row.cells[i + 1]?.text ?? '', ''));
      rows.push(out);
    }
  }
  const date = (results.finishedAt ?? results.startedAt ?? '').slice(0, 10);
  // With blocks (`repeat` ≥ 2) the intervals come from the block means; say so (docs/statistics.md).
  const blocks = Math.max(0, ...results.summaries.map((s) => s.levels?.blocks ?? 0));
  const intervals = blocks >= 2 ? `${model.confidenceText} confidence intervals over ${blocks} independent blocks (block means)` : `${model.confidenceText} confidence intervals`;
  const footnote = `${nText(model)}; ${intervals}; ${machineText(results, model)}; ${date || 'date unknown'}; benchsuite run ${results.runId}.`;
  const why = model.ranAs.map((r) => `${r.label}: ${r.short}.`);
  const tcg = model.tcgNotes.filter(() => model.ranAs.length === 0).map((n) => `${n}.`);
  return { title: `${model.title}`, header, rows, notes: [...why, ...tcg, footnote] };
}

function pad(s: string, w: number, right: boolean): string {
  const len = [...s].length;
  return right ? ' '.repeat(Math.max(0, w - len)) + s : s + ' '.repeat(Math.max(0, w - len));
}

/** Terminal and Markdown: a pipe table, numbers right-aligned, then the notes. */
export function renderBriefMarkdown(results: RunResults, brief: BriefTable = buildBrief(results)): string {
  const grid = [brief.header, ...brief.rows].map((r) => r.map((c) => c.replace(/\|/g, '\\|')));
  const widths = brief.header.map((_, i) => Math.max(3, ...grid.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => pad(c, widths[i] as number, i > 0)).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i > 0 ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  const out = [line(grid[0] as string[]), sep, ...grid.slice(1).map(line), ''];
  for (const n of brief.notes) out.push(n.replace(/([*_`\\<>])/g, '\\$1'), '');
  return `${out.join('\n').trimEnd()}\n`;
}

/** A self-contained HTML page with the brief table. */
export function renderBriefHtml(results: RunResults, brief: BriefTable = buildBrief(results)): string {
  const head = brief.header.map((h, i) => `<th${i > 0 ? ' class="num"' : ''} scope="col">${escapeHtml(h)}</th>`).join('');
  const body = brief.rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td class="num">${escapeHtml(c)}</td>`)).join('')}</tr>`)
    .join('\n');
  const notes = brief.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(brief.title)}: brief</title>
<style>
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 2rem; color: #111; }
table { border-collapse: collapse; font-size: 15px; }
th, td { padding: 0.45rem 0.9rem; border-bottom: 1px solid #ccc; text-align: left; }
thead th { border-bottom: 2px solid #333; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { font-size: 12px; color: #444; margin: 0.4rem 0; }
</style>
</head>
<body>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
${notes}
</body>
</html>
`;
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The brief table as an SVG (what brief.png is rasterized from): DejaVu Sans, sized from the fonts' real widths. */
export function renderBriefSvg(results: RunResults, brief: BriefTable = buildBrief(results)): string {
  const FONT = 15;
  const NOTE = 12;
  const padX = 14;
  const rowH = 34;
  const margin = 20;
  const cols = brief.header.map((_, i) =>
    Math.ceil(Math.max(dejaVuWidth(brief.header[i] as string, FONT, true), ...brief.rows.map((r) => dejaVuWidth(r[i] ?? '', FONT, i === 0)))) + 2 * padX,
  );
  const tableW = cols.reduce((a, b) => a + b, 0);
  const noteW = Math.max(0, ...brief.notes.map((n) => Math.ceil(dejaVuWidth(n, NOTE))));
  const width = Math.max(tableW, noteW) + 2 * margin;
  const tableH = rowH * (brief.rows.length + 1);
  const height = margin + tableH + 14 + brief.notes.length * (NOTE + 8) + margin;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  const cellText = (text: string, col: number, y: number, bold: boolean): string => {
    const x0 = margin + cols.slice(0, col).reduce((a, b) => a + b, 0);
    const right = col > 0;
    const x = right ? x0 + (cols[col] as number) - padX : x0 + padX;
    return `<text x="${x}" y="${y}" font-size="${FONT}"${bold ? ' font-weight="bold"' : ''}${right ? ' text-anchor="end"' : ''} fill="#111">${xmlText(text)}</text>`;
  };
  brief.header.forEach((h, i) => out.push(cellText(h, i, margin + rowH / 2 + FONT / 3, true)));
  out.push(`<line x1="${margin}" x2="${margin + tableW}" y1="${margin + rowH}" y2="${margin + rowH}" stroke="#333" stroke-width="2"/>`);
  brief.rows.forEach((r, ri) => {
    const top = margin + rowH * (ri + 1);
    r.forEach((c, i) => out.push(cellText(c, i, top + rowH / 2 + FONT / 3, i === 0)));
    out.push(`<line x1="${margin}" x2="${margin + tableW}" y1="${top + rowH}" y2="${top + rowH}" stroke="#cccccc" stroke-width="1"/>`);
  });
  brief.notes.forEach((n, i) => {
    out.push(`<text x="${margin}" y="${margin + tableH + 14 + (i + 1) * (NOTE + 8) - 6}" font-size="${NOTE}" fill="#444">${xmlText(n)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
