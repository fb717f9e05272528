/**
 * Reproducibility of a difference across runs: how often a second run's difference (its point estimate) lands
 * inside the first run's interval, for the interval one run of one set-up reports (single level), the same
 * samples pooled as if they were one run, and the interval over K = 3 independent blocks (`--repeat 3`,
 * docs/statistics.md "Repetitions at two levels").
 *
 * Real part: consecutive `runScenario` runs with `repeat: 3` on this host, bare metal vs Docker, ab and dd with
 * small fixed sizes. Each run gives its multi-level interval, its pooled interval (levels.singleLevel) and,
 * per block, the interval that block alone would have given as a run of its own; consecutive runs (and
 * consecutive blocks) are the pairs. Simulation part (seeded): block effects of known size, the same analysis
 * code (`analyze`), many pairs, so its figures are stable.
 *
 *   npm run bench -- reproducibility
 *   node dist/bench/reproducibility.js --runs 2 --samples 3 --trials 50     (a tiny check)
 */
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/results/analyze.js';
import type { ComparisonRecord, MetricInfo, RunResults, Sample } from '../src/results/model.js';
import { runScenario } from '../src/runner/run.js';
import type { Progress } from '../src/runner/progress.js';
import { validateScenarioData } from '../src/scenario/load.js';
import type { Scenario, WorkloadSpec } from '../src/scenario/schema.js';
import { createRng } from '../src/stats/random.js';
import { benchAbort, checkAborted, loadMark, type LoadMark, measuredLine, num, pct, scratchDir, table } from './common.js';

const BASELINE = 'bare-metal';
const CANDIDATE = 'docker';
const K = 3;

export interface ReproOptions {
  log?: (s: string) => void;
  /** Consecutive real runs (each K blocks); pairs = runs − 1. */
  runs?: number;
  /** Samples per block and target. */
  samples?: number;
  /** Stop starting new real runs after this many seconds (the runs already done are used). */
  budgetSec?: number;
  /** Simulated pairs per cell. */
  trials?: number;
  seed?: number;
}

/** One interval and the point estimate it came with (percent difference, candidate vs baseline). */
interface Estimate {
  d: number;
  ci: { low: number; high: number } | null;
}

interface RunEstimates {
  multi: Estimate;
  pooled: Estimate;
  blocks: Estimate[];
  /** Kalibera–Jones figures of the baseline and candidate (CV within, between component), percent. */
  within: [number, number];
  between: [number, number];
  /** Kalibera–Jones recommendation per target (baseline, candidate) for the default ±1 %, when the run measured costs. */
  plans: (string | null)[];
}

export interface CaptureStats {
  pairs: number;
  captured: number;
  /** Mean half-width of the first run's interval, percentage points. */
  meanHalfWidth: number;
}

export interface RealCase {
  id: string;
  title: string;
  runs: RunEstimates[];
  single: CaptureStats;
  pooled: CaptureStats;
  multi: CaptureStats;
}

export interface SimRow {
  betweenCvPct: number;
  withinCvPct: number;
  single: CaptureStats & { covered: number };
  pooled: CaptureStats & { covered: number };
  multi: CaptureStats & { covered: number };
}

export interface ReproResult {
  cases: RealCase[];
  perBlock: number;
  simulation: SimRow[];
  simTrials: number;
  simPerBlock: number;
  seconds: number;
  realSeconds: number;
  startLoad: LoadMark;
}

const inside = (e: Estimate, d: number): boolean => e.ci !== null && d >= e.ci.low && d <= e.ci.high;
const halfWidth = (e: Estimate): number => (e.ci ? (e.ci.high - e.ci.low) / 2 : NaN);

/** Capture of each next estimate by the previous interval, over a sequence of estimates. */
export function capture(seq: readonly Estimate[]): CaptureStats {
  let captured = 0;
  let hw = 0;
  let pairs = 0;
  for (let i = 0; i + 1 < seq.length; i++) {
    const a = seq[i] as Estimate;
    pairs++;
    hw += halfWidth(a);
    if (inside(a, (seq[i + 1] as Estimate).d)) captured++;
  }
  return { pairs, captured, meanHalfWidth: pairs ? hw / pairs : NaN };
}

