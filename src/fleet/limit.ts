/**
 * `--limit` with Ansible's host patterns: `all` or `*`, a group, a host, globs (`web*`, `db-?`), `~regex`,
 * unions `a:b` (or `a,b`, then split on commas only), intersections `a:&b`, exclusions `a:!b`. As in Ansible, unions are taken first,
 * then intersections, then exclusions; hosts keep inventory order.
 */
import { didYouMean, InputError } from '../scenario/errors.js';
import type { Inventory, InventoryHost } from './inventory.js';

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function hostsOf(inv: Inventory, term: string): Set<string> | null {
  const out = new Set<string>();
  if (term === 'all' || term === '*') {
    for (const h of inv.hosts) out.add(h.name);
    return out;
  }
  let test: (name: string) => boolean;
  if (term.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(term.slice(1));
    } catch (e) {
      throw new InputError(`--limit ${term}: invalid regular expression (${(e as Error).message})`);
    }
    test = (n) => re.test(n);
  } else if (/[*?]/.test(term)) {
    const re = globToRegExp(term);
    test = (n) => re.test(n);
  } else test = (n) => n === term;
  let matched = false;
  for (const g of inv.groups.values()) {
    if (!test(g.name)) continue;
    matched = true;
    for (const h of inv.hosts) if (h.groups.includes(g.name)) out.add(h.name);
  }
  for (const h of inv.hosts) {
    if (test(h.name)) {
      matched = true;
      out.add(h.name);
    }
  }
  return matched ? out : null;
}

/** The hosts a pattern selects, in inventory order. Throws InputError for a term naming nothing, or an empty result. */
export function selectHosts(inv: Inventory, pattern: string | undefined): InventoryHost[] {
  if (pattern === undefined || pattern.trim() === '') return inv.hosts;
  if (pattern.startsWith('@')) throw new InputError(`--limit ${pattern}: retry files are not supported; list the hosts or groups instead`);
  // As Ansible: with a comma, terms are split on commas only; otherwise on colons.
  const terms = pattern.split(pattern.includes(',') ? ',' : ':').map((t) => t.trim()).filter((t) => t !== '');
  if (terms.length === 0) throw new InputError(`--limit "${pattern}": no host or group named`);
  const unions: Set<string>[] = [];
  const intersections: Set<string>[] = [];
  const exclusions: Set<string>[] = [];
  const known = [...inv.groups.keys(), ...inv.hosts.map((h) => h.name)];
  for (const t of terms) {
    const kind = t.startsWith('!') ? 'not' : t.startsWith('&') ? 'and' : 'or';
    const body = kind === 'or' ? t : t.slice(1);
    const set = hostsOf(inv, body);
    if (!set) {
      const hint = didYouMean(body, known);
      throw new InputError(`--limit ${pattern}: "${body}" is no group or host of ${inv.file}${hint ? ` — did you mean "${hint}"?` : ''}`);
    }
    (kind === 'not' ? exclusions : kind === 'and' ? intersections : unions).push(set);
  }
  let selected = new Set<string>(unions.length > 0 ? unions.flatMap((s) => [...s]) : inv.hosts.map((h) => h.name));
  for (const s of intersections) selected = new Set([...selected].filter((h) => s.has(h)));
  for (const s of exclusions) selected = new Set([...selected].filter((h) => !s.has(h)));
  const out = inv.hosts.filter((h) => selected.has(h.name));
  if (out.length === 0) throw new InputError(`--limit ${pattern} selects no host of ${inv.file}`);
  return out;
}
