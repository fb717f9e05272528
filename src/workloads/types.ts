/**
 * The workload contracts.
 *
 * - `Workload`: one configured workload of a scenario, and its life cycle (the PerfKit one):
 *   prepare on a target → samples → cleanup.
 * - `WorkloadKind`: everything about one kind (dd, ab, …) in one object, exported by
 *   `src/workloads/<kind>/index.ts` and listed once in `src/workloads/registry.ts`: its part of the
 *   scenario schema with defaults, quick-mode settings, cross-field checks, default title, the programs it
 *   needs (and the Debian packages providing them), and the factory of its `Workload`. The scenario schema,
 *   quick mode, validation, doctor, the workload image, the guest recipe and set-up all read the registry.
 */
import type { z } from 'zod';
import type { ExecContext, Target } from '../exec/types.js';
import type { SampleNoise } from '../util/cpu-noise.js';

export interface WorkloadContext {
  runId: string;
  target: Target;
  /** A directory on the target's machine that benchsuite created and marked for this run and target. */
  scratchDir: string;
  signal?: AbortSignal;
  log: (line: string) => void;
  /** Wraps a client's (load generator's) argv on the target's machine: the target's CPU pin for clients; absent: unchanged. */
  client?: (argv: string[]) => string[];
}

export interface SampleOutcome {
  /** metric name -> value in the unit its MetricInfo names. */
  values: Record<string, number>;
  details: Record<string, unknown>;
}

/** A sample that ran but must not be averaged in (failed requests, short write, non-zero exit…). */
export class SampleError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SampleError';
  }
}

export interface PreparedWorkload {
  /** The exec context the workload runs in (the fingerprint runs its commands there). */
  readonly execCtx: ExecContext;
  runSample(options: { seq: number; timeoutMs: number; signal?: AbortSignal }): Promise<SampleOutcome>;
  cleanup(): Promise<void>;
}

export interface Workload {
  readonly id: string;
  readonly kind: string;
  metrics(): MetricInfo[];
  prepare(ctx: WorkloadContext): Promise<PreparedWorkload>;
  /** What the results should say about one target's finished samples of this workload (e.g. a saturated client). */
  notes?(samples: Sample[]): string[];
}

/** A program a kind runs, where it runs, and where it comes from. */
export interface ProgramRequirement {
  /** Program name; also the name of doctor's check (e.g. dd, nginx). */
  program: string;
  /**
   * `workload`: runs where the workload runs — on the machine for a direct target, inside the container for a
   * Docker target (so the locally built workload image carries it). `client`: runs on the target's machine
   * (a load generator talking to the workload), also for a Docker target.
   */
  where: 'workload' | 'client';
  /** Absolute path on a Debian host (merged /usr); the workload image copies it from this host. */
  path: string;
  /** The Debian package that provides it (set-up and the local guest install it). */
  debian: string;
  /** argv that exits 0 when the program is runnable; its first output line is shown by doctor. */
  probe: string[];
  /** What it is for, in doctor's failure message (e.g. "the HTTP server ab measures"). */
  purpose?: string;
  /** A remark on a working probe's output (e.g. "not GNU dd: …"), or undefined. */
  remark?(output: string): string | undefined;
  /** A system service the Debian package starts that benchsuite does not want running (the guest disables it). */
  service?: string;
}

/** A path inside one workload's settings, and what is wrong there (the scenario prefixes workloads.<id>). */
export interface SpecIssue {
  path: (string | number)[];
  message: string;
}

/** The zod object a kind's settings are checked with: `kind: z.literal('<kind>')`, optional `title`, defaults. */
export type KindSchema = z.ZodObject<{ kind: z.ZodLiteral<string>; title: z.ZodOptional<z.ZodString> } & z.ZodRawShape>;

