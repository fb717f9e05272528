// The run's noise sources in the table model (so every format gets them): a footnote per target and workload
// with flagged samples; nothing when no sample was flagged. Results with samples[].noise load and validate.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTableModel, type MetricRow } from '../../src/report/table-model.js';
import { renderMarkdown } from '../../src/report/text.js';
import { loadResults } from '../../src/report/load.js';
import type { RunResults, Sample } from '../../src/results/model.js';
import { loadFixture, tmp } from './helpers.js';

const quiet = { stealPct: 0, iowaitPct: 1, otherBusyPct: 5, ownBusyPct: 90, cpus: 2 };
const busy = (otherBusyPct: number): Sample['noise'] => ({ ...quiet, otherBusyPct, flagged: true, reasons: [`others used ${otherBusyPct} % of a core (≥ 25 %)`] });

function withNoise(r: RunResults, target: string, workload: string, others: number[]): void {
  const mine = r.samples.filter((s) => s.target === target && s.workload === workload && !s.warmup);
  mine.forEach((s, i) => {
    const o = others[i];
    s.noise = o === undefined ? { ...quiet } : o >= 25 ? busy(o) : { ...quiet, otherBusyPct: o };
  });
}

describe('noise footnote', () => {
  it('names k of n flagged samples on a target, with the median and max of others\' CPU', async () => {
    const r = await loadFixture('two-targets');
    const n = r.samples.filter((s) => s.target === 'bare-metal' && s.workload === 'dd' && !s.warmup).length;
    expect(n).toBe(10);
    // Others: 30, 40, 50, then seven at 5 → sorted 5×7, 30, 40, 50: median (5 + 5) / 2 = 5, max 50; 3 flagged.
    withNoise(r, 'bare-metal', 'dd', [30, 40, 50]);
    const model = buildTableModel(r);
    const note = model.footnotes.find((f) => f.kind === 'noise');
    expect(note?.text).toBe(
      'Noise, Bare Metal · dd: 3 of 10 samples ran with other processes using ≥ 25 % of a core (median over all samples 5 %, max 50 %). Flagged samples are kept in every statistic (samples[].noise in the results).',
    );
    const row = model.rows.find((x): x is MetricRow => x.kind === 'metric' && x.workload === 'dd');
    expect(row?.cells.find((c) => c.target === 'bare-metal')?.notes).toContain(note?.id);
    expect(row?.cells.find((c) => c.target === 'docker')?.notes).not.toContain(note?.id);
    expect(renderMarkdown(r)).toContain('3 of 10 samples ran with other processes');
  });

  it('says nothing when readings exist but none is flagged, or when there are none', async () => {
    const r = await loadFixture('two-targets');
    withNoise(r, 'bare-metal', 'dd', [10, 20, 24.9]);
    expect(buildTableModel(r).footnotes.filter((f) => f.kind === 'noise')).toEqual([]);
    const plain = await loadFixture('two-targets');
    expect(buildTableModel(plain).footnotes.filter((f) => f.kind === 'noise')).toEqual([]);
  });

  it('a results file with samples[].noise loads, and keeps it', async () => {
    const r = await loadFixture('two-targets');
    withNoise(r, 'docker', 'ab', [60]);
    const file = path.join(tmp('noise'), `${r.runId}.json`);
    writeFileSync(file, JSON.stringify(r));
    const back = await loadResults(file);
    const s = back.samples.find((x) => x.target === 'docker' && x.workload === 'ab' && !x.warmup);
    expect(s?.noise).toEqual(busy(60));
  });
});

describe('pinning footnote', () => {
  it('names the CPUs as set and as read back on the pinned target\'s column, and a mismatch', async () => {
    const r = await loadFixture('two-targets');
    const docker = r.targets.find((t) => t.id === 'docker')!;
    docker.pin = { workload: '1', client: '0', workloadAffinity: '1', clientAffinity: '0-1' };
    const model = buildTableModel(r);
    const note = model.footnotes.find((f) => f.kind === 'pinning');
    expect(note?.text).toBe(`Pinned, ${docker.label}: workload and server on CPUs 1 (read back the same); client on CPUs 0 (read back 0-1, NOT as set).`);
    expect(model.columns.find((c) => c.kind === 'target' && c.targetId === 'docker')?.notes).toContain(note?.id);
    expect(model.columns.find((c) => c.kind === 'target' && c.targetId === 'bare-metal')?.notes).not.toContain(note?.id);
    // A list read back in another spelling of the same CPUs is the same.
    docker.pin = { workload: '0,1', workloadAffinity: '0-1' };
    expect(buildTableModel(r).footnotes.find((f) => f.kind === 'pinning')?.text).toBe(`Pinned, ${docker.label}: workload and server on CPUs 0,1 (read back the same).`);
  });
});
