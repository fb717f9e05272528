/**
 * Synthetic, seeded RunResults for the report benchmark (bench/report-hotpaths.ts) and test fixtures:
 * interleaved samples drawn from normal distributions, optional failures, outliers and incomplete cells,
 * with summaries and comparisons computed by the real analysis code (src/results/analyze.ts).
 */
import { analyze } from '../results/analyze.js';
import { SCHEMA_VERSION, type Fingerprint, type MetricInfo, type RunResults, type Sample, type TargetRecord } from '../results/model.js';
import type { Scenario, WorkloadSpec } from '../scenario/schema.js';
import { createRng } from '../stats/index.js';

export interface SyntheticTarget {
  id: string;
  label: string;
  kind: 'host' | 'docker';
  host?: string;
  /** Same boot_id as the baseline (a container on the same kernel). Default: true for docker. */
  sharesKernel?: boolean;
  /** Extra fingerprint keys (vm, docker, cpu…), merged over the defaults. */
  fingerprint?: Record<string, unknown>;
}

export interface SyntheticMetric {
  metric: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  primary: boolean;
  /** Mean per target id. */
  mean: Record<string, number>;
  /** Coefficient of variation (stddev / mean), per target or for all. */
  cv: number | Record<string, number>;
}

export interface SyntheticWorkload {
  id: string;
  kind: 'dd' | 'ab';
  title: string;
  metrics: SyntheticMetric[];
  /** Rounds (0-based) whose sample fails, per target. */
  failRounds?: Record<string, number[]>;
  /** Rounds whose primary value is multiplied by `factor`, per target (outliers). */
  outlierRounds?: Record<string, { rounds: number[]; factor: number }>;
}

export interface SyntheticSpec {
  name: string;
  description?: string;
  runId: string;
  startedAt: string;
  seed: number;
  baseline: string;
  targets: SyntheticTarget[];
  workloads: SyntheticWorkload[];
  /** Fixed count, or adaptive settings (the count drawn is `rounds`). */
  samples: number | { min: number; max: number; targetHalfWidthPct: number };
  rounds?: number;
  warmup?: number;
  confidence?: number;
  tolerancePct?: number;
  git?: { commit?: string; branch?: string };
  status?: RunResults['status'];
  notes?: string[];
}

const HOST_BOOT = '4f1c2d9e-8b7a-4c3d-9e2f-1a2b3c4d5e6f';

function fingerprintFor(t: SyntheticTarget, index: number): Fingerprint {
  const shares = t.sharesKernel ?? t.kind === 'docker';
  const base: Fingerprint = {
    hostname: t.kind === 'docker' ? `c0ffee${index}abc123` : 'bench-host',
    kernelRelease: '6.1.0-28-amd64',
    bootId: shares || index === 0 ? HOST_BOOT : `9a8b7c6d-${String(index).padStart(4, '0')}-4e5f-8a9b-0c1d2e3f4a5b`,
    cpuModel: 'AMD EPYC 7B13',
    cores: 8,
    memoryBytes: 33_554_432_000,
    virtualization: t.kind === 'docker' ? 'docker' : 'none',
    cpu: { vendor: 'AuthenticAMD', hypervisorFlag: false, cpusAllowed: '0-7', governor: 'performance', bugs: ['sysret_ss_attrs', 'spectre_v1', 'spectre_v2'] },
    scratch: { path: '/var/tmp/benchsuite/run', fsType: 'ext4', storage: t.kind === 'docker' ? 'volume' : 'host', mountPoint: '/', device: '259:1', blockDevice: 'nvme0n1', scheduler: 'none' },
    security: {
      uid: 0,
      gid: 0,
      capEff:
        t.kind === 'docker'
          ? { mask: '0000000000000c00', names: ['CAP_NET_BIND_SERVICE', 'CAP_SETGID', 'CAP_SETUID'].sort(), unknownBits: [] }
          : { mask: '000001ffffffffff', names: ['ALL (41 capabilities)'], unknownBits: [] },
      seccomp: t.kind === 'docker' ? 'filter' : 'disabled',
      seccompFilters: t.kind === 'docker' ? 1 : 0,
      noNewPrivs: t.kind === 'docker',
      lsmLabel: t.kind === 'docker' ? 'docker-default (enforce)' : 'unconfined',
      activeLsms: ['lockdown', 'capability', 'landlock', 'yama', 'apparmor'],
      apparmorEnabled: true,
      userNamespace: false,
    },
    ...(t.kind === 'docker'
      ? {
          dockerVersion: '26.1.5+dfsg1',
          docker: {
            serverVersion: '26.1.5+dfsg1',
            storageDriver: 'overlay2',
            backingFilesystem: 'extfs',
            cgroupDriver: 'systemd',
            cgroupVersion: '2',
            seccompProfile: 'builtin',
            apparmor: true,
            defaultBridgeIcc: true,
          },
          container: {
            id: `c0ffee${index}abc123def456`,
            privileged: false,
            networkMode: 'host',
            storage: 'volume',
            appArmorProfile: 'docker-default',
            securityOpt: ['no-new-privileges'],
            capAdd: ['NET_BIND_SERVICE', 'SETUID', 'SETGID'],
            capDrop: ['ALL'],
            usernsMode: '',
            readonlyRootfs: false,
            user: '',
          },
        }
      : {}),
  };
  return { ...base, ...(t.fingerprint ?? {}) } as Fingerprint;
}

