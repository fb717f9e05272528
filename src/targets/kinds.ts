/**
 * The target kinds, first match wins. A new kind (Podman, a Kubernetes pod) is one module implementing Target
 * (src/exec/types.ts) and one line here; nothing outside src/targets names a kind.
 */
import type { ContainerSpec, TargetSpec } from '../scenario/schema.js';
import { DockerTarget } from './docker.js';
import { dockerDoctorChecks, dockerLocalScratchSpace, dockerScratchSpace } from './docker-doctor.js';
import { DirectTarget } from './direct.js';
import type { ExecResult, Machine, MachineCheck, Target } from '../exec/types.js';
import type { ProgramRequirement } from '../workloads/types.js';

export interface TargetKindContext {
  id: string;
  spec: TargetSpec;
  machine: Machine;
  runId: string;
  log: (line: string) => void;
}

/** What `benchsuite doctor` hands a target kind to check one target of that kind (src/doctor). */
export interface TargetDoctorContext {
  spec: TargetSpec;
  machine: Machine;
  /** argv on the target's machine (memoized per machine; a failure to run comes back as an ExecResult). */
  exec(argv: string[]): Promise<ExecResult>;
  /** argv on this host (memoized). */
  execHere(argv: string[]): Promise<ExecResult>;
  /** The programs the scenario's workloads run where they run (`where: 'workload'` requirements). */
  workloadPrograms: ProgramRequirement[];
  /** Doctor's check of one program on the machine itself: its probe runs, or the package that provides it. */
  programOnMachine(req: ProgramRequirement): Promise<MachineCheck>;
}

export interface TargetKind {
  name: string;
  matches(spec: TargetSpec): boolean;
  create(c: TargetKindContext): Target;
  /** Doctor's checks that the workloads can run where this kind runs them (their programs; an engine, an image). */
  doctorChecks(c: TargetDoctorContext): Promise<MachineCheck[]>;
  /** Where the workloads' scratch files take space on the machine when not in the scenario's scratch root (doctor). */
  scratchSpace?(c: TargetDoctorContext): Promise<{ dir: string; where: string } | undefined>;
  /** The same, as known without running a command (the check on this host before a run starts). */
  localScratchSpace?(spec: TargetSpec): { dir: string; where: string } | undefined;
}

/** The direct kind's programs run on the machine itself, in the order the workloads list them. */
async function programsOnMachine(c: TargetDoctorContext): Promise<MachineCheck[]> {
  const checks: MachineCheck[] = [];
  for (const req of c.workloadPrograms) checks.push(await c.programOnMachine(req));
  return checks;
}

export const TARGET_KINDS: readonly TargetKind[] = [
  {
    name: 'docker',
    matches: (s) => s.container !== undefined,
    create: (c) => new DockerTarget(c.id, c.spec.label, c.machine, c.spec.container as ContainerSpec, c.runId, c.log, c.spec.pin),
    doctorChecks: dockerDoctorChecks,
    scratchSpace: dockerScratchSpace,
    localScratchSpace: dockerLocalScratchSpace,
  },
  { name: 'direct', matches: () => true, create: (c) => new DirectTarget(c.id, c.spec.label, c.machine, c.spec.pin), doctorChecks: programsOnMachine },
];

/** The kind a scenario target is (first match). */
export function targetKindFor(spec: TargetSpec): TargetKind {
  const kind = TARGET_KINDS.find((k) => k.matches(spec));
  if (!kind) throw new Error('no target kind matches the target\'s settings');
  return kind;
}

export function createTarget(c: TargetKindContext): Target {
  const kind = TARGET_KINDS.find((k) => k.matches(c.spec));
  if (!kind) throw new Error(`target ${c.id}: no target kind matches its settings`);
  return kind.create(c);
}
