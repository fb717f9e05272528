/**
 * Monte-Carlo calibration of the comparison statistics: how often the 95 % Fieller interval of the
 * difference % contains the true difference, and how often an A/A comparison (no true difference) gets a
 * 'fail' verdict. Seeded, so every run on every machine produces the same figures.
 *
 *   npm run bench -- calibration            (through bench/run.ts)
 *   node dist/bench/calibration.js          (standalone, after `npm run build`)
 */

import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { decideSampling, STOPPED_ALPHA_FACTOR, type AdaptiveReason } from '../src/stats/adaptive.js';
import { compare } from '../src/stats/compare.js';
import { choosePaired, pairedInterval, PAIRED_MIN_PAIRS } from '../src/stats/paired.js';
import { summarize } from '../src/stats/summarize.js';
import { createRng, type Rng } from '../src/stats/random.js';

export type NoiseKind = 'normal' | 'lognormal';

export interface NoiseModel {
  kind: NoiseKind;
  /** Coefficient of variation of a single sample. */
  cv: number;
  label: string;
}

export interface CalibrationCell {
  noise: string;
  n: number;
  /** True difference of means, percent. */
  truePct: number;
  trials: number;
  /** Fraction of 95 % Fieller intervals containing truePct (an unbounded interval counts as containing it). */
  coverage: number;
  /** Fraction of trials where the interval was unbounded (ci: null). */
  unbounded: number;
  /** Mean width of the bounded intervals, percentage points. */
  meanWidthPct: number;
}

export interface AaFalseFail {
  noise: string;
  n: number;
  trials: number;
  /** Fraction of A/A trials with verdict 'fail' at 5 % tolerance (throughput direction). */
  failAt5: number;
  /** Same at 0 % tolerance: a one-sided 2.5 % test, so the nominal rate is ≤ 2.5 %. */
  failAt0: number;
}

export interface BootstrapCell {
  noise: string;
  n: number;
  trials: number;
  resamples: number;
  percentileCoverage: number;
  bcaCoverage: number;
  fiellerCoverage: number;
}

export interface CalibrationOptions {
  trials?: number;
  seed?: number;
  sizes?: number[];
  truesPct?: number[];
  noises?: NoiseModel[];
  bootstrapTrials?: number;
  bootstrapResamples?: number;
  /** Trials per optional-stopping cell (0 skips it). */
  stoppingTrials?: number;
  /** Trials per positivity cell (0 skips it). */
  positivityTrials?: number;
  /** Trials per paired-analysis cell (0 skips it). */
  pairedTrials?: number;
}

export interface CalibrationResult {
  trials: number;
  seed: number;
  confidence: number;
  cells: CalibrationCell[];
  aa: AaFalseFail[];
  bootstrap: BootstrapCell[];
  stopping: StoppingCell[];
  positivity: PositivityCell[];
  paired: PairedCell[];
  seconds: number;
}

export const DEFAULT_NOISES: NoiseModel[] = [
  { kind: 'normal', cv: 0.1, label: 'normal, CV 10 %' },
  { kind: 'lognormal', cv: 0.1, label: 'lognormal, CV 10 %' },
  { kind: 'lognormal', cv: 0.3, label: 'lognormal, CV 30 % (dd-like)' },
];

const CONFIDENCE = 0.95;

/** n draws with mean exactly `mean` in expectation and the model's CV. */
function draw(rng: Rng, noise: NoiseModel, mean: number, n: number): number[] {
  const out = new Array<number>(n);
  if (noise.kind === 'normal') {
    for (let i = 0; i < n; i++) out[i] = mean * (1 + noise.cv * rng.nextNormal());
  } else {
    // X = mean·exp(σZ − σ²/2): E[X] = mean, CV² = e^{σ²} − 1.
    const sigma = Math.sqrt(Math.log1p(noise.cv * noise.cv));
    for (let i = 0; i < n; i++) out[i] = mean * Math.exp(sigma * rng.nextNormal() - (sigma * sigma) / 2);
  }
  return out;
}

