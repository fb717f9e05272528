/**
 * The fleet controller: one ordinary run per inventory host (the scenario's `host: local` targets bound to it over
 * the system OpenSSH), up to `forks` hosts at a time and never two runs on one address at once. A host that fails —
 * unreachable, failing samples, lost mid-run — is recorded with its reason and never stops the others.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadResults } from '../report/load.js';
import type { RunResults } from '../results/model.js';
import { runScenario } from '../runner/run.js';
import { newRunId } from '../runner/run-id.js';
import type { Progress } from '../runner/progress.js';
import { InputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { SshMachine, STRICT_HOST_KEYS } from '../exec/ssh.js';
import { formatSshUrl, parseSshUrl } from '../exec/ssh-url.js';
import { bindHost, bindingSets, knownHostsPath, localTargets } from './bind.js';
import { FLEET_ID_PATTERN, FLEET_SCHEMA_VERSION, fleetDir, fleetPath, loadFleet, saveFleet, type FleetFile, type FleetHost } from './file.js';
import { loadInventory } from './inventory.js';
import { selectHosts } from './limit.js';

export const DEFAULT_FORKS = 5;

/** The CLI's scenario loader (file, `--set`, `--quick`, `--samples`, `--warmup`), injected to keep one code path. */
export type ScenarioLoader = (
  nameOrPath: string,
  flags: { set: string[]; quick?: boolean; samples?: number; warmup?: number },
) => Promise<{ scenario: Scenario; file: string }>;

export interface FleetRunFlags {
  inventory?: string;
  limit?: string;
  forks?: number;
  knownHosts?: string;
  resume?: string;
  set: string[];
  quick?: boolean;
  samples?: number;
  warmup?: number;
  seed?: number;
  resultsDir: string;
}

export interface FleetRunOptions {
  flags: FleetRunFlags;
  scenarioArg?: string;
  loadScenario: ScenarioLoader;
  command: string[];
  signal: AbortSignal;
  log: (line: string) => void;
  /** Checks (and creates) the output directories once the inventory and scenario are valid: bad input writes nothing. */
  prepareOutput?: () => void;
}

interface HostPlan {
  host: FleetHost;
  scenario: Scenario;
  scenarioFile: string;
  identityFile?: string;
  resume?: RunResults;
}

export interface FleetOutcome {
  fleet: FleetFile;
  dir: string;
}

