/**
 * The fleet's command-line entry points, called from src/cli: `run --inventory` (and `run --resume FLEETID`),
 * and `report` on a fleet file. Exit codes as the rest of the CLI: 0 every host completed, 1 a host failed,
 * 2 invalid input (before anything runs), 130 interrupted.
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadResults } from '../report/load.js';
import type { RunResults } from '../results/model.js';
import { InputError } from '../scenario/errors.js';
import { trapInterrupts } from '../exec/interrupt.js';
import { FLEET_ID_PATTERN, fleetPath, loadFleet, type FleetFile } from './file.js';
import { buildFleetReport, checkGroupBy, renderFleetText, writeFleetReports } from './report.js';
import { runFleet, type FleetRunFlags, type ScenarioLoader } from './run.js';

export interface FleetCliFlags extends FleetRunFlags {
  groupBy?: string;
  reportsDir: string;
  reports: boolean;
}

/** Should `run` go to the fleet controller? With --inventory, or --resume naming a fleet. */
export function isFleetRun(flags: { inventory?: string; resume?: string; resultsDir: string; limit?: string; forks?: number; knownHosts?: string; groupBy?: string }): boolean {
  if (flags.inventory !== undefined) return true;
  const fleet = flags.resume !== undefined && FLEET_ID_PATTERN.test(flags.resume) && existsSync(fleetPath(resolve(flags.resultsDir), flags.resume));
  const only = (['limit', 'knownHosts', 'groupBy'] as const).filter((k) => flags[k] !== undefined);
  if (!fleet && (only.length > 0 || flags.forks !== undefined)) {
    const name = only[0] ?? 'forks';
    throw new InputError(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to fleets: add --inventory FILE (or --resume a fleet id)`);
  }
  return fleet;
}

export async function loadHostResults(fleet: FleetFile, dir: string): Promise<Map<string, RunResults>> {
  const out = new Map<string, RunResults>();
  for (const h of fleet.hosts) {
    if (!h.resultsFile) continue;
    const p = join(dir, h.resultsFile);
    if (!existsSync(p)) continue;
    try {
      out.set(h.name, await loadResults(p));
    } catch {
      /* a host whose file cannot be read is reported by its status and reason */
    }
  }
  return out;
}

export async function fleetRunCommand(
  scenarioArg: string | undefined,
  flags: FleetCliFlags,
  argv: string[],
  loadScenario: ScenarioLoader,
  prepareOutput?: () => void,
): Promise<number> {
  if (flags.inventory !== undefined && flags.resume !== undefined) throw new InputError('--resume FLEETID continues a fleet with its recorded inventory: drop --inventory');
  checkGroupBy(flags.groupBy);
  const resultsDir = resolve(flags.resultsDir);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const interrupt = trapInterrupts((sig) => log(`${sig}: stopping every host's running sample and cleaning up (again to force)`));
  setMaxListeners(0, interrupt.signal); // every host's samples listen to the one interrupt
  try {
    const { fleet, dir } = await runFleet({
      flags: { ...flags, resultsDir },
      scenarioArg,
      loadScenario,
      command: ['benchsuite', ...argv],
      signal: interrupt.signal,
      log,
      prepareOutput,
    });
    const rep = buildFleetReport(fleet, await loadHostResults(fleet, dir), { groupBy: flags.groupBy });
    process.stdout.write(`\n${renderFleetText(rep)}`);
    process.stdout.write(`fleet: ${join(dir, 'fleet.json')}\n`);
    if (flags.reports) {
      const out = resolve(flags.reportsDir, fleet.fleetId);
      const files = await writeFleetReports(rep, out);
      process.stdout.write(`reports: ${out}/ (${files.length} files)\n`);
    }
    if (fleet.status === 'interrupted') {
      process.stdout.write(`interrupted: continue with \`benchsuite run --resume ${fleet.fleetId}\`\n`);
      return 130;
    }
    return fleet.status === 'completed' ? 0 : 1;
  } finally {
    interrupt.release();
  }
}

export interface FleetReportIo {
  stdout: (text: string) => void;
}

/** `benchsuite report results/<fleetId>/fleet.json` (or the directory). */
export async function fleetReportCommand(file: string, flags: { out?: string; groupBy?: string }, io: FleetReportIo): Promise<number> {
  const { fleet, dir } = loadFleet(file);
  checkGroupBy(flags.groupBy, fleet);
  const rep = buildFleetReport(fleet, await loadHostResults(fleet, dir), { groupBy: flags.groupBy });
  io.stdout(renderFleetText(rep));
  const out = resolve(flags.out ?? join('reports', fleet.fleetId));
  const files = await writeFleetReports(rep, out);
  io.stdout(`reports: ${out}/ (${files.length} files)\n`);
  return 0;
}
