/**
 * `benchsuite history`: every stored run in a directory, grouped by scenario, target and metric, drawn as
 * a regression chart (mean with its CI band over time — or over git commits when the runs carry
 * git.commit), with each point's verdict against the previous run and the change points marked.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { RunResults } from '../results/model.js';
import { compare, type Verdict } from '../stats/index.js';
import {
  ReportInputError,
  ResultsIndex,
  TCG_LABEL,
  decimalsFor,
  escapeHtml as esc,
  fmtDiff,
  fmtNumber,
  isTcg,
  metricSelected,
  slug,
  targetLabel,
} from './common.js';
import { DEFAULT_TOLERANCE_PCT } from './compare-runs.js';
import { CHART_FONT, chartConfig, inlineSvg, renderSvg, titleWithUnit } from './charts.js';
import { HTML_CSS } from './html.js';
import { loadResults } from './load.js';
import { terminalText } from '../util/terminal.js';

export interface StoredRun {
  file: string;
  results: RunResults;
}

export interface HistoryLoad {
  dir: string;
  runs: StoredRun[];
  /** Files that were not used, with the reason (corrupt JSON, not a results file…). */
  skipped: { file: string; reason: string }[];
}

/** The most results files `history` reads from one directory (each is also capped in size, see util/fs.ts). */
export const MAX_HISTORY_FILES = 10_000;

/**
 * Read every `*.json` results file in `dir` (not recursive); corrupt or foreign files are skipped and named.
 * Only regular files are read (a FIFO or device named *.json is skipped, never waited on), each validated
 * like any results file (src/report/load.ts).
 */
export async function loadHistory(dir: string): Promise<HistoryLoad> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReportInputError(
      code === 'ENOENT'
        ? `${dir}: no such directory. Pass the directory holding stored results (benchsuite run writes them to results/).`
        : code === 'ENOTDIR'
          ? `${dir}: not a directory. Pass the directory that holds the results files, not one file.`
          : `${dir}: cannot be read (${(err as Error).message}).`,
    );
  }
  const files = names.filter((n) => n.endsWith('.json') && !n.endsWith('.vl.json')).sort();
  if (files.length > MAX_HISTORY_FILES) {
    throw new ReportInputError(`${dir}: ${files.length} .json files, more than the ${MAX_HISTORY_FILES} history reads. Pass a directory holding one series of results.`);
  }
  const runs: StoredRun[] = [];
  const skipped: HistoryLoad['skipped'] = [];
  // A few files at a time: reading overlaps with parsing, without opening thousands of files at once.
  const loaded: (StoredRun | { file: string; reason: string })[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = path.join(dir, files[i] as string);
      try {
        loaded[i] = { file, results: await loadResults(file) };
      } catch (err) {
        loaded[i] = { file, reason: (err as Error).message.replace(`${file}: `, '') };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, files.length) }, worker));
  for (const l of loaded) {
    if ('results' in l) runs.push(l);
    else skipped.push(l);
  }
  return { dir, runs, skipped };
}

export type ChangePoint = 'regression' | 'improvement' | null;

export interface HistoryPoint {
  runId: string;
  file: string;
  startedAt: string;
  commit: string | null;
  /** Position along the x axis (0-based, in time order). */
  order: number;
  /** Axis label: short commit (with a suffix when a commit has several runs) or the start time. */
  label: string;
  n: number;
  mean: number;
  ciLow: number | null;
  ciHigh: number | null;
  /** Verdict of this run vs the previous run with data; 'first' for the first point. */
  verdict: Verdict | 'first';
  differencePct: number | null;
  diffCi: { low: number; high: number } | null;
  changePoint: ChangePoint;
  emulated: boolean;
  /** Confidence level of the run (used for its comparison with the previous run). */
  confidence: number;
}

export interface HistorySeries {
  scenario: string;
  workload: string;
  metric: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  target: string;
  targetLabel: string;
  tolerancePct: number;
  points: HistoryPoint[];
}

