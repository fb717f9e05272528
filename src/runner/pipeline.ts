/**
 * A run as a pipeline of named steps over injected targets and workloads:
 *   plan → prepare targets → for each workload: prepare it, sample (the Sampler) → analyse → store.
 * Whatever happens, exec contexts are closed, scratch directories removed and the results written.
 */
import type { MetricInfo, RunResults, TargetRecord } from '../results/model.js';
import { ResultsStore } from '../results/store.js';
import type { Scenario } from '../scenario/schema.js';
import type { Machine, Target } from '../exec/types.js';
import type { PreparedWorkload, Workload } from '../workloads/types.js';
import { BlockLedger, blockPlan, inBlock, repeatOf, type BlockScope } from './blocks.js';
import { seededRandom } from './order.js';
import { initialResults, planOf, plannedPerTarget, type SamplingPlan } from './plan.js';
import { TargetBook } from './prepare.js';
import type { Progress } from './progress.js';
import { Sampler, type SamplerConfig, type SampleSink, type SamplingOutcome } from './sampler.js';
import { removeScratch } from './scratch.js';
import { RunSession } from './session.js';
import { counterReader } from './noise.js';
import { DEFAULT_POLICY, SampleTaker, type SamplingPolicy } from './take.js';

/** Where the workloads run: the targets, the machines they live on (closed at the end), extra fingerprint facts. */
export interface RunTargets {
  targets: Target[];
  machines: Machine[];
  extraFingerprint?: Map<string, Record<string, unknown>>;
}

export interface PipelineInput {
  scenario: Scenario;
  runId: string;
  seed: number;
  resultsDir: string;
  targets: RunTargets;
  workloads: Workload[];
  signal: AbortSignal;
  progress: Progress;
  resume?: RunResults;
  scenarioFile?: string;
  quick?: boolean;
  command?: string[];
  git?: RunResults['git'];
  /** Facts to put in the results before sampling starts (e.g. the load found on each machine). */
  annotate?: (results: RunResults) => void;
  policy?: Partial<SamplingPolicy>;
}

interface Run {
  scenario: Scenario;
  plan: SamplingPlan;
  session: RunSession;
  book: TargetBook;
  targets: Target[];
  workloads: Workload[];
  /** One seeded generator for the whole run, so a randomized order is reproducible from the seed. */
  sampling: SamplerConfig;
  policy: SamplingPolicy;
}

/** Step 1: the plan, the results skeleton and the session around it. */
function planRun(o: PipelineInput): Run {
  const { scenario, targets: { targets }, workloads } = o;
  const plan = blockPlan(planOf(scenario), repeatOf(scenario));
  const metrics: MetricInfo[] = workloads.flatMap((w) => w.metrics());
  const results = initialResults({ ...o, metrics }, o.resume);
  o.annotate?.(results);
  const planned = workloads.length * targets.length * repeatOf(scenario) * (scenario.warmup + plannedPerTarget(plan));
  const session = new RunSession(results, new ResultsStore(o.resultsDir, o.runId), o.progress, o.signal, planned);
  const previous = new Map<string, TargetRecord>((o.resume?.targets ?? []).map((t) => [t.id, t]));
  const book = new TargetBook(session, scenario, targets, o.targets.extraFingerprint ?? new Map(), previous, o.resume !== undefined);
  const sampling: SamplerConfig = {
    order: scenario.order, warmup: scenario.warmup, plan, confidence: scenario.confidence, baseline: scenario.baseline,
    higherIsBetter: true, random: seededRandom(o.seed),
  };
  return { scenario, plan, session, book, targets, workloads, sampling, policy: { ...DEFAULT_POLICY, ...o.policy } };
}

export async function runPipeline(o: PipelineInput): Promise<RunResults> {
  const run = planRun(o);
  try {
    await run.book.prepareTargets(run.targets);
    for (const [wi, w] of run.workloads.entries()) {
      if (run.session.aborted) break;
      await runWorkload(run, w, run.workloads.length - wi - 1);
    }
  } finally {
    await releaseTargets(run, o.targets.machines);
    finish(run);
  }
  return run.session.results;
}

/** Steps 3 and 4 for one workload: prepare it on every target, sample, store; its exec contexts are closed after. */
async function runWorkload(run: Run, w: Workload, laterWorkloads: number): Promise<void> {
  const repeat = repeatOf(run.scenario);
  if (repeat > 1) return runBlocks(run, w, laterWorkloads, repeat);
  const prepared = new Map<string, PreparedWorkload>();
  try {
    await run.book.prepareWorkload(w, run.targets, prepared);
    if (run.session.aborted) return;
    const outcome = await sample(run, w, prepared, laterWorkloads);
    if (outcome) recordPrecision(run, w, outcome);
    run.session.analyseAndSave();
  } finally {
    for (const p of prepared.values()) await p.cleanup().catch(() => undefined);
  }
}

/**
 * Steps 3 and 4 with `repeat` K ≥ 2 (src/runner/blocks.ts): K blocks, each prepared afresh on every target,
 * warmed up, sampled and cleaned up; a finished block of a resumed run is skipped.
 */
