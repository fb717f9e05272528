/**
 * Ansible inventories: INI, YAML, and the JSON of `ansible-inventory --list` (so any dynamic inventory plugin works
 * through `ansible-inventory -i plugin.yml --list > inv.json`). All three read into one model: groups with hosts,
 * children and vars, and per host the vars Ansible would give it (all < parent groups < child groups < host; groups
 * of the same depth in name order). Only what benchsuite needs is interpreted; templating (`{{ }}`) is not.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument, isMap } from 'yaml';
import { InputError } from '../scenario/errors.js';

export type Vars = Record<string, unknown>;

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly in this group, in file order. */
  hosts: string[];
  children: string[];
  vars: Vars;
}

export interface InventoryHost {
  name: string;
  /** Effective vars (group vars merged by depth, then the host's own). */
  vars: Vars;
  /** Every group the host belongs to, directly or through children (always includes "all"). */
  groups: string[];
}

export interface Inventory {
  file: string;
  format: 'ini' | 'yaml' | 'json';
  /** sha256 of the file's bytes. */
  digest: string;
  groups: Map<string, InventoryGroup>;
  /** In inventory order. */
  hosts: InventoryHost[];
}

export const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
/** An inventory host name (before range expansion): a DNS name, an IPv4 address, or an alias of the same characters. */
export const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Raw groups as a file states them, before vars are resolved. */
interface RawInventory {
  groups: Map<string, InventoryGroup>;
  hostVars: Map<string, Vars>;
  hostOrder: string[];
}

class Problems {
  readonly list: string[] = [];
  constructor(readonly file: string) {}
  add(where: string, msg: string): void {
    this.list.push(`${this.file}${where} ${msg}`);
  }
}

function newRaw(): RawInventory {
  const groups = new Map<string, InventoryGroup>();
  groups.set('all', { name: 'all', hosts: [], children: [], vars: {} });
  groups.set('ungrouped', { name: 'ungrouped', hosts: [], children: [], vars: {} });
  return { groups, hostVars: new Map(), hostOrder: [] };
}

function group(raw: RawInventory, name: string): InventoryGroup {
  let g = raw.groups.get(name);
  if (!g) {
    g = { name, hosts: [], children: [], vars: {} };
    raw.groups.set(name, g);
  }
  return g;
}

function addHost(raw: RawInventory, groupName: string, host: string, vars: Vars): void {
  const g = group(raw, groupName);
  if (!g.hosts.includes(host)) g.hosts.push(host);
  if (!raw.hostVars.has(host)) {
    raw.hostVars.set(host, {});
    raw.hostOrder.push(host);
  }
  Object.assign(raw.hostVars.get(host) as Vars, vars);
}

function addChild(raw: RawInventory, parent: string, child: string): void {
  const g = group(raw, parent);
  group(raw, child);
  if (!g.children.includes(child)) g.children.push(child);
}

/** `web[01:03].example` → web01.example, web02.example, web03.example; `[a:c]` letters; `[0:10:5]` a step. */
export function expandHostPattern(pattern: string): string[] | string {
  const m = /^(.*?)\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::([0-9]+))?\](.*)$/.exec(pattern);
  if (!m) return [pattern];
  const [, head = '', from = '', to = '', stepText, tail = ''] = m;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!(step >= 1)) return `range ${pattern}: the step must be >= 1`;
  const items: string[] = [];
  if (/^[0-9]+$/.test(from) && /^[0-9]+$/.test(to)) {
    const a = Number(from);
    const b = Number(to);
    if (b < a) return `range ${pattern}: the end is before the start`;
    if ((b - a) / step > 10_000) return `range ${pattern}: more than 10000 hosts`;
    const width = from.startsWith('0') && from.length > 1 ? from.length : 0;
    for (let n = a; n <= b; n += step) items.push(String(n).padStart(width, '0'));
  } else if (/^[a-z]$/.test(from) && /^[a-z]$/.test(to)) {
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c += step) items.push(String.fromCharCode(c));
    if (items.length === 0) return `range ${pattern}: the end is before the start`;
  } else return `range ${pattern}: expected [start:end] of numbers or of single lower-case letters`;
  const out: string[] = [];
  for (const it of items) {
    const rest = expandHostPattern(`${head}${it}${tail}`);
    if (typeof rest === 'string') return rest;
    out.push(...rest);
  }
  return out;
}

// ---------------------------------------------------------------- INI

