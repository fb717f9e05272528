/**
 * Environment facts the reports compare: kernel, CPU, memory, virtualization, Docker storage driver…
 * Used by `compare` (the same target across two runs) and as the fallback for the table's
 * environment-difference footnotes when src/env/posture.ts is unavailable.
 */
import { isUnknown, type Fingerprint, type RunResults, type TargetRecord } from '../results/model.js';
import { targetLabel } from './common.js';

export interface EnvFact {
  key: string;
  /** Human name used in messages, e.g. "kernel". */
  name: string;
  value: string | undefined;
}

/** Depth-limited search for the first of `names` anywhere in a fingerprint (keys vary by collector). */
function findDeep(obj: unknown, names: readonly string[], depth = 3): unknown {
  if (depth < 0 || typeof obj !== 'object' || obj === null) return undefined;
  const rec = obj as Record<string, unknown>;
  for (const n of names) if (n in rec && rec[n] !== undefined && typeof rec[n] !== 'object') return rec[n];
  for (const v of Object.values(rec)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const found = findDeep(v, names, depth - 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function show(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function gib(v: unknown): string | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? `${(v / 1024 ** 3).toFixed(1)} GiB` : show(v);
}

function scratchFact(scratch: unknown): string | undefined {
  if (typeof scratch !== 'object' || scratch === null || isUnknown(scratch)) return undefined;
  const s = scratch as { fsType?: unknown; storage?: unknown };
  const fs = show(s.fsType);
  const st = show(s.storage);
  return fs && st ? `${fs} (${st})` : fs ?? st;
}

/** The facts that change performance, in a fixed order. Unknown values are left undefined. */
export function environmentFacts(target: TargetRecord | undefined): EnvFact[] {
  const fp: Partial<Fingerprint> = target?.fingerprint ?? {};
  const vm = typeof fp.vm === 'object' && fp.vm !== null ? (fp.vm as Record<string, unknown>) : undefined;
  return [
    { key: 'kernelRelease', name: 'kernel', value: show(fp.kernelRelease) },
    { key: 'cpuModel', name: 'CPU', value: show(fp.cpuModel) },
    { key: 'cores', name: 'cores', value: show(fp.cores) },
    { key: 'memoryBytes', name: 'memory', value: gib(fp.memoryBytes) },
    { key: 'virtualization', name: 'virtualization', value: show(fp.virtualization) },
    { key: 'vm.accelerator', name: 'VM accelerator', value: show(vm?.accelerator) },
    { key: 'dockerVersion', name: 'Docker version', value: show(fp.dockerVersion) },
    {
      key: 'storageDriver',
      name: 'storage driver',
      value: show(findDeep(fp, ['storageDriver', 'storage_driver'])),
    },
    { key: 'scratch.fsType', name: 'scratch filesystem', value: scratchFact(fp.scratch) },
    { key: 'governor', name: 'CPU governor', value: show(findDeep(fp, ['cpuGovernor', 'governor', 'scalingGovernor'])) },
    { key: 'image', name: 'container image', value: target?.container ? target.container.imageId ?? target.container.image : undefined },
  ];
}

/** "kernel 6.1.0-18 vs 6.1.0-21" lines for every fact known on both sides that differs. */
export function factDifferences(a: TargetRecord | undefined, b: TargetRecord | undefined): string[] {
  const fa = environmentFacts(a);
  const fb = environmentFacts(b);
  const out: string[] = [];
  fa.forEach((f, i) => {
    const g = fb[i] as EnvFact;
    if (f.value !== undefined && g.value !== undefined && f.value !== g.value) out.push(`${f.name} ${f.value} vs ${g.value}`);
  });
  return out;
}

/** Baseline vs each candidate within one run (used only when posture.ts is unavailable). */
export function environmentFallback(results: RunResults): string[] {
  const base = results.targets.find((t) => t.id === results.baseline);
  const out: string[] = [];
  for (const t of results.targets) {
    if (t.id === results.baseline) continue;
    const diffs = factDifferences(base, t).filter((d) => !d.startsWith('virtualization') && !d.startsWith('container image'));
    if (diffs.length) {
      out.push(`${targetLabel(results, t.id)} vs ${targetLabel(results, results.baseline)}: ${diffs.join('; ')}`);
    }
  }
  return out;
}
