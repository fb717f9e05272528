/**
 * Columns say what ran: a target meant to be a KVM guest that ran on the baseline's kernel, or in a TCG
 * guest, is headed with what ran in every output, and the first line under the table says why. No output
 * heads numbers that did not come from a KVM guest with "KVM + Docker".
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { bencher, githubActionBenchmark, summaryJson } from '../../src/report/json.js';
import { renderSvg, reportCharts } from '../../src/report/charts.js';
import { compareRuns, renderRunComparisonMarkdown, renderRunComparisonText } from '../../src/report/compare-runs.js';
import { buildTableModel } from '../../src/report/table-model.js';
import { renderMarkdown, renderTerminalTable } from '../../src/report/text.js';
import type { RunResults } from '../../src/results/model.js';
import { firstTable, loadFixture } from './helpers.js';

const HOST = 'Docker (host kernel, no KVM)';
const TCG = 'KVM + Docker (emulated, TCG)';

/**
 * two-targets.json with its Docker target declared as the KVM candidate (as the shipped kvm-docker scenario
 * declares it): both targets' fingerprints carry the same boot_id, so the container ran on the host kernel.
 */
async function sameKernelKvmClaim(): Promise<RunResults> {
  const r = await loadFixture('two-targets');
  const spec = r.scenario.targets.docker as Record<string, unknown>;
  spec.label = 'KVM + Docker';
  spec.isolation = 'kvm';
  spec.host = 'auto';
  const rec = r.targets.find((t) => t.id === 'docker')!;
  rec.label = 'KVM + Docker';
  rec.fingerprint.hostAuto = { host: 'local', reason: 'this host cannot run guests with KVM: /dev/kvm does not exist', cached: false };
  expect(rec.fingerprint.bootId).toBe(r.targets.find((t) => t.id === 'bare-metal')!.fingerprint.bootId);
  return r;
}

/** three-targets-tcg.json as if its guest had run with KVM: the header must stay as declared. */
async function realKvm(): Promise<RunResults> {
  const r = await loadFixture('three-targets-tcg');
  (r.targets.find((t) => t.id === 'kvm-docker')!.fingerprint.vm as Record<string, unknown>).accelerator = 'kvm';
  return r;
}

/** "KVM + Docker" as a whole header or axis label, not followed by " (emulated". */
const bareKvmHeader = /(^|[>|,"])\s*KVM \+ Docker\s*(\[[\d,]+\])?\s*($|[<|,"])/m;

const cases = [
  ['same kernel as the baseline', sameKernelKvmClaim, 'docker', HOST],
  ['TCG guest', () => loadFixture('three-targets-tcg'), 'kvm-docker', TCG],
] as const;

