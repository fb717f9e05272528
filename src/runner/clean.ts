/**
 * What a killed run can leave behind, and its removal. Only what carries benchsuite's own marks is touched:
 * containers whose `benchsuite.run` label holds a run id (of the run asked for, when one is), scratch
 * directories `<root>/<runId>` whose marker file names that run, and nginx servers whose prefix directory
 * lies inside such a marked scratch directory. A run id and a scratch root given on the command line are
 * checked (run-id pattern; the scratchRoot rules) before any command runs.
 */
import { InputError } from '../scenario/errors.js';
import { scratchRootProblem } from '../scenario/validate.js';
import { findRunContainers, removeContainers } from '../targets/docker.js';
import type { Machine } from '../exec/types.js';
import { quoteValue } from '../util/quote.js';
import { RUN_ID_PATTERN } from '../util/run-id.js';
import { markerOf } from './scratch.js';

export interface Leftovers {
  machine: string;
  containers: { id: string; run: string }[];
  servers: { pid: number; pgid: number; args: string }[];
  scratchDirs: string[];
}

/** Checks `clean`'s inputs; throws InputError (exit 2) naming the option. */
export function checkCleanInputs(scratchRoot: string, runId?: string): void {
  if (runId !== undefined && !RUN_ID_PATTERN.test(runId)) {
    throw new InputError(`--run ${quoteValue(runId)}: not a run id (e.g. 20261129-193000-kvm-docker-3f2a; the file names under results/ are run ids)`);
  }
  const problem = scratchRootProblem(scratchRoot);
  if (problem) throw new InputError(`--scratch-root ${quoteValue(scratchRoot)}: ${problem}`);
}

/** The `-p <dir>` of an nginx command line, when it has exactly one. */
function nginxPrefix(args: string): string | undefined {
  const all = [...args.matchAll(/(?:^|\s)-p\s+(\S+)/g)];
  return all.length === 1 ? (all[0]?.[1] as string) : undefined;
}

export async function findLeftovers(machine: Machine, scratchRoot: string, runId?: string): Promise<Leftovers> {
  checkCleanInputs(scratchRoot, runId);
  const root = scratchRoot.replace(/\/+$/, '');
  // Only containers whose label is a run id (of the run asked for): a label "benchsuite.run=" or
  // "benchsuite.run=anything" set by someone else is not benchsuite's mark.
  const containers = (await findRunContainers(machine, runId)).filter(
    (x) => /^[0-9a-f]{12,64}$/.test(x.id) && RUN_ID_PATTERN.test(x.run) && (runId === undefined || x.run === runId),
  );

  // Marked scratch directories of runs (of the run asked for).
  const ls = await machine.exec(['ls', '-1', root], { timeoutMs: 30_000 });
  const scratchDirs: string[] = [];
  if (ls.exitCode === 0) {
    for (const name of ls.stdout.split('\n').filter(Boolean)) {
      if (!RUN_ID_PATTERN.test(name)) continue;
      if (runId !== undefined && name !== runId) continue;
      if ((await markerOf(machine, `${root}/${name}`)) === name) scratchDirs.push(`${root}/${name}`);
    }
  }

  // nginx masters whose prefix directory is inside one of those marked directories.
  const ps = await machine.exec(['ps', '-eo', 'pid=,pgid=,args='], { timeoutMs: 30_000 });
  const servers: Leftovers['servers'] = [];
  for (const line of ps.stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const args = m[3] as string;
    if (!/^nginx: master process /.test(args) && !/^\S*nginx\s/.test(args)) continue;
    const prefix = nginxPrefix(args);
    if (!prefix || prefix.split('/').some((s) => s === '..' || s === '.')) continue;
    const owner = scratchDirs.find((d) => prefix.startsWith(`${d}/`));
    const pgid = Number(m[2]);
    // A process group of 0 or 1 (or benchsuite's own) is never signalled.
    if (owner && pgid > 1 && pgid !== process.pid) servers.push({ pid: Number(m[1]), pgid, args });
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
    // Always the shell's builtin kill: procps' /bin/kill (a local argv) needs `--` before a negative pid, while
    // dash's builtin (an SSH machine's `sh`) takes `--` for a pid and kills nothing; `sh -c 'kill -SIG "-$1"'`
    // means the same in dash and bash.
    await machine.exec(['sh', '-c', 'kill -TERM "-$1"', 'sh', String(s.pgid)], { timeoutMs: 10_000 });
    await machine.exec(['sh', '-c', 'kill -KILL "-$1" 2>/dev/null; true', 'sh', String(s.pgid)], { timeoutMs: 10_000 });
    done.push(`stopped server pid ${s.pid} on ${l.machine}`);
  }
  for (const d of l.scratchDirs) {
    await machine.exec(['rm', '-rf', '--one-file-system', d], { timeoutMs: 120_000 });
    done.push(`removed scratch directory ${d} on ${l.machine}`);
  }
  return done;
}