async function planHost(
  loader: ScenarioLoader,
  scenarioArg: string,
  base: { set: string[]; quick?: boolean; samples?: number; warmup?: number },
  hostSets: string[],
  where: string,
): Promise<{ scenario: Scenario; file: string }> {
  try {
    return await loader(scenarioArg, { ...base, set: [...base.set, ...hostSets] });
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${where}: ${e.message}`, e.issues);
    throw e;
  }
}

/** Everything validated, nothing run: the fleet file of a new fleet, and each host's scenario. */
async function newFleet(o: FleetRunOptions): Promise<{ fleet: FleetFile; plans: HostPlan[] }> {
  const f = o.flags;
  if (!o.scenarioArg) throw new InputError('name a scenario to run on the inventory hosts, e.g. benchsuite run kvm-docker --inventory hosts.ini');
  if (f.forks !== undefined && f.forks < 1) throw new InputError(`--forks ${f.forks}: at least 1`);
  const inv = loadInventory(f.inventory as string);
  const selected = selectHosts(inv, f.limit);
  const knownHostsFile = knownHostsPath(f.knownHosts);
  const base = { set: f.set, quick: f.quick, samples: f.samples, warmup: f.warmup };
  const plans: HostPlan[] = [];
  let first: Scenario | undefined;
  for (const h of selected) {
    const where = `inventory ${inv.file}: host ${h.name}`;
    const bound = bindHost(h, `inventory ${inv.file}`);
    const pre = await planHost(o.loadScenario, o.scenarioArg, base, bound.sets, where);
    if (localTargets(pre.scenario).length === 0) {
      throw new InputError(`scenario ${pre.file} has no target with host: local, so an inventory host has nothing to run; set host: local on the targets to run on each host`);
    }
    const sets = [...bound.sets, ...bindingSets(pre.scenario, bound.connection, knownHostsFile)];
    const { scenario, file } = await planHost(o.loadScenario, o.scenarioArg, base, sets, where);
    first ??= scenario;
    plans.push({
      host: { name: h.name, address: bound.connection.url, groups: h.groups, sets, status: 'pending' },
      scenario,
      scenarioFile: file,
      identityFile: bound.connection.identityFile,
    });
  }
  const groupChildren: Record<string, string[]> = {};
  for (const g of inv.groups.values()) groupChildren[g.name] = [...g.children];
  const fleet: FleetFile = {
    kind: 'benchsuite-fleet',
    schemaVersion: FLEET_SCHEMA_VERSION,
    fleetId: newRunId(`fleet-${(first as Scenario).name}`),
    status: 'running',
    startedAt: new Date().toISOString(),
    command: o.command,
    scenario: { name: (first as Scenario).name, file: plans[0]?.scenarioFile, quick: Boolean(f.quick), sets: f.set, ...(f.samples !== undefined ? { samples: f.samples } : {}), ...(f.warmup !== undefined ? { warmup: f.warmup } : {}) },
    inventory: { file: inv.file, format: inv.format, digest: inv.digest, ...(f.limit ? { limit: f.limit } : {}) },
    forks: f.forks ?? DEFAULT_FORKS,
    ...(knownHostsFile ? { knownHostsFile } : {}),
    groupChildren,
    hosts: plans.map((p) => p.host),
  };
  return { fleet, plans };
}

/** `--resume FLEETID`: the hosts not completed, with the scenario and bindings recorded in the fleet file. */
async function resumedFleet(o: FleetRunOptions): Promise<{ fleet: FleetFile; plans: HostPlan[] }> {
  const id = o.flags.resume as string;
  const { fleet, dir } = loadFleet(fleetPath(o.flags.resultsDir, id));
  if (fleet.status === 'completed') throw new InputError(`fleet ${id} is already complete; nothing to resume`);
  if (!fleet.scenario.file) throw new InputError(`fleet ${id} does not record its scenario file; start a new fleet`);
  if (existsSync(fleet.inventory.file)) {
    const now = loadInventory(fleet.inventory.file);
    if (now.digest !== fleet.inventory.digest) {
      throw new InputError(`cannot resume fleet ${id}: inventory ${fleet.inventory.file} changed since it started (sha256 ${fleet.inventory.digest.slice(0, 12)}… → ${now.digest.slice(0, 12)}…); start a new fleet`);
    }
  }
  const base = { set: fleet.scenario.sets, quick: fleet.scenario.quick, samples: fleet.scenario.samples, warmup: fleet.scenario.warmup };
  const plans: HostPlan[] = [];
  for (const h of fleet.hosts) {
    if (h.status === 'completed') continue;
    const { scenario, file } = await planHost(o.loadScenario, fleet.scenario.file, base, h.sets, `fleet ${id}: host ${h.name}`);
    let resume: RunResults | undefined;
    if (h.resultsFile && existsSync(join(dir, h.resultsFile))) {
      const prev = await loadResults(join(dir, h.resultsFile)).catch(() => undefined);
      // An interrupted run continues to its planned count; a failed one starts over.
      if (prev && (prev.status === 'interrupted' || prev.status === 'running')) resume = prev;
    }
    const identityFile = scenario.targets[localTargetOf(h, scenario)]?.identityFile;
    plans.push({ host: h, scenario, scenarioFile: file, identityFile, resume });
  }
  fleet.status = 'running';
  return { fleet, plans };
}

function localTargetOf(h: FleetHost, s: Scenario): string {
  return Object.keys(s.targets).find((id) => s.targets[id]?.host === h.address) ?? '';
}

/** Why a host's run did not complete, in one line. */
export function failureReason(r: RunResults): string {
  const failed = r.samples.filter((s) => !s.ok && !s.warmup);
  const prep = r.notes.find((n) => n.includes('could not be prepared'));
  if (prep) return prep;
  if (failed.length === 0) return r.status === 'interrupted' ? 'interrupted' : `run ${r.status}`;
  const last = failed[failed.length - 1];
  return `${failed.length} failed sample(s); last: ${(last?.error ?? '').split('\n')[0]?.slice(0, 240)}`;
}

function hostProgress(name: string, log: (line: string) => void): Progress {
  return {
    update: (e) => log(`[${name}] [${e.done}/${e.total}] ${e.workload} · ${e.target}${e.warmup ? ' (warmup)' : ` · round ${e.round + 1}`} · ${e.text}`),
    log: (line) => log(`[${name}] ${line}`),
    stop: () => undefined,
  };
}

function addressKey(url: string): string {
  const a = parseSshUrl(url);
  return typeof a === 'string' ? url : `${a.host}:${a.port}`;
}

/** Can the controller reach the host, with its key known? Returns the reason when not. */
async function preflight(p: HostPlan, knownHostsFile: string | undefined, signal: AbortSignal): Promise<string | undefined> {
  const m = new SshMachine(p.host.address, { identityFile: p.identityFile, knownHostsFile, strictHostKeyChecking: 'yes', connectTimeoutSec: 10 });
  try {
    const r = await m.exec(['true'], { timeoutMs: 30_000, signal });
    if (r.timedOut) return `SSH to ${p.host.address}: no answer within 30 s`;
    if (r.exitCode !== 0 && !signal.aborted) return `SSH to ${p.host.address}: \`true\` exited ${r.exitCode}: ${r.stderr.trim().slice(0, 200)}`;
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n').filter((l) => l.trim() !== '').join(' ').slice(0, 400);
  } finally {
    await m.close().catch(() => undefined);
  }
}

