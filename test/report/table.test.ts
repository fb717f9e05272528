import { describe, expect, it } from 'vitest';
import { buildTableModel, type MetricRow, type SecurityRow } from '../../src/report/table-model.js';
import { renderMarkdown, renderTerminalTable } from '../../src/report/text.js';
import { TCG_LABEL } from '../../src/report/common.js';
import { firstTable, loadFixture } from './helpers.js';

const metricRows = (rows: ReturnType<typeof buildTableModel>['rows']) => rows.filter((r): r is MetricRow => r.kind === 'metric');

describe('table model and text renderers', () => {
  it('uses the scenario labels as column headers (terminal and Markdown), baseline first', async () => {
    const r = await loadFixture('two-targets');
    const labels = r.scenario.targets;
    const expected = ['Metric', labels['bare-metal']!.label, labels.docker!.label, `Difference: ${labels.docker!.label} vs ${labels['bare-metal']!.label}`];
    expect(firstTable(renderTerminalTable(r)).header).toEqual(expected);
    expect(firstTable(renderMarkdown(r)).header).toEqual(expected);

    // Relabel in the scenario: headers follow, nothing is hard-coded.
    r.scenario.targets['bare-metal']!.label = 'Metal Box';
    r.scenario.targets.docker!.label = 'Container X';
    expect(firstTable(renderMarkdown(r)).header).toEqual(['Metric', 'Metal Box', 'Container X', 'Difference: Container X vs Metal Box']);
  });

  it('shows mean ± CI half-width with n, and the difference with its CI and the * marker', async () => {
    const r = await loadFixture('two-targets');
    const { rows } = firstTable(renderTerminalTable(r));
    const dd = rows.find((c) => c[0]?.startsWith('Disk Write (dd)')) as string[];
    expect(dd[1]).toMatch(/^\d+\.\d ± \d+\.\d MB\/s \(n=10\)$/);
    const s = r.summaries.find((x) => x.target === 'bare-metal' && x.metric === 'write_mbps')!;
    expect(dd[1]).toContain(`${s.mean.toFixed(1)} ± ${((s.ci!.high - s.ci!.low) / 2).toFixed(1)} MB/s`);

    const c = r.comparisons.find((x) => x.metric === 'write_mbps')!;
    expect(c.ci!.high).toBeLessThan(0); // the fixture's dd difference excludes 0
    expect(dd[3]).toMatch(/^-\d+\.\d % \[-\d+\.\d, -\d+\.\d\] \*$/);
    expect(dd[3]).toContain(`${c.differencePct.toFixed(1)} %`);

    // A difference whose CI straddles 0 carries no marker.
    const model = buildTableModel(r);
    const rowsM = metricRows(model.rows);
    for (const row of rowsM) {
      for (const d of row.differences) {
        const straddles = d.ciLow !== null && d.ciHigh !== null && d.ciLow < 0 && d.ciHigh > 0;
        expect(d.text.includes('*')).toBe(!straddles && d.ciLow !== null);
      }
    }
  });

  it('handles three targets: one Difference column per candidate vs the baseline, and labels TCG results', async () => {
    const r = await loadFixture('three-targets-tcg');
    const text = renderTerminalTable(r);
    const { header, rows } = firstTable(text);
    expect(header).toHaveLength(6);
    // The column ran in a TCG guest: its header says so, with the why (footnote 1) and the TCG note.
    expect(header[3]).toBe('KVM + Docker (emulated, TCG) [1,2]');
    expect(header.slice(4)).toEqual(['Difference: Docker vs Bare Metal', 'Difference: KVM + Docker (emulated, TCG) vs Bare Metal']);
    expect(rows.every((row) => row.length === 6)).toBe(true);
    expect(text).toContain(`[2] KVM + Docker: ${TCG_LABEL}`);
    expect(text).toContain(`WARNING KVM + Docker: ${TCG_LABEL}`);
    const md = renderMarkdown(r);
    expect(md).toContain(`> **Warning:** KVM + Docker: ${TCG_LABEL}`);
  });

  it('has a Kernel Security row with the reason as a footnote', async () => {
    const r = await loadFixture('three-targets-tcg');
    const model = buildTableModel(r);
    const sec = model.rows.find((x): x is SecurityRow => x.kind === 'security')!;
    expect(sec.cells.map((c) => c.text)).toEqual(['—', 'Shared', 'Isolated (tcg)']);
    for (const c of sec.cells.slice(1)) {
      expect(c.notes).toHaveLength(1);
      const note = model.footnotes.find((f) => f.id === c.notes[0])!;
      expect(note.kind).toBe('security');
      expect(note.text).toContain('boot_id');
    }
    const { rows } = firstTable(renderTerminalTable(r));
    expect(rows.at(-1)![0]).toBe('Kernel Security');
  });

  it('lists environment differences as footnotes', async () => {
    const r = await loadFixture('three-targets-tcg');
    const model = buildTableModel(r);
    const env = model.footnotes.filter((f) => f.kind === 'environment');
    expect(env.length).toBeGreaterThan(0);
    expect(env.some((f) => f.text.includes('kernel') && f.text.includes('6.1.0-31-amd64'))).toBe(true);
    expect(renderTerminalTable(r)).toContain('Environment difference: KVM + Docker ran with kernel 6.1.0-31-amd64');
  });

  it('marks an unbounded interval and explains it', async () => {
    const r = await loadFixture('unbounded-ci');
    expect(r.comparisons[0]!.ci).toBeNull();
    const model = buildTableModel(r);
    const d = metricRows(model.rows)[0]!.differences[0]!;
    expect(d.unbounded).toBe(true);
    expect(d.significant).toBe(false);
    expect(d.text).toMatch(/^\+?-?\d+\.\d+ % \[unbounded\]$/);
    const note = model.footnotes.find((f) => f.id === d.notes[0])!;
    expect(note.kind).toBe('unbounded');
    expect(renderTerminalTable(r)).toMatch(/\[unbounded\] \[\d+\]/);
  });

  it('footnotes failed samples, outliers (with the difference without them), precision not met, and incomplete cells', async () => {
    const r = await loadFixture('failed-outliers');
    const model = buildTableModel(r);
    const rows = metricRows(model.rows);
    const note = (id: number) => model.footnotes.find((f) => f.id === id)!;
    const idx = (id: string) => model.targets.findIndex((t) => t.id === id);

    const dd = rows.find((x) => x.metric === 'write_mbps')!;
    const dockerDd = dd.cells[idx('docker')]!;
    expect(dockerDd.failed).toBe(2);
    const failedNote = dockerDd.notes.map(note).find((n) => n.kind === 'failed')!;
    expect(failedNote.text).toContain('2 of 12 samples failed');
    expect(failedNote.text).toContain('No space left on device');
    expect(dockerDd.notes.map(note).some((n) => n.kind === 'precision')).toBe(true);

    const ab = rows.find((x) => x.metric === 'requests_per_sec')!;
    const bareAb = ab.cells[idx('bare-metal')]!;
    expect(bareAb.outliers).toBe(1);
    expect(bareAb.notes.map(note).find((n) => n.kind === 'outliers')!.text).toContain('flagged as outliers');
    const cmp = r.comparisons.find((c) => c.candidate === 'docker' && c.metric === 'requests_per_sec')!;
    const diff = ab.differences[0]!;
    expect(diff.withoutOutliers!.differencePct).toBe(cmp.withoutOutliers!.differencePct);
    const wo = diff.notes.map(note).find((n) => n.kind === 'outliers')!;
    expect(wo.text).toContain('left out');
    expect(wo.text).toContain(`${cmp.withoutOutliers!.differencePct.toFixed(1)} %`);

    const locked = ab.cells[idx('locked-down')]!;
    expect(locked.incomplete).toBe(true);
    expect(locked.text).toBe('incomplete (0 of 12 ok)');
    expect(locked.notes.map(note)[0]!.text).toContain('no successful samples');
    expect(ab.differences[1]!.text).toBe('n/a');

    const text = renderTerminalTable(r);
    expect(text).toContain('Precision not met');
    expect(text).toContain('incomplete (0 of 12 ok)');
  });

  it('optionally includes secondary metrics', async () => {
    const r = await loadFixture('two-targets');
    const primary = metricRows(buildTableModel(r).rows).map((x) => x.metric);
    const all = metricRows(buildTableModel(r, { metrics: 'all' }).rows).map((x) => x.metric);
    expect(primary).toEqual(['write_mbps', 'requests_per_sec']);
    expect(all).toEqual(['write_mbps', 'requests_per_sec', 'time_per_request_ms', 'p99_ms']);
    const md = renderMarkdown(r);
    expect(md).toContain('## Secondary metrics');
    expect(md).toContain('time per request ↓');
  });

  it('renders the Markdown report with the posture, environment and scenario sections', async () => {
    const r = await loadFixture('three-targets-tcg');
    const md = renderMarkdown(r);
    for (const h of ['# kvm-docker: benchmark report', '## Results', '## Environment differences', '## Security posture', '## Scenario as run']) {
      expect(md).toContain(h);
    }
    expect(md).toContain('name: kvm-docker');
  });
});
