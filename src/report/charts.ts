/**
 * Charts: Vega-Lite specs, compiled with vega-lite and rendered to SVG on the server by vega (no canvas,
 * no browser). PNG is rasterized from that SVG by @resvg/resvg-js with the system DejaVu fonts.
 *
 * Per metric: each target's mean with its CI as whiskers, and every sample as a (jittered) dot.
 * Overhead: the difference in percent with its CI per metric and candidate, a zero line, and the
 * scenario's tolerance as a shaded band when set.
 */
import { createRequire } from 'node:module';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';

// vega, vega-lite and resvg take most of a second to load: only commands that draw pay for them.
const requireCjs = createRequire(import.meta.url);
const resvg = (): typeof import('@resvg/resvg-js') => requireCjs('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
import type { MetricInfo, RunResults } from '../results/model.js';
import { ResultsIndex, TCG_LABEL, confidencePct, orderedMetrics, orderedTargets, slug, tcgNote, type TargetView } from './common.js';
import { buildTableModel, type MetricRow, type TableModel } from './table-model.js';
import { ranAs } from '../env/what-ran.js';
import { installTextMetrics } from './text-metrics.js';

export const CHART_FONT = 'DejaVu Sans';
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const SAMPLE_COLOR = '#4c78a8';
const MEAN_COLOR = '#111111';

/** Shared look: white background, DejaVu Sans everywhere (resvg finds it; vega measures it by estimate). */
export function chartConfig(): Record<string, unknown> {
  return {
    font: CHART_FONT,
    background: 'white',
    padding: 12,
    title: { font: CHART_FONT, fontSize: 14, anchor: 'start', subtitleFont: CHART_FONT, subtitleFontSize: 11, subtitleColor: '#444' },
    axis: { labelFont: CHART_FONT, titleFont: CHART_FONT, labelFontSize: 11, titleFontSize: 12 },
    legend: { labelFont: CHART_FONT, titleFont: CHART_FONT },
    text: { font: CHART_FONT },
    view: { stroke: '#ccc' },
  };
}

export interface Chart {
  /** File stem under charts/, e.g. `disk-write-mbps` or `overhead`. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

export interface RenderedChart extends Chart {
  svg: string;
}

/** Deterministic jitter in [-0.7, 0.7] (golden-ratio sequence), so re-rendering gives the same SVG. */
function jitter(i: number): number {
  return ((i * 0.6180339887498949) % 1) * 1.4 - 0.7;
}

/** "Disk Write (dd) (MB/s)", but not "Apache Bench (Req/s) (req/s)". */
export function titleWithUnit(title: string, unit: string): string {
  return unit && !title.toLowerCase().includes(unit.toLowerCase()) ? `${title} (${unit})` : title;
}

function tcgLines(targets: TargetView[]): string[] {
  return targets.filter((t) => t.tcg).map((t) => `⚠ ${tcgNote(t)}`);
}

/** "Docker (host kernel, no KVM): was meant to run in a KVM guest …" for each column headed with what ran. */
function ranAsLines(results: RunResults, targets: TargetView[]): string[] {
  return targets.flatMap((t) => {
    const r = ranAs(results, t.id, t.declared);
    return r ? [`⚠ ${r.label}: ${r.short}`] : [];
  });
}

export function metricChartSpec(results: RunResults, m: MetricInfo, idx: ResultsIndex = new ResultsIndex(results)): TopLevelSpec {
  const targets = orderedTargets(results);
  const labels = targets.map((t) => t.label);
  const samples: Record<string, unknown>[] = [];
  const means: Record<string, unknown>[] = [];
  const missing: string[] = [];
  for (const t of targets) {
    idx.values(t.id, m.workload, m.metric).forEach((v, i) => samples.push({ target: t.label, value: v, jitter: jitter(i + 1) }));
    const s = idx.summary(t.id, m.workload, m.metric);
    if (s && s.n > 0 && Number.isFinite(s.mean)) {
      means.push({
        target: t.label,
        mean: s.mean,
        low: s.ci ? s.ci.low : s.mean,
        high: s.ci ? s.ci.high : s.mean,
        n: s.n,
      });
    } else {
      missing.push(`${t.label}: incomplete (no successful samples)`);
    }
  }
  const conf = confidencePct(results);
  const yTitle = titleWithUnit(m.title, m.unit);
  const x = { field: 'target', type: 'nominal', sort: labels, scale: { domain: labels }, title: null, axis: { labelAngle: 0, labelLimit: 180 } } as const;
  const y = (field: string) => ({ field, type: 'quantitative', title: yTitle, scale: { zero: false } }) as const;
  const direction = m.higherIsBetter ? 'higher is better' : 'lower is better';
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    description: `${m.title}: mean and ${conf} CI per target, with samples`,
    title: {
      text: [`${titleWithUnit(m.title, m.unit)}, ${direction}`, ...tcgLines(targets)],
      subtitle: [...ranAsLines(results, targets), `Black: mean with ${conf} confidence interval. Dots: individual samples.`, ...missing],
    },
    width: { step: Math.max(90, Math.min(200, 480 / Math.max(1, targets.length))) },
    height: 260,
    config: chartConfig(),
    layer: [
      {
        data: { values: samples },
        mark: { type: 'circle', size: 34, opacity: 0.5, color: SAMPLE_COLOR },
        encoding: {
          x,
          xOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-1, 1] } },
          y: y('value'),
          tooltip: [{ field: 'target' }, { field: 'value', type: 'quantitative' }],
        },
      },
      {
        data: { values: means },
        layer: [
          { mark: { type: 'rule', strokeWidth: 2, color: MEAN_COLOR }, encoding: { x, y: y('low'), y2: { field: 'high' } } },
          { mark: { type: 'tick', thickness: 2, size: 18, color: MEAN_COLOR, opacity: 1 }, encoding: { x, y: y('low') } },
          { mark: { type: 'tick', thickness: 2, size: 18, color: MEAN_COLOR, opacity: 1 }, encoding: { x, y: y('high') } },
          {
            mark: { type: 'point', shape: 'diamond', filled: true, size: 110, color: MEAN_COLOR, opacity: 1, stroke: 'white', strokeWidth: 1 },
            encoding: { x, y: y('mean'), tooltip: [{ field: 'target' }, { field: 'mean' }, { field: 'low' }, { field: 'high' }, { field: 'n' }] },
          },
        ],
      },
    ],
  } as TopLevelSpec;
  return spec;
}