export async function runFleet(o: FleetRunOptions): Promise<FleetOutcome> {
  const { fleet, plans } = o.flags.resume ? await resumedFleet(o) : await newFleet(o);
  if (!FLEET_ID_PATTERN.test(fleet.fleetId)) throw new Error(`internal: fleet id ${fleet.fleetId}`);
  o.prepareOutput?.();
  const dir = fleetDir(o.flags.resultsDir, fleet.fleetId);
  mkdirSync(dir, { recursive: true });
  const forks = o.flags.resume ? (o.flags.forks ?? fleet.forks) : fleet.forks;
  const save = (): void => saveFleet(dir, fleet);
  // Fleet hosts' keys must already be known: never accept-new.
  for (const p of plans) STRICT_HOST_KEYS.add(formatSshUrl(parseSshUrl(p.host.address) as never));
  for (const p of plans) {
    p.host.status = 'pending';
    delete p.host.reason;
  }
  save();
  o.log(`fleet ${fleet.fleetId}: ${plans.length} host(s), ${forks} at a time → ${dir}/`);

  const busy = new Set<string>();
  const queue = [...plans];
  const runOne = async (p: HostPlan): Promise<void> => {
    const h = p.host;
    const log = (line: string): void => o.log(`[${h.name}] ${line}`);
    h.status = 'running';
    h.startedAt = new Date().toISOString();
    delete h.finishedAt;
    save();
    try {
      const unreachable = await preflight(p, fleet.knownHostsFile, o.signal);
      if (o.signal.aborted) {
        h.status = 'interrupted';
        return;
      }
      if (unreachable) {
        h.status = 'unreachable';
        h.reason = unreachable;
        log(`unreachable: ${unreachable}`);
        return;
      }
      const runId = p.resume?.runId ?? newRunId(`${p.scenario.name}-${h.name}`);
      h.runId = runId;
      h.resultsFile = `${runId}.json`;
      save();
      log(`run ${runId}`);
      const r = await runScenario({
        runId,
        scenario: p.scenario,
        scenarioFile: p.scenarioFile,
        quick: fleet.scenario.quick,
        resultsDir: dir,
        command: o.command,
        signal: o.signal,
        progress: hostProgress(h.name, o.log),
        resume: p.resume,
        seed: o.flags.seed,
      });
      h.status = r.status === 'completed' ? 'completed' : r.status === 'interrupted' ? 'interrupted' : 'failed';
      if (h.status !== 'completed') h.reason = failureReason(r);
      log(h.status === 'completed' ? 'completed' : `${h.status}: ${h.reason}`);
    } catch (e) {
      if (e instanceof InputError) {
        h.status = 'failed';
        h.reason = e.message;
      } else {
        h.status = o.signal.aborted ? 'interrupted' : 'failed';
        h.reason = (e as Error).message.slice(0, 400);
      }
      log(`${h.status}: ${h.reason}`);
    } finally {
      h.finishedAt = new Date().toISOString();
      save();
    }
  };

  // A pool of `forks` workers; each takes the first queued host whose address is not busy.
  const waiters: (() => void)[] = [];
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const next = async (): Promise<HostPlan | undefined> => {
    for (;;) {
      if (o.signal.aborted || queue.length === 0) return undefined;
      const i = queue.findIndex((p) => !busy.has(addressKey(p.host.address)));
      if (i >= 0) {
        const p = queue.splice(i, 1)[0] as HostPlan;
        busy.add(addressKey(p.host.address)); // in the same tick as the check: no other worker can take the address
        return p;
      }
      await new Promise<void>((res) => waiters.push(res));
    }
  };
  const worker = async (): Promise<void> => {
    for (let p = await next(); p; p = await next()) {
      const key = addressKey(p.host.address);
      try {
        await runOne(p);
      } finally {
        busy.delete(key);
        wake();
      }
    }
  };
  const onAbort = (): void => wake();
  o.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(Array.from({ length: Math.min(forks, Math.max(1, plans.length)) }, () => worker()));
  } finally {
    o.signal.removeEventListener('abort', onAbort);
    for (const p of queue) if (p.host.status === 'pending' || p.host.status === 'running') p.host.status = o.signal.aborted ? 'interrupted' : p.host.status;
    const statuses = fleet.hosts.map((h) => h.status);
    fleet.status = o.signal.aborted || statuses.includes('interrupted') ? 'interrupted' : statuses.every((s) => s === 'completed') ? 'completed' : 'failed';
    fleet.finishedAt = new Date().toISOString();
    save();
  }
  return { fleet, dir };
}
