/**
 * A fake target and a fake workload for the runner's unit tests: no Docker, no servers. The target lives on
 * this host (a real LocalMachine, so scratch directories and the fingerprint are real); the workload's
 * samples are scripted per target, so every expectation can be derived by hand.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricInfo, RunResults, Sample } from '../../src/results/model.js';
import { scenarioSchema, type Scenario, type ScenarioInput } from '../../src/scenario/schema.js';
import type { Progress } from '../../src/runner/progress.js';
import { LocalMachine } from '../../src/exec/local.js';
import type { ExecContext, ExecContextSpec, ExecOptions, Machine, Target } from '../../src/exec/types.js';
import type { PreparedWorkload, SampleOutcome, Workload, WorkloadContext } from '../../src/workloads/types.js';
import type { RunTargets } from '../../src/runner/pipeline.js';
import { runScenario } from '../../src/runner/run.js';
import type { Survey } from '../../src/runner/preflight.js';

export class FakeTarget implements Target {
  readonly kind = 'direct' as const;
  readonly recordKind = 'host' as const;
  readonly machine: Machine = new LocalMachine();
  opened = 0;
  closed = 0;
  constructor(
    readonly id: string,
    readonly label = id,
    private readonly failPrepare?: string,
  ) {}

  async prepare(): Promise<void> {
    if (this.failPrepare) throw new Error(this.failPrepare);
  }

  async open(spec: ExecContextSpec): Promise<ExecContext> {
    this.opened++;
    return {
      scratchDir: spec.scratchDir,
      exec: (argv: string[], o?: ExecOptions) => this.machine.exec(argv, o),
      alive: async () => true,
      logs: async () => '',
      close: async () => {
        this.closed++;
      },
    };
  }
}

/** What one sample returns: a value, an error to throw, or 'hang' (wait until aborted). */
export type Step = number | Error | 'hang';
/** target id, the target's attempt index (0-based, counting retries) → step. */
export type Script = (target: string, attempt: number) => Step;

export class FakeWorkload implements Workload {
  readonly kind = 'fake';
  /** Target ids in the order runSample was called (retries included). */
  readonly calls: string[] = [];
  /** prepare:<target>, sample:<target>, cleanup:<target>, in the order they happened. */
  readonly events: string[] = [];
  prepares = 0;
  cleanups = 0;
  private readonly attempts = new Map<string, number>();
  constructor(
    readonly id: string,
    private readonly script: Script,
    private readonly higherIsBetter = true,
  ) {}

  metrics(): MetricInfo[] {
    return [{ workload: this.id, metric: 'value', title: 'Fake', unit: 'u', higherIsBetter: this.higherIsBetter, primary: true }];
  }

  async prepare(ctx: WorkloadContext): Promise<PreparedWorkload> {
    const execCtx = await ctx.target.open({ workload: this.id, mounts: [], scratchDir: ctx.scratchDir });
    const target = ctx.target.id;
    this.prepares++;
    this.events.push(`prepare:${target}`);
    return {
      execCtx,
      runSample: async ({ signal }): Promise<SampleOutcome> => {
        const k = this.attempts.get(target) ?? 0;
        this.attempts.set(target, k + 1);
        this.calls.push(target);
        this.events.push(`sample:${target}`);
        const step = this.script(target, k);
        if (step === 'hang') {
          await new Promise((_, reject) => {
            if (signal?.aborted) reject(new Error('aborted'));
            signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
          });
        }
        if (step instanceof Error) throw step;
        return { values: { value: step as number }, details: {} };
      },
      cleanup: async () => {
        this.cleanups++;
        this.events.push(`cleanup:${target}`);
        await execCtx.close();
      },
    };
  }
}

export function scenarioWith(input: Partial<ScenarioInput>, scratchRoot: string): Scenario {
  return scenarioSchema.parse({
    name: 'fake',
    baseline: 'A',
    targets: { A: { label: 'A' }, B: { label: 'B' } },
    workloads: { w: { kind: 'dd' } },
    warmup: 0,
    scratchRoot,
    ...input,
  });
}

export function runTargets(targets: FakeTarget[]): RunTargets {
  return { targets, machines: [targets[0]?.machine ?? new LocalMachine()] };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `bs-runner-${prefix}-`));
}

export interface Captured extends Progress {
  lines: string[];
}
export function capture(): Captured {
  const lines: string[] = [];
  return { lines, update: () => undefined, log: (l) => lines.push(l), stop: () => undefined };
}

/** (target, round, warmup) of the recorded samples, in recording order. */
export function sequence(r: RunResults): string[] {
  return r.samples.map((s: Sample) => `${s.target}${s.warmup ? 'w' : ''}${s.round}`);
}

export function readResults(dir: string, runId: string): RunResults {
  return JSON.parse(readFileSync(join(dir, `${runId}.json`), 'utf8')) as RunResults;
}

/** Retries without the real back-off. */
export const FAST = { retryDelayMs: 1 };

/** One run of the fake workload on fake targets A, B (or the scenario's), results in a fresh directory. */
export async function run(input: Partial<ScenarioInput>, script: Script, opts: { targets?: FakeTarget[]; seed?: number; signal?: AbortSignal; survey?: Survey } = {}) {
  const scratch = tempDir('scratch');
  const resultsDir = tempDir('results');
  const scenario = scenarioWith(input, scratch);
  const targets = opts.targets ?? Object.keys(scenario.targets).map((id) => new FakeTarget(id));
  const workload = new FakeWorkload('w', script);
  const progress = capture();
  const results = await runScenario({
    scenario, resultsDir, targets: runTargets(targets), workloads: [workload], progress, seed: opts.seed, signal: opts.signal, policy: FAST, survey: opts.survey ?? false,
  });
  return { results, workload, targets, progress, resultsDir, scratch, scenario };
}

