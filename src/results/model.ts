/**
 * The one results model. Every renderer (table, CSV, JSON exports, charts, HTML, history) reads this shape
 * and nothing else, so a report can be regenerated from a stored file months later.
 * Documented in docs/results-format.md; bump SCHEMA_VERSION on any incompatible change.
 */
import { z } from 'zod';
import type { Scenario } from '../scenario/schema.js';
import { RUN_ID_PATTERN } from '../util/run-id.js';
import type { MetricInfo, Sample } from '../workloads/types.js';
/** What a workload measures and one sample of it are declared by the workload contract (src/workloads/types.ts). */
export type { MetricInfo, Sample };

export const SCHEMA_VERSION = 1;

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed';

/** A value that could not be read is recorded with the reason, never guessed. */
export interface Unknown {
  unknown: true;
  reason: string;
}
export type Known<T> = T | Unknown;

export function isUnknown(v: unknown): v is Unknown {
  return typeof v === 'object' && v !== null && (v as Unknown).unknown === true;
}

/** Environment as seen by the workload on one target. Filled by src/env/fingerprint.ts. */
export interface Fingerprint {
  /** Free-form, but these keys are always present (possibly Unknown). */
  hostname: Known<string>;
  kernelRelease: Known<string>;
  /** /proc/sys/kernel/random/boot_id as seen by the workload: same id = same running kernel. */
  bootId: Known<string>;
  cpuModel: Known<string>;
  cores: Known<number>;
  memoryBytes: Known<number>;
  /** e.g. "none", "kvm", "qemu" (TCG), "docker"… from systemd-detect-virt or cpuinfo/DMI. */
  virtualization: Known<string>;
  dockerVersion?: Known<string>;
  /** Anything richer (vulnerabilities, docker info, container security, VM settings). */
  [key: string]: unknown;
}

export interface TargetRecord {
  id: string;
  label: string;
  /** "local" or "ssh://user@host:port" — never credentials. */
  host: string;
  /** The target kind (Target.recordKind): `host` is the direct kind (no container), the file's word since schemaVersion 1. */
  kind: 'host' | 'docker';
  /** Container settings as run (image, flags), when kind = docker. */
  container?: {
    image: string;
    imageId?: string;
    runArgs: string[];
  };
  fingerprint: Fingerprint;
  /** CPU pinning as set (scenario targets.<id>.pin) and the affinity read back (Cpus_allowed_list) where each runs. */
  pin?: PinRecord;
}

export interface PinRecord {
  workload?: string;
  client?: string;
  /** Cpus_allowed_list of a command run the way the workload's commands run (under taskset, or in the container). */
  workloadAffinity?: string;
  /** Cpus_allowed_list of a command run the way the client runs. */
  clientAffinity?: string;
}



export interface SummaryRecord {
  target: string;
  workload: string;
  metric: string;
  n: number;
  mean: number;
  median: number;
  stddev: number;
  min: number;
  max: number;
  ci: { low: number; high: number } | null;
  relativeHalfWidth: number | null;
  outliers: { index: number; value: number; rule: string }[];
  failed: number;
  precisionMet: boolean | null;
  /** Level plugged into the interval formula when not `confidence` (after an adaptive stop; docs/statistics.md). */
  intervalConfidence?: number;
  /** With samples in ≥ 2 blocks (`repeat`): the two-level analysis; then mean and ci are the block-level ones. */
  levels?: LevelsRecord;
}

/** Repetitions at two levels (docs/statistics.md, "Repetitions at two levels"). Variances in the metric's unit². */
export interface LevelsRecord {
  blocks: number;
  perBlock: number[];
  blockMeans: number[];
  /** Pooled within-block variance S²_within. */
  withinVariance: number | null;
  /** Variance of the block means S²_between. */
  betweenVariance: number | null;
  /** Kalibera–Jones between-block component max(0, S²_between − S²_within/ñ). */
  betweenComponent: number | null;
  /** The interval one run would have reported from all samples pooled (single level), for comparison. */
  singleLevel: { mean: number; ci: { low: number; high: number } | null; relativeHalfWidth: number | null };
  /** Measured costs per target: setting one block up (prepare, warm-ups, cleanup) and one sample, seconds. */
  costs?: { blockSec: number; sampleSec: number };
  /** Kalibera–Jones optimal repetition counts for `targetHalfWidthPct` (null fields: no between-block variation). */
  plan?: {
    targetHalfWidthPct: number;
    optimalPerBlock: number | null;
    recommendedPerBlock: number | null;
    recommendedBlocks: number | null;
    estimatedSec: number | null;
  };
}

