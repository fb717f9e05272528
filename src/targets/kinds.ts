/**
 * The target kinds, first match wins. A new kind (Podman, a Kubernetes pod) is one module implementing Target
 * (src/exec/types.ts) and one line here; nothing outside src/targets names a kind.
 */
import type { ContainerSpec, TargetSpec } from '../scenario/schema.js';
import { DockerTarget } from './docker.js';
import { DirectTarget } from './direct.js';
import type { Machine, Target } from '../exec/types.js';

export interface TargetKindContext {
  id: string;
  spec: TargetSpec;
  machine: Machine;
  runId: string;
  log: (line: string) => void;
}

export interface TargetKind {
  name: string;
  matches(spec: TargetSpec): boolean;
  create(c: TargetKindContext): Target;
}

export const TARGET_KINDS: readonly TargetKind[] = [
  { name: 'docker', matches: (s) => s.container !== undefined, create: (c) => new DockerTarget(c.id, c.spec.label, c.machine, c.spec.container as ContainerSpec, c.runId, c.log) },
  { name: 'direct', matches: () => true, create: (c) => new DirectTarget(c.id, c.spec.label, c.machine) },
];

export function createTarget(c: TargetKindContext): Target {
  const kind = TARGET_KINDS.find((k) => k.matches(c.spec));
  if (!kind) throw new Error(`target ${c.id}: no target kind matches its settings`);
  return kind.create(c);
}
