/**
 * Paired vs Fieller interval widths on real runs: one real interleaved run of the `kvm-docker` scenario with the
 * candidate on this host's Docker engine (`--set targets.kvm-docker.host=local`), plus any results files named in
 * BENCH_PAIRED_RESULTS (colon-separated paths), each re-analysed by src/results/analyze.ts, tabulating per
 * workload and metric the independent interval (Fieller's, or log-delta) against the paired one over adjacent
 * pairs, and whether the report uses it (src/stats/paired.ts, choosePaired).
 *
 *   npm run bench -- paired                              (20 rounds; BENCH_PAIRED_ROUNDS=n to change)
 *   BENCH_PAIRED_RESULTS=results/a.json:results/b.json npm run bench -- paired
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SCENARIO_DIR } from '../src/paths.js';
import { loadResults } from '../src/report/load.js';
import { analyze } from '../src/results/analyze.js';
import type { RunResults } from '../src/results/model.js';
import type { Progress } from '../src/runner/progress.js';
import { runScenario } from '../src/runner/run.js';
import { loadScenario } from '../src/scenario/load.js';
import { benchAbort, checkAborted, loadMark, type LoadMark, measuredLine, scratchDir, table } from './common.js';

export interface PairedBenchOptions {
  log?: (s: string) => void;
  /** Rounds of the real run (default BENCH_PAIRED_ROUNDS or 20); 0 skips it. */
  rounds?: number;
  /** Results files to re-analyse beside the run (default BENCH_PAIRED_RESULTS). */
  files?: string[];
}

export interface PairedRow {
  source: string;
  workload: string;
  metric: string;
  candidate: string;
  /** Samples per side in the comparison (the smaller). */
  n: number;
  pairs: number | null;
  fiellerMethod: string;
  fiellerDiff: number;
  fiellerHalfWidth: number | null;
  pairedEstimate: number | null;
  pairedHalfWidth: number | null;
  correlation: number | null;
  lag1: number | null;
  used: boolean;
  reason: string | null;
}

export interface PairedBenchResult {
  rows: PairedRow[];
  sources: string[];
  seconds: number;
  startLoad: LoadMark;
}

/** Re-analyses a run (so files from before the paired analysis get it too) and tabulates its comparisons. */
export function pairedRows(results: RunResults, source: string): PairedRow[] {
  const precision = new Map<string, boolean>();
  for (const s of results.summaries) if (typeof s.precisionMet === 'boolean') precision.set(`${s.workload}/${s.metric}`, s.precisionMet);
  const { summaries, comparisons } = analyze(results, precision);
  const nOf = (target: string, w: string, m: string): number => summaries.find((s) => s.target === target && s.workload === w && s.metric === m)?.n ?? 0;
  const primaryFirst = (w: string, m: string): number => (results.metrics.find((x) => x.workload === w && x.metric === m)?.primary ? 0 : 1);
  return [...comparisons]
    .sort((a, b) => a.workload.localeCompare(b.workload) || primaryFirst(a.workload, a.metric) - primaryFirst(b.workload, b.metric))
    .map((c) => ({
      source,
      workload: c.workload,
      metric: c.metric,
      candidate: c.candidate,
      n: Math.min(nOf(c.baseline, c.workload, c.metric), nOf(c.candidate, c.workload, c.metric)),
      pairs: c.paired?.n ?? null,
      fiellerMethod: c.method ?? 'fieller',
      fiellerDiff: c.differencePct,
      fiellerHalfWidth: c.ci ? (c.ci.high - c.ci.low) / 2 : null,
      pairedEstimate: c.paired ? c.paired.estimate : null,
      pairedHalfWidth: c.paired?.ci ? (c.paired.ci.high - c.paired.ci.low) / 2 : null,
      correlation: c.paired?.correlation ?? null,
      lag1: c.paired?.lag1 ?? null,
      used: c.paired?.used ?? false,
      reason: c.paired ? c.paired.reason : 'no pairs (sequential run)',
    }));
}

function quietProgress(log: (s: string) => void): Progress {
  return {
    update: (e) => {
      if (e.done % 10 === 0) log(`paired: ${e.done} samples (${e.workload} · ${e.target}: ${e.text})`);
    },
    log: (l) => log(`paired: ${l}`),
    stop: () => undefined,
  };
}