/** Values the way a user writing them in INI means them: numbers, booleans, quoted strings. */
export function iniValue(text: string): unknown {
  const t = text.trim();
  if (/^-?(0|[1-9][0-9]*)$/.test(t)) return Number(t);
  if (/^-?(0|[1-9][0-9]*)\.[0-9]+$/.test(t)) return Number(t);
  if (/^(true|True|yes)$/.test(t)) return true;
  if (/^(false|False|no)$/.test(t)) return false;
  if ((t.startsWith('"') && t.endsWith('"') && t.length >= 2) || (t.startsWith("'") && t.endsWith("'") && t.length >= 2)) return t.slice(1, -1);
  return t;
}

/** Split `a=1 b="x y" c='z'` into pairs (shell-like quoting, no escapes beyond quotes). */
function splitKv(text: string, problems: Problems, where: string): Vars | null {
  const vars: Vars = {};
  const re = /\s*([^=\s]+)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s]*)/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*(#.*)?$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) {
      problems.add(where, `cannot read "${text.slice(pos).trim()}": expected name=value pairs`);
      return null;
    }
    const [, k = '', v = ''] = m;
    if (!VAR_NAME.test(k)) {
      problems.add(where, `"${k}" is not a variable name (letters, digits and _)`);
      return null;
    }
    vars[k] = iniValue(v);
    pos = re.lastIndex;
  }
  return vars;
}