export function runCalibration(options: CalibrationOptions = {}): CalibrationResult {
  const started = performance.now();
  const trials = options.trials ?? 4000;
  const seed = options.seed ?? 20240611;
  const sizes = options.sizes ?? [5, 10, 20, 30];
  const truesPct = options.truesPct ?? [0, 1, 5];
  const noises = options.noises ?? DEFAULT_NOISES;
  const bootstrapTrials = options.bootstrapTrials ?? 500;
  const bootstrapResamples = options.bootstrapResamples ?? 2000;
  const rng = createRng(seed);
  const cells: CalibrationCell[] = [];
  const aa: AaFalseFail[] = [];
  const bootstrap: BootstrapCell[] = [];

  for (const noise of noises) {
    for (const n of sizes) {
      for (const truePct of truesPct) {
        let covered = 0;
        let unbounded = 0;
        let widthSum = 0;
        let fail5 = 0;
        let fail0 = 0;
        for (let t = 0; t < trials; t++) {
          const baseline = draw(rng, noise, 100, n);
          const candidate = draw(rng, noise, 100 * (1 + truePct / 100), n);
          const c = compare(baseline, candidate, { confidence: CONFIDENCE, tolerancePct: 5 });
          if (!c.ci) {
            unbounded++;
            covered++;
          } else {
            if (c.ci.low <= truePct && truePct <= c.ci.high) covered++;
            widthSum += c.ci.high - c.ci.low;
          }
          if (truePct === 0) {
            if (c.verdict === 'fail') fail5++;
            if (c.overheadCi && c.overheadCi.low > 0) fail0++;
          }
        }
        cells.push({
          noise: noise.label,
          n,
          truePct,
          trials,
          coverage: covered / trials,
          unbounded: unbounded / trials,
          meanWidthPct: trials > unbounded ? widthSum / (trials - unbounded) : Number.NaN,
        });
        if (truePct === 0) aa.push({ noise: noise.label, n, trials, failAt5: fail5 / trials, failAt0: fail0 / trials });
      }
    }
  }

  // Bootstrap intervals beside Fieller, on fewer trials (each trial resamples `bootstrapResamples` times).
  if (bootstrapTrials > 0) {
    const truePct = 1;
    for (const noise of noises) {
      for (const n of [sizes[0]!, sizes[sizes.length - 1]!]) {
        let pc = 0;
        let bc = 0;
        let fc = 0;
        for (let t = 0; t < bootstrapTrials; t++) {
          const baseline = draw(rng, noise, 100, n);
          const candidate = draw(rng, noise, 100 * (1 + truePct / 100), n);
          const c = compare(baseline, candidate, {
            confidence: CONFIDENCE,
            bootstrap: { resamples: bootstrapResamples, seed: seed + t },
          });
          const b = c.bootstrap!;
          if (b.percentile && b.percentile.low <= truePct && truePct <= b.percentile.high) pc++;
          if (b.bca && b.bca.low <= truePct && truePct <= b.bca.high) bc++;
          if (!c.ci || (c.ci.low <= truePct && truePct <= c.ci.high)) fc++;
        }
        bootstrap.push({
          noise: noise.label,
          n,
          trials: bootstrapTrials,
          resamples: bootstrapResamples,
          percentileCoverage: pc / bootstrapTrials,
          bcaCoverage: bc / bootstrapTrials,
          fiellerCoverage: fc / bootstrapTrials,
        });
      }
    }
  }

  const stoppingTrials = options.stoppingTrials ?? 4000;
  const positivityTrials = options.positivityTrials ?? 4000;
  const stopping = stoppingTrials > 0 ? runStoppingCalibration({ trials: stoppingTrials }) : [];
  const positivity = positivityTrials > 0 ? runPositivityCalibration({ trials: positivityTrials }) : [];
  const pairedTrials = options.pairedTrials ?? 4000;
  const paired = pairedTrials > 0 ? runPairedCalibration({ trials: pairedTrials }) : [];
  return { trials, seed, confidence: CONFIDENCE, cells, aa, bootstrap, stopping, positivity, paired, seconds: (performance.now() - started) / 1000 };
}

/** One cell of the optional-stopping check: adaptive sampling (plan 6/30/±1 %) of normal noise. */
export interface StoppingCell {
  /** 'interleaved': baseline + one candidate, the overhead interval; 'sequential': one target, its mean's interval. */
  mode: 'interleaved' | 'sequential';
  cv: number;
  trials: number;
  /** Mean samples per target at the stop. */
  meanN: number;
  /** Fraction of trials that stopped on precision before max. */
  stoppedOnPrecision: number;
  /** Coverage of the interval at the stop, nominal 95 %, for every α multiplier f applied at a precision stop. */
  coverageByFactor: Array<{ factor: number; coverage: number }>;
  /** Coverage of a fresh sample of the same n, fixed in advance (no stopping rule). */
  fixedCoverage: number;
}