export interface HistoryOptions {
  metrics?: string[];
  /** Default: each run's scenario.tolerancePct, else 5 %. */
  tolerancePct?: number;
}

function runTime(r: RunResults): number {
  const t = Date.parse(r.startedAt);
  return Number.isFinite(t) ? t : 0;
}

export function buildHistory(runs: StoredRun[], options: HistoryOptions = {}): HistorySeries[] {
  const sorted = [...runs].sort((a, b) => runTime(a.results) - runTime(b.results) || a.results.runId.localeCompare(b.results.runId));
  const series = new Map<string, HistorySeries>();
  const rawValues = new Map<HistoryPoint, number[]>();
  for (const { file, results } of sorted) {
    const idx = new ResultsIndex(results);
    const scenario = results.scenario?.name ?? 'unknown';
    for (const m of results.metrics) {
      if (!metricSelected(m, options.metrics)) continue;
      for (const t of results.targets) {
        const values = idx.values(t.id, m.workload, m.metric);
        if (!values.length) continue;
        const key = `${scenario}\u0000${t.id}\u0000${m.workload}\u0000${m.metric}`;
        let s = series.get(key);
        if (!s) {
          s = {
            scenario,
            workload: m.workload,
            metric: m.metric,
            title: m.title,
            unit: m.unit,
            higherIsBetter: m.higherIsBetter,
            target: t.id,
            targetLabel: targetLabel(results, t.id),
            tolerancePct: options.tolerancePct ?? results.scenario?.tolerancePct ?? DEFAULT_TOLERANCE_PCT,
            points: [],
          };
          series.set(key, s);
        }
        const sum = idx.summary(t.id, m.workload, m.metric);
        const useSummary = sum && sum.n === values.length && Number.isFinite(sum.mean);
        const point: HistoryPoint = {
          runId: results.runId,
          file,
          startedAt: results.startedAt,
          commit: results.git?.commit ?? null,
          order: 0,
          label: '',
          n: values.length,
          mean: useSummary ? sum.mean : values.reduce((a, b) => a + b, 0) / values.length,
          ciLow: useSummary && sum.ci ? sum.ci.low : null,
          ciHigh: useSummary && sum.ci ? sum.ci.high : null,
          verdict: 'first',
          differencePct: null,
          diffCi: null,
          changePoint: null,
          emulated: isTcg(t),
          confidence: results.confidence || 0.95,
        };
        s.points.push(point);
        rawValues.set(point, values);
      }
    }
  }
  for (const s of series.values()) {
    let prev: HistoryPoint | null = null;
    for (const p of s.points) {
      if (prev) {
        const a = rawValues.get(prev) as number[];
        const b = rawValues.get(p) as number[];
        try {
          const c = compare(a, b, { confidence: p.confidence, higherIsBetter: s.higherIsBetter, tolerancePct: s.tolerancePct });
          p.verdict = c.verdict ?? 'inconclusive';
          p.differencePct = c.differencePct;
          p.diffCi = c.ci;
          if (p.verdict === 'fail') p.changePoint = 'regression';
          else if (c.overheadCi && c.overheadCi.high < -s.tolerancePct) p.changePoint = 'improvement';
        } catch {
          p.verdict = 'inconclusive';
        }
      }
      prev = p;
    }
  }
  // Axis labels shared by all series of a scenario, so the targets line up on one axis.
  const out = [...series.values()];
  labelPoints(out);
  return out;
}

