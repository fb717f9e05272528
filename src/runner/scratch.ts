/**
 * Scratch directories: `<scratchRoot>/<runId>/<targetId>` on each machine, created by benchsuite
 * (mkdir fails if it already exists) and marked with a file naming the run. Only a marked directory of
 * this run is ever removed.
 */
import type { Machine } from '../exec/types.js';
import { formatExecFailure } from '../exec/types.js';

export const SCRATCH_MARKER = '.benchsuite-scratch';

export function runScratchDir(root: string, runId: string): string {
  return `${root.replace(/\/+$/, '')}/${runId}`;
}

/** The run id a run directory's marker names; '' when there is no readable marker. */
export async function markerOf(machine: Machine, runDir: string): Promise<string> {
  const m = await machine.exec(['cat', `${runDir}/${SCRATCH_MARKER}`], { timeoutMs: 30_000 });
  return m.exitCode === 0 ? m.stdout.trim() : '';
}

export async function createScratch(machine: Machine, root: string, runId: string, targetId: string): Promise<string> {
  const runDir = runScratchDir(root, runId);
  const dir = `${runDir}/${targetId}`;
  const mk = await machine.exec(['mkdir', '-p', '-m', '0755', root], { timeoutMs: 30_000 });
  if (mk.exitCode !== 0) throw new Error(`cannot create scratch root ${root} on ${machine.address}: ${formatExecFailure(mk)}`);
  const made = await machine.exec(['mkdir', '-m', '0755', runDir], { timeoutMs: 30_000 });
  if (made.exitCode === 0) {
    await machine.writeFile(`${runDir}/${SCRATCH_MARKER}`, `${runId}\n`);
  } else {
    // Already there: ours only with this run's marker (a second target on the same machine, or a resume).
    // Never write the marker into a directory benchsuite did not create: that would make it removable.
    if ((await markerOf(machine, runDir)) !== runId) {
      throw new Error(`scratch directory ${runDir} on ${machine.address} exists and is not benchsuite's (no marker of run ${runId}): ${formatExecFailure(made)}`);
    }
  }
  // Fails only on resume, when the target's directory is ours from before (the marker was checked above).
  await machine.exec(['mkdir', '-m', '0755', dir], { timeoutMs: 30_000 });
  return dir;
}

/** Remove this run's scratch directory, only if it carries this run's marker. */
export async function removeScratch(machine: Machine, root: string, runId: string): Promise<boolean> {
  const runDir = runScratchDir(root, runId);
  if ((await markerOf(machine, runDir)) !== runId) return false;
  const r = await machine.exec(['rm', '-rf', '--one-file-system', runDir], { timeoutMs: 120_000 });
  return r.exitCode === 0;
}