/** One block of one workload (`repeat` ≥ 2): its set-up and cleanup time per target. */
export interface BlockRecord {
  workload: string;
  block: number;
  startedAt: string;
  finishedAt?: string;
  /** target id -> milliseconds to prepare the workload there (processes, containers, servers). */
  prepareMs: Record<string, number>;
  /** target id -> milliseconds of its cleanup. */
  cleanupMs: Record<string, number>;
}

export interface ComparisonRecord {
  workload: string;
  metric: string;
  baseline: string;
  candidate: string;
  ratio: number;
  differencePct: number;
  /** Percent; null when the Fieller interval is unbounded. */
  ci: { low: number; high: number } | null;
  /** Welch two-sided p-value; null when a side has n < 2. */
  pValue: number | null;
  mannWhitneyP?: number;
  /** Why ci is null: 'unbounded' (Fieller g >= 1) or 'too-few-samples'. */
  ciNullReason?: string | null;
  higherIsBetter: boolean;
  /** pass | fail | inconclusive against scenario.tolerancePct, when set. */
  verdict?: 'pass' | 'fail' | 'inconclusive';
  /** How ci was computed: 'fieller', or 'log-delta' (log-ratio interval for a positive metric). */
  method?: 'fieller' | 'log-delta';
  /** Level plugged into the interval formula when not `confidence` (after an adaptive stop; docs/statistics.md). */
  intervalConfidence?: number;
  /** The same comparison with flagged outliers left out, when any were flagged. */
  withoutOutliers?: { differencePct: number; ci: { low: number; high: number } | null };
  /** With ≥ 2 blocks a side: ratio, ci and verdict come from the block means; the single-level figures are kept here. */
  levels?: {
    blocks: { baseline: number; candidate: number };
    singleLevel: { differencePct: number; ci: { low: number; high: number } | null; method?: 'fieller' | 'log-delta' };
  };
  /**
   * Interleaved or randomized runs: the paired interval over adjacent baseline/candidate pairs (same round),
   * beside `ci`. When `used`, reports show it instead of `ci` and `verdict` was decided on it.
   */
  paired?: PairedRecord;
}

/** The paired analysis of one comparison (docs/statistics.md, "Paired analysis"). */
export interface PairedRecord {
  /** Number of adjacent pairs. */
  n: number;
  /** 'paired-log': mean of ln(c_i/b_i); 'paired-fieller': ratio of means with the pairs' covariance. */
  method: 'paired-log' | 'paired-fieller';
  /** Percent: the geometric mean of the per-pair ratios − 1 (paired-log), or the ratio of the pairs' means − 1. */
  estimate: number;
  /** Percent interval of `estimate`, at the comparison's interval level; null with `ciNullReason`. */
  ci: { low: number; high: number } | null;
  ciNullReason?: string | null;
  /** Lag-1 autocorrelation of the per-pair differences, in run order. */
  lag1: number | null;
  /** Correlation of the two sides over the pairs (logs for paired-log). */
  correlation: number | null;
  /** Pairs whose difference the outlier rules flag (kept in the interval). */
  outliers: number;
  /** The report shows this interval instead of `ci`. */
  used: boolean;
  /** Why it is not used: too-few-pairs | no-interval | no-shared-noise | autocorrelated | not-narrower; null when used. */
  reason: string | null;
}

export interface RunResults {
  schemaVersion: number;
  tool: { name: 'benchsuite'; version: string };
  runId: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  /** Git commit/branch of the code under test, when known. */
  git?: { commit?: string; branch?: string };
  command: string[];
  /** The scenario as run (after --set and --quick). */
  scenario: Scenario;
  scenarioFile?: string;
  quick: boolean;
  confidence: number;
  baseline: string;
  targets: TargetRecord[];
  metrics: MetricInfo[];
  samples: Sample[];
  summaries: SummaryRecord[];
  comparisons: ComparisonRecord[];
  /** Human-readable notes (precision not met, retries, environment differences…). */
  notes: string[];
  /** What each target's machine was doing just before sampling (src/env/load.ts); absent in older files. */
  preflight?: PreflightRecord;
  /** Blocks of a run with `repeat` ≥ 2 (set-up costs, finished blocks for resume); absent otherwise. */
  blocks?: BlockRecord[];
}

