/**
 * The brief table's edges, with expectations worked out by hand: rounding of odd values, the difference
 * wording at its boundaries, the footnote's parts, and the exact Markdown, HTML and SVG layout of a small
 * table built by hand. The common cases are in test/report/table-brief.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { briefDifference, buildBrief, renderBriefHtml, renderBriefMarkdown, renderBriefSvg, roundToPrecision, type BriefTable } from '../../src/report/brief.js';
import type { DiffCell } from '../../src/report/table-model.js';
import { dejaVuWidth } from '../../src/report/text-metrics.js';
import { handRun } from './hand-run.js';

const M = '\u2212';

function diff(differencePct: number | null, ciLow: number | null, ciHigh: number | null, extra: Partial<DiffCell> = {}): DiffCell {
  return {
    kind: 'difference', baseline: 'b', candidate: 'c', text: '', available: true, differencePct, ratio: null, ciLow, ciHigh,
    unbounded: ciLow === null, tooFewSamples: false, verdict: null, significant: false, pValue: null, mannWhitneyP: null,
    worse: null, withoutOutliers: null, notes: [], ...extra,
  } as DiffCell;
}

describe('roundToPrecision at the edges', () => {
  it.each([
    // Not finite: printed as JavaScript spells it.
    [Number.NaN, 1, 'NaN'],
    [Number.POSITIVE_INFINITY, 1, 'Infinity'],
    // No usable half-width (0, negative, NaN, null): three significant digits. 1234.5 → 1230.
    [1234.5, 0, '1230'],
    [1234.5, -2, '1230'],
    [1234.5, Number.NaN, '1230'],
    [0, null, '0'],
    // A negative value keeps its minus (U+2212); one that rounds to zero loses it.
    [-0.5, 0.01, `${M}0.50`],
    [-0.001, 0.01, '0.00'],
    [-0.0004, 0.001, '0.000'],
  ])('%s with half-width %s → %s', (value, hw, expected) => {
    expect(roundToPrecision(value, hw)).toBe(expected);
  });
});

describe('briefDifference at its boundaries', () => {
  it.each([
    ['no comparison', diff(null, null, null, { available: false }), 5, 'n/a'],
    ['no difference', diff(null, -1, 1), 5, 'n/a'],
    ['only the low end missing', diff(2, null, 3), 5, '+2.0 % (interval unbounded)'],
    ['only the high end missing', diff(2, 1, null), 5, '+2.0 % (interval unbounded)'],
    ['too few samples', diff(2, null, null, { tooFewSamples: true }), 5, '+2.0 % (no interval: n < 2)'],
    // Contains 0 when an end is exactly 0; "within tolerance" includes ± the tolerance itself.
    ['low end at 0', diff(1, 0, 3), 5, 'no difference resolved (±5 %)'],
    ['high end at 0', diff(-1, -3, 0), 5, 'no difference resolved (±5 %)'],
    ['ends at ± tolerance', diff(0, -5, 5), 5, 'no difference resolved (±5 %)'],
    ['low end past the tolerance', diff(0, -5.5, 5), 5, `0.0 % (${M}5.5 to +5.0)`],
    ['high end past the tolerance', diff(0, -5, 5.5), 5, `0.0 % (${M}5.0 to +5.5)`],
    // Width exactly 0.2 (0.45 − 0.25 is 0.2 in binary too) is not "narrower than 0.2": one decimal.
    ['width 0.2', diff(0.35, 0.25, 0.45), 5, '+0.3 % (+0.3 to +0.5)'],
    // −0.001 prints as 0.0, without a sign; −0.05 as −0.1.
    ['a difference that rounds to zero', diff(-0.001, -0.05, 0.5), 0.1, `0.0 % (${M}0.1 to +0.5)`],
  ])('%s', (_, d, tol, expected) => {
    expect(briefDifference(d, tol)).toBe(expected);
  });
});

describe('buildBrief on the hand-made run', () => {
  it('every cell and the footnote, derived from the hand-made numbers', async () => {
    const r = await handRun();
    const b = buildBrief(r);
    expect(b.header).toEqual(['Metric', 'Bare Metal', 'Docker', 'Difference']);
    // dd: 100 ± 3 → "100"; 80 ± 2 → "80"; −20 % [−24, −16] lies outside ±5 → printed with one decimal.
    // The row label carries the metric's direction (↑ higher is better), as every table of the model does.
    expect(b.rows[0]).toEqual(['Disk Write (dd) ↑', '100 MB/s', '80 MB/s', `${M}20.0 % (${M}24.0 to ${M}16.0)`]);
    // req/s: n = 1, no interval → three significant digits of 1000; docker has no samples; no comparison.
    expect(b.rows[1]).toEqual(['Apache Bench (Req/s) ↑', '1000 req/s', 'incomplete', 'n/a']);
    // n per complete primary cell: 10, 8, 1 → sorted as numbers, 1–10 (as strings it would be 1–8).
    expect(b.notes).toEqual(['n = 1–10 per cell; 95 % confidence intervals; AMD EPYC 7B13, 8 cores, Linux 6.1.0-28-amd64; 2026-11-15; benchsuite run 20261115-093000-docker-overhead-a1b2.']);
  });

  it('the footnote without a fingerprint, with only a start date, and with no date at all', async () => {
    const r = await handRun();
    for (const t of r.targets) {
      const fp = t.fingerprint as Record<string, unknown>;
      delete fp.cpuModel;
      delete fp.cores;
      delete fp.kernelRelease;
    }
    delete (r as { finishedAt?: string }).finishedAt;
    expect(buildBrief(r).notes.at(-1)).toMatch(/; machine unknown; 2026-11-15; benchsuite run /);
    delete (r as { startedAt?: string }).startedAt;
    expect(buildBrief(r).notes.at(-1)).toMatch(/; machine unknown; date unknown; benchsuite run /);
  });

  it('a fingerprint with only some facts names those; cores may be a number or a string', async () => {
    const r = await handRun();
    const fp = r.targets.find((t) => t.id === 'bare-metal')?.fingerprint as Record<string, unknown>;
    fp.cpuModel = '';
    fp.cores = '4';
    delete fp.kernelRelease;
    expect(buildBrief(r).notes.at(-1)).toMatch(/; 95 % confidence intervals; 4 cores; 2026-11-15;/);
  });

  it('one n for every cell reads "n = 10 per cell"; no complete cell reads "n = 0"', async () => {
    const r = await handRun();
    for (const s of r.summaries) if (s.n > 0) s.n = 10;
    expect(buildBrief(r).notes.at(-1)).toMatch(/^n = 10 per cell; /);
    for (const s of r.summaries) s.n = 0;
    expect(buildBrief(r).notes.at(-1)).toMatch(/^n = 0; /);
  });

  it('with two blocks or more (repeat ≥ 2) the footnote says the intervals are over the block means; one block does not', async () => {
    const r = await handRun();
    const levels: NonNullable<(typeof r.summaries)[number]['levels']> = {
      blocks: 2, perBlock: [5, 5], blockMeans: [99, 101], withinVariance: 4, betweenVariance: 1, betweenComponent: 0,
      singleLevel: { mean: 100, ci: { low: 98, high: 102 }, relativeHalfWidth: 0.02 },
    };
    (r.summaries[0] as { levels?: unknown }).levels = levels;
    expect(buildBrief(r).notes.at(-1)).toContain('; 95 % confidence intervals over 2 independent blocks (block means); ');
    (r.summaries[0] as { levels?: unknown }).levels = { ...levels, blocks: 1, perBlock: [10], blockMeans: [100] };
    expect(buildBrief(r).notes.at(-1)).toContain('; 95 % confidence intervals; ');
  });

  it('the scenario\'s tolerance decides "no difference resolved"; without one, the default ±5 %', async () => {
    const r = await handRun();
    const dd = r.comparisons[0] as (typeof r.comparisons)[number];
    dd.differencePct = 1;
    dd.ci = { low: -2, high: 4 };
    r.scenario = { ...r.scenario, tolerancePct: 3 } as typeof r.scenario;
    expect(buildBrief(r).rows[0]?.[3]).toBe(`+1.0 % (${M}2.0 to +4.0)`); // 4 > 3
    r.scenario = { ...r.scenario, tolerancePct: undefined } as typeof r.scenario;
    expect(buildBrief(r).rows[0]?.[3]).toBe('no difference resolved (±5 %)');
  });
});

// A small table by hand: a pipe in a header, markup characters in a note, an XML-special cell.
const SMALL: BriefTable = { title: 'T <1>', header: ['Metric', 'A', 'B|x'], rows: [['m', '1', '22'], ['n&<>"', '', '3']], notes: ['a *b*', 'c'] };

describe('brief renderings of a hand-made table', () => {
  it('Markdown: columns padded to the widest cell (at least 3), numbers right-aligned, pipes and markup escaped', async () => {
    const r = await handRun();
    // Widths: "Metric" 6 / "n&<>\"" 5 → 6; "A" "1" "" → 3; "B\|x" 4 (escaped) / "22" → 4.
    expect(renderBriefMarkdown(r, SMALL)).toBe(
      [
        '| Metric |   A | B\\|x |',
        '|:-------|----:|-----:|',
        '| m      |   1 |   22 |',
        '| n&<>"  |     |    3 |',
        '',
        'a \\*b\\*',
        '',
        'c',
        '',
      ].join('\n'),
    );
  });

  it('HTML: header cells (numbers right-aligned), a row header per row, every note, all escaped', async () => {
    const html = renderBriefHtml(await handRun(), SMALL);
    expect(html).toContain('<title>T &lt;1&gt;: brief</title>');
    expect(html).toContain('<thead><tr><th scope="col">Metric</th><th class="num" scope="col">A</th><th class="num" scope="col">B|x</th></tr></thead>');
    expect(html).toContain(
      '<tbody>\n<tr><th scope="row">m</th><td class="num">1</td><td class="num">22</td></tr>\n<tr><th scope="row">n&amp;&lt;&gt;&quot;</th><td class="num"></td><td class="num">3</td></tr>\n</tbody>',
    );
    expect(html).toContain('</table>\n<p class="note">a *b*</p>\n<p class="note">c</p>\n</body>');
  });

  it('SVG: column widths from the font metrics, cells placed in their columns and rows, notes under the table', async () => {
    const svg = renderBriefSvg(await handRun(), SMALL);
    // Layout by hand: 15 px cells (header bold), 12 px notes, 14 px padding, 34 px rows, 20 px margin.
    const col = (i: number): number => {
      const cells = [dejaVuWidth(SMALL.header[i] as string, 15, true), ...SMALL.rows.map((r) => dejaVuWidth(r[i] as string, 15, i === 0))];
      return Math.ceil(Math.max(...cells)) + 28;
    };
    const cols = [col(0), col(1), col(2)];
    const tableW = cols[0]! + cols[1]! + cols[2]!;
    const noteW = Math.ceil(dejaVuWidth('a *b*', 12));
    const width = Math.max(tableW, noteW) + 40;
    const height = 20 + 3 * 34 + 14 + 2 * 20 + 20;
    expect(svg.split('\n')[0]).toBe(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans">`);
    const texts = [...svg.matchAll(/<text x="([^"]+)" y="([^"]+)" font-size="(\d+)"([^>]*)>([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), size: Number(m[3]), attrs: m[4] as string, text: m[5] }));
    // Text baselines: row k (0 = header) at 20 + 34k + 17 + 5.
    const left = 20 + 14;
    const rightEdge = (i: number): number => 20 + cols.slice(0, i + 1).reduce((a, b) => a + b, 0) - 14;
    expect(texts.slice(0, 3)).toEqual([
      { x: left, y: 42, size: 15, attrs: ' font-weight="bold" fill="#111"', text: 'Metric' },
      { x: rightEdge(1), y: 42, size: 15, attrs: ' font-weight="bold" text-anchor="end" fill="#111"', text: 'A' },
      { x: rightEdge(2), y: 42, size: 15, attrs: ' font-weight="bold" text-anchor="end" fill="#111"', text: 'B|x' },
    ]);
    expect(texts.slice(3, 9).map((t) => [t.x, t.y, t.attrs.includes('bold'), t.attrs.includes('end'), t.text])).toEqual([
      [left, 76, true, false, 'm'],
      [rightEdge(1), 76, false, true, '1'],
      [rightEdge(2), 76, false, true, '22'],
      [left, 110, true, false, 'n&amp;&lt;&gt;&quot;'],
      [rightEdge(1), 110, false, true, ''],
      [rightEdge(2), 110, false, true, '3'],
    ]);
    // Notes: 12 px, at 20 + 102 + 14 + (k + 1) · 20 − 6.
    expect(texts.slice(9).map((t) => [t.x, t.y, t.size, t.text])).toEqual([[20, 150, 12, 'a *b*'], [20, 170, 12, 'c']]);
    // Rules: a heavy one under the header, a light one under each row, across the table's width.
    const lines = [...svg.matchAll(/<line x1="(\d+)" x2="(\d+)" y1="(\d+)" y2="(\d+)" stroke="([^"]+)"/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), m[5]]);
    expect(lines).toEqual([
      [20, 20 + tableW, 54, 54, '#333'],
      [20, 20 + tableW, 88, 88, '#cccccc'],
      [20, 20 + tableW, 122, 122, '#cccccc'],
    ]);
    expect(svg.endsWith('</svg>\n')).toBe(true);
  });
});