export function overheadChartSpec(results: RunResults, model: TableModel = buildTableModel(results, { metrics: 'primary', security: false })): TopLevelSpec | null {
  if (!model.candidates.length) return null;
  const rows: Record<string, unknown>[] = [];
  const metricLabels: string[] = [];
  for (const r of model.rows) {
    if (r.kind !== 'metric') continue;
    const row = r as MetricRow;
    const label = `${row.title}${row.higherIsBetter ? ' ↑' : ' ↓'}`;
    row.differences.forEach((d, i) => {
      const c = model.candidates[i];
      if (!c || !d.available || d.differencePct === null) return;
      if (!metricLabels.includes(label)) metricLabels.push(label);
      rows.push({
        metric: label,
        candidate: c.label,
        diff: d.differencePct,
        low: d.ciLow ?? d.differencePct,
        high: d.ciHigh ?? d.differencePct,
        unbounded: d.unbounded,
        note: d.unbounded ? 'CI unbounded' : d.tooFewSamples ? 'no CI (n<2)' : d.significant ? '*' : '',
        worse: d.worse ? 'worse' : 'better or equal',
      });
    });
  }
  if (!rows.length) return null;
  const conf = model.confidenceText;
  const tol = results.scenario?.tolerancePct;
  const candLabels = model.candidates.map((c) => c.label);
  const xTitle = `Difference vs ${model.baseline.label} (%)`;
  const xq = (field: string) => ({ field, type: 'quantitative', title: xTitle }) as const;
  const yEnc = { field: 'metric', type: 'nominal', sort: metricLabels, title: null, axis: { labelLimit: 220 } } as const;
  const yOff = { field: 'candidate', type: 'nominal', sort: candLabels } as const;
  const color = { field: 'candidate', type: 'nominal', sort: candLabels, title: 'Candidate', scale: { scheme: 'tableau10' } } as const;
  const layers: Record<string, unknown>[] = [];
  if (typeof tol === 'number' && tol > 0) {
    layers.push({
      data: { values: [{ lo: -tol, hi: tol }] },
      mark: { type: 'rect', color: '#2ca02c', opacity: 0.12 },
      encoding: { x: xq('lo'), x2: { field: 'hi' } },
    });
  }
  layers.push({
    data: { values: [{ zero: 0 }] },
    mark: { type: 'rule', color: '#555', strokeDash: [4, 3] },
    encoding: { x: xq('zero') },
  });
  layers.push({
    data: { values: rows },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: yEnc, yOffset: yOff, x: xq('low'), x2: { field: 'high' }, color } },
      {
        mark: { type: 'point', filled: true, size: 80, shape: 'circle', opacity: 1 },
        encoding: {
          y: yEnc,
          yOffset: yOff,
          x: xq('diff'),
          color,
          tooltip: [{ field: 'metric' }, { field: 'candidate' }, { field: 'diff' }, { field: 'low' }, { field: 'high' }],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 8, dy: -7, fontSize: 10, color: '#333' },
        encoding: { y: yEnc, yOffset: yOff, x: xq('high'), text: { field: 'note' } },
      },
    ],
  });
  const directionNote = 'Sign: candidate − baseline. For ↑ metrics negative is worse; for ↓ metrics positive is worse.';
  return {
    $schema: SCHEMA,
    description: `Difference of each candidate vs ${model.baseline.label}, percent, with ${conf} CI`,
    title: {
      text: [`Difference vs ${model.baseline.label} (%)`, ...tcgLines(model.targets)],
      subtitle: [
        ...model.ranAs.map((r) => `⚠ ${r.label}: ${r.short}`),
        `Dots: difference of the means; bars: ${conf} CI (Fieller); * the CI excludes 0.`,
        ...(typeof tol === 'number' && tol > 0 ? [`Shaded: tolerance ±${tol} %.`] : []),
        directionNote,
      ],
    },
    width: 520,
    height: { step: Math.max(18, 44 / Math.max(1, candLabels.length)) * Math.max(1, candLabels.length) },
    config: chartConfig(),
    layer: layers,
  } as unknown as TopLevelSpec;
}

