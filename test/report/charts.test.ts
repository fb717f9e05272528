import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHART_FONT, overheadChartSpec, renderCharts, reportCharts, svgToPng } from '../../src/report/charts.js';
import { TCG_LABEL } from '../../src/report/common.js';
import { renderReports } from '../../src/report/render.js';
import type { RunResults } from '../../src/results/model.js';
import { checkXml, loadFixture, tmp } from './helpers.js';

/** Non-white pixels in the top `rows` rows of an SVG rasterized by resvg at zoom 1. */
function inkInTopRows(svg: string, rows: number): number {
  const img = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT }, background: 'white' }).render();
  const px = img.pixels;
  let ink = 0;
  for (let y = 0; y < Math.min(rows, img.height); y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if ((px[i] as number) < 200 || (px[i + 1] as number) < 200 || (px[i + 2] as number) < 200) ink++;
    }
  }
  return ink;
}

describe('charts', () => {
  let tcg: RunResults;
  beforeAll(async () => {
    tcg = await loadFixture('three-targets-tcg');
  });

  it('renders one well-formed SVG per primary metric plus the overhead chart, with marks', async () => {
    const charts = await renderCharts(reportCharts(tcg));
    expect(charts.map((c) => c.name)).toEqual(['dd-write-mbps', 'ab-requests-per-sec', 'overhead']);
    for (const c of charts) {
      const { root, elements } = checkXml(c.svg);
      expect(root).toBe('svg');
      expect(elements.get('text') ?? 0).toBeGreaterThan(5);
      expect(c.svg).toMatch(/class="mark-symbol role-mark/); // dots / means
      expect(c.svg).toMatch(/class="mark-rule role-mark/); // CI whiskers
      expect(c.svg).toContain(`font-family="${CHART_FONT}"`);
    }
    // Every sample of the metric is a dot, plus one mean per target.
    const dd = charts[0]!.svg;
    const samples = tcg.samples.filter((s) => s.workload === 'dd' && !s.warmup && s.ok).length;
    const circles = (dd.match(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g) ?? []).join('');
    expect((circles.match(/<path /g) ?? []).length).toBe(samples + tcg.targets.length);
  });

  it('labels TCG results in the chart title', async () => {
    const charts = await renderCharts(reportCharts(tcg));
    for (const c of charts) expect(c.svg).toContain(`KVM + Docker: ${TCG_LABEL}`);
    const plain = await renderCharts(reportCharts(await loadFixture('two-targets')));
    for (const c of plain) expect(c.svg).not.toContain('TCG');
  });

  it('draws the tolerance band only when the scenario sets a tolerance', async () => {
    const withTol = overheadChartSpec(tcg) as unknown as { layer: { mark?: { type: string } }[] };
    expect(withTol.layer.some((l) => l.mark?.type === 'rect')).toBe(true);
    const noTol = overheadChartSpec(await loadFixture('unbounded-ci')) as unknown as { layer: { mark?: { type: string } }[] };
    expect(noTol.layer.some((l) => l.mark?.type === 'rect')).toBe(false);
    const [svg] = (await renderCharts([{ name: 'o', title: 'o', spec: overheadChartSpec(tcg)! }])).map((c) => c.svg);
    expect(svg).toContain('tolerance ±5 %');
    expect(svg).toMatch(/class="mark-rect role-mark/);
  });

  it('writes the Vega-Lite spec beside each SVG, and PNGs from resvg', async () => {
    const out = tmp('charts');
    const files = await renderReports(tcg, { formats: ['svg', 'png'], outDir: out });
    const names = (await readdir(path.join(out, 'charts'))).sort();
    expect(names).toEqual(
      ['ab-requests-per-sec', 'dd-write-mbps', 'overhead'].flatMap((n) => [`${n}.png`, `${n}.svg`, `${n}.vl.json`]).sort(),
    );
    expect(files).toHaveLength(9);
    for (const n of ['ab-requests-per-sec', 'dd-write-mbps', 'overhead']) {
      const spec = JSON.parse(await readFile(path.join(out, 'charts', `${n}.vl.json`), 'utf8'));
      expect(spec.$schema).toMatch(/vega-lite/);
      const png = await readFile(path.join(out, 'charts', `${n}.png`));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(10_000);
    }
  });

  it('SVG text really renders in resvg (the title band has ink only because of the text)', async () => {
    const [c] = await renderCharts(reportCharts(tcg));
    const svg = c!.svg;
    const withText = inkInTopRows(svg, 40);
    const withoutText = inkInTopRows(svg.replace(/<text[\s\S]*?<\/text>/g, ''), 40);
    expect(withoutText).toBe(0);
    expect(withText).toBeGreaterThan(500);
    expect(svgToPng(svg).length).toBeGreaterThan(10_000);
  });
});