function cvOf(m: SyntheticMetric, target: string): number {
  return typeof m.cv === 'number' ? m.cv : (m.cv[target] ?? 0.02);
}

export function syntheticResults(spec: SyntheticSpec): RunResults {
  const rng = createRng(spec.seed);
  const rounds = spec.rounds ?? (typeof spec.samples === 'number' ? spec.samples : spec.samples.max);
  const warmup = spec.warmup ?? 1;
  const confidence = spec.confidence ?? 0.95;
  const start = Date.parse(spec.startedAt);
  const targets: TargetRecord[] = spec.targets.map((t, i) => ({
    id: t.id,
    label: t.label,
    host: t.host ?? 'local',
    kind: t.kind,
    ...(t.kind === 'docker'
      ? { container: { image: 'benchsuite/workload:local', imageId: 'sha256:5e1f3a0c9d2b7e4f6a8c1d3e5f7a9b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a', runArgs: ['--rm', '--network=host', '--cap-drop=ALL', '--cap-add=NET_BIND_SERVICE', '--cap-add=SETUID', '--cap-add=SETGID', '--security-opt=no-new-privileges'] } }
      : {}),
    fingerprint: fingerprintFor(t, i),
  }));
  const metrics: MetricInfo[] = spec.workloads.flatMap((w) =>
    w.metrics.map((m) => ({ workload: w.id, metric: m.metric, title: m.title, unit: m.unit, higherIsBetter: m.higherIsBetter, primary: m.primary })),
  );
  const samples: Sample[] = [];
  let seq = 0;
  let clock = start;
  for (let round = -warmup; round < rounds; round++) {
    for (const w of spec.workloads) {
      for (const t of spec.targets) {
        const isWarmup = round < 0;
        const failed = !isWarmup && (w.failRounds?.[t.id] ?? []).includes(round);
        const values: Record<string, number> = {};
        const outlier = !isWarmup ? w.outlierRounds?.[t.id] : undefined;
        const factor = outlier && outlier.rounds.includes(round) ? outlier.factor : 1;
        if (!failed) {
          for (const m of w.metrics) {
            const mean = m.mean[t.id];
            if (mean === undefined) continue;
            const v = mean * (1 + cvOf(m, t.id) * rng.nextNormal());
            const f = m.primary ? factor : m.higherIsBetter ? factor : 1 / factor;
            values[m.metric] = Math.max(mean * 0.01, v * f);
          }
        }
        const durationMs = w.kind === 'dd' ? 600 + rng.nextFloat() * 400 : 1500 + rng.nextFloat() * 300;
        samples.push({
          seq: seq++,
          target: t.id,
          workload: w.id,
          round: isWarmup ? -1 - (round + warmup) : round,
          warmup: isWarmup,
          ok: !failed,
          ...(failed ? { error: w.kind === 'dd' ? 'dd failed: exit 1: dd: error writing \'/scratch/dd.out\': No space left on device' : 'ab: apr_socket_recv: Connection reset by peer (104)' } : {}),
          startedAt: new Date(clock).toISOString(),
          durationMs: Math.round(durationMs),
          values,
          details: w.kind === 'dd' ? { sync: 'fdatasync', blockSize: 1048576, count: 256, droppedCaches: true } : { requests: 30000, concurrency: 32, keepAlive: true },
          attempts: 1,
        });
        clock += durationMs + 150;
      }
    }
  }
  const workloadSpecs: Record<string, WorkloadSpec> = {};
  for (const w of spec.workloads) {
    workloadSpecs[w.id] =
      w.kind === 'dd'
        ? { kind: 'dd', title: w.title, blockSize: '1M', count: 256, sync: 'fdatasync', dropCaches: true }
        : { kind: 'ab', title: w.title, requests: 30000, concurrency: 32, keepAlive: true, path: '/', responseBytes: 4096, serverWorkers: 1 };
  }
  const scenario: Scenario = {
    name: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    baseline: spec.baseline,
    targets: Object.fromEntries(
      spec.targets.map((t) => [
        t.id,
        {
          label: t.label,
          host: t.host ?? 'local',
          ...(t.kind === 'docker'
            ? { container: { image: 'benchsuite/workload:local', capDrop: ['ALL'], capAdd: ['NET_BIND_SERVICE'], securityOpt: ['no-new-privileges'], network: 'host', storage: 'volume', runArgs: [] } }
            : {}),
        },
      ]),
    ) as Scenario['targets'],
    workloads: workloadSpecs,
    samples: spec.samples,
    warmup,
    order: 'interleaved',
    confidence,
    timeoutSec: 300,
    scratchRoot: '/var/tmp/benchsuite',
    ...(spec.tolerancePct !== undefined ? { tolerancePct: spec.tolerancePct } : {}),
  };
  const partial = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'benchsuite' as const, version: '0.1.0' },
    runId: spec.runId,
    status: spec.status ?? 'completed',
    startedAt: new Date(start).toISOString(),
    finishedAt: new Date(clock).toISOString(),
    ...(spec.git ? { git: spec.git } : {}),
    command: ['benchsuite', 'run', spec.name],
    scenario,
    scenarioFile: `scenarios/${spec.name}.yaml`,
    quick: false,
    confidence,
    baseline: spec.baseline,
    targets,
    metrics,
    samples,
    summaries: [],
    comparisons: [],
    notes: spec.notes ?? [],
  } satisfies RunResults;
  // Precision flags as the runner records them: per primary metric, all targets within the target half-width.
  const precision = new Map<string, boolean>();
  const adaptive = typeof spec.samples === 'object' ? spec.samples : null;
  const first = analyze(partial);
  if (adaptive) {
    for (const m of metrics.filter((x) => x.primary)) {
      const rel = first.summaries.filter((s) => s.workload === m.workload && s.metric === m.metric && s.n > 0);
      precision.set(`${m.workload}/${m.metric}`, rel.every((s) => s.relativeHalfWidth !== null && s.relativeHalfWidth * 100 <= adaptive.targetHalfWidthPct));
    }
  }
  const { summaries, comparisons } = adaptive ? analyze(partial, precision) : first;
  return { ...partial, summaries, comparisons };
}

