// Test helpers: targets whose exec answers with outputs captured on a real host (test/fixtures/env/),
// and RunResults built around fingerprints.
import { readFileSync } from 'node:fs';
import { BUNDLE_SCRIPT, collectFingerprint, dockerContainerProbe } from '../../src/env/fingerprint.js';
import { SCHEMA_VERSION, type Fingerprint, type RunResults, type TargetRecord } from '../../src/results/model.js';
import { scenarioSchema, type ContainerSpec } from '../../src/scenario/schema.js';
import type { ExecContext, ExecResult, Machine, Target } from '../../src/exec/types.js';

const FIX = new URL('../fixtures/env/', import.meta.url);
export const fixture = (name: string): string => readFileSync(new URL(name, FIX), 'utf8');
export const FIXTURE_TOKEN = '@@benchsuite-fixture';

function result(argv: string[], stdout: string, exitCode = 0, stderr = ''): ExecResult {
  return { argv, stdout, stderr, exitCode, timedOut: false, aborted: false, durationMs: 1 };
}

/** Answers the bundle script with a captured bundle (its separator token swapped for the live one). */
function bundleAnswer(argv: string[], file: string): ExecResult | undefined {
  if (argv[0] === 'sh' && argv[1] === '-c' && argv[2] === BUNDLE_SCRIPT) {
    const token = argv[4] as string;
    return result(argv, fixture(file).split(FIXTURE_TOKEN).join(token));
  }
  return undefined;
}

export interface FakeOptions {
  workloadBundle: string;
  machineBundle?: string;
  inspect?: string;
  dockerInfo?: string | null;
  bridge?: string;
}

export function fakeMachine(o: FakeOptions, calls: string[][] = []): Machine {
  return {
    address: 'local',
    kind: 'local',
    isThisHost: true,
    candidatePort: async () => 8080,
    doctorChecks: async () => [],
    dockerStartHint: () => 'start dockerd',
    async exec(argv) {
      calls.push(argv);
      const b = bundleAnswer(argv, o.machineBundle ?? 'host-bundle.txt');
      if (b) return b;
      const key = argv.slice(0, 3).join(' ');
      if (key === 'docker info --format') {
        return o.dockerInfo === null ? result(argv, '', 1, 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?') : result(argv, fixture(o.dockerInfo ?? 'docker-info.json'));
      }
      if (key === 'docker network inspect') return result(argv, fixture(o.bridge ?? 'docker-network-bridge.json'));
      if (key === 'docker inspect --type') return o.inspect ? result(argv, fixture(o.inspect)) : result(argv, '', 1, 'Error: No such container');
      return result(argv, '', 127, `fake machine: unexpected ${argv.join(' ')}`);
    },
    async spawn() {
      throw new Error('not used');
    },
    async writeFile() {},
    async close() {},
  };
}

export function fakeTarget(kind: 'host' | 'docker', o: FakeOptions, calls: string[][] = []): { target: Target; execCtx: ExecContext } {
  const machine = fakeMachine(o, calls);
  const execCtx: ExecContext = {
    scratchDir: '/var/tmp/benchsuite/fixture',
    async exec(argv) {
      calls.push(['[execCtx]', ...argv]);
      return bundleAnswer(argv, o.workloadBundle) ?? result(argv, '', 127, 'unexpected');
    },
    alive: async () => true,
    logs: async () => '',
    close: async () => {},
  };
  const target: Target = {
    id: kind,
    label: kind,
    kind: kind === 'docker' ? 'docker' : 'direct',
    recordKind: kind,
    machine,
    prepare: async () => {},
    open: async () => execCtx,
    // As DockerTarget plans it: the machine's own view, plus the Docker engine and container probe.
    ...(kind === 'docker' ? { fingerprintPlan: () => ({ view: 'container' as const, probe: dockerContainerProbe() }) } : {}),
  };
  return { target, execCtx };
}

/** A fingerprint assembled by the real collector from captured outputs. */
export async function fixtureFingerprint(kind: 'host' | 'docker', o: FakeOptions, scratchDir: string, containerSpec?: ContainerSpec): Promise<Fingerprint> {
  const { target, execCtx } = fakeTarget(kind, o);
  return collectFingerprint({ target, execCtx, scratchDir, containerSpec });
}

export function record(id: string, kind: 'host' | 'docker', fingerprint: Fingerprint, label = id): TargetRecord {
  return {
    id,
    label,
    host: 'local',
    kind,
    ...(kind === 'docker' ? { container: { image: 'benchsuite/workload:local', runArgs: ['--network=host'] } } : {}),
    fingerprint,
  };
}

export function runResults(targets: TargetRecord[], baseline = targets[0]!.id): RunResults {
  const scenario = scenarioSchema.parse({
    name: 'posture-test',
    baseline,
    targets: Object.fromEntries(targets.map((t, i) => [t.id, { label: `Target ${i}`, host: 'local', ...(t.kind === 'docker' ? { container: {} } : {}) }])),
    workloads: { dd: { kind: 'dd' }, ab: { kind: 'ab' } },
  });
  // Labels as recorded (a results file may hold any text; the scenario schema would refuse markup in one).
  for (const t of targets) if (scenario.targets[t.id]) scenario.targets[t.id]!.label = t.label;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'benchsuite', version: 'test' },
    runId: 'test',
    status: 'completed',
    startedAt: '2026-01-01T00:00:00Z',
    command: [],
    scenario,
    quick: false,
    confidence: 0.95,
    baseline,
    targets,
    metrics: [],
    samples: [],
    summaries: [],
    comparisons: [],
    notes: [],
  };
}
