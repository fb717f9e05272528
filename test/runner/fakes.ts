/**
 * A fake target and a fake workload for the runner's unit tests: no Docker, no servers. The target lives on
 * this host (a LocalMachine whose scratch commands go through node:fs, ScratchMachine below, so scratch
 * directories and the fingerprint are real); the workload's
 * samples are scripted per target, so every expectation can be derived by hand.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricInfo, RunResults, Sample } from '../../src/results/model.js';
import { scenarioSchema, type Scenario, type ScenarioInput } from '../../src/scenario/schema.js';
import type { Progress, ProgressEvent } from '../../src/runner/progress.js';
import { LocalMachine } from '../../src/exec/local.js';
import type { ExecContext, ExecContextSpec, ExecOptions, ExecResult, Machine, Target } from '../../src/exec/types.js';
import { BUNDLE_SCRIPT } from '../../src/env/fingerprint.js';
import type { PreparedWorkload, SampleOutcome, Workload, WorkloadContext } from '../../src/workloads/types.js';
import type { RunTargets } from '../../src/runner/pipeline.js';
import { runScenario } from '../../src/runner/run.js';
import type { Survey } from '../../src/runner/preflight.js';
import type { SamplingPolicy } from '../../src/runner/take.js';

/**
 * This host, with the runner's scratch-directory commands (src/runner/scratch.ts: `mkdir -p -m 0755 root`,
 * `mkdir -m 0755 dir`, `cat marker`, `rm -rf --one-file-system dir`) done through node:fs with the same exit
 * codes: a process costs 50–300 ms on a loaded 2-core machine and a run starts nine. Any other argv, including
 * a changed one, runs for real.
 */
export class ScratchMachine extends LocalMachine {
  override async exec(argv: string[], options?: ExecOptions): Promise<ExecResult> {
    const done = (exitCode: number, stdout = '', stderr = ''): ExecResult => ({ argv, stdout, stderr, exitCode, timedOut: false, aborted: false, durationMs: 0 });
    const fail = (e: unknown): ExecResult => done(1, '', `${argv[0]}: ${(e as Error).message}\n`);
    const [cmd, a, b, c, d, ...more] = argv;
    try {
      if (cmd === 'mkdir' && a === '-p' && b === '-m' && c === '0755' && d && more.length === 0) return (mkdirSync(d, { recursive: true, mode: 0o755 }), done(0));
      if (cmd === 'mkdir' && a === '-m' && b === '0755' && c && d === undefined) return (mkdirSync(c, { mode: 0o755 }), done(0));
      if (cmd === 'cat' && a && !a.startsWith('-') && b === undefined) return done(0, readFileSync(a, 'utf8'));
      if (cmd === 'rm' && a === '-rf' && b === '--one-file-system' && c?.startsWith('/') && d === undefined) return (rmSync(c, { recursive: true, force: true }), done(0));
    } catch (e) {
      return fail(e);
    }
    return super.exec(argv, options);
  }
}

export class FakeTarget implements Target {
  readonly kind = 'direct' as const;
  readonly recordKind = 'host' as const;
  readonly machine: Machine = new ScratchMachine();
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
      exec: (argv: string[], o?: ExecOptions) => fingerprintOnce(argv, () => this.machine.exec(argv, o)),
      alive: async () => true,
      logs: async () => '',
      close: async () => {
        this.closed++;
      },
    };
  }
}

/**
 * The fingerprint script (src/env/fingerprint.ts) reads /proc and /sys and runs systemd-detect-virt: ~0.35 s
 * per target per run, most of a runner test's time (and mutation testing runs these tests thousands of times).
 * Its output depends only on this host, its separator token and the scratch directory, so the first real
 * output in this test process is replayed, with the new token and directory, for every later read.
 */
const bundles = new Map<string, { token: string; dir: string; result: ExecResult }>();
async function fingerprintOnce(argv: string[], real: () => Promise<ExecResult>): Promise<ExecResult> {
  // argv: sh -c <script> sh <token> <scratch dir> <yes|no: detect-virt> <files…>
  if (argv[0] !== 'sh' || argv[2] !== BUNDLE_SCRIPT) return real();
  const [token, dir, virt] = [argv[4] as string, argv[5] as string, argv[6] as string];
  const seen = bundles.get(virt);
  if (!seen) {
    const result = await real();
    if (result.exitCode === 0) bundles.set(virt, { token, dir, result });
    return result;
  }
  return { ...seen.result, argv, stdout: seen.result.stdout.replaceAll(seen.token, token).replaceAll(seen.dir, dir) };
}

/** What one sample returns: a value, an error to throw, or 'hang' (wait until aborted). */
export type Step = number | Error | 'hang';
/** target id, the target's attempt index (0-based, counting retries) → step. */
export type Script = (target: string, attempt: number) => Step;

/** A script that interrupts the run at `target`'s attempt `attempt` (aborts `controller`; that sample hangs until aborted); every other step is `otherwise`'s. */
export function interruptAt(controller: AbortController, target: string, attempt: number, otherwise: Script): Script {
  return (t, k) => {
    if (t === target && k === attempt) {
      controller.abort();
      return 'hang';
    }
    return otherwise(t, k);
  };
}

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
  return { targets, machines: [targets[0]?.machine ?? new ScratchMachine()] };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `bs-runner-${prefix}-`));
}

export interface Captured extends Progress {
  lines: string[];
  events: ProgressEvent[];
}
export function capture(): Captured {
  const lines: string[] = [];
  const events: ProgressEvent[] = [];
  return { lines, events, update: (e) => void events.push(e), log: (l) => lines.push(l), stop: () => undefined };
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
export async function run(input: Partial<ScenarioInput>, script: Script, opts: { targets?: FakeTarget[]; seed?: number; signal?: AbortSignal; survey?: Survey; policy?: Partial<SamplingPolicy> } = {}) {
  const scratch = tempDir('scratch');
  const resultsDir = tempDir('results');
  const scenario = scenarioWith(input, scratch);
  const targets = opts.targets ?? Object.keys(scenario.targets).map((id) => new FakeTarget(id));
  const workload = new FakeWorkload('w', script);
  const progress = capture();
  // The commit recorded in the results is not what these tests check; asking git costs two processes per run.
  const saved = process.env.BENCHSUITE_GIT_COMMIT;
  process.env.BENCHSUITE_GIT_COMMIT = 'fake-commit';
  let results: RunResults;
  try {
    results = await runScenario({
      scenario, resultsDir, targets: runTargets(targets), workloads: [workload], progress, seed: opts.seed, signal: opts.signal, policy: { ...FAST, ...opts.policy }, survey: opts.survey ?? false,
    });
  } finally {
    if (saved === undefined) delete process.env.BENCHSUITE_GIT_COMMIT;
    else process.env.BENCHSUITE_GIT_COMMIT = saved;
  }
  return { results, workload, targets, progress, resultsDir, scratch, scenario };
}

