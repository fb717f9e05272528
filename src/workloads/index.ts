/** Lookups over the registry: the kinds by name, the Workloads of a scenario, and what the kinds need. */
import type { z } from 'zod';
import { WORKLOAD_KINDS } from './registry.js';
import type { KindSchema, ProgramRequirement, Workload, WorkloadKind } from './types.js';

export { WORKLOAD_KINDS } from './registry.js';

/** Settings of any registered kind (the union the scenario schema is built from). */
export type AnyWorkloadSpec = z.output<(typeof WORKLOAD_KINDS)[number]['schema']>;

/** The kind names, in registry order. */
export const KIND_NAMES: readonly string[] = WORKLOAD_KINDS.map((k) => k.kind);

/** "kind: dd or kind: ab" — for messages that list the choices. */
export function kindChoices(): string {
  const names = KIND_NAMES.map((k) => `kind: ${k}`);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The kind module of a spec; the spec is typed by the schema, so the kind always exists. */
export function kindOf(spec: { kind: string }): WorkloadKind<KindSchema> {
  const k = WORKLOAD_KINDS.find((x) => x.kind === spec.kind);
  if (!k) throw new Error(`unknown workload kind "${spec.kind}"; use ${kindChoices()}`);
  return k as unknown as WorkloadKind<KindSchema>;
}

/** The Workloads of a scenario's workloads section, with default titles (naming the id when a kind repeats). */
export function createWorkloads(scenario: { workloads: Record<string, AnyWorkloadSpec> }): Workload[] {
  const entries = Object.entries(scenario.workloads);
  const count = (kind: string): number => entries.filter(([, w]) => w.kind === kind).length;
  return entries.map(([id, spec]) => {
    const kind = kindOf(spec);
    const title = spec.title ?? kind.defaultTitle(count(spec.kind) > 1 ? id : undefined);
    return kind.create(id, spec, title);
  });
}

/** Every program requirement of the given kinds (default: all registered kinds), with its kind. */
export function requirements(kinds: readonly string[] = KIND_NAMES): (ProgramRequirement & { kind: string })[] {
  return WORKLOAD_KINDS.filter((k) => kinds.includes(k.kind)).flatMap((k) => k.requirements.map((r) => ({ ...r, kind: k.kind })));
}

/** Debian packages providing every registered kind's programs, without repeats. */
export function debianPackages(): string[] {
  return [...new Set(requirements().map((r) => r.debian))];
}

/** Absolute paths of the programs that run where workloads run (the workload image carries them). */
export function workloadBinaries(): string[] {
  return [...new Set(requirements().filter((r) => r.where === 'workload').map((r) => r.path))];
}

export type { KindSchema, ProgramRequirement, SpecIssue, Workload, WorkloadKind } from './types.js';