const estimate = (c: ComparisonRecord | undefined): Estimate => ({ d: c?.differencePct ?? NaN, ci: c?.ci ?? null });

type Analysable = Parameters<typeof analyze>[0];

/** The three estimates of one run (from its samples, through `analyze`, as the report gets them). */
export function runEstimates(r: Analysable, workload: string, metric: string): RunEstimates {
  const find = (cs: ComparisonRecord[]): ComparisonRecord | undefined => cs.find((c) => c.workload === workload && c.metric === metric);
  const all = analyze(r);
  const c = find(all.comparisons);
  const multi = estimate(c);
  const pooled: Estimate = c?.levels ? { d: c.levels.singleLevel.differencePct, ci: c.levels.singleLevel.ci } : multi;
  const blocks: Estimate[] = [];
  for (let b = 0; b < K; b++) {
    const mine = r.samples.filter((s) => (s.block ?? 0) === b);
    blocks.push(estimate(find(analyze({ ...r, samples: mine, blocks: [] }).comparisons)));
  }
  const lv = (t: string) => all.summaries.find((s) => s.target === t && s.workload === workload && s.metric === metric);
  const cvs = (t: string): [number, number] => {
    const s = lv(t);
    const l = s?.levels;
    if (!s || !l || l.withinVariance === null || l.betweenComponent === null) return [NaN, NaN];
    return [(Math.sqrt(l.withinVariance) / s.mean) * 100, (Math.sqrt(l.betweenComponent) / s.mean) * 100];
  };
  const [wb, bb] = cvs(BASELINE);
  const [wc, bc] = cvs(CANDIDATE);
  const plan = (t: string): string | null => {
    const p = lv(t)?.levels?.plan;
    if (!p) return null;
    if (p.recommendedPerBlock === null) return 'one block (no between-block variation)';
    return `${p.recommendedPerBlock} per block × ${p.recommendedBlocks ?? '> 1000'} blocks for ±${p.targetHalfWidthPct} %${p.estimatedSec === null ? '' : ` (≈ ${num(p.estimatedSec / 60, 0)} min)`}`;
  };
  return { multi, pooled, blocks, within: [wb, wc], between: [bb, bc], plans: [plan(BASELINE), plan(CANDIDATE)] };
}

// ---------------------------------------------------------------------------------------------------------
// Real runs

interface Case {
  id: string;
  title: string;
  spec: WorkloadSpec;
}

const CASES: Case[] = [
  { id: 'ab', title: 'ab, 5 000 requests, c = 8, keep-alive, 4 KiB', spec: { kind: 'ab', requests: 5000, concurrency: 8, keepAlive: true, path: '/', responseBytes: 4096, serverWorkers: 1 } as WorkloadSpec },
  { id: 'dd', title: 'dd 32 MiB, bs 1M, conv=fdatasync', spec: { kind: 'dd', blockSize: '1M', count: 32, sync: 'fdatasync', dropCaches: false } as WorkloadSpec },
];

function scenarioFor(samples: number, scratchRoot: string): Scenario {
  return validateScenarioData(
    {
      name: 'bench-reproducibility',
      description: 'performance bench: reproducibility of a difference across runs',
      baseline: BASELINE,
      targets: {
        [BASELINE]: { label: 'Bare Metal', host: 'local' },
        [CANDIDATE]: { label: 'Docker', host: 'local', container: { network: 'host', storage: 'volume' } },
      },
      workloads: Object.fromEntries(CASES.map((c) => [c.id, c.spec])),
      samples,
      warmup: 1,
      repeat: K,
      order: 'interleaved',
      confidence: 0.95,
      timeoutSec: 120,
      scratchRoot,
    },
    'bench/reproducibility.ts',
  );
}

function quietProgress(log: (s: string) => void, name: string): Progress {
  return { update: () => undefined, log: (l) => log(`reproducibility ${name}: ${l}`), stop: () => undefined };
}

