/**
 * CPU pinning around a run (the targets apply it, src/targets/pin.ts): before anything starts, every pinned CPU
 * must exist on the target's machine (else exit 2 naming the field); after a workload's environment opens, the
 * affinity its commands and the client really get is read back into the results.
 */
import type { ExecContext, Target } from '../exec/types.js';
import type { PinRecord } from '../results/model.js';
import { InputError } from '../scenario/errors.js';
import { allowedCpus, parseCpuList } from '../util/cpu-list.js';

const STATUS = ['cat', '/proc/self/status'];

/** Refuse pins naming CPUs the machine does not offer (read from a command's Cpus_allowed_list there). */
export async function checkPins(targets: readonly Target[], signal?: AbortSignal): Promise<void> {
  const problems: string[] = [];
  for (const t of targets) {
    if (!t.pin || (!t.pin.workload && !t.pin.client)) continue;
    const r = await t.machine.exec(STATUS, { timeoutMs: 30_000, signal });
    const list = allowedCpus(r.stdout);
    const have = list === undefined ? undefined : parseCpuList(list);
    if (have === undefined || typeof have === 'string') {
      problems.push(`targets.${t.id}.pin: cannot read the CPUs of ${t.machine.address} (/proc/self/status: ${r.stderr.trim().slice(0, 200) || 'no Cpus_allowed_list'}); remove pin or check /proc there`);
      continue;
    }
    for (const field of ['workload', 'client'] as const) {
      const want = t.pin[field];
      if (want === undefined) continue;
      const cpus = parseCpuList(want);
      const missing = typeof cpus === 'string' ? [] : cpus.filter((c) => !have.includes(c));
      if (missing.length > 0) {
        problems.push(`targets.${t.id}.pin.${field}: CPU ${missing.join(', ')} is not available on ${t.machine.address} (its CPUs: ${list}); use CPUs within ${list}`);
      }
    }
  }
  if (problems.length > 0) throw new InputError(`invalid scenario:\n  ${problems.join('\n  ')}`, problems);
}

async function affinity(run: () => Promise<{ stdout: string; exitCode: number | null }>): Promise<string | undefined> {
  try {
    const r = await run();
    return r.exitCode === 0 ? allowedCpus(r.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** The pin as set and the affinity read back where the workload's commands and the client run. */
export async function readBackPin(t: Target, env: ExecContext): Promise<PinRecord | undefined> {
  if (!t.pin) return undefined;
  const rec: PinRecord = { ...t.pin };
  if (t.pin.workload) rec.workloadAffinity = await affinity(() => env.exec(STATUS, { timeoutMs: 30_000 }));
  if (t.pin.client) rec.clientAffinity = await affinity(() => t.machine.exec([...(t.clientPrefix?.() ?? []), ...STATUS], { timeoutMs: 30_000 }));
  return rec;
}