/** The usual dd + ab workloads with their primary and secondary metrics. */
export function standardWorkloads(
  means: { dd: Record<string, number>; ab: Record<string, number> },
  cv: { dd?: number | Record<string, number>; ab?: number | Record<string, number> } = {},
  ids: { dd?: string; ab?: string } = {},
): SyntheticWorkload[] {
  const abMeans = means.ab;
  const scale = (f: (rps: number) => number) => Object.fromEntries(Object.entries(abMeans).map(([k, v]) => [k, f(v)]));
  return [
    {
      id: ids.dd ?? 'dd',
      kind: 'dd',
      title: 'Disk Write (dd)',
      metrics: [{ metric: 'write_mbps', title: 'Disk Write (dd)', unit: 'MB/s', higherIsBetter: true, primary: true, mean: means.dd, cv: cv.dd ?? 0.03 }],
    },
    {
      id: ids.ab ?? 'ab',
      kind: 'ab',
      title: 'Apache Bench (Req/s)',
      metrics: [
        { metric: 'requests_per_sec', title: 'Apache Bench (Req/s)', unit: 'req/s', higherIsBetter: true, primary: true, mean: abMeans, cv: cv.ab ?? 0.02 },
        { metric: 'time_per_request_ms', title: 'Apache Bench (Req/s): time per request', unit: 'ms', higherIsBetter: false, primary: false, mean: scale((r) => (32 * 1000) / r), cv: cv.ab ?? 0.02 },
        { metric: 'p99_ms', title: 'Apache Bench (Req/s): p99 latency', unit: 'ms', higherIsBetter: false, primary: false, mean: scale((r) => (32 * 1000 * 2.6) / r), cv: 0.08 },
      ],
    },
  ];
}