/** α multipliers tried at a precision stop: 1 = no correction. */
export const STOPPING_FACTORS = [1, 0.6, 0.5, 0.4, 0.3];

export function runStoppingCalibration(
  options: { trials?: number; seed?: number; cvs?: number[]; truePct?: number; modes?: Array<'interleaved' | 'sequential'> } = {},
): StoppingCell[] {
  const trials = options.trials ?? 4000;
  const rng = createRng(options.seed ?? 20261202);
  const truePct = options.truePct ?? -5;
  const cells: StoppingCell[] = [];
  for (const mode of options.modes ?? (['interleaved', 'sequential'] as const)) {
    for (const cv of options.cvs ?? [0.005, 0.01, 0.02, 0.03]) {
      const noise: NoiseModel = { kind: 'normal', cv, label: '' };
      const covered = STOPPING_FACTORS.map(() => 0);
      let fixedCovered = 0;
      let nSum = 0;
      let early = 0;
      for (let t = 0; t < trials; t++) {
        const b = draw(rng, noise, 100, 6);
        const c = mode === 'interleaved' ? draw(rng, noise, 100 + truePct, 6) : [];
        let reason: AdaptiveReason = 'continue';
        for (;;) {
          const d = decideSampling(mode === 'interleaved' ? { baseline: 'b', samples: { b, c } } : { baseline: 'b', samples: { b } });
          if (d.done) {
            reason = d.reason;
            break;
          }
          b.push(...draw(rng, noise, 100, 1));
          if (mode === 'interleaved') c.push(...draw(rng, noise, 100 + truePct, 1));
        }
        nSum += b.length;
        if (reason === 'precision-met') early++;
        const covers = (bb: number[], cc: number[], confidence: number): boolean => {
          if (mode === 'interleaved') {
            const ci = compare(bb, cc, { confidence }).ci;
            return ci !== null && ci.low <= truePct && truePct <= ci.high;
          }
          const ci = summarize(bb, { confidence }).ci!;
          return ci.low <= 100 && 100 <= ci.high;
        };
        STOPPING_FACTORS.forEach((f, i) => {
          const level = reason === 'precision-met' ? 1 - (1 - CONFIDENCE) * f : CONFIDENCE;
          if (covers(b, c, level)) covered[i]!++;
        });
        const fb = draw(rng, noise, 100, b.length);
        const fc = mode === 'interleaved' ? draw(rng, noise, 100 + truePct, b.length) : [];
        if (covers(fb, fc, CONFIDENCE)) fixedCovered++;
      }
      cells.push({
        mode,
        cv,
        trials,
        meanN: nSum / trials,
        stoppedOnPrecision: early / trials,
        coverageByFactor: STOPPING_FACTORS.map((factor, i) => ({ factor, coverage: covered[i]! / trials })),
        fixedCoverage: fixedCovered / trials,
      });
    }
  }
  return cells;
}

/** One cell of the positivity check: a candidate far below a precise baseline, with a noisy candidate. */
export interface PositivityCell {
  n: number;
  /** True ratio of means, candidate / baseline. */
  trueRatio: number;
  /** Candidate CV (lognormal noise); the baseline has CV 5 %. */
  cvCandidate: number;
  trials: number;
  /** Share of trials where Fieller's interval reached −100 % or was unbounded (so log-delta was used). */
  switched: number;
  /** Coverage of compare()'s interval (Fieller, or log-delta where Fieller would cross). */
  coverage: number;
  /** Coverage of Fieller alone (unbounded counted as covering). */
  fiellerCoverage: number;
  /** Within the switched trials: coverage of log-delta and of Fieller. */
  switchedLogDelta: number | null;
  switchedFieller: number | null;
}

