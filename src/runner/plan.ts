/**
 * Step 1 of a run, the plan: how many samples (fixed or adaptive), the seed, the results skeleton
 * (fresh, or the interrupted run being resumed).
 */
import { PACKAGE_VERSION } from '../paths.js';
import { DEFAULT_ADAPTIVE_PLAN, type AdaptivePlan } from '../stats/index.js';
import { SCHEMA_VERSION, type MetricInfo, type RunResults } from '../results/model.js';
import type { Scenario } from '../scenario/schema.js';

export type SamplingPlan = { fixed: number } | { adaptive: AdaptivePlan };

export function planOf(scenario: Scenario): SamplingPlan {
  return typeof scenario.samples === 'number' ? { fixed: scenario.samples } : { adaptive: { ...DEFAULT_ADAPTIVE_PLAN, ...scenario.samples } };
}

/** Samples per target and workload the plan may take at most (ETA before any projection). */
export function plannedPerTarget(plan: SamplingPlan): number {
  return 'fixed' in plan ? plan.fixed : plan.adaptive.max;
}

/** The seed of `order: randomized`: the resumed run's, else --seed, else the scenario's, else a fresh one. */
export function seedFor(scenario: Scenario, resume: RunResults | undefined, seed: number | undefined): number {
  return resume?.scenario.seed ?? seed ?? scenario.seed ?? Math.floor(Math.random() * 2 ** 31);
}

export interface ResultsSkeleton {
  runId: string;
  scenario: Scenario;
  seed: number;
  metrics: MetricInfo[];
  scenarioFile?: string;
  quick?: boolean;
  command?: string[];
  git?: RunResults['git'];
}

/** A fresh results object, or the resumed one marked running again. */
export function initialResults(s: ResultsSkeleton, resume?: RunResults): RunResults {
  if (resume) return { ...resume, status: 'running', notes: [...resume.notes, `resumed at ${new Date().toISOString()}`] };
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'benchsuite', version: PACKAGE_VERSION },
    runId: s.runId,
    status: 'running',
    startedAt: new Date().toISOString(),
    git: s.git,
    command: s.command ?? [],
    scenario: { ...s.scenario, seed: s.seed },
    scenarioFile: s.scenarioFile,
    quick: s.quick ?? false,
    confidence: s.scenario.confidence,
    baseline: s.scenario.baseline,
    targets: [],
    metrics: s.metrics,
    samples: [],
    summaries: [],
    comparisons: [],
    notes: [],
  };
}
