/**
 * The one results model. Every renderer (table, CSV, JSON exports, charts, HTML, history) reads this shape
 * and nothing else, so a report can be regenerated from a stored file months later.
 * Documented in docs/results-format.md; bump SCHEMA_VERSION on any incompatible change.
 */
import type { Scenario } from '../scenario/schema.js';

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
  kind: 'host' | 'docker';
  /** Container settings as run (image, flags), when kind = docker. */
  container?: {
    image: string;
    imageId?: string;
    runArgs: string[];
  };
  fingerprint: Fingerprint;
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
}