export function runPositivityCalibration(options: { trials?: number; seed?: number } = {}): PositivityCell[] {
  const trials = options.trials ?? 4000;
  const rng = createRng(options.seed ?? 19);
  const cells: PositivityCell[] = [];
  const baseNoise: NoiseModel = { kind: 'lognormal', cv: 0.05, label: '' };
  for (const n of [3, 5, 10]) {
    for (const trueRatio of [0.05, 0.3]) {
      for (const cvCandidate of [0.5, 1]) {
        const noise: NoiseModel = { kind: 'lognormal', cv: cvCandidate, label: '' };
        const truePct = (trueRatio - 1) * 100;
        const inside = (ci: { low: number; high: number } | null): boolean => ci === null || (ci.low <= truePct && truePct <= ci.high);
        let switched = 0;
        let cov = 0;
        let fcov = 0;
        let swLog = 0;
        let swF = 0;
        for (let t = 0; t < trials; t++) {
          const b = draw(rng, baseNoise, 100, n);
          const c = draw(rng, noise, 100 * trueRatio, n);
          const hybrid = compare(b, c, { confidence: CONFIDENCE });
          const fieller = compare(b, c, { confidence: CONFIDENCE, positive: false });
          const h = inside(hybrid.ci);
          const f = inside(fieller.ci);
          if (h) cov++;
          if (f) fcov++;
          if (hybrid.method === 'log-delta') {
            switched++;
            if (h) swLog++;
            if (f) swF++;
          }
        }
        cells.push({
          n,
          trueRatio,
          cvCandidate,
          trials,
          switched: switched / trials,
          coverage: cov / trials,
          fiellerCoverage: fcov / trials,
          switchedLogDelta: switched > 0 ? swLog / switched : null,
          switchedFieller: switched > 0 ? swF / switched : null,
        });
      }
    }
  }
  return cells;
}

