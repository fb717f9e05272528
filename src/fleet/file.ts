/**
 * The fleet file, `<results-dir>/<fleetId>/fleet.json`: which inventory (and its digest), which scenario, and per
 * host its status, its ordinary results file (beside the fleet file) and why it failed. Written atomically after
 * every change of a host's status, so it parses whenever the controller is killed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../results/store.js';
import { InputError } from '../scenario/errors.js';

export const FLEET_SCHEMA_VERSION = 1;
export const FLEET_FILE = 'fleet.json';
/** Same shape as a run id (sortable, safe in paths): 20261202-193000-fleet-kvm-docker-3f2a. */
export const FLEET_ID_PATTERN = /^[0-9]{8}-[0-9]{6}-fleet-[a-z0-9-]+-[0-9a-f]{4}$/;

export const HOST_STATUSES = ['pending', 'running', 'completed', 'failed', 'unreachable', 'interrupted'] as const;
export type HostStatus = (typeof HOST_STATUSES)[number];

const hostSchema = z.object({
  name: z.string(),
  address: z.string(),
  groups: z.array(z.string()),
  /** `--set` strings from the host's benchsuite_* vars and the binding of local targets. */
  sets: z.array(z.string()),
  status: z.enum(HOST_STATUSES),
  runId: z.string().optional(),
  /** Relative to the fleet file's directory. */
  resultsFile: z.string().optional(),
  reason: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});

export const fleetSchema = z.object({
  kind: z.literal('benchsuite-fleet'),
  schemaVersion: z.literal(FLEET_SCHEMA_VERSION),
  fleetId: z.string().regex(FLEET_ID_PATTERN),
  status: z.enum(['running', 'completed', 'failed', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  command: z.array(z.string()),
  scenario: z.object({
    name: z.string(),
    file: z.string().optional(),
    quick: z.boolean(),
    /** The command line's --set (the hosts' own are on each host). */
    sets: z.array(z.string()),
    samples: z.number().int().optional(),
    warmup: z.number().int().optional(),
  }),
  inventory: z.object({ file: z.string(), format: z.enum(['ini', 'yaml', 'json']), digest: z.string(), limit: z.string().optional() }),
  forks: z.number().int().min(1),
  knownHostsFile: z.string().optional(),
  /** Group → its child groups, for `--group-by group:<parent>` without the inventory. */
  groupChildren: z.record(z.string(), z.array(z.string())),
  hosts: z.array(hostSchema),
});

export type FleetFile = z.output<typeof fleetSchema>;
export type FleetHost = FleetFile['hosts'][number];

export function fleetDir(resultsDir: string, fleetId: string): string {
  return join(resultsDir, fleetId);
}
export function fleetPath(resultsDir: string, fleetId: string): string {
  return join(fleetDir(resultsDir, fleetId), FLEET_FILE);
}

export function saveFleet(dir: string, f: FleetFile): void {
  writeJsonAtomic(join(dir, FLEET_FILE), f);
}

/** A fleet file, or a directory holding one. */
export function isFleetPath(p: string): boolean {
  if (basename(p) === FLEET_FILE) return true;
  return existsSync(join(p, FLEET_FILE));
}

export function loadFleet(p: string): { fleet: FleetFile; dir: string; file: string } {
  const file = basename(p) === FLEET_FILE ? resolve(p) : resolve(p, FLEET_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read fleet file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parsed = fleetSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${file} ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new InputError(`invalid fleet file ${file}:\n  ${issues.join('\n  ')}`, issues);
  }
  for (const h of parsed.data.hosts) {
    if (h.resultsFile && (h.resultsFile.includes('/') || !h.resultsFile.endsWith('.json'))) {
      throw new InputError(`invalid fleet file ${file}: host ${h.name}: resultsFile must be a file name beside the fleet file`);
    }
  }
  return { fleet: parsed.data, dir: dirname(file), file };
}