async function runBlocks(run: Run, w: Workload, laterWorkloads: number, repeat: number): Promise<void> {
  const ledger = new BlockLedger(run.session, w.id, repeat);
  const perBlock = plannedPerTarget(run.plan);
  for (let b = 0; b < repeat; b++) {
    if (run.session.aborted) return;
    if (ledger.finished(b)) continue;
    const rec = ledger.start(b);
    const prepared = new Map<string, PreparedWorkload>();
    let done = false;
    try {
      for (const t of run.targets) {
        const t0 = performance.now();
        await run.book.prepareWorkload(w, [t], prepared);
        if (prepared.has(t.id)) rec.prepareMs[t.id] = performance.now() - t0;
      }
      if (run.session.aborted) return;
      const later = laterWorkloads + (repeat - b - 1) / repeat;
      await sample(run, w, prepared, later, { block: b, roundOffset: b * perBlock });
      done = !run.session.aborted;
    } finally {
      for (const [id, p] of prepared) {
        const t0 = performance.now();
        await p.cleanup().catch(() => undefined);
        rec.cleanupMs[id] = performance.now() - t0;
      }
      ledger.finish(rec, done);
      run.session.analyseAndSave();
    }
  }
}

/** Step 4: the Sampler over the prepared targets, with a sink that takes, retries and records samples. */
function sample(run: Run, w: Workload, prepared: Map<string, PreparedWorkload>, laterWorkloads: number, scope?: BlockScope): Promise<SamplingOutcome | undefined> {
  const { session, scenario, targets } = run;
  const primary = primaryMetric(w);
  const active = targets.filter((t) => prepared.has(t.id));
  const byId = new Map(active.map((t) => {
    const p = prepared.get(t.id) as PreparedWorkload;
    return [t.id, { id: t.id, label: t.label, prepared: p, counters: counterReader(t, p, session.signal) }];
  }));
  const taker = new SampleTaker(session, w.id, primary, byId, scenario.timeoutSec * 1000, run.policy);
  const perWorkload = targets.length * repeatOf(scenario) * (scenario.warmup + plannedPerTarget(run.plan));
  const sink: SampleSink = {
    take: (t, round, warmup) => taker.take(t, scope && !warmup ? round + scope.roundOffset : round, warmup),
    existing: (t, warmup) => (scope ? inBlock(session.results.samples, w.id, t, warmup, scope.block).length : session.existing(w.id, t, warmup)),
    values: (t) => session.values(w.id, t, primary.metric),
    skipped: (t) => taker.skipped(t),
    aborted: () => session.aborted,
    projected: (rounds, n) => {
      // The ETA follows the sampler's projection for this workload, and the plan for the ones after it.
      taker.projectedRounds = rounds;
      session.tracker.total = session.tracker.done + rounds * n + laterWorkloads * perWorkload;
    },
  };
  const sampler = new Sampler({ ...run.sampling, higherIsBetter: primary.higherIsBetter, resolution: primary.resolution, positive: primary.positive });
  return sampler.run(active.map((t) => t.id), sink);
}

function primaryMetric(w: Workload): MetricInfo {
  const metrics = w.metrics();
  return metrics.find((m) => m.primary) ?? (metrics[0] as MetricInfo);
}

function recordPrecision(run: Run, w: Workload, d: SamplingOutcome): void {
  const primary = primaryMetric(w);
  run.session.results.notes.push(
    d.precisionMet
      ? `${w.id}: precision of ±${d.plan.targetHalfWidthPct} % met after ${d.n} samples per target`
      : `${w.id}: precision not met (±${d.plan.targetHalfWidthPct} % wanted) after ${d.n} samples per target`,
  );
  run.session.precision.set(`${w.id}/${primary.metric}`, d.precisionMet);
}

/** Nothing left behind: scratch directories (containers and servers went with each workload's cleanup), connections. */
async function releaseTargets(run: Run, machines: Machine[]): Promise<void> {
  for (const [machine, roots] of run.book.scratch) {
    for (const root of roots) await removeScratch(machine, root, run.session.results.runId).catch(() => undefined);
  }
  for (const m of machines) await m.close().catch(() => undefined);
}

/** Steps 5 and 6: workload notes, the status, summaries and comparisons, written and closed. */
function finish(run: Run): void {
  const { session } = run;
  const results = session.results;
  session.stopProgress();
  for (const w of run.workloads) {
    for (const t of run.targets) {
      const mine = results.samples.filter((s) => s.workload === w.id && s.target === t.id && s.ok && !s.warmup);
      for (const note of w.notes?.(mine) ?? []) results.notes.push(`${w.id} · ${t.id}: ${note}`);
    }
  }
  const failed = results.samples.some((s) => !s.ok && !s.warmup);
  results.status = session.aborted ? 'interrupted' : failed ? 'failed' : 'completed';
  results.finishedAt = new Date().toISOString();
  session.analyseAndSave();
  session.close();
}
