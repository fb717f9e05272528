/** The brief table (--style brief): digits its precision supports, the difference wording, every format. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { briefDifference, buildBrief, renderBriefHtml, renderBriefMarkdown, renderBriefSvg, roundToPrecision } from '../../src/report/brief.js';
import { renderReports } from '../../src/report/render.js';
import type { DiffCell } from '../../src/report/table-model.js';
import { reportCommand } from '../../src/cli/report-commands.js';
import { captureIo, fixture, loadFixture, tmp } from './helpers.js';

const M = '\u2212';

function diff(differencePct: number, ciLow: number | null, ciHigh: number | null): DiffCell {
  return {
    kind: 'difference', baseline: 'b', candidate: 'c', text: '', available: true, differencePct, ratio: null, ciLow, ciHigh,
    unbounded: ciLow === null, tooFewSamples: false, verdict: null, significant: false, pValue: null, mannWhitneyP: null,
    worse: null, withoutOutliers: null, notes: [],
  };
}

describe('numbers in the brief table', () => {
  it.each([
    [441.5, 4.3, '442'],
    [25177, 377, '25200'],
    [0.012345, 0.00042, '0.0123'],
    [-3.14159, 0.05, `${M}3.14`],
    [123.456, null, '123'],
    [5640, 20464, '10000'],
    [99.96, 0.3, '100.0'],
  ])('%d with half-width %s → %s', (value, hw, expected) => {
    expect(roundToPrecision(value, hw)).toBe(expected);
  });

  it.each([
    [diff(-1.1, -5.9, 4.1), 5, `${M}1.1 % (${M}5.9 to +4.1)`],
    [diff(-0.5, -2, 1.5), 5, 'no difference resolved (±5 %)'],
    [diff(-0.5, -2, 1.5), 1, `${M}0.5 % (${M}2.0 to +1.5)`],
    [diff(-3.1, -4.6, -1.6), 5, `${M}3.1 % (${M}4.6 to ${M}1.6)`],
    [diff(12.34, 12.3, 12.4), 5, '+12.34 % (+12.30 to +12.40)'],
    [diff(2, null, null), 5, '+2.0 % (interval unbounded)'],
  ])('difference %#', (d, tol, expected) => {
    expect(briefDifference(d, tol)).toBe(expected);
  });
});

describe('buildBrief on a real-shaped results file', () => {
  it('three targets: Metric | baseline | candidate | Difference per candidate, Kernel Security, one footnote line', async () => {
    const r = await loadFixture('three-targets-tcg');
    const b = buildBrief(r);
    expect(b.header).toEqual(['Metric', 'Bare Metal', 'Docker', 'Difference (Docker)', 'KVM + Docker (emulated, TCG)', 'Difference (KVM + Docker (emulated, TCG))']);
    // Means by hand from the summaries: 441.5 ± 4.3 → 442; 25177 ± 377 → 25200.
    const dd = b.rows.find((x) => x[0]!.startsWith('Disk Write'))!;
    const s = r.summaries.find((x) => x.target === 'bare-metal' && x.metric === 'write_mbps')!;
    expect(Math.abs(s.mean - 442)).toBeLessThan(0.5 + 1e-9);
    expect(dd[1]).toBe('442 MB/s');
    expect(b.rows.at(-1)).toEqual(['Kernel Security', '—', 'Shared', '', 'Isolated (tcg)', '']);
    expect(b.notes.at(-1)).toMatch(/^n = 10 per cell; 95 % confidence intervals; AMD EPYC 7B13, 8 cores, Linux 6\.1\.0-28-amd64; 2026-11-16; benchsuite run /);
    expect(b.notes[0]).toMatch(/^KVM \+ Docker \(emulated, TCG\): .*without KVM/);
  });

  it('two targets: the article shape, header "Difference"', async () => {
    const b = buildBrief(await loadFixture('two-targets'));
    expect(b.header).toEqual(['Metric', 'Bare Metal', 'Docker', 'Difference']);
    expect(b.notes).toHaveLength(1);
  });
});

describe('brief outputs', () => {
  it('Markdown, HTML and PNG are written by renderReports with style brief, and only then', async () => {
    const r = await loadFixture('three-targets-tcg');
    const out = tmp('brief');
    const files = (await renderReports(r, { formats: ['md'], outDir: out, style: 'brief' })).map((f) => path.basename(f));
    expect(files).toEqual(['table.md', 'brief.md', 'brief.html', 'brief.png']);
    const png = readFileSync(path.join(out, 'brief.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBeGreaterThan(800); // width: a slide-sized table, not an empty image
    const md = readFileSync(path.join(out, 'brief.md'), 'utf8');
    expect(md.split('\n')[0]).toMatch(/^\| Metric +\| +Bare Metal \| +Docker \| +Difference \(Docker\) \|/);
    const html = readFileSync(path.join(out, 'brief.html'), 'utf8');
    expect([...html.matchAll(/<th[^>]*scope="col">([^<]*)<\/th>/g)].map((m) => m[1])).toEqual(buildBrief(r).header);

    const plain = tmp('detailed');
    const detailed = (await renderReports(r, { formats: ['md'], outDir: plain })).map((f) => path.basename(f));
    expect(detailed).toEqual(['table.md']);
  });

  it('the SVG behind the PNG holds every cell', async () => {
    const r = await loadFixture('three-targets-tcg');
    const svg = renderBriefSvg(r);
    for (const cell of buildBrief(r).rows.flat().filter(Boolean)) expect(svg).toContain(`>${cell.replace(/&/g, '&amp;')}<`);
  });

  it('a KVM column that ran on the host kernel is never headed "KVM + Docker" in any brief format', async () => {
    const r = await loadFixture('two-targets');
    (r.scenario.targets.docker as Record<string, unknown>).label = 'KVM + Docker';
    (r.scenario.targets.docker as Record<string, unknown>).isolation = 'kvm';
    const b = buildBrief(r);
    expect(b.header).toEqual(['Metric', 'Bare Metal', 'Docker (host kernel, no KVM)', 'Difference']);
    expect(renderBriefMarkdown(r).split('\n')[0]).not.toMatch(/\| +KVM \+ Docker +\|/);
    expect(renderBriefHtml(r)).not.toMatch(/scope="col">KVM \+ Docker</);
    expect(renderBriefSvg(r)).not.toMatch(/>KVM \+ Docker</);
    expect(renderBriefMarkdown(r)).toContain('Docker (host kernel, no KVM): "KVM + Docker" ran in Docker on the baseline\'s kernel');
  });

  it('benchsuite report --style brief prints the brief table; the default stays detailed', async () => {
    const io = captureIo();
    const out = tmp('cli-brief');
    expect(await reportCommand([fixture('two-targets.json')], { format: 'md', out, style: 'brief' }, io)).toBe(0);
    expect(io.stdoutText).toMatch(/^\| Metric +\| +Bare Metal \| +Docker \| +Difference \|/);
    expect(existsSync(path.join(out, 'brief.png'))).toBe(true);
    const io2 = captureIo();
    expect(await reportCommand([fixture('two-targets.json')], { format: 'md', out: tmp('cli-detailed') }, io2)).toBe(0);
    expect(io2.stdoutText).toMatch(/Difference: Docker vs Bare Metal/);
  });
});
