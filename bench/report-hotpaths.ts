/**
 * Timings of the reporting layer on synthetic data:
 *   - the default report set (what `benchsuite run` renders at the end) of one run with
 *     3 targets × 10 workloads × 30 samples (target < 1 s);
 *   - `benchsuite history` over 1,000 stored runs: load, summarize, chart, write (target < 3 s).
 *
 *   npm run bench -- report                 (through bench/run.ts)
 *   node dist/bench/report-hotpaths.js      (standalone, after `npm run build`)
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadHistory, renderHistory } from '../src/report/history.js';
import { DEFAULT_FORMATS, renderReports, type ReportFormat } from '../src/report/render.js';
import { standardWorkloads, syntheticResults, type SyntheticTarget, type SyntheticWorkload } from '../src/report/synthetic.js';
import type { RunResults } from '../src/results/model.js';

export interface TimingRow {
  task: string;
  runs: number;
  /** Milliseconds. */
  min: number;
  median: number;
  max: number;
  /** Target in milliseconds, when the task has one. */
  targetMs: number | null;
}

const TARGETS: SyntheticTarget[] = [
  { id: 'bare-metal', label: 'Bare Metal', kind: 'host' },
  { id: 'docker', label: 'Docker', kind: 'docker' },
  { id: 'kvm-docker', label: 'KVM + Docker', kind: 'docker', sharesKernel: false, fingerprint: { virtualization: 'kvm', vm: { accelerator: 'kvm', qemuVersion: '7.2.15' } } },
];

/** 10 workloads (5 dd, 5 ab; ab carries 3 metrics) on 3 targets. */
function tenWorkloads(): SyntheticWorkload[] {
  const out: SyntheticWorkload[] = [];
  for (let i = 1; i <= 5; i++) {
    const [dd, ab] = standardWorkloads(
      { dd: { 'bare-metal': 440 + i, docker: 432 + i, 'kvm-docker': 405 + i }, ab: { 'bare-metal': 25000 + i * 100, docker: 24000 + i * 100, 'kvm-docker': 21000 + i * 100 } },
      { dd: 0.04, ab: 0.02 },
      { dd: `dd-${i}`, ab: `ab-${i}` },
    ) as [SyntheticWorkload, SyntheticWorkload];
    // The metrics' titles follow the workload's title, as the kind states them.
    const rename = (w: SyntheticWorkload, title: string): SyntheticWorkload => ({ ...w, title });
    out.push(rename(dd, `Disk Write ${i} (dd)`), rename(ab, `HTTP ${i} (ab)`));
  }
  return out;
}

export function benchRun(): RunResults {
  return syntheticResults({
    name: 'report-bench',
    runId: '20261201-000000-report-bench-0001',
    startedAt: '2026-12-01T00:00:00.000Z',
    seed: 4242,
    baseline: 'bare-metal',
    targets: TARGETS,
    workloads: tenWorkloads(),
    samples: 30,
    tolerancePct: 5,
  });
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up: module initialization, JIT, font loading
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

function row(task: string, ms: number[], targetMs: number | null): TimingRow {
  const s = [...ms].sort((a, b) => a - b);
  const mid = s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  return { task, runs: s.length, min: s[0] as number, median: mid, max: s[s.length - 1] as number, targetMs };
}

/** Writes `count` stored runs (2 targets × dd + ab, 10 samples) with a regression injected at 70 %. */
export async function writeHistory(dir: string, count: number): Promise<void> {
  const start = Date.parse('2024-01-01T00:00:00.000Z');
  for (let i = 0; i < count; i++) {
    const regressed = i >= Math.floor(count * 0.7);
    const runId = `h${String(i).padStart(5, '0')}-report-bench`;
    const r = syntheticResults({
      name: 'history-bench',
      runId,
      startedAt: new Date(start + i * 3_600_000).toISOString(),
      seed: 9000 + i,
      baseline: 'bare-metal',
      targets: TARGETS.slice(0, 2),
      workloads: standardWorkloads({ dd: { 'bare-metal': 440, docker: 433 }, ab: { 'bare-metal': 25300, docker: regressed ? 21500 : 24100 } }, { dd: 0.015, ab: 0.012 }),
      samples: 10,
      git: { commit: (0x1000000 + i * 7919).toString(16).padStart(8, '0').repeat(5), branch: 'main' },
    });
    await writeFile(path.join(dir, `${runId}.json`), JSON.stringify(r));
  }
}

export async function runReportHotpaths(options: { runs?: number; historyRuns?: number } = {}): Promise<TimingRow[]> {
  const runs = options.runs ?? 5;
  const historyRuns = options.historyRuns ?? 1000;
  const work = mkdtempSync(path.join(os.tmpdir(), 'bs-report-bench-'));
  try {
    const results = benchRun();
    const rows: TimingRow[] = [];
    const defaults = [...DEFAULT_FORMATS];
    let k = 0;
    const render = (formats: readonly ReportFormat[]) => () => renderReports(results, { formats, outDir: path.join(work, `r${k++}`) });
    rows.push(row(`default report set (${defaults.join(', ')}), 3 targets × 10 workloads × 30 samples`, await time(runs, render(defaults)), 1000));
    if (!defaults.includes('png')) {
      rows.push(row('the same plus png (--format …,png)', await time(runs, render([...defaults, 'png'])), null));
    }
    rows.push(row('table, CSV and JSON only (md, csv, json)', await time(runs, render(['md', 'csv', 'json'])), null));

    const histDir = path.join(work, 'history');
    await import('node:fs/promises').then((fs) => fs.mkdir(histDir));
    await writeHistory(histDir, historyRuns);
    let h = 0;
    const history = async () => {
      const load = await loadHistory(histDir);
      const report = await renderHistory(load, { outDir: path.join(work, `h${h++}`) });
      if (!report.regressions.length) throw new Error('history bench: the injected regression was not found');
    };
    rows.push(row(`history of ${historyRuns} stored runs: load, summarize, chart, write`, await time(Math.min(runs, 3), history), 3000));
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function ms(v: number): string {
  return v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`;
}

export function reportHotpathsMarkdown(rows: TimingRow[]): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const load = os.loadavg()[0]?.toFixed(2) ?? '?';
  return [
    '## Report rendering',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu} (${os.cpus().length} cores, 1-min load average ${load}), ` +
      `Node ${process.version}; wall-clock per call after one warm-up call, files written to a temporary directory. ` +
      'Reproduce: `npm run bench -- report`.',
    '',
    '| task | runs | min | median | max | target |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.task} | ${r.runs} | ${ms(r.min)} | ${ms(r.median)} | ${ms(r.max)} | ${r.targetMs === null ? '—' : `< ${ms(r.targetMs)}: ${r.median < r.targetMs ? 'met' : 'NOT met'} (median)`} |`,
    ),
    '',
  ].join('\n');
}

export async function reportHotpathsBench(): Promise<string> {
  return reportHotpathsMarkdown(await runReportHotpaths());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  reportHotpathsBench().then((md) => process.stdout.write(`${md}\n`));
}
