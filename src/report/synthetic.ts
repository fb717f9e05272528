/**
 * Synthetic, seeded RunResults for the report benchmark (bench/report-hotpaths.ts) and test fixtures:
 * interleaved samples drawn from normal distributions, optional failures, outliers and incomplete cells,
 * with summaries and comparisons computed by the real analysis code (src/results/analyze.ts).
 * Everything about a workload kind comes from the registry: its settings from the kind's schema, its metrics'
 * titles and units from its Workload, its samples' details, errors and durations from its `example`.
 */
import { analyze } from '../results/analyze.js';
import { SCHEMA_VERSION, type Fingerprint, type MetricInfo, type RunResults, type Sample, type TargetRecord } from '../results/model.js';
import type { Scenario, WorkloadSpec } from '../scenario/schema.js';
import { createRng } from '../stats/index.js';
import { kindOf } from '../workloads/index.js';
import type { KindExample } from '../workloads/types.js';

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
  /** One of the kind's metrics (its title, unit and direction come from the kind). */
  metric: string;
  /** Mean per target id. */
  mean: Record<string, number>;
  /** Coefficient of variation (stddev / mean), per target or for all. */
  cv: number | Record<string, number>;
}

export interface SyntheticWorkload {
  id: string;
  /** A registered workload kind. */
  kind: string;
  /** Default: the kind's default title. */
  title?: string;
  /** Settings over the kind's example settings and its schema's defaults. */
  settings?: Record<string, unknown>;
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

/** What a kind without an `example` gets. */
const PLAIN_EXAMPLE: KindExample = { details: {}, error: 'exit 1', durationMs: { min: 1000, spread: 300 }, cv: 0.02 };

/** A synthetic workload through its kind: settings with defaults, its metrics as the kind states them, its example. */
function resolveWorkload(w: SyntheticWorkload): { spec: WorkloadSpec; metrics: MetricInfo[]; example: KindExample } {
  const kind = kindOf(w);
  const example = kind.example ?? { ...PLAIN_EXAMPLE, error: `${w.kind} failed: exit 1` };
  const title = w.title ?? kind.defaultTitle();
  const spec = kind.schema.parse({ kind: w.kind, title, ...example.settings, ...w.settings }) as WorkloadSpec;
  const all = kind.create(w.id, spec as never, title).metrics();
  const metrics = w.metrics.map((m) => {
    const info = all.find((i) => i.metric === m.metric);
    if (!info) throw new Error(`synthetic workload ${w.id}: ${w.kind} has no metric ${m.metric} (it has ${all.map((i) => i.metric).join(', ')})`);
    return info;
  });
  return { spec, metrics, example };
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
  const resolved = new Map(spec.workloads.map((w) => [w, resolveWorkload(w)]));
  const metrics: MetricInfo[] = [...resolved.values()].flatMap((r) => r.metrics);
  const samples: Sample[] = [];
  let seq = 0;
  let clock = start;
  for (let round = -warmup; round < rounds; round++) {
    for (const w of spec.workloads) {
      const { metrics: infos, example } = resolved.get(w)!;
      for (const t of spec.targets) {
        const isWarmup = round < 0;
        const failed = !isWarmup && (w.failRounds?.[t.id] ?? []).includes(round);
        const values: Record<string, number> = {};
        const outlier = !isWarmup ? w.outlierRounds?.[t.id] : undefined;
        const factor = outlier && outlier.rounds.includes(round) ? outlier.factor : 1;
        if (!failed) {
          w.metrics.forEach((m, i) => {
            const info = infos[i]!;
            const mean = m.mean[t.id];
            if (mean === undefined) return;
            const v = mean * (1 + cvOf(m, t.id) * rng.nextNormal());
            const f = info.primary ? factor : info.higherIsBetter ? factor : 1 / factor;
            values[m.metric] = Math.max(mean * 0.01, v * f);
          });
        }
        const durationMs = example.durationMs.min + rng.nextFloat() * example.durationMs.spread;
        samples.push({
          seq: seq++,
          target: t.id,
          workload: w.id,
          round: isWarmup ? -1 - (round + warmup) : round,
          warmup: isWarmup,
          ok: !failed,
          ...(failed ? { error: example.error } : {}),
          startedAt: new Date(clock).toISOString(),
          durationMs: Math.round(durationMs),
          values,
          details: { ...example.details },
          attempts: 1,
        });
        clock += durationMs + 150;
      }
    }
  }
  const workloadSpecs: Record<string, WorkloadSpec> = {};
  for (const w of spec.workloads) workloadSpecs[w.id] = resolved.get(w)!.spec;
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

/**
 * One workload per kind named in `means` (the primary metric's mean per target), in that order, each with its
 * kind's default title and example: its secondary metrics follow the primary as the example says.
 * `standardWorkloads({ dd: {...}, ab: {...} })` is the usual disk + HTTP pair.
 */
export function standardWorkloads(
  means: Record<string, Record<string, number>>,
  cv: Record<string, number | Record<string, number> | undefined> = {},
  ids: Record<string, string | undefined> = {},
): SyntheticWorkload[] {
  return Object.entries(means).map(([kindName, primaryMeans]) => {
    const kind = kindOf({ kind: kindName });
    const example = kind.example ?? PLAIN_EXAMPLE;
    const id = ids[kindName] ?? kindName;
    const title = kind.defaultTitle();
    const spec = kind.schema.parse({ kind: kindName, title, ...example.settings });
    const primary = kind.create(id, spec as never, title).metrics().find((m) => m.primary);
    if (!primary) throw new Error(`${kindName} states no primary metric`);
    const ownCv = cv[kindName] ?? example.cv;
    const scale = (f: (v: number) => number): Record<string, number> => Object.fromEntries(Object.entries(primaryMeans).map(([t, v]) => [t, f(v)]));
    return {
      id,
      kind: kindName,
      title,
      metrics: [
        { metric: primary.metric, mean: primaryMeans, cv: ownCv },
        ...Object.entries(example.secondary ?? {}).map(([metric, s]) => ({ metric, mean: scale(s.fromPrimary), cv: s.cv ?? cv[kindName] ?? example.cv })),
      ],
    };
  });
}