export async function runPairedBench(o: PairedBenchOptions = {}): Promise<PairedBenchResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const started = performance.now();
  const startLoad = loadMark();
  const rounds = o.rounds ?? Number(process.env.BENCH_PAIRED_ROUNDS ?? 20);
  const files = o.files ?? (process.env.BENCH_PAIRED_RESULTS ?? '').split(':').filter(Boolean);
  const rows: PairedRow[] = [];
  const sources: string[] = [];
  for (const f of files) {
    const r = await loadResults(f);
    sources.push(`${path.basename(f)} (${r.scenario.name}, ${r.scenario.order ?? 'interleaved'})`);
    rows.push(...pairedRows(r, path.basename(f)));
  }
  if (rounds > 0) {
    const scratch = scratchDir('paired');
    try {
      const { scenario } = await loadScenario(path.join(SCENARIO_DIR, 'kvm-docker.yaml'), [
        'targets.kvm-docker.host=local',
        `samples=${rounds}`,
        'order=interleaved',
        `scratchRoot=${scratch.dir}/scratch`,
      ]);
      log(`paired: kvm-docker with the candidate on this host's Docker, ${rounds} interleaved rounds`);
      const results = await runScenario({ scenario, resultsDir: `${scratch.dir}/results`, progress: quietProgress(log), signal: benchAbort.signal, command: ['bench', 'paired'] });
      checkAborted();
      sources.push(`a real run of kvm-docker (candidate: Docker on this host), ${rounds} interleaved rounds, run ${results.runId}`);
      rows.push(...pairedRows(results, 'this run'));
    } finally {
      await scratch.remove();
    }
  }
  return { rows, sources, seconds: (performance.now() - started) / 1000, startLoad };
}

const f = (x: number | null, d = 2): string => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(d));
const signed = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : `${x > 0 ? '+' : ''}${x.toFixed(2)} %`);

export function pairedBenchMarkdown(r: PairedBenchResult): string {
  const lines = ['## Paired vs Fieller intervals on real runs', ''];
  lines.push(measuredLine(r.startLoad, r.seconds, 'npm run bench -- paired'), '');
  lines.push(
    'Each comparison of each run, re-analysed: the independent-samples interval (Fieller\'s, or log-delta) and the paired ' +
      'interval over adjacent baseline/candidate pairs of the same round (docs/statistics.md, "Paired analysis"), as ' +
      'half-widths in percentage points; "used" says whether the report shows the paired one, and if not, why. ' +
      `Sources: ${r.sources.join('; ') || 'none'}.`,
    '',
  );
  if (r.rows.length === 0) {
    lines.push('No comparisons.', '');
    return lines.join('\n');
  }
  lines.push(
    table(
      ['source', 'workload / metric', 'n', 'pairs', 'Fieller', 'Fieller ±', 'paired', 'paired ±', 'paired/Fieller', 'corr.', 'lag-1', 'used'],
      r.rows.map((x) => [
        x.source,
        `${x.workload} / ${x.metric}`,
        String(x.n),
        x.pairs === null ? '–' : String(x.pairs),
        `${signed(x.fiellerDiff)}${x.fiellerMethod === 'fieller' ? '' : ` (${x.fiellerMethod})`}`,
        f(x.fiellerHalfWidth),
        signed(x.pairedEstimate),
        f(x.pairedHalfWidth),
        x.fiellerHalfWidth && x.pairedHalfWidth !== null ? f(x.pairedHalfWidth / x.fiellerHalfWidth) : '–',
        f(x.correlation),
        f(x.lag1),
        x.used ? 'yes' : `no (${x.reason ?? '?'})`,
      ]),
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
  );
  const ratios = r.rows.filter((x) => x.fiellerHalfWidth && x.pairedHalfWidth !== null).map((x) => x.pairedHalfWidth! / x.fiellerHalfWidth!);
  if (ratios.length > 0) {
    const sorted = [...ratios].sort((a, b) => a - b);
    const used = r.rows.filter((x) => x.used).length;
    lines.push(
      `Paired half-width / Fieller half-width over ${ratios.length} comparisons: min ${sorted[0]!.toFixed(2)}, median ` +
        `${sorted[Math.floor((sorted.length - 1) / 2)]!.toFixed(2)}, max ${sorted[sorted.length - 1]!.toFixed(2)}; the paired interval was used in ${used} of ${r.rows.length}.`,
      '',
    );
  }
  return lines.join('\n');
}

export async function pairedBench(o: PairedBenchOptions = {}): Promise<string> {
  return pairedBenchMarkdown(await runPairedBench(o));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  pairedBench().then((md) => process.stdout.write(md + '\n'));
}