const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)} %`;

export function calibrationMarkdown(result: CalibrationResult): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const lines: string[] = [];
  const se = Math.sqrt((0.95 * 0.05) / result.trials);
  lines.push('## Statistics calibration', '');
  lines.push(
    `Generated ${new Date().toISOString().slice(0, 10)} on ${cpu} (${os.cpus().length} cores), Node ${process.version}, ` +
      `in ${result.seconds.toFixed(1)} s. Reproduce: \`npm run bench -- calibration\` (seed ${result.seed}; the figures ` +
      'are identical on every machine).',
    '',
  );
  lines.push(
    `Each cell simulates ${result.trials} independent baseline/candidate pairs of n samples each, baseline mean 100 and ` +
      'candidate mean 100·(1 + true %), and counts how often the 95 % Fieller–Welch interval from `compare()` contains ' +
      `the true difference. With ${result.trials} trials the Monte-Carlo standard error of a 95 % coverage is ` +
      `${(se * 100).toFixed(2)} percentage points, so a perfectly calibrated interval lands outside 94–96 % in a few cells ` +
      'by chance alone. An unbounded interval (`ci: null`) is counted as covering; the unbounded rate is listed.',
    '',
  );

  const noises = [...new Set(result.cells.map((c) => c.noise))];
  const trues = [...new Set(result.cells.map((c) => c.truePct))];
  lines.push(
    `| noise | n | ${trues.map((t) => `coverage @ ${t} %`).join(' | ')} | mean CI width @ 0 % | unbounded | A/A fail @ 5 % tol. | A/A fail @ 0 % tol. |`,
  );
  lines.push(`|---|---:|${trues.map(() => '---:').join('|')}|---:|---:|---:|---:|`);
  for (const noise of noises) {
    const sizes = [...new Set(result.cells.filter((c) => c.noise === noise).map((c) => c.n))];
    for (const n of sizes) {
      const row = result.cells.filter((c) => c.noise === noise && c.n === n);
      const zero = row.find((c) => c.truePct === 0);
      const aa = result.aa.find((a) => a.noise === noise && a.n === n);
      const unbounded = Math.max(...row.map((c) => c.unbounded));
      lines.push(
        `| ${noise} | ${n} | ${trues.map((t) => pct(row.find((c) => c.truePct === t)!.coverage)).join(' | ')} | ` +
          `${zero ? zero.meanWidthPct.toFixed(1) + ' pp' : '–'} | ${pct(unbounded, 2)} | ` +
          `${aa ? pct(aa.failAt5, 2) : '–'} | ${aa ? pct(aa.failAt0, 2) : '–'} |`,
      );
    }
  }
  lines.push('');

  // Findings, written from the numbers.
  lines.push('Findings:', '');
  for (const noise of noises) {
    const cells = result.cells.filter((c) => c.noise === noise);
    const lo = Math.min(...cells.map((c) => c.coverage));
    const hi = Math.max(...cells.map((c) => c.coverage));
    const outside = cells.filter((c) => c.coverage < 0.94 || c.coverage > 0.96);
    let text = `- ${noise}: coverage ${pct(lo)}–${pct(hi)} over all n and true differences`;
    if (outside.length === 0) text += '; every cell is inside the 94–96 % target.';
    else {
      text +=
        `; outside 94–96 %: ${outside.map((c) => `n = ${c.n}, true ${c.truePct} % → ${pct(c.coverage)}`).join('; ')}.`;
      const below = outside.filter((c) => c.coverage < 0.94);
      if (below.length > 0 && below.some((c) => c.coverage < 0.95 - 3 * se)) {
        text += ' These are below target by more than Monte-Carlo error: the interval is optimistic there.';
      } else if (below.length === 0) {
        text += ' (Above target: conservative, not optimistic.)';
      }
    }
    lines.push(text);
  }
  const worstAa = result.aa.reduce((a, b) => (b.failAt5 > a.failAt5 ? b : a));
  const worstAa0 = result.aa.reduce((a, b) => (b.failAt0 > a.failAt0 ? b : a));
  lines.push(
    `- A/A false-fail rate at 5 % tolerance: at most ${pct(worstAa.failAt5, 2)} (${worstAa.noise}, n = ${worstAa.n}). ` +
      `At 0 % tolerance (a one-sided 2.5 % test) at most ${pct(worstAa0.failAt0, 2)} (${worstAa0.noise}, n = ${worstAa0.n}).`,
  );
  lines.push('');

  if (result.bootstrap.length > 0) {
    const b0 = result.bootstrap[0]!;
    lines.push(
      `Bootstrap intervals (reported beside Fieller, never instead of it): ${b0.trials} trials per row, ` +
        `${b0.resamples} resamples each, true difference 1 %.`,
      '',
    );
    lines.push('| noise | n | Fieller | percentile | BCa |', '|---|---:|---:|---:|---:|');
    for (const b of result.bootstrap) {
      lines.push(
        `| ${b.noise} | ${b.n} | ${pct(b.fiellerCoverage)} | ${pct(b.percentileCoverage)} | ${pct(b.bcaCoverage)} |`,
      );
    }
    const smallest = Math.min(...result.bootstrap.map((b) => b.n));
    const small = result.bootstrap.filter((b) => b.n === smallest);
    const bootSe = Math.sqrt((0.95 * 0.05) / b0.trials);
    const optimistic = small.some((b) => Math.max(b.percentileCoverage, b.bcaCoverage) < 0.95 - 3 * bootSe);
    lines.push(
      '',
      optimistic
        ? `At n = ${smallest} the bootstrap intervals cover well below 95 % (they ignore the t-distribution's extra ` +
            'width for small samples); this is why Fieller stays the primary interval.'
        : `At n = ${smallest} the bootstrap intervals stay within Monte-Carlo error of 95 % here.`,
      '',
    );
  }
  if (result.stopping.length > 0) {
    const t = result.stopping[0]!.trials;
    lines.push(
      `Optional stopping (${t} trials per row, normal noise, plan min 6 / max 30 / ±1 %, true difference −5 %): ` +
        'coverage of the 95 % interval at the adaptive stop, uncorrected (α × 1) and with α multiplied by f after a ' +
        'stop on precision, against a fresh sample of the same n fixed in advance. The engine uses ' +
        `f = ${STOPPED_ALPHA_FACTOR} (a 98 % formula level).`,
      '',
      `| mode | CV | mean n | stopped on precision | fixed n | ${STOPPING_FACTORS.map((f) => `α × ${f}`).join(' | ')} |`,
      `|---|---:|---:|---:|---:|${STOPPING_FACTORS.map(() => '---:').join('|')}|`,
    );
    for (const c of result.stopping) {
      lines.push(
        `| ${c.mode} | ${pct(c.cv, 1)} | ${c.meanN.toFixed(1)} | ${pct(c.stoppedOnPrecision)} | ${pct(c.fixedCoverage)} | ` +
          `${c.coverageByFactor.map((x) => pct(x.coverage)).join(' | ')} |`,
      );
    }
    lines.push('');
  }
  if (result.positivity.length > 0) {
    const t = result.positivity[0]!.trials;
    lines.push(
      `Positive metrics (${t} trials per row; lognormal noise, baseline mean 100 with CV 5 %, candidate far below ` +
        "with a large CV): how often Fieller's interval reached −100 % (so `compare` used the log-ratio interval), " +
        'and coverage of the 95 % interval overall and within those switched trials.',
      '',
      '| n | true ratio | candidate CV | switched | coverage (compare) | coverage (Fieller only) | switched: log-delta | switched: Fieller |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const c of result.positivity) {
      const opt = (x: number | null): string => (x === null ? '–' : pct(x));
      lines.push(
        `| ${c.n} | ${c.trueRatio} | ${pct(c.cvCandidate, 0)} | ${pct(c.switched)} | ${pct(c.coverage)} | ${pct(c.fiellerCoverage)} | ` +
          `${opt(c.switchedLogDelta)} | ${opt(c.switchedFieller)} |`,
      );
    }
    lines.push('');
  }
  if (result.paired.length > 0) lines.push(pairedMarkdown(result.paired));
  return lines.join('\n');
}