function labelPoints(series: HistorySeries[]): void {
  const byScenario = new Map<string, HistorySeries[]>();
  for (const s of series) byScenario.set(s.scenario, [...(byScenario.get(s.scenario) ?? []), s]);
  for (const group of byScenario.values()) {
    const runs = new Map<string, { startedAt: string; commit: string | null }>();
    for (const s of group) for (const p of s.points) runs.set(p.runId, { startedAt: p.startedAt, commit: p.commit });
    const ordered = [...runs.entries()].sort((a, b) => (Date.parse(a[1].startedAt) || 0) - (Date.parse(b[1].startedAt) || 0) || a[0].localeCompare(b[0]));
    const byCommit = ordered.every(([, r]) => r.commit);
    const seen = new Map<string, number>();
    const labels = new Map<string, { order: number; label: string }>();
    ordered.forEach(([runId, r], i) => {
      let label: string;
      if (byCommit) {
        const short = (r.commit as string).slice(0, 8);
        const k = (seen.get(short) ?? 0) + 1;
        seen.set(short, k);
        label = k > 1 ? `${short} (${k})` : short;
      } else {
        label = r.startedAt.replace('T', ' ').replace(/\.\d+Z?$/, '').replace(/Z$/, '');
      }
      labels.set(runId, { order: i, label });
    });
    for (const s of group) {
      for (const p of s.points) {
        const l = labels.get(p.runId) as { order: number; label: string };
        p.order = l.order;
        p.label = l.label;
      }
    }
  }
}

export interface HistoryChart {
  name: string;
  title: string;
  spec: TopLevelSpec;
  series: HistorySeries[];
}

