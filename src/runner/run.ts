/**
 * The runner's entry point: builds the real targets (target factory) and workloads (workload registry)
 * unless they are given, and runs the pipeline (pipeline.ts) over them. Each finished sample is on disk
 * before the next starts; whatever happens, everything the run started is cleaned up.
 */
import type { RunResults } from '../results/model.js';
import type { Scenario } from '../scenario/schema.js';
import { createTargets } from '../targets/factory.js';
import { createWorkloads } from '../workloads/index.js';
import type { Workload } from '../workloads/types.js';
import { gitInfo } from './git.js';
import { runPipeline, type RunTargets } from './pipeline.js';
import { seedFor } from './plan.js';
import { createProgress, type Progress } from './progress.js';
import { newRunId } from './run-id.js';
import type { SamplingPolicy } from './take.js';
import { checkPins } from './pinning.js';
import { defaultSurvey, preflight, releaseGuest, type Survey } from './preflight.js';

export { planOf } from './plan.js';
export { fingerprintChanges } from './prepare.js';
export type { RunTargets } from './pipeline.js';

export interface RunOptions {
  scenario: Scenario;
  scenarioFile?: string;
  quick?: boolean;
  resultsDir: string;
  command?: string[];
  /** Aborted on SIGINT/SIGTERM: the running sample is killed and everything is cleaned up. */
  signal?: AbortSignal;
  progress?: Progress;
  /** Continue this interrupted run to its planned count. */
  resume?: RunResults;
  /** Seed for `order: randomized` (recorded in the results). */
  seed?: number;
  /** Use this run id (default: a new one). */
  runId?: string;
  /** Where to run (default: the scenario's targets, built by the target factory). */
  targets?: RunTargets;
  /** What to run (default: the scenario's workloads, built by the workload registry). */
  workloads?: Workload[];
  /** Retries and the stop after failures in a row (default DEFAULT_POLICY). */
  policy?: Partial<SamplingPolicy>;
  /** Leave a guest this run boots running afterwards (default: shut it down at the end). */
  keepVm?: boolean;
  /** The load survey of each target's machine before sampling (default src/env/load.ts); false skips it. */
  survey?: Survey | false;
}

export async function runScenario(o: RunOptions): Promise<RunResults> {
  const scenario = o.resume?.scenario ?? o.scenario;
  const signal = o.signal ?? new AbortController().signal;
  const progress = o.progress ?? createProgress(process.stderr, true);
  const runId = o.resume?.runId ?? o.runId ?? newRunId(scenario.name);
  const seed = seedFor(scenario, o.resume, o.seed);
  const workloads = o.workloads ?? createWorkloads(scenario);
  const git = o.resume ? undefined : await gitInfo();
  const log = (l: string): void => progress.log(l);
  try {
    const targets = o.targets ?? (await createTargets(scenario, runId, { log, signal }));
    let checked;
    try {
      await checkPins(targets.targets, signal);
      checked = o.survey === false ? undefined : await preflight(scenario, targets, { survey: o.survey ?? defaultSurvey, log, signal, keepVm: o.keepVm });
    } catch (e) {
      for (const m of targets.machines) await m.close().catch(() => undefined);
      throw e;
    }
    const annotate = checked ? (r: RunResults): void => void (r.preflight = checked) : undefined;
    return await runPipeline({ ...o, scenario, runId, seed, workloads, targets, signal, progress, git, annotate });
  } finally {
    // Also on failure and after SIGINT (the pipeline returns once the abort has cleaned up).
    await releaseGuest(o.keepVm, log).catch((e: Error) => log(`warning: could not shut the guest down: ${e.message}; \`benchsuite vm down\` stops it`));
  }
}