describe.each(cases)('a KVM column that ran on %s', (_name, load, id, expected) => {
  it('table model: the header says what ran, footnote [1] says why and is the first line under the table', async () => {
    const r = await load();
    const model = buildTableModel(r);
    const col = model.columns.find((c) => c.kind === 'target' && c.targetId === id)!;
    expect(col.header).toBe(expected);
    expect(col.notes[0]).toBe(1);
    expect(model.footnotes[0]!.kind).toBe('ran-as');
    expect(model.footnotes[0]!.text).toMatch(expected === HOST ? /same kernel boot_id as the baseline's .*without KVM.*host: auto chose this host \(this host cannot run guests with KVM/ : /without KVM \(TCG/);
    const text = renderTerminalTable(r);
    const lines = text.split('\n');
    const lastRow = lines.map((l, i) => (l.startsWith('|') ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    const afterTable = lines.slice(lastRow + 1).find((l) => l.trim() !== '');
    expect(afterTable).toBe(`[1] ${model.footnotes[0]!.text}`);
  });

  it('terminal and Markdown tables', async () => {
    const r = await load();
    for (const text of [renderTerminalTable(r), renderMarkdown(r)]) {
      const { header } = firstTable(text);
      expect(header.some((h) => h.startsWith(expected))).toBe(true);
      expect(header.filter((h) => /^KVM \+ Docker( \[[\d,]+\])?$/.test(h))).toEqual([]);
      expect(header.some((h) => h.startsWith(`Difference: ${expected} vs`))).toBe(true);
    }
  });

  it('CSV', async () => {
    const r = await load();
    const rows = parse(renderCsv(r), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    const labels = new Set(rows.filter((x) => x.target === id).map((x) => x.target_label));
    expect([...labels]).toEqual([expected]);
    expect(rows.some((x) => x.target_label === 'KVM + Docker')).toBe(false);
  });

  it('HTML: no table header cell says just "KVM + Docker"', async () => {
    const html = await renderHtml(await load());
    const ths = [...html.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((m) => (m[1] as string).replace(/<[^>]+>/g, '').trim());
    expect(ths.some((t) => t.startsWith(expected))).toBe(true);
    expect(ths.filter((t) => /^KVM \+ Docker(\s*\[[\d,]+\])?$/.test(t))).toEqual([]);
    expect(html).toContain(expected);
  });

  it('SVG charts (the PNGs are rasterized from these SVGs): axis labels and the why line', async () => {
    const r = await load();
    for (const c of reportCharts(r)) {
      const svg = await renderSvg(c.spec);
      // Single-line text elements and the lines (tspans) of multi-line titles.
      const texts = [...svg.matchAll(/<(text|tspan)[^>]*>([^<]*)<\/\1>/g)].map((m) => (m[2] as string).replace(/&amp;/g, '&').replace(/&quot;/g, '"').trim());
      expect(texts.filter((t) => t === 'KVM + Docker'), c.name).toEqual([]);
      expect(texts.some((t) => t.startsWith(`⚠ ${expected}: `)), c.name).toBe(true);
    }
  });

  it('JSON summary and the github-action-benchmark / Bencher exports', async () => {
    const r = await load();
    const s = summaryJson(r);
    expect(s.targets.find((t) => t.id === id)!.label).toBe(expected);
    const gab = githubActionBenchmark(r);
    const names = [...gab.bigger, ...gab.smaller].map((e) => e.name);
    expect(names.some((n) => n.includes(` - ${expected}`))).toBe(true);
    expect(names.filter((n) => / - KVM \+ Docker( overhead|$)/.test(n))).toEqual([]);
    // Bencher names benchmarks by ids (scenario/workload/target), never by the label.
    expect(JSON.stringify(bencher(r))).not.toContain('KVM + Docker');
    expect(JSON.stringify(s)).not.toMatch(bareKvmHeader);
  });

  it('compare between two such runs', async () => {
    const r = await load();
    const c = compareRuns(r, r);
    expect(c.rows.filter((x) => x.target === id).every((x) => x.targetLabel === expected)).toBe(true);
    for (const text of [renderRunComparisonText(c), renderRunComparisonMarkdown(c)]) expect(text).toContain(expected);
  });
});

describe('columns that ran as declared keep their labels', () => {
  it('a KVM guest (accelerator kvm, its own boot_id) stays "KVM + Docker"', async () => {
    const r = await realKvm();
    const model = buildTableModel(r);
    expect(model.columns.map((c) => c.header)).toContain('KVM + Docker');
    expect(model.ranAs).toEqual([]);
    expect(model.footnotes.some((f) => f.kind === 'ran-as')).toBe(false);
  });

  it('plain Docker on the host kernel, claiming nothing, stays "Docker"', async () => {
    const model = buildTableModel(await loadFixture('two-targets'));
    expect(model.columns.map((c) => c.header)).toEqual(['Metric', 'Bare Metal', 'Docker', 'Difference: Docker vs Bare Metal']);
  });

  it('isolation: kvm alone is enough, whatever the label says', async () => {
    const r = await loadFixture('two-targets');
    (r.scenario.targets.docker as Record<string, unknown>).isolation = 'kvm';
    expect(buildTableModel(r).columns.map((c) => c.header)).toContain(HOST);
  });
});