/** One chart per (scenario, workload, metric); each target is a coloured line with its CI band. */
export function historyCharts(series: HistorySeries[]): HistoryChart[] {
  const groups = new Map<string, HistorySeries[]>();
  for (const s of series) {
    const key = `${s.scenario}\u0000${s.workload}\u0000${s.metric}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const charts: HistoryChart[] = [];
  const used = new Set<string>();
  for (const group of groups.values()) {
    const first = group[0] as HistorySeries;
    const rows: Record<string, unknown>[] = [];
    const labels = new Map<number, string>();
    for (const s of group) {
      for (const p of s.points) {
        labels.set(p.order, p.label);
        rows.push({
          target: s.targetLabel,
          x: p.label,
          order: p.order,
          time: p.startedAt,
          mean: p.mean,
          low: p.ciLow ?? p.mean,
          high: p.ciHigh ?? p.mean,
          verdict: p.verdict,
          change: p.changePoint ?? '',
          diff: p.differencePct === null ? '' : fmtDiff(p.differencePct, p.diffCi),
          run: p.runId,
        });
      }
    }
    const xCount = labels.size;
    const byCommit = group.every((s) => s.points.every((p) => p.commit));
    const targets = group.map((s) => s.targetLabel);
    const tcg = group.filter((s) => s.points.some((p) => p.emulated)).map((s) => `⚠ ${s.targetLabel}: ${TCG_LABEL}`);
    const yTitle = titleWithUnit(first.title, first.unit);
    // Sorting by a field (not by a literal list of labels) keeps the compiled expressions small with 1,000s of runs.
    // With many runs, label (and grid) only ~24 evenly spaced commits.
    const ordered = [...labels.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
    const stride = Math.max(1, Math.ceil(ordered.length / 24));
    const shown = ordered.filter((_, i) => i % stride === 0);
    const x = byCommit
      ? ({
          field: 'x',
          type: 'ordinal',
          sort: { field: 'order', op: 'min' },
          title: 'git commit (oldest → newest)',
          axis: { labelAngle: -40, labelOverlap: 'greedy', labelLimit: 120, ...(stride > 1 ? { values: shown } : {}) },
        } as const)
      : ({
          field: 'time',
          type: 'temporal',
          title: 'run start (UTC)',
          scale: { type: 'utc' },
          axis: { labelAngle: -40, labelOverlap: 'greedy', format: '%Y-%m-%d %H:%M', formatType: 'utc' },
        } as const);
    const y = (field: string) => ({ field, type: 'quantitative', title: yTitle, scale: { zero: false } }) as const;
    const color = { field: 'target', type: 'nominal', sort: targets, title: 'Target', scale: { scheme: 'tableau10' } } as const;
    const tol = first.tolerancePct;
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      description: `History of ${first.title} in ${first.scenario}`,
      title: {
        text: [`${first.scenario}: ${yTitle}, ${first.higherIsBetter ? 'higher' : 'lower'} is better`, ...tcg],
        subtitle: [
          'Line: mean per run; band: its confidence interval.',
          `▼ regression vs the previous run beyond ${tol} % (verdict fail); ▲ improvement beyond ${tol} %.`,
        ],
      },
      width: Math.min(900, Math.max(360, xCount * 28)),
      height: 260,
      config: chartConfig(),
      data: { values: rows },
      layer: [
        { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: y('low'), y2: { field: 'high' }, color } },
        { mark: { type: 'line', strokeWidth: 1.6 }, encoding: { x, y: y('mean'), color } },
        // One dot per run while they can be told apart; beyond that the line carries the values.
        ...(xCount > 150
          ? []
          : [
              {
                mark: { type: 'point', filled: true, size: 40 },
                encoding: {
                  x,
                  y: y('mean'),
                  color,
                  tooltip: [{ field: 'run' }, { field: 'target' }, { field: 'mean' }, { field: 'verdict' }, { field: 'diff' }],
                },
              },
            ]),
        {
          transform: [{ filter: "datum.change === 'regression'" }],
          mark: { type: 'point', shape: 'triangle-down', filled: true, size: 200, color: '#d62728', stroke: 'white', strokeWidth: 1 },
          encoding: { x, y: y('mean') },
        },
        {
          transform: [{ filter: "datum.change === 'regression'" }],
          mark: { type: 'text', dy: -16, fontSize: 11, fontWeight: 'bold', color: '#d62728', font: CHART_FONT },
          encoding: { x, y: y('mean'), text: { value: 'regression' } },
        },
        {
          transform: [{ filter: "datum.change === 'improvement'" }],
          mark: { type: 'point', shape: 'triangle-up', filled: true, size: 200, color: '#2ca02c', stroke: 'white', strokeWidth: 1 },
          encoding: { x, y: y('mean') },
        },
      ],
    } as unknown as TopLevelSpec;
    let name = `history-${slug(first.scenario, 40)}-${slug(first.workload, 30)}-${slug(first.metric, 30)}`;
    for (let k = 2; used.has(name); k++) name = `${name}-${k}`;
    used.add(name);
    charts.push({ name, title: `${first.scenario}: ${first.title} (${first.metric})`, spec, series: group });
  }
  return charts;
}

export interface HistoryReport {
  files: string[];
  series: HistorySeries[];
  /** "scenario / metric / target: run (commit): -12.3 % [...]" per regression. */
  regressions: string[];
  text: string;
}

function describePoint(s: HistorySeries, p: HistoryPoint): string {
  return `${s.scenario} / ${s.title} (${s.metric}) / ${s.targetLabel}: run ${p.runId}${p.commit ? ` (${p.commit.slice(0, 8)})` : ''}: ${fmtDiff(p.differencePct ?? 0, p.diffCi)} vs the previous run`;
}

function historyHtml(load: HistoryLoad, series: HistorySeries[], charts: { name: string; title: string; svg: string }[]): string {
  const rows = series
    .map((s) => {
      const last = s.points[s.points.length - 1] as HistoryPoint;
      const hw = last.ciLow !== null && last.ciHigh !== null ? (last.ciHigh - last.ciLow) / 2 : null;
      const d = decimalsFor(hw, last.mean);
      const changes = s.points.filter((p) => p.changePoint);
      return `<tr><td>${esc(s.scenario)}</td><td>${esc(s.title)} (${esc(s.metric)})</td><td>${esc(s.targetLabel)}${s.points.some((p) => p.emulated) ? ` — ${esc(TCG_LABEL)}` : ''}</td><td class="num">${s.points.length}</td><td class="num">${esc(`${fmtNumber(last.mean, d)}${hw !== null ? ` ± ${fmtNumber(hw, d)}` : ''} ${s.unit}`)}</td><td>${esc(last.verdict)}</td><td>${changes.length ? changes.map((p) => `${esc(p.changePoint ?? '')} at ${esc(p.label)} (${esc(fmtDiff(p.differencePct ?? 0, p.diffCi))})`).join('<br>') : '—'}</td></tr>`;
    })
    .join('\n');
  const skipped = load.skipped.length
    ? `<section id="skipped"><h2>Files skipped</h2><ul>${load.skipped.map((s) => `<li><code>${esc(s.file)}</code>: ${esc(s.reason)}</li>`).join('')}</ul></section>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>benchsuite history: ${esc(load.dir)}</title>
<style>${HTML_CSS}</style>
</head>
<body>
<header><h1>benchsuite history</h1><p>${load.runs.length} runs from <code>${esc(load.dir)}</code>; each point's verdict is against the previous run of the same target.</p></header>
<main>
<section id="series"><h2>Series</h2>
<table class="results"><thead><tr><th>Scenario</th><th>Metric</th><th>Target</th><th class="num">Runs</th><th class="num">Latest</th><th>Latest verdict</th><th>Change points</th></tr></thead><tbody>
${rows}
</tbody></table></section>
<section id="charts"><h2>Charts</h2>
${charts.map((c) => `<figure class="chart" id="chart-${esc(c.name)}">${inlineSvg(c.svg, `h-${c.name}`)}<figcaption>${esc(c.title)} — ${esc(c.name)}.svg</figcaption></figure>`).join('\n')}
</section>
${skipped}
</main>
</body>
</html>
`;
}

/** Summarize, chart and write a history: <outDir>/<chart>.svg + .vl.json and history.html. */
export async function renderHistory(load: HistoryLoad, options: HistoryOptions & { outDir: string }): Promise<HistoryReport> {
  if (!load.runs.length) {
    const why = load.skipped.length ? ` (${load.skipped.length} JSON file(s) skipped: ${load.skipped.map((s) => `${path.basename(s.file)}: ${s.reason}`).join('; ')})` : '';
    throw new ReportInputError(`${load.dir}: no benchsuite results files found${why}. Pass the directory \`benchsuite run\` stores results in (results/).`);
  }
  const series = buildHistory(load.runs, options);
  if (!series.length) {
    throw new ReportInputError(
      `${load.dir}: no data for ${options.metrics?.length ? `--metric ${options.metrics.join(',')}` : 'the primary metrics'} in ${load.runs.length} runs. Use --metric workload/metric.`,
    );
  }
  const charts = historyCharts(series);
  await mkdir(options.outDir, { recursive: true });
  const files: string[] = [];
  const rendered: { name: string; title: string; svg: string }[] = [];
  for (const c of charts) {
    const svg = await renderSvg(c.spec);
    rendered.push({ name: c.name, title: c.title, svg });
    const specFile = path.join(options.outDir, `${c.name}.vl.json`);
    const svgFile = path.join(options.outDir, `${c.name}.svg`);
    await writeFile(specFile, `${JSON.stringify(c.spec, null, 2)}\n`);
    await writeFile(svgFile, svg);
    files.push(svgFile, specFile);
  }
  const htmlFile = path.join(options.outDir, 'history.html');
  await writeFile(htmlFile, historyHtml(load, series, rendered));
  files.push(htmlFile);

  const regressions: string[] = [];
  for (const s of series) for (const p of s.points) if (p.changePoint === 'regression') regressions.push(describePoint(s, p));
  const improvements: string[] = [];
  for (const s of series) for (const p of s.points) if (p.changePoint === 'improvement') improvements.push(describePoint(s, p));
  const lines = [
    `history: ${load.runs.length} runs, ${series.length} series (scenario/target/metric) from ${load.dir}`,
    ...load.skipped.map((s) => `skipped ${s.file}: ${s.reason}`),
    ...(regressions.length ? regressions.map((r) => `regression: ${r}`) : ['no regressions between consecutive runs']),
    ...improvements.map((r) => `improvement: ${r}`),
    `wrote ${files.length} files to ${options.outDir}`,
  ];
  // Printed to the terminal: file names, labels and reasons come from the directory and its files.
  return { files, series, regressions, text: `${lines.map((l) => terminalText(l)).join('\n')}\n` };
}
