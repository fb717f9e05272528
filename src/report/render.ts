/**
 * renderReports: every output format of one run, written under one directory (default reports/<runId>/).
 *
 *   md    table.md
 *   csv   table.csv
 *   json  summary.json, github-action-benchmark-bigger.json, github-action-benchmark-smaller.json, bencher.json
 *   svg   charts/<name>.svg + charts/<name>.vl.json
 *   png   charts/<name>.png (+ the .vl.json spec); not in the default set
 *   html  report.html (self-contained)
 *
 * With style 'brief' also brief.md, brief.html and brief.png (the article-shaped table, see brief.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResults } from '../results/model.js';
import { ReportInputError } from './common.js';
import { renderSvg, reportCharts, svgToPngAsync, type RenderedChart } from './charts.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { bencher, githubActionBenchmark, summaryJson } from './json.js';
import { buildTableModel } from './table-model.js';
import { buildBrief, renderBriefHtml, renderBriefMarkdown, renderBriefSvg, type ReportStyle } from './brief.js';
import { renderMarkdown } from './text.js';

export const REPORT_FORMATS = ['md', 'csv', 'json', 'svg', 'png', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/**
 * What `benchsuite run` renders at the end (and `benchsuite report` without --format). PNG is opt-in
 * (`--format …,png`): rasterizing costs ~0.1–0.2 s per chart, more than the whole default set.
 */
export const DEFAULT_FORMATS: readonly ReportFormat[] = ['md', 'csv', 'json', 'svg', 'html'];

export interface RenderOptions {
  formats?: readonly ReportFormat[];
  /** Default: reports/<runId>/ under the current directory. */
  outDir?: string;
  /** Chart (and table) secondary metrics too. Default false. */
  secondaryCharts?: boolean;
  /** 'brief' adds brief.md, brief.html and brief.png. Default 'detailed'. */
  style?: ReportStyle;
}

/** Parse "md,csv,json" (as given to --format); throws ReportInputError naming the valid formats. */
export function parseFormats(text: string): ReportFormat[] {
  const items = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = items.filter((i) => !(REPORT_FORMATS as readonly string[]).includes(i));
  if (bad.length || !items.length) {
    throw new ReportInputError(
      `--format ${JSON.stringify(text)}: ${bad.length ? `unknown format ${bad.join(', ')}` : 'no format given'}. Use a comma-separated list of ${REPORT_FORMATS.join(', ')}.`,
    );
  }
  return [...new Set(items)] as ReportFormat[];
}

export function defaultOutDir(results: RunResults): string {
  return path.join('reports', results.runId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** Writes the requested formats; returns the written file paths (in writing order). */
export async function renderReports(results: RunResults, options: RenderOptions = {}): Promise<string[]> {
  const formats = new Set(options.formats ?? DEFAULT_FORMATS);
  const outDir = options.outDir ?? defaultOutDir(results);
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const put = async (rel: string, data: string | Buffer) => {
    const file = path.join(outDir, rel);
    await writeFile(file, data);
    written.push(file);
  };

  // Each PNG rasterizes in resvg's worker threads as soon as its SVG exists, while vega renders the next
  // chart and the other formats are written.
  let charts: RenderedChart[] | undefined;
  const pngs: Promise<Buffer>[] = [];
  if (formats.has('svg') || formats.has('png') || formats.has('html')) {
    charts = [];
    for (const c of reportCharts(results, { secondary: options.secondaryCharts ?? false })) {
      const svg = await renderSvg(c.spec);
      charts.push({ ...c, svg });
      if (formats.has('png')) {
        const png = svgToPngAsync(svg);
        png.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
        pngs.push(png);
      }
    }
  }

  if (formats.has('md')) await put('table.md', renderMarkdown(results));
  if (formats.has('csv')) await put('table.csv', renderCsv(results));
  if (formats.has('json')) {
    const model = buildTableModel(results, { metrics: 'all' });
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    const gab = githubActionBenchmark(results, model);
    await put('summary.json', json(summaryJson(results, model)));
    await put('github-action-benchmark-bigger.json', json(gab.bigger));
    await put('github-action-benchmark-smaller.json', json(gab.smaller));
    await put('bencher.json', json(bencher(results, model)));
  }
  if (charts && (formats.has('svg') || formats.has('png'))) {
    await mkdir(path.join(outDir, 'charts'), { recursive: true });
    for (const c of charts) {
      await put(path.join('charts', `${c.name}.vl.json`), `${JSON.stringify(c.spec, null, 2)}\n`);
      if (formats.has('svg')) await put(path.join('charts', `${c.name}.svg`), c.svg);
    }
  }
  if (formats.has('html')) await put('report.html', await renderHtml(results, charts ? { charts } : {}));
  if (options.style === 'brief') {
    const brief = buildBrief(results);
    const png = svgToPngAsync(renderBriefSvg(results, brief));
    png.catch(() => undefined);
    await put('brief.md', renderBriefMarkdown(results, brief));
    await put('brief.html', renderBriefHtml(results, brief));
    await put('brief.png', await png);
  }
  if (charts) {
    for (const [i, c] of charts.entries()) {
      const png = pngs[i];
      if (png) await put(path.join('charts', `${c.name}.png`), await png);
    }
  }
  return written;
}