/** Every chart of one run, unrendered: one per metric (primary by default), then the overhead chart. */
export function reportCharts(results: RunResults, opts: { secondary?: boolean } = {}): Chart[] {
  const idx = new ResultsIndex(results);
  const charts: Chart[] = [];
  const used = new Set<string>();
  const unique = (stem: string) => {
    let s = stem;
    for (let k = 2; used.has(s); k++) s = `${stem}-${k}`;
    used.add(s);
    return s;
  };
  used.add('overhead');
  for (const m of orderedMetrics(results, { secondary: opts.secondary ?? false })) {
    charts.push({ name: unique(`${slug(m.workload, 40)}-${slug(m.metric, 40)}`), title: `${m.title} (${m.metric})`, spec: metricChartSpec(results, m, idx) });
  }
  const overhead = overheadChartSpec(results);
  if (overhead) charts.push({ name: 'overhead', title: 'Difference vs baseline', spec: overhead });
  return charts;
}

const quietLogger = {
  level(): number {
    return 0;
  },
  warn() {
    return this;
  },
  info() {
    return this;
  },
  debug() {
    return this;
  },
  error(...args: readonly unknown[]) {
    throw new Error(`vega-lite: ${args.map(String).join(' ')}`);
  },
};

/** Compile a Vega-Lite spec and render it to a standalone SVG document with vega (no DOM, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  installTextMetrics(vega);
  const compiled = compile(spec, { logger: quietLogger as never }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderCharts(charts: Chart[]): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const c of charts) out.push({ ...c, svg: await renderSvg(c.spec) });
  return out;
}

function pngOptions(zoom: number): ResvgRenderOptions {
  return {
    font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
    fitTo: { mode: 'zoom', value: zoom },
    background: 'white',
  };
}

/** Rasterize an SVG with resvg (prebuilt binary from npm; no native build, no browser). */
export function svgToPng(svg: string, zoom = 2): Buffer {
  return new (resvg().Resvg)(svg, pngOptions(zoom)).render().asPng();
}

/** The same off the main thread (libuv pool), so several charts rasterize in parallel. */
export async function svgToPngAsync(svg: string, zoom = 2): Promise<Buffer> {
  return (await resvg().renderAsync(svg, pngOptions(zoom))).asPng();
}

/**
 * Prepare a standalone SVG for inlining into an HTML page: drop the namespace declarations (the HTML
 * parser puts <svg> in the SVG namespace) and prefix every id, so several charts' clip paths and
 * gradients cannot collide in one document.
 */
export function inlineSvg(svg: string, prefix: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/(xlink:)?href="#([^"]+)"/g, (_, x: string | undefined, id: string) => `${x ?? ''}href="#${prefix}-${id}"`);
}

export { TCG_LABEL };