/** Load found on one machine before sampling: benchsuite's own guests and servers, and anything busy. */
export interface MachineLoadRecord {
  machine: string;
  targets: string[];
  cores: number | null;
  loadAverage: [number, number, number] | null;
  /** Percent of all CPUs busy over the probe's ~1 s window (/proc/stat). */
  cpuBusyPct: number | null;
  /** The busiest processes over the window (percent of one core). */
  busy: { pid: number; name: string; cpuPct: number }[];
  /** benchsuite's guests (qemu -name benchsuite-guest) running there. */
  guests: { pid: number; accelerator: 'kvm' | 'tcg' | 'unknown'; cpuPct: number | null }[];
  /** benchsuite's servers (nginx with a config in a run's scratch directory) running there. */
  servers: { pid: number; args: string }[];
  quiet: boolean;
  warnings: string[];
  /** Why the survey could not run. */
  error?: string;
}

export interface PreflightRecord {
  surveyedAt: string;
  machines: MachineLoadRecord[];
  /** benchsuite's local guest, when it runs as the run starts or the run boots it. */
  guest?: { pid: number; accelerator: string; sshUrl: string; startedAt: string; startedBy: 'this run' | 'an earlier command'; keptAfterRun?: boolean };
}

// ---------------------------------------------------------------------------------------------------------
// Validation on read. A results file may come from anywhere (a CI artifact, a pasted file), so every field a
// writer reads is type-checked before any writer runs, and the run id — which becomes part of file names —
// must match the run-id pattern. Unknown extra keys are kept (forward compatibility: newer versions add
// optional fields). JSON has no NaN/Infinity: statistics that were not finite are stored as null.
// ---------------------------------------------------------------------------------------------------------

const str = (max = 10_000) => z.string().max(max, `at most ${max} characters`);
const num = z.number();
const numOrNull = z.number().nullable();
const interval = z.looseObject({ low: numOrNull, high: numOrNull }).nullable();
const unknownValue = z.looseObject({ unknown: z.literal(true), reason: str().optional() });

const fingerprintSchema = z.looseObject({
  hostname: z.union([str(1000), unknownValue]).optional(),
  kernelRelease: z.union([str(1000), unknownValue]).optional(),
  bootId: z.union([str(1000), unknownValue]).optional(),
  cpuModel: z.union([str(1000), unknownValue]).optional(),
  cores: z.union([num, unknownValue]).optional(),
  memoryBytes: z.union([num, unknownValue]).optional(),
  virtualization: z.union([str(1000), unknownValue]).optional(),
  dockerVersion: z.union([str(1000), unknownValue]).optional(),
  vm: z.looseObject({ accelerator: str(100).optional(), qemuVersion: str(100).optional() }).optional(),
});

const targetRecordSchema = z.looseObject({
  id: str(100),
  label: str(200),
  host: str(1000),
  kind: str(40),
  container: z
    .looseObject({ image: str(1000), imageId: str(1000).optional(), runArgs: z.array(str(1000)).max(1000) })
    .optional(),
  fingerprint: fingerprintSchema,
  pin: z
    .looseObject({ workload: str(200).optional(), client: str(200).optional(), workloadAffinity: str(200).optional(), clientAffinity: str(200).optional() })
    .optional(),
});

const metricInfoSchema = z.looseObject({
  workload: str(100),
  metric: str(100),
  title: str(200),
  unit: str(100),
  higherIsBetter: z.boolean(),
  primary: z.boolean(),
  resolution: num.optional(),
  positive: z.boolean().optional(),
});

export const sampleSchema = z.looseObject({
  seq: z.number().int(),
  target: str(100),
  workload: str(100),
  round: z.number().int(),
  warmup: z.boolean(),
  ok: z.boolean(),
  error: str(100_000).optional(),
  startedAt: str(100),
  durationMs: num,
  values: z.record(z.string(), numOrNull),
  details: z.record(z.string(), z.unknown()).optional(),
  attempts: z.number().int().optional(),
  noise: z
    .looseObject({
      stealPct: num,
      iowaitPct: num,
      otherBusyPct: num,
      ownBusyPct: num.optional(),
      cpus: num,
      flagged: z.boolean().optional(),
      reasons: z.array(str(1000)).max(20).optional(),
    })
    .optional(),
  block: z.number().int().min(0).optional(),
});