/** The paired-analysis table: coverage of Fieller, paired and the reporting rule, and the simulated widths. */
export function pairedMarkdown(cells: PairedCell[]): string {
  const t = cells[0]!.trials;
  const lines = [
    `Paired vs Fieller interval widths in simulation (${t} trials per row, seeded; interleaved rounds b c / c b, ` +
      'baseline mean 100, candidate −5 %, each sample times a level shared by both targets and its own lognormal ' +
      'noise). Coverage of the 95 % interval: `compare()` (Fieller), the paired interval alone, the reported one ' +
      '(paired where `choosePaired` uses it), and a naive rule without the checks (paired whenever narrower); ' +
      'the share of trials where the paired one was used; the median half-widths.',
    '',
    '| model | n | Fieller | paired | reported (rule) | used | naive rule | Fieller median ± | paired median ± |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of cells) {
    lines.push(
      `| ${c.model} | ${c.n} | ${pct(c.fiellerCoverage)} | ${pct(c.pairedCoverage)} | ${pct(c.ruleCoverage)} | ${pct(c.used)} | ` +
        `${pct(c.narrowerOnlyCoverage)} | ${c.fiellerHalfWidth.toFixed(2)} pp | ${c.pairedHalfWidth.toFixed(2)} pp |`,
    );
  }
  const worst = cells.reduce((a, b) => (b.ruleCoverage < a.ruleCoverage ? b : a));
  const naive = cells.reduce((a, b) => (b.narrowerOnlyCoverage < a.narrowerOnlyCoverage ? b : a));
  lines.push(
    '',
    `The reported interval's lowest coverage is ${pct(worst.ruleCoverage)} (${worst.model}, n = ${worst.n}); ` +
      `the naive rule's ${pct(naive.narrowerOnlyCoverage)} (${naive.model}, n = ${naive.n}).`,
    '',
  );
  return lines.join('\n');
}

export async function calibrationBench(): Promise<string> {
  return calibrationMarkdown(runCalibration());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  calibrationBench().then((md) => process.stdout.write(md + '\n'));
}

// ---------------------------------------------------------------------------------------------------------
// Paired analysis: coverage and width of the paired interval against Fieller's, with and without a drift
// shared by both targets, and of the rule that reports the paired one (choosePaired).
// ---------------------------------------------------------------------------------------------------------

export type DriftKind = 'none' | 'linear' | 'random-walk';

export interface PairedModel {
  label: string;
  drift: DriftKind;
  /** linear: total relative change of the level over the run; random-walk: sd of ln L per sample step. */
  driftSize: number;
  /** CV of the independent per-sample noise (lognormal). */
  cv: number;
}

export const PAIRED_MODELS: PairedModel[] = [
  { label: '(a) independent noise, CV 5 %', drift: 'none', driftSize: 0, cv: 0.05 },
  { label: '(b) linear drift −20 %, noise CV 0.5 %', drift: 'linear', driftSize: 0.2, cv: 0.005 },
  { label: '(b) random-walk drift 2 %/step, noise CV 0.5 %', drift: 'random-walk', driftSize: 0.02, cv: 0.005 },
  { label: '(c) linear drift −20 % + noise CV 5 %', drift: 'linear', driftSize: 0.2, cv: 0.05 },
  { label: '(c) random-walk drift 2 %/step + noise CV 5 %', drift: 'random-walk', driftSize: 0.02, cv: 0.05 },
];

