/**
 * Free space for the workloads' scratch files on this host, checked before a run starts (no command runs on
 * any target): for each workload whose kind says how many bytes it keeps in the scratch directory
 * (`scratchBytes`), the filesystem of the scratch root, or of where the target kind says the files land
 * (`localScratchSpace`: overlay storage, Docker's default data root), must hold that many bytes for every
 * local target that writes there at the same time, plus a margin. Remote targets are checked by `benchsuite doctor`.
 */
import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Scenario } from '../scenario/schema.js';
import { targetKindFor } from '../targets/kinds.js';
import { kindOf } from '../workloads/index.js';

export interface SpaceIssue {
  path: (string | number)[];
  message: string;
}

export interface FsFacts {
  /** Bytes available to an unprivileged writer, and the device, of the nearest existing ancestor of `dir`. */
  (dir: string): { available: number; device: number; dir: string } | undefined;
}

export const localFs: FsFacts = (dir) => {
  let d = dir;
  for (;;) {
    try {
      const st = statSync(d);
      if (st.isDirectory()) {
        const fs = statfsSync(d);
        return { available: Number(fs.bavail) * Number(fs.bsize), device: Number(st.dev), dir: d };
      }
    } catch {
      // not there (yet): try its parent
    }
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
};

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(0)} MiB`;
  return `${n} B`;
}

/** Margin on top of what the workloads write (the same as doctor's). */
export const spaceMargin = (bytes: number): number => Math.max(64 * 1024 ** 2, Math.round(bytes * 0.1));

/** One issue per workload whose files do not fit on this host's filesystems, naming its settings field. */
export function localScratchSpaceIssues(scenario: Scenario, fsFacts: FsFacts = localFs): SpaceIssue[] {
  const local = Object.values(scenario.targets).filter((t) => t.host === 'local');
  if (local.length === 0) return [];
  // Where each local target's scratch files go, grouped by filesystem.
  const places: { where: string; fs: NonNullable<ReturnType<FsFacts>> }[] = [];
  for (const t of local) {
    const elsewhere = targetKindFor(t).localScratchSpace?.(t);
    const fs = fsFacts(elsewhere?.dir ?? scenario.scratchRoot);
    if (fs) places.push({ where: elsewhere?.where ?? `the scratch root ${scenario.scratchRoot}`, fs });
  }
  const devices = [...new Set(places.map((p) => p.fs.device))];
  const issues: SpaceIssue[] = [];
  for (const [id, w] of Object.entries(scenario.workloads)) {
    const s = kindOf(w).scratchBytes?.(w);
    // Only kinds that lay their files out in full up front (refuseBeyondFreeSpace) are refused here; others are checked by
    // `benchsuite doctor`, and a disk that fills mid-run is a failed sample (docs/reliability.md).
    if (!s || s.bytes <= 0 || !s.refuseBeyondFreeSpace) continue;
    for (const dev of devices) {
      const here = places.filter((p) => p.fs.device === dev);
      const fs = (here[0] as (typeof places)[number]).fs;
      const need = s.bytes * here.length;
      if (fs.available >= need + spaceMargin(need)) continue;
      const who = here.length > 1 ? ` for each of ${here.length} local targets (${formatBytes(need)} in all)` : '';
      issues.push({
        path: ['workloads', id, ...(s.field ? [s.field] : [])],
        message:
          `writes ${formatBytes(s.bytes)} into ${[...new Set(here.map((p) => p.where))].join(' and ')}${who}, but only ${formatBytes(fs.available)} ` +
          `is free on its filesystem (${fs.dir}; plus a margin of ${formatBytes(spaceMargin(need))}); ${s.lower}, or --set scratchRoot=<a directory with room>`,
      });
    }
  }
  return issues;
}