function parseIni(text: string, problems: Problems): RawInventory {
  const raw = newRaw();
  let section: { group: string; kind: 'hosts' | 'vars' | 'children' } = { group: 'ungrouped', kind: 'hosts' };
  text.split(/\r?\n/).forEach((line, i) => {
    const where = `:${i + 1}`;
    const l = line.trim();
    if (l === '' || l.startsWith('#') || l.startsWith(';')) return;
    const sec = /^\[([^\]:]+)(?::(vars|children))?\]\s*(?:[#;].*)?$/.exec(l);
    if (sec) {
      const name = sec[1] as string;
      if (!GROUP_NAME.test(name)) {
        problems.add(where, `group "${name}": a group name is letters, digits, _ and - (starting with a letter or _)`);
        section = { group: '\0invalid', kind: 'hosts' };
        return;
      }
      section = { group: name, kind: (sec[2] as 'vars' | 'children' | undefined) ?? 'hosts' };
      group(raw, name);
      return;
    }
    if (section.group === '\0invalid') return;
    if (section.kind === 'vars') {
      const kv = /^([^=\s]+)\s*=\s*(.*)$/.exec(l);
      if (!kv) return problems.add(where, `[${section.group}:vars] expects name=value, got "${l}"`);
      if (!VAR_NAME.test(kv[1] as string)) return problems.add(where, `"${kv[1]}" is not a variable name (letters, digits and _)`);
      group(raw, section.group).vars[kv[1] as string] = iniValue(kv[2] as string);
      return;
    }
    if (section.kind === 'children') {
      const child = l.split(/\s+/)[0] as string;
      if (!GROUP_NAME.test(child)) return problems.add(where, `child group "${child}": not a group name`);
      addChild(raw, section.group, child);
      return;
    }
    const sp = l.search(/\s/);
    const pattern = sp < 0 ? l : l.slice(0, sp);
    const vars = splitKv(sp < 0 ? '' : l.slice(sp), problems, where);
    if (!vars) return;
    const names = expandHostPattern(pattern);
    if (typeof names === 'string') return problems.add(where, names);
    for (const n of names) addHost(raw, section.group, n, vars);
  });
  return raw;
}

// ---------------------------------------------------------------- YAML (and the same tree from JSON)

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readYamlGroup(raw: RawInventory, name: string, body: unknown, problems: Problems, path: string): void {
  if (!GROUP_NAME.test(name)) return problems.add('', `${path}: group "${name}": a group name is letters, digits, _ and -`);
  group(raw, name);
  if (body === null || body === undefined) return;
  if (!isObj(body)) return problems.add('', `${path}: expected a mapping with hosts:, vars: or children:`);
  for (const k of Object.keys(body)) {
    if (!['hosts', 'vars', 'children'].includes(k)) problems.add('', `${path}.${k}: unknown key (a group has hosts:, vars: and children:)`);
  }
  const hosts = body.hosts;
  if (hosts !== undefined && hosts !== null) {
    if (!isObj(hosts)) problems.add('', `${path}.hosts: expected a mapping of host names`);
    else {
      for (const [h, hv] of Object.entries(hosts)) {
        if (hv !== null && hv !== undefined && !isObj(hv)) {
          problems.add('', `${path}.hosts.${h}: expected a mapping of variables (or nothing)`);
          continue;
        }
        const names = expandHostPattern(h);
        if (typeof names === 'string') {
          problems.add('', `${path}.hosts.${h}: ${names}`);
          continue;
        }
        for (const n of names) addHost(raw, name, n, (hv as Vars | null) ?? {});
      }
    }
  }
  if (body.vars !== undefined && body.vars !== null) {
    if (!isObj(body.vars)) problems.add('', `${path}.vars: expected a mapping`);
    else Object.assign(group(raw, name).vars, body.vars);
  }
  if (body.children !== undefined && body.children !== null) {
    if (!isObj(body.children)) problems.add('', `${path}.children: expected a mapping of groups`);
    else {
      for (const [c, cb] of Object.entries(body.children)) {
        if (GROUP_NAME.test(c)) addChild(raw, name, c);
        readYamlGroup(raw, c, cb, problems, `${path}.children.${c}`);
      }
    }
  }
}

function parseYaml(text: string, problems: Problems): RawInventory {
  const raw = newRaw();
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.add(e.linePos?.[0] ? `:${e.linePos[0].line}:${e.linePos[0].col}` : '', (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, ''));
    return raw;
  }
  if (!isMap(doc.contents)) {
    problems.add('', 'a YAML inventory is a mapping of groups (all: {hosts: …, children: …})');
    return raw;
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  for (const [name, body] of Object.entries(data)) readYamlGroup(raw, name, body, problems, name);
  return raw;
}

/** `ansible-inventory --list` (and inventory scripts): groups with hosts as lists, `_meta.hostvars`. */
function parseJson(text: string, problems: Problems): RawInventory {
  const raw = newRaw();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    problems.add('', `invalid JSON: ${(e as Error).message}`);
    return raw;
  }
  if (!isObj(data)) {
    problems.add('', 'expected the JSON object that `ansible-inventory --list` prints');
    return raw;
  }
  const meta = data._meta;
  const hostvars = isObj(meta) && isObj(meta.hostvars) ? meta.hostvars : {};
  for (const [name, body] of Object.entries(data)) {
    if (name === '_meta') continue;
    if (!GROUP_NAME.test(name)) {
      problems.add('', `group "${name}": a group name is letters, digits, _ and -`);
      continue;
    }
    group(raw, name);
    const b = Array.isArray(body) ? { hosts: body } : body;
    if (!isObj(b)) {
      problems.add('', `${name}: expected {hosts: [...], children: [...], vars: {...}} or a list of hosts`);
      continue;
    }
    if (b.hosts !== undefined) {
      if (!Array.isArray(b.hosts) || b.hosts.some((h) => typeof h !== 'string')) problems.add('', `${name}.hosts: expected a list of host names`);
      else for (const h of b.hosts as string[]) addHost(raw, name, h, {});
    }
    if (b.children !== undefined) {
      if (!Array.isArray(b.children) || b.children.some((c) => typeof c !== 'string' || !GROUP_NAME.test(c))) problems.add('', `${name}.children: expected a list of group names`);
      else for (const c of b.children as string[]) addChild(raw, name, c);
    }
    if (b.vars !== undefined) {
      if (!isObj(b.vars)) problems.add('', `${name}.vars: expected a mapping`);
      else Object.assign(group(raw, name).vars, b.vars);
    }
  }
  for (const [h, hv] of Object.entries(hostvars)) {
    if (!isObj(hv)) {
      problems.add('', `_meta.hostvars.${h}: expected a mapping`);
      continue;
    }
    if (!raw.hostVars.has(h)) addHost(raw, 'ungrouped', h, {});
    Object.assign(raw.hostVars.get(h) as Vars, hv);
  }
  return raw;
}

// ---------------------------------------------------------------- resolution