export interface PairedCell {
  model: string;
  n: number;
  trials: number;
  /** Coverage of the true difference by compare()'s interval (Fieller, or log-delta), unbounded counted as covering. */
  fiellerCoverage: number;
  /** Coverage by the paired interval alone (a missing one counted as not covering). */
  pairedCoverage: number;
  /** Coverage of the reported interval: paired where choosePaired uses it, compare()'s otherwise. */
  ruleCoverage: number;
  /** Share of trials where choosePaired used the paired interval. */
  used: number;
  /** Coverage of a naive rule without the checks: the paired interval whenever it is narrower (n ≥ 6). */
  narrowerOnlyCoverage: number;
  /** Coverage within the trials where the paired interval was used; null when never used. */
  usedCoverage: number | null;
  /** Median half-widths, percentage points ((high − low)/2). */
  fiellerHalfWidth: number;
  pairedHalfWidth: number;
}

/**
 * One interleaved run of n rounds: baseline mean 100, candidate 100·(1 + truePct/100), each sample multiplied
 * by a level L(τ) shared by both targets (τ = the sample's position in the run, rounds alternating b c / c b)
 * and by its own lognormal noise of mean 1.
 */
export function simulateInterleaved(rng: Rng, model: PairedModel, n: number, truePct: number): { b: number[]; c: number[] } {
  const sigma = Math.sqrt(Math.log1p(model.cv * model.cv));
  const levels = new Array<number>(2 * n);
  let logLevel = 0;
  for (let tau = 0; tau < 2 * n; tau++) {
    if (model.drift === 'linear') levels[tau] = 1 - (model.driftSize * tau) / (2 * n - 1);
    else if (model.drift === 'random-walk') {
      if (tau > 0) logLevel += model.driftSize * rng.nextNormal();
      levels[tau] = Math.exp(logLevel);
    } else levels[tau] = 1;
  }
  const noise = (): number => Math.exp(sigma * rng.nextNormal() - (sigma * sigma) / 2);
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < n; i++) {
    const baseFirst = i % 2 === 0;
    const tb = 2 * i + (baseFirst ? 0 : 1);
    const tc = 2 * i + (baseFirst ? 1 : 0);
    b.push(100 * levels[tb]! * noise());
    c.push(100 * (1 + truePct / 100) * levels[tc]! * noise());
  }
  return { b, c };
}

const medianOf = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function runPairedCalibration(
  options: { trials?: number; seed?: number; sizes?: number[]; models?: PairedModel[]; truePct?: number; confidence?: number } = {},
): PairedCell[] {
  const trials = options.trials ?? 4000;
  const rng = createRng(options.seed ?? 17);
  const truePct = options.truePct ?? -5;
  const confidence = options.confidence ?? CONFIDENCE;
  const cells: PairedCell[] = [];
  const inside = (ci: { low: number; high: number } | null): boolean => ci !== null && ci.low <= truePct && truePct <= ci.high;
  for (const model of options.models ?? PAIRED_MODELS) {
    for (const n of options.sizes ?? [6, 10, 20, 30]) {
      let fc = 0;
      let pc = 0;
      let rc = 0;
      let used = 0;
      let usedCovered = 0;
      let nc = 0;
      const fw: number[] = [];
      const pw: number[] = [];
      for (let t = 0; t < trials; t++) {
        const { b, c } = simulateInterleaved(rng, model, n, truePct);
        const f = compare(b, c, { confidence }).ci;
        const p = pairedInterval(b, c, { confidence });
        const choice = choosePaired(p, f);
        const fCovers = f === null || inside(f);
        if (fCovers) fc++;
        if (inside(p.ci)) pc++;
        if (choice.used) {
          used++;
          if (inside(p.ci)) {
            usedCovered++;
            rc++;
          }
        } else if (fCovers) rc++;
        const narrower = p.n >= PAIRED_MIN_PAIRS && p.ci !== null && (f === null || p.ci.high - p.ci.low < f.high - f.low);
        if (narrower ? inside(p.ci) : fCovers) nc++;
        if (f) fw.push((f.high - f.low) / 2);
        if (p.ci) pw.push((p.ci.high - p.ci.low) / 2);
      }
      cells.push({
        model: model.label,
        n,
        trials,
        fiellerCoverage: fc / trials,
        pairedCoverage: pc / trials,
        ruleCoverage: rc / trials,
        used: used / trials,
        narrowerOnlyCoverage: nc / trials,
        usedCoverage: used > 0 ? usedCovered / used : null,
        fiellerHalfWidth: medianOf(fw),
        pairedHalfWidth: medianOf(pw),
      });
    }
  }
  return cells;
}