const summarySchema = z.looseObject({
  target: str(100),
  workload: str(100),
  metric: str(100),
  n: num,
  mean: numOrNull,
  median: numOrNull,
  stddev: numOrNull,
  min: numOrNull,
  max: numOrNull,
  ci: interval,
  relativeHalfWidth: numOrNull,
  outliers: z.array(z.looseObject({ index: num, value: numOrNull, rule: str(200) })),
  failed: num,
  precisionMet: z.boolean().nullable(),
  intervalConfidence: num.optional(),
  levels: z
    .looseObject({
      blocks: z.number().int().min(0),
      perBlock: z.array(num).max(10_000),
      blockMeans: z.array(numOrNull).max(10_000),
      withinVariance: numOrNull,
      betweenVariance: numOrNull,
      betweenComponent: numOrNull,
      singleLevel: z.looseObject({ mean: numOrNull, ci: interval, relativeHalfWidth: numOrNull }),
      costs: z.looseObject({ blockSec: num, sampleSec: num }).optional(),
      plan: z
        .looseObject({
          targetHalfWidthPct: num,
          optimalPerBlock: numOrNull,
          recommendedPerBlock: numOrNull,
          recommendedBlocks: numOrNull,
          estimatedSec: numOrNull,
        })
        .optional(),
    })
    .optional(),
});

const comparisonSchema = z.looseObject({
  workload: str(100),
  metric: str(100),
  baseline: str(100),
  candidate: str(100),
  ratio: numOrNull,
  differencePct: numOrNull,
  ci: interval,
  pValue: numOrNull,
  mannWhitneyP: numOrNull.optional(),
  ciNullReason: str(200).nullable().optional(),
  higherIsBetter: z.boolean(),
  verdict: z.enum(['pass', 'fail', 'inconclusive']).optional(),
  withoutOutliers: z.looseObject({ differencePct: numOrNull, ci: interval }).optional(),
  method: z.enum(['fieller', 'log-delta']).optional(),
  intervalConfidence: num.optional(),
  levels: z
    .looseObject({
      blocks: z.looseObject({ baseline: num, candidate: num }),
      singleLevel: z.looseObject({ differencePct: numOrNull, ci: interval, method: z.enum(['fieller', 'log-delta']).optional() }),
    })
    .optional(),
  paired: z
    .looseObject({
      n: num,
      method: str(40),
      estimate: numOrNull,
      ci: interval,
      ciNullReason: str(200).nullable().optional(),
      lag1: numOrNull.optional(),
      correlation: numOrNull.optional(),
      outliers: num.optional(),
      used: z.boolean(),
      reason: str(200).nullable().optional(),
    })
    .optional(),
});

/** The scenario as stored in a results file, as far as writers read it (it was validated when it ran). */
const storedScenarioSchema = z.looseObject({
  name: str(100),
  description: str(10_000).optional(),
  baseline: str(100).optional(),
  targets: z.record(z.string(), z.looseObject({ label: str(200).optional(), host: str(1000).optional() })).optional(),
  workloads: z.record(z.string(), z.looseObject({ kind: str(40).optional(), title: str(200).optional() })).optional(),
  samples: z
    .union([num, z.looseObject({ min: num.optional(), max: num.optional(), targetHalfWidthPct: num.optional() })])
    .optional(),
  warmup: num.optional(),
  order: str(40).optional(),
  seed: num.optional(),
  confidence: num.optional(),
  timeoutSec: num.optional(),
  scratchRoot: str(1000).optional(),
  tolerancePct: num.optional(),
  repeat: num.optional(),
});

export const runResultsSchema = z.looseObject({
  schemaVersion: z.number().int().min(1),
  tool: z.looseObject({ name: str(100), version: str(100) }).optional(),
  runId: z.string().regex(RUN_ID_PATTERN, 'a run id such as 20261129-193000-kvm-docker-3f2a (digits, lowercase letters and "-")'),
  status: z.enum(['running', 'completed', 'interrupted', 'failed']),
  startedAt: str(100),
  finishedAt: str(100).optional(),
  git: z.looseObject({ commit: str(100).optional(), branch: str(300).optional() }).optional(),
  command: z.array(str(10_000)).max(1000).optional(),
  scenario: storedScenarioSchema,
  scenarioFile: str(4096).optional(),
  quick: z.boolean().optional(),
  confidence: num.optional(),
  baseline: str(100),
  targets: z.array(targetRecordSchema),
  metrics: z.array(metricInfoSchema),
  samples: z.array(sampleSchema),
  summaries: z.array(summarySchema),
  comparisons: z.array(comparisonSchema),
  notes: z.array(str(100_000)).optional(),
  blocks: z
    .array(
      z.looseObject({
        workload: str(100),
        block: z.number().int().min(0),
        startedAt: str(100),
        finishedAt: str(100).optional(),
        prepareMs: z.record(z.string(), num),
        cleanupMs: z.record(z.string(), num),
      }),
    )
    .optional(),
});