function resolveInventory(raw: RawInventory, problems: Problems): { groups: Map<string, InventoryGroup>; hosts: InventoryHost[] } {
  const { groups } = raw;
  // Every top-level group is a child of all; hosts in no group but ungrouped stay in ungrouped.
  const isChild = new Set([...groups.values()].flatMap((g) => g.children));
  const all = groups.get('all') as InventoryGroup;
  for (const g of groups.values()) if (g.name !== 'all' && !isChild.has(g.name) && !all.children.includes(g.name)) all.children.push(g.name);
  const ungrouped = groups.get('ungrouped') as InventoryGroup;
  // Depth from "all" (longest path), and cycles.
  const depth = new Map<string, number>();
  const visit = (name: string, d: number, stack: string[]): void => {
    if (stack.includes(name)) {
      problems.add('', `group ${name} is its own descendant (${[...stack, name].join(' → ')})`);
      return;
    }
    if ((depth.get(name) ?? -1) >= d) return;
    depth.set(name, d);
    for (const c of groups.get(name)?.children ?? []) visit(c, d + 1, [...stack, name]);
  };
  visit('all', 0, []);
  // Cycles that "all" cannot reach (every group in them is someone's child).
  const state = new Map<string, 'open' | 'done'>();
  const dfs = (name: string, stack: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') {
      if (!depth.has(name)) problems.add('', `group ${name} is its own descendant (${[...stack, name].join(' → ')})`);
      return;
    }
    state.set(name, 'open');
    for (const c of groups.get(name)?.children ?? []) dfs(c, [...stack, name]);
    state.set(name, 'done');
  };
  for (const g of groups.keys()) dfs(g, []);
  // Groups each host is in, directly or through children.
  const memberOf = new Map<string, Set<string>>();
  const hostsUnder = (name: string, seen = new Set<string>()): string[] => {
    if (seen.has(name)) return [];
    seen.add(name);
    const g = groups.get(name);
    if (!g) return [];
    return [...g.hosts, ...g.children.flatMap((c) => hostsUnder(c, seen))];
  };
  for (const g of groups.values()) {
    for (const h of g.name === 'all' ? raw.hostOrder : hostsUnder(g.name)) {
      const s = memberOf.get(h) ?? new Set<string>();
      s.add(g.name);
      memberOf.set(h, s);
    }
  }
  const hosts: InventoryHost[] = [];
  for (const h of raw.hostOrder) {
    const gs = memberOf.get(h) ?? new Set<string>();
    gs.add('all');
    // A host listed in a real group is not "ungrouped" (ansible-inventory's view).
    if ([...gs].some((g) => g !== 'all' && g !== 'ungrouped')) {
      gs.delete('ungrouped');
      ungrouped.hosts = ungrouped.hosts.filter((x) => x !== h);
    } else if (!ungrouped.hosts.includes(h)) {
      ungrouped.hosts.push(h);
      gs.add('ungrouped');
    }
    const ordered = [...gs].sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || a.localeCompare(b));
    const vars: Vars = {};
    for (const g of ordered) Object.assign(vars, groups.get(g)?.vars);
    Object.assign(vars, raw.hostVars.get(h));
    hosts.push({ name: h, vars, groups: ordered });
  }
  if (ungrouped.hosts.length === 0 && ungrouped.children.length === 0) {
    groups.delete('ungrouped');
    all.children = all.children.filter((c) => c !== 'ungrouped');
  }
  return { groups, hosts };
}

export function detectFormat(file: string, text: string): Inventory['format'] {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.ini' || ext === '.cfg') return 'ini';
  const first = text.replace(/^(\s*#[^\n]*\n|\s+)*/, '');
  if (first.startsWith('{')) return 'json';
  if (/^[A-Za-z0-9_-]+:\s*(#.*)?$/m.test(first.split('\n')[0] ?? '') || first.startsWith('---')) return 'yaml';
  return 'ini';
}

/** Parse inventory text; throws InputError listing every problem (file, line or path, and what to write). */
export function parseInventoryText(text: string, file: string): Inventory {
  const problems = new Problems(file);
  const format = detectFormat(file, text);
  const raw = format === 'json' ? parseJson(text, problems) : format === 'yaml' ? parseYaml(text, problems) : parseIni(text, problems);
  for (const h of raw.hostOrder) {
    if (!HOST_NAME.test(h)) problems.add('', `host "${h}": a host name is letters, digits, ".", "-" and "_"`);
  }
  for (const [h, vars] of raw.hostVars) {
    for (const k of Object.keys(vars)) if (!VAR_NAME.test(k)) problems.add('', `host ${h}: "${k}" is not a variable name`);
  }
  const resolved = problems.list.length === 0 ? resolveInventory(raw, problems) : { groups: raw.groups, hosts: [] };
  if (problems.list.length > 0) throw new InputError(`invalid inventory ${file}:\n  ${problems.list.join('\n  ')}`, problems.list);
  if (resolved.hosts.length === 0) throw new InputError(`inventory ${file} names no host: add hosts under a group (see docs/fleet.md)`);
  return { file, format, digest: createHash('sha256').update(text).digest('hex'), groups: resolved.groups, hosts: resolved.hosts };
}

export function loadInventory(file: string): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`--inventory ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseInventoryText(text, file);
}
