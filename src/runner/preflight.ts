/**
 * Before sampling: what each target's machine is doing (src/env/load.ts), shown in the terminal and kept in
 * the results, and benchsuite's local guest — named when it runs, shut down at the end when this run booted
 * it (unless kept). A scenario's maxBusyCpuPct refuses to start on a busy machine.
 */
import { surveyLoad, type LoadOptions } from '../env/load.js';
import type { MachineLoadRecord, PreflightRecord } from '../results/model.js';
import type { Scenario } from '../scenario/schema.js';
import type { Machine } from '../exec/types.js';
import type { RunningGuest } from '../vm/index.js';
import type { RunTargets } from './pipeline.js';

export type Survey = (machine: Machine, targets: string[], o: LoadOptions & { signal?: AbortSignal }) => Promise<MachineLoadRecord>;

/** The local guest's functions, loaded lazily (most runs never boot it). */
async function vm(): Promise<typeof import('../vm/index.js')> {
  return import('../vm/index.js');
}

export async function guestNow(): Promise<RunningGuest | undefined> {
  return (await vm()).runningGuest().catch(() => undefined);
}

export function describeGuest(g: RunningGuest): string {
  const by = g.bootedHere ? 'booted by this run' : `started by ${g.startedBy ?? 'an earlier command'}`;
  return `benchsuite's local guest is running (qemu pid ${g.pid}, ${g.accelerator.toUpperCase()}, ${g.sshUrl}, up since ${g.startedAt}, ${by})`;
}

/** Survey each machine once, in turn (a survey running beside another would be load itself). */
export async function preflight(
  scenario: Scenario,
  targets: RunTargets,
  o: { survey: Survey; log: (line: string) => void; signal?: AbortSignal; keepVm?: boolean },
): Promise<PreflightRecord> {
  const guest = await guestNow();
  const usesGuest = [...(targets.extraFingerprint?.values() ?? [])].some((f) => f.vm !== undefined);
  const ownGuestPid = usesGuest ? guest?.pid : undefined;
  const byMachine = new Map<Machine, string[]>();
  for (const t of targets.targets) byMachine.set(t.machine, [...(byMachine.get(t.machine) ?? []), t.id]);
  const machines: MachineLoadRecord[] = [];
  for (const [machine, ids] of byMachine) {
    if (o.signal?.aborted) break;
    const rec = await o.survey(machine, ids, { ownGuestPid, signal: o.signal });
    machines.push(rec);
    o.log(loadLine(rec));
  }
  const record: PreflightRecord = { surveyedAt: new Date().toISOString(), machines };
  if (guest) {
    o.log(`${guest.bootedHere ? 'note' : 'warning'}: ${describeGuest(guest)}${guest.bootedHere ? '' : '; `benchsuite vm down` stops it'}`);
    record.guest = {
      pid: guest.pid, accelerator: guest.accelerator, sshUrl: guest.sshUrl, startedAt: guest.startedAt,
      startedBy: guest.bootedHere ? 'this run' : 'an earlier command', keptAfterRun: guest.bootedHere ? Boolean(o.keepVm) : true,
    };
  }
  refuseIfBusy(scenario, machines);
  return record;
}

function loadLine(r: MachineLoadRecord): string {
  const where = `${r.machine} (${r.targets.join(', ')})`;
  const la = r.loadAverage ? `, load average ${r.loadAverage.join(' ')}` : '';
  if (r.warnings.length === 0) return `load on ${where}: quiet (CPU ${r.cpuBusyPct} % busy over 1 s on ${r.cores} cores${la})`;
  return `warning: load on ${where}: ${r.warnings.join('; ')}`;
}

/** scenario.maxBusyCpuPct: refuse before anything is sampled. */
function refuseIfBusy(scenario: Scenario, machines: MachineLoadRecord[]): void {
  const max = scenario.maxBusyCpuPct;
  if (max === undefined) return;
  const busy = machines.filter((m) => m.cpuBusyPct === null || m.cpuBusyPct > max);
  if (busy.length === 0) return;
  const what = busy.map((m) => `${m.machine} ${m.cpuBusyPct === null ? `could not be surveyed (${m.error ?? 'no figure'})` : `is ${m.cpuBusyPct} % busy`}`).join('; ');
  throw new BusyMachineError(
    `refusing to start: ${what}, above the scenario's maxBusyCpuPct of ${max} %. Stop what runs there (\`benchsuite vm down\`, \`benchsuite clean\`), wait for a quiet machine, or raise maxBusyCpuPct`,
  );
}

export class BusyMachineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BusyMachineError';
  }
}

/** At the end of the run: a guest this run booted is shut down, unless kept. */
export async function releaseGuest(keepVm: boolean | undefined, log: (line: string) => void): Promise<void> {
  const g = await guestNow();
  if (!g?.bootedHere) return;
  if (keepVm) {
    log(`the guest this run booted stays up (--keep-vm): qemu pid ${g.pid}, ${g.sshUrl}; later runs will name it; \`benchsuite vm down\` stops it`);
    return;
  }
  log(`shutting down the guest this run booted (qemu pid ${g.pid}; keep it with --keep-vm, or \`benchsuite vm up\` before the run)`);
  await (await vm()).vmDown({ log: (l) => log(`vm: ${l}`) });
}

export const defaultSurvey: Survey = surveyLoad;
