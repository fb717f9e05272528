/**
 * From an inventory host to what benchsuite runs there: the SSH address (ansible_host, ansible_port, ansible_user,
 * ansible_ssh_private_key_file) and the scenario overrides its `benchsuite_*` vars ask for, as `--set` strings,
 * so they go through exactly the validation of `--set`. Every value is checked by allow-list before use.
 */
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { formatSshUrl, parseSshUrl } from '../exec/ssh-url.js';
import type { InventoryHost, Vars } from './inventory.js';

export interface HostConnection {
  /** ssh://user@address[:port] */
  url: string;
  identityFile?: string;
}

export interface BoundHost {
  name: string;
  groups: string[];
  connection: HostConnection;
  /** `--set` strings from the host's benchsuite_* vars. */
  sets: string[];
}

const PATH = /^[A-Za-z0-9_./~@+=,-]+$/;
const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
const SET_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function first(vars: Vars, names: string[]): unknown {
  for (const n of names) if (vars[n] !== undefined && vars[n] !== null) return vars[n];
  return undefined;
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? `${homedir()}${p.slice(1)}` : p;
}

function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  return null;
}

/**
 * `benchsuite_samples: 5` → `samples=5`; nested fields with `__`: `benchsuite_workloads__dd__count: 64` →
 * `workloads.dd.count=64`; anything else (ids with "-") with `benchsuite_set: ["targets.kvm-docker.label=KVM"]`.
 */
export function setsFromVars(host: string, vars: Vars, where: string): string[] {
  const sets: string[] = [];
  for (const [k, v] of Object.entries(vars)) {
    if (!k.startsWith('benchsuite_')) continue;
    if (k === 'benchsuite_set') {
      const list = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
        throw new InputError(`${where}: host ${host}: benchsuite_set: expected a list of "path=value" strings, like --set`);
      }
      sets.push(...(list as string[]));
      continue;
    }
    const path = k.slice('benchsuite_'.length).split('__').join('.');
    if (!SET_PATH.test(path)) throw new InputError(`${where}: host ${host}: ${k}: not a scenario field path (use __ between names, e.g. benchsuite_workloads__dd__count)`);
    const text = scalarText(v);
    if (text === null) throw new InputError(`${where}: host ${host}: ${k}: expected a number, a boolean or a string (use benchsuite_set for anything else)`);
    if (/[\0\n\r]/.test(text)) throw new InputError(`${where}: host ${host}: ${k}: the value must not contain newlines or NUL bytes`);
    sets.push(`${path}=${text}`);
  }
  return sets;
}

/** The SSH address and key of an inventory host; throws InputError naming the host and the variable. */
export function connectionOf(h: InventoryHost, where: string): HostConnection {
  const bad = (v: string, msg: string): never => {
    throw new InputError(`${where}: host ${h.name}: ${v}: ${msg}`);
  };
  const address = first(h.vars, ['ansible_host', 'ansible_ssh_host']) ?? h.name;
  if (typeof address !== 'string') bad('ansible_host', `expected a host name or address, got ${JSON.stringify(address)}`);
  const addr = address as string;
  if (addr.includes('{{')) bad('ansible_host', 'templates ({{ }}) are not expanded by benchsuite; export the inventory with `ansible-inventory --list` first');
  const isV6 = addr.includes(':');
  if (!isV6 && !IPV4.test(addr) && !/^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(addr)) {
    bad('ansible_host', `"${addr}" is not a host name or IP address`);
  }
  const portRaw = first(h.vars, ['ansible_port', 'ansible_ssh_port']) ?? 22;
  const port = typeof portRaw === 'string' && /^[0-9]+$/.test(portRaw) ? Number(portRaw) : portRaw;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) bad('ansible_port', `${JSON.stringify(portRaw)} is not a port (1-65535)`);
  const userRaw = first(h.vars, ['ansible_user', 'ansible_ssh_user']) ?? userInfo().username;
  if (typeof userRaw !== 'string') bad('ansible_user', `expected a user name, got ${JSON.stringify(userRaw)}`);
  const url = formatSshUrl({ user: userRaw as string, host: addr, port: port as number });
  const parsed = parseSshUrl(url);
  if (typeof parsed === 'string') bad(/user/.test(parsed) ? 'ansible_user' : 'ansible_host', parsed);
  const keyRaw = first(h.vars, ['ansible_ssh_private_key_file', 'ansible_private_key_file']);
  let identityFile: string | undefined;
  if (keyRaw !== undefined) {
    if (typeof keyRaw !== 'string' || !PATH.test(keyRaw) || keyRaw.startsWith('-')) {
      bad('ansible_ssh_private_key_file', `${JSON.stringify(keyRaw)}: expected a file path of letters, digits and ._/~@+=,-`);
    }
    identityFile = resolve(expandHome(keyRaw as string));
    if (!existsSync(identityFile)) bad('ansible_ssh_private_key_file', `${identityFile} does not exist`);
  }
  return { url, identityFile };
}

export function bindHost(h: InventoryHost, where: string): BoundHost {
  return { name: h.name, groups: h.groups, connection: connectionOf(h, where), sets: setsFromVars(h.name, h.vars, where) };
}

/** The ids of the scenario's targets on this host (`host: local`): the ones an inventory host replaces. */
export function localTargets(s: Scenario): string[] {
  return Object.entries(s.targets)
    .filter(([, t]) => t.host === 'local')
    .map(([id]) => id);
}

/** `--set` strings that point the scenario's local targets at the host. */
export function bindingSets(s: Scenario, c: HostConnection, knownHostsFile: string | undefined): string[] {
  const out: string[] = [];
  for (const id of localTargets(s)) {
    out.push(`targets.${id}.host=${c.url}`);
    if (c.identityFile) out.push(`targets.${id}.identityFile=${c.identityFile}`);
    if (knownHostsFile) out.push(`targets.${id}.knownHostsFile=${knownHostsFile}`);
  }
  return out;
}

/** `--known-hosts FILE`: absolute, existing, allow-listed characters. */
export function knownHostsPath(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const p = isAbsolute(file) ? file : resolve(file);
  if (!PATH.test(p)) throw new InputError(`--known-hosts ${file}: use a path of letters, digits and ._/~@+=,-`);
  if (!existsSync(p)) throw new InputError(`--known-hosts ${file}: no such file; create it with ssh-keyscan and check the fingerprints`);
  return p;
}
