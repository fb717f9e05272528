/**
 * What a killed run can leave behind, and its removal: containers carrying the run label, nginx servers
 * started with a config under the scratch root, and marked scratch directories.
 */
import { findRunContainers, removeContainers } from '../targets/docker.js';
import type { Machine } from '../targets/types.js';
import { SCRATCH_MARKER } from './scratch.js';

export interface Leftovers {
  machine: string;
  containers: { id: string; run: string }[];
  servers: { pid: number; pgid: number; args: string }[];
  scratchDirs: string[];
}

export async function findLeftovers(machine: Machine, scratchRoot: string, runId?: string): Promise<Leftovers> {
  const containers = await findRunContainers(machine, runId);
  const root = scratchRoot.replace(/\/+$/, '');
  const prefix = runId ? `${root}/${runId}/` : `${root}/`;
  const ps = await machine.exec(['ps', '-eo', 'pid=,pgid=,args='], { timeoutMs: 30_000 });
  const servers: Leftovers['servers'] = [];
  for (const line of ps.stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const args = m[3] as string;
    // Only nginx masters started by benchsuite: their config lives in a run's scratch directory.
    if (/^nginx: master process /.test(args) || /^\S*nginx\s/.test(args)) {
      if (args.includes(`-c ${prefix}`) || args.includes(`-p ${prefix}`)) servers.push({ pid: Number(m[1]), pgid: Number(m[2]), args });
    }
  }
  const ls = await machine.exec(['ls', '-1', root], { timeoutMs: 30_000 });
  const scratchDirs: string[] = [];
  if (ls.exitCode === 0) {
    for (const name of ls.stdout.split('\n').filter(Boolean)) {
      if (runId && name !== runId) continue;
      const marker = await machine.exec(['cat', `${root}/${name}/${SCRATCH_MARKER}`], { timeoutMs: 30_000 });
      if (marker.exitCode === 0 && marker.stdout.trim() === name) scratchDirs.push(`${root}/${name}`);
    }
  }
  return { machine: machine.address, containers, servers, scratchDirs };
}

export function leftoverCount(l: Leftovers): number {
  return l.containers.length + l.servers.length + l.scratchDirs.length;
}

export async function removeLeftovers(machine: Machine, l: Leftovers): Promise<string[]> {
  const done: string[] = [];
  if (l.containers.length > 0) {
    await removeContainers(machine, l.containers.map((c) => c.id));
    done.push(`removed ${l.containers.length} container(s) on ${l.machine}`);
  }
  for (const s of l.servers) {
    await machine.exec(['kill', '-TERM', '--', `-${s.pgid}`], { timeoutMs: 10_000 });
    await machine.exec(['kill', '-KILL', '--', `-${s.pgid}`], { timeoutMs: 10_000 });
    done.push(`stopped server pid ${s.pid} on ${l.machine}`);
  }
  for (const d of l.scratchDirs) {
    await machine.exec(['rm', '-rf', '--one-file-system', d], { timeoutMs: 120_000 });
    done.push(`removed scratch directory ${d} on ${l.machine}`);
  }
  return done;
}