async function realRuns(o: Required<Pick<ReproOptions, 'runs' | 'samples' | 'budgetSec'>>, log: (s: string) => void): Promise<{ cases: RealCase[]; seconds: number }> {
  const scratch = scratchDir('repro');
  const t0 = performance.now();
  const runs: RunResults[] = [];
  try {
    for (let i = 0; i < o.runs; i++) {
      checkAborted();
      if (i >= 2 && (performance.now() - t0) / 1000 > o.budgetSec) {
        log(`reproducibility: time budget of ${o.budgetSec} s reached after ${i} runs`);
        break;
      }
      const scenario = scenarioFor(o.samples, `${scratch.dir}/scratch`);
      const r = await runScenario({ scenario, resultsDir: `${scratch.dir}/results`, progress: quietProgress(log, `run ${i + 1}`), signal: benchAbort.signal, command: ['bench', 'reproducibility'] });
      checkAborted();
      const failed = r.samples.filter((s) => !s.ok && !s.warmup);
      if (failed.length > 0) throw new Error(`run ${i + 1}: ${failed.length} failed samples (first: ${failed[0]?.error})`);
      runs.push(r);
      log(`reproducibility: run ${i + 1} of ${o.runs} done (${num((performance.now() - t0) / 1000)} s so far)`);
    }
  } finally {
    await scratch.remove();
  }
  const cases = CASES.map((c) => {
    const metric = (runs[0]?.metrics.find((m) => m.workload === c.id && m.primary) as MetricInfo | undefined)?.metric ?? '';
    const est = runs.map((r) => runEstimates(r, c.id, metric));
    return { id: c.id, title: c.title, runs: est, single: capture(est.flatMap((e) => e.blocks)), pooled: capture(est.map((e) => e.pooled)), multi: capture(est.map((e) => e.multi)) };
  });
  return { cases, seconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------------------
// Simulation

const SIM_METRIC: MetricInfo = { workload: 'w', metric: 'v', title: 'v', unit: 'u', higherIsBetter: true, primary: true };

/** One simulated run: K blocks of n per target; value = mean·(1 + block effect)·(1 + noise), normal. */
function simulatedRun(rng: ReturnType<typeof createRng>, n: number, withinCv: number, betweenCv: number): Analysable {
  const samples: Sample[] = [];
  let seq = 0;
  for (let b = 0; b < K; b++) {
    for (const [target, mean] of [[BASELINE, 100], [CANDIDATE, 97]] as const) {
      const effect = 1 + betweenCv * rng.nextNormal();
      for (let i = 0; i < n; i++) {
        const v = mean * effect * (1 + withinCv * rng.nextNormal());
        samples.push({ seq: seq++, target, workload: 'w', round: b * n + i, warmup: false, ok: true, startedAt: '', durationMs: 1, values: { v }, ...(b > 0 ? { block: b } : {}) });
      }
    }
  }
  return {
    samples,
    targets: [{ id: BASELINE }, { id: CANDIDATE }] as RunResults['targets'],
    metrics: [SIM_METRIC],
    baseline: BASELINE,
    confidence: 0.95,
    scenario: {} as RunResults['scenario'],
  };
}

/** Pairs of simulated runs per cell: capture of the second run's estimate, and coverage of the true −3 %. */
export function simulateReproducibility(trials = 4000, seed = 20_261_202, n = 10, withinCv = 0.05): SimRow[] {
  const rng = createRng(seed);
  const TRUE = -3;
  const rows: SimRow[] = [];
  for (const betweenCvPct of [0, 2, 5]) {
    const acc = { single: { pairs: 0, captured: 0, hw: 0, covered: 0 }, pooled: { pairs: 0, captured: 0, hw: 0, covered: 0 }, multi: { pairs: 0, captured: 0, hw: 0, covered: 0 } };
    for (let t = 0; t < trials; t++) {
      const first = runEstimates(simulatedRun(rng, n, withinCv, betweenCvPct / 100), 'w', 'v');
      const second = runEstimates(simulatedRun(rng, n, withinCv, betweenCvPct / 100), 'w', 'v');
      const kinds: [keyof typeof acc, Estimate, Estimate][] = [
        ['single', first.blocks[0] as Estimate, second.blocks[0] as Estimate],
        ['pooled', first.pooled, second.pooled],
        ['multi', first.multi, second.multi],
      ];
      for (const [k, a, b] of kinds) {
        acc[k].pairs++;
        acc[k].hw += halfWidth(a);
        if (inside(a, b.d)) acc[k].captured++;
        if (inside(a, TRUE)) acc[k].covered++;
      }
    }
    const out = (a: (typeof acc)['single']) => ({ pairs: a.pairs, captured: a.captured, meanHalfWidth: a.hw / a.pairs, covered: a.covered });
    rows.push({ betweenCvPct, withinCvPct: withinCv * 100, single: out(acc.single), pooled: out(acc.pooled), multi: out(acc.multi) });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------

export async function runReproducibility(o: ReproOptions = {}): Promise<ReproResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const started = performance.now();
  const startLoad = loadMark();
  const perBlock = o.samples ?? 5;
  const real = await realRuns({ runs: o.runs ?? 10, samples: perBlock, budgetSec: o.budgetSec ?? 330 }, log);
  const simTrials = o.trials ?? 4000;
  log(`reproducibility: simulation, ${simTrials} pairs per cell`);
  const simulation = simulateReproducibility(simTrials, o.seed);
  return { cases: real.cases, perBlock, simulation, simTrials, simPerBlock: 10, seconds: (performance.now() - started) / 1000, realSeconds: real.seconds, startLoad };
}

const rate = (c: CaptureStats): string => (c.pairs ? `${pct(c.captured / c.pairs, 0)} (${c.captured} of ${c.pairs})` : '–');
const pp = (x: number): string => (Number.isFinite(x) ? `±${x.toFixed(1)}` : '–');
const fmtEst = (e: Estimate): string => `${e.d >= 0 ? '+' : ''}${e.d.toFixed(1)} %${e.ci ? ` [${e.ci.low.toFixed(1)}, ${e.ci.high.toFixed(1)}]` : ''}`;

export function reproducibilityMarkdown(r: ReproResult): string {
  const lines: string[] = ['## Reproducibility of a difference across runs: single level vs blocks', ''];
  lines.push(measuredLine(r.startLoad, r.seconds, 'npm run bench -- reproducibility'), '');
  lines.push(
    `A run's interval describes that run; users read it as what the next run will show. Each real run here is a \`runScenario\` with ` +
      `\`repeat: ${K}\` on this host (bare metal vs Docker, host network, volume storage; interleaved; 1 warm-up and ${r.perBlock} samples per ` +
      `block and target). From each run: the **multi-level** interval (${K} blocks, t with ${K - 1} df over the block means, Fieller on the ` +
      'block means), the **pooled** interval (all its samples as if one run of one set-up, what the run would report without blocks), and ' +
      'per block the **single-level** interval that block alone gives (one set-up, as a default run). "Captured" = the next run\'s (or next ' +
      'block\'s) difference lies inside this one\'s interval. Even a correct 95 % interval captures a *new* estimate of the same spread less often ' +
      'than 95 % (about 83 % for wide samples, more for few degrees of freedom): the figure to look for is how far below that a level falls.',
    '',
  );
  for (const c of r.cases) {
    lines.push(`### ${c.title}`, '');
    lines.push(
      table(
        ['interval', 'pairs', 'captured', 'mean half-width (pp)'],
        [
          [`single level (one block of ${r.perBlock}, next block)`, String(c.single.pairs), rate(c.single), pp(c.single.meanHalfWidth)],
          [`pooled (${K}×${r.perBlock} samples, next run)`, String(c.pooled.pairs), rate(c.pooled), pp(c.pooled.meanHalfWidth)],
          [`multi-level (${K} blocks, next run)`, String(c.multi.pairs), rate(c.multi), pp(c.multi.meanHalfWidth)],
        ],
        ['l', 'r', 'r', 'r'],
      ),
      '',
    );
    lines.push(
      `Runs in order (multi-level difference, Docker vs bare metal): ${c.runs.map((e) => fmtEst(e.multi)).join('; ')}. ` +
        `Within-block CV (bare metal / Docker), median over runs: ${medianPair(c.runs.map((e) => e.within))}; between-block component: ${medianPair(c.runs.map((e) => e.between))}.`,
      '',
    );
    const last = c.runs[c.runs.length - 1];
    if (last?.plans.some((p) => p !== null)) {
      lines.push(`Kalibera–Jones recommendation from the last run's measured costs and variances (as its report prints it): bare metal ${last.plans[0] ?? '–'}; Docker ${last.plans[1] ?? '–'}.`, '');
    }
  }
  lines.push(
    `Simulation (seeded, ${r.simTrials} pairs of runs per row; normal noise with a within-block CV of ${r.simulation[0]?.withinCvPct ?? 5} %, a block effect ` +
      `per target and block with the CV given, candidate 3 % below the baseline; ${K} blocks of ${r.simPerBlock} per run; the same \`analyze\` code as a run). ` +
      '"covers" = the interval contains the true −3 %.',
    '',
  );
  lines.push(
    table(
      ['between-block CV', 'single level: captured / covers / ±pp', 'pooled: captured / covers / ±pp', 'multi-level: captured / covers / ±pp'],
      r.simulation.map((s) => [
        `${s.betweenCvPct} %`,
        ...[s.single, s.pooled, s.multi].map((x) => `${pct(x.captured / x.pairs, 0)} / ${pct(x.covered / x.pairs, 0)} / ${pp(x.meanHalfWidth)}`),
      ]),
      ['r', 'r', 'r', 'r'],
    ),
    '',
  );
  const at = (cv: number) => r.simulation.find((s) => s.betweenCvPct === cv);
  const big = at(5);
  const none = at(0);
  if (big && none) {
    lines.push(
      `Without block effects the single-level, pooled and multi-level intervals capture the next run ${pct(none.single.captured / none.single.pairs, 0)}, ${pct(none.pooled.captured / none.pooled.pairs, 0)} and ` +
        `${pct(none.multi.captured / none.multi.pairs, 0)} of the time (half-widths ${pp(none.single.meanHalfWidth)}, ${pp(none.pooled.meanHalfWidth)}, ${pp(none.multi.meanHalfWidth)} pp). With a 5 % block effect the single-level and pooled intervals ` +
        `capture the next run only ${pct(big.single.captured / big.single.pairs, 0)} and ${pct(big.pooled.captured / big.pooled.pairs, 0)} of the time and cover the true ` +
        `difference ${pct(big.single.covered / big.single.pairs, 0)} and ${pct(big.pooled.covered / big.pooled.pairs, 0)}: they describe one set-up. The multi-level ` +
        `interval captures ${pct(big.multi.captured / big.multi.pairs, 0)} and covers ${pct(big.multi.covered / big.multi.pairs, 0)}, at a half-width of ${pp(big.multi.meanHalfWidth)} pp.`,
      '',
    );
  }
  return lines.join('\n');
}

function medianPair(xs: [number, number][]): string {
  const med = (v: number[]): number => {
    const s = v.filter(Number.isFinite).sort((a, b) => a - b);
    return s.length ? (s[(s.length - 1) >> 1] as number + (s[s.length >> 1] as number)) / 2 : NaN;
  };
  const f = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(1)} %` : '–');
  return `${f(med(xs.map((x) => x[0])))} / ${f(med(xs.map((x) => x[1])))}`;
}

export async function reproducibilityBench(o: ReproOptions = {}): Promise<string> {
  return reproducibilityMarkdown(await runReproducibility(o));
}

// Standalone: node dist/bench/reproducibility.js [--runs N] [--samples N] [--trials N] [--budget S]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string): number | undefined => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  reproducibilityBench({ runs: arg('--runs'), samples: arg('--samples'), trials: arg('--trials'), budgetSec: arg('--budget') })
    .then((md) => process.stdout.write(`${md}\n`))
    .catch((e: Error) => {
      process.stderr.write(`${e.stack ?? e.message}\n`);
      process.exitCode = 1;
    });
}