export interface WorkloadKind<S extends KindSchema = KindSchema> {
  /** The value of `kind:` in a scenario. */
  readonly kind: z.output<S>['kind'];
  /** One line for docs and `--help`. */
  readonly summary: string;
  /** The kind's settings: strict, with defaults; every value that reaches a command or path is allow-listed. */
  readonly schema: S;
  /** Title when the scenario names none; `id` is given when the scenario has several workloads of this kind. */
  defaultTitle(id?: string): string;
  /** `--quick`: the same settings, shrunk for a smoke run. */
  quick(spec: z.output<S>): z.output<S>;
  /** Cross-field rules the schema cannot express (paths relative to the workload). */
  validate?(spec: z.output<S>): SpecIssue[];
  /** Programs it runs, where, and the Debian packages providing them. */
  readonly requirements: readonly ProgramRequirement[];
  /**
   * Bytes the workload keeps in the scratch directory at once, how to lower them, and the settings field that
   * sets them (doctor checks every target; with refuseBeyondFreeSpace a run also refuses, before anything starts, a scenario whose files do not fit on this host).
   */
  scratchBytes?(spec: z.output<S>): { bytes: number; lower: string; field?: string; refuseBeyondFreeSpace?: boolean } | undefined;
  /** The settings field that, when true, drops the page cache before samples (doctor checks it is permitted). */
  dropsCaches?(spec: z.output<S>): string | undefined;
  /** The Workload for one scenario entry. */
  create(id: string, spec: z.output<S>, title: string): Workload;
  /** What a sample of this kind looks like, for demo and report-fixture results (src/report/synthetic.ts). */
  readonly example?: KindExample;
}

/**
 * A plausible sample of a kind, for synthetic results (report fixtures, the report benchmark): the settings, the
 * sample's details, a failure's message, its duration, and how its secondary metrics follow the primary one.
 * Metric names, titles and units come from the kind's Workload (`metrics()`), not from here.
 */
export interface KindExample {
  /** Settings over the schema's defaults. */
  settings?: Record<string, unknown>;
  /** A sample's `details`. */
  details: Record<string, unknown>;
  /** The error of a failed sample. */
  error: string;
  /** A sample takes `min` to `min + spread` ms. */
  durationMs: { min: number; spread: number };
  /** Sample-to-sample coefficient of variation of the primary metric. */
  cv: number;
  /** Secondary metrics: their mean from the primary's mean, and their own variation when it differs. */
  secondary?: Record<string, { fromPrimary: (mean: number) => number; cv?: number }>;
}

/** Typed identity: lets a kind module declare itself with its settings' type inferred from its schema. */
export function defineWorkloadKind<S extends KindSchema>(kind: WorkloadKind<S>): WorkloadKind<S> {
  return kind;
}

export interface MetricInfo {
  workload: string;
  /** e.g. "write_mbps", "requests_per_sec". */
  metric: string;
  /** Display name, e.g. "Disk Write (dd)". */
  title: string;
  unit: string;
  higherIsBetter: boolean;
  /** The metric that goes in the comparison table (others are recorded but secondary). */
  primary: boolean;
  /** The step the tool quantizes values to, in `unit` (ab prints latency percentiles in whole ms: 1); docs/statistics.md. */
  resolution?: number;
  /** Positive by nature (rates, times): difference intervals never go below −100 %. Default true. */
  positive?: boolean;
}

export interface Sample {
  /** Monotonic sequence in the run (append order). */
  seq: number;
  target: string;
  workload: string;
  /** Round number, 0-based; warmups have round -1 - k. */
  round: number;
  warmup: boolean;
  ok: boolean;
  error?: string;
  startedAt: string;
  durationMs: number;
  /** metric name -> value, in the unit named by MetricInfo. Empty when !ok. */
  values: Record<string, number>;
  /** Raw facts the parser saw (bytes, seconds, failed requests, dropped caches…). */
  details?: Record<string, unknown>;
  attempts?: number;
  /** CPU steal, iowait and others' CPU around the sample (src/util/cpu-noise.ts); flagged samples still count. */
  noise?: SampleNoise;
  /** Block index with `repeat` ≥ 2 (each block a fresh set-up); absent = block 0. */
  block?: number;
}
