/** Cross-field rules the schema cannot express. Each issue names its field path and the fix. */
import { posix } from 'node:path';
import { parseSshUrl } from '../exec/ssh-url.js';
import { didYouMean } from './errors.js';
import { absolutePathProblem } from './fields.js';
import { parseCpuList } from '../util/cpu-list.js';
import { kindChoices, kindOf } from '../workloads/index.js';
import { SCRATCH_ROOT_MAX, type Scenario } from './schema.js';

export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** Directories scratch files must never be under (devices and kernel interfaces). */
export const FORBIDDEN_ROOTS = ['/dev', '/proc', '/sys'] as const;
/** System directories that may not be the scratch root itself (a directory of its own below them is fine). */
export const SYSTEM_DIRS = ['/', '/bin', '/boot', '/etc', '/lib', '/lib32', '/lib64', '/sbin', '/usr', '/run', '/var', '/root', '/home', '/tmp'] as const;

/**
 * Returns a reason when the path is not an acceptable scratch root, else undefined. The same check
 * applies to scenario.scratchRoot and to `benchsuite clean --scratch-root`.
 */
export function scratchRootProblem(p: string): string | undefined {
  if (!p.startsWith('/')) return 'must be an absolute path, e.g. /var/tmp/benchsuite';
  const alphabet = absolutePathProblem(p, SCRATCH_ROOT_MAX);
  if (alphabet) return alphabet;
  const norm = posix.normalize(p).replace(/\/+$/, '') || '/';
  if (FORBIDDEN_ROOTS.some((r) => norm === r || norm.startsWith(`${r}/`))) return `must not be under ${FORBIDDEN_ROOTS.join(', ')} (devices and kernel interfaces)`;
  if ((SYSTEM_DIRS as readonly string[]).includes(norm)) return `must not be the system directory ${norm} itself; use a directory of its own such as /var/tmp/benchsuite`;
  return undefined;
}

export function crossFieldIssues(s: Scenario): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const ids = Object.keys(s.targets);
  if (ids.length === 0) issues.push({ path: ['targets'], message: 'at least one target is needed' });
  if (Object.keys(s.workloads).length === 0) issues.push({ path: ['workloads'], message: `at least one workload is needed (${kindChoices()})` });
  if (ids.length > 0 && !ids.includes(s.baseline)) {
    const hint = didYouMean(s.baseline, ids);
    issues.push({ path: ['baseline'], message: `names no target${hint ? ` — did you mean "${hint}"?` : ''}; targets are: ${ids.join(', ')}` });
  }
  const labels = new Map<string, string>();
  for (const [id, t] of Object.entries(s.targets)) {
    const other = labels.get(t.label.toLowerCase());
    if (other) issues.push({ path: ['targets', id, 'label'], message: `"${t.label}" is also the label of target ${other}; labels become table columns and must differ` });
    labels.set(t.label.toLowerCase(), id);
    if (t.host !== 'local' && t.host !== 'vm' && t.host !== 'auto') {
      const parsed = parseSshUrl(t.host);
      if (typeof parsed === 'string') {
        issues.push({ path: ['targets', id, 'host'], message: `"${t.host}": ${parsed}; use local, vm (the local guest), auto (the guest where KVM works, else this host) or ssh://user@host[:port]` });
      }
    }
    if (t.identityFile !== undefined) {
      if (!t.host.startsWith('ssh://')) issues.push({ path: ['targets', id, 'identityFile'], message: 'only applies to ssh:// hosts; remove it or set host to ssh://user@host' });
      if (!t.identityFile.startsWith('/') && !t.identityFile.startsWith('~/')) issues.push({ path: ['targets', id, 'identityFile'], message: 'must be an absolute path (or ~/…) to a private key file' });
      if (/[\0\n\r]/.test(t.identityFile)) issues.push({ path: ['targets', id, 'identityFile'], message: 'must not contain newlines or NUL bytes' });
    }
    issues.push(...pinIssues(id, t.pin));
    if (t.knownHostsFile !== undefined && (!t.knownHostsFile.startsWith('/') || /[\0\n\r]/.test(t.knownHostsFile))) {
      issues.push({ path: ['targets', id, 'knownHostsFile'], message: 'must be an absolute path without newlines' });
    }
  }
  for (const [id, w] of Object.entries(s.workloads)) {
    for (const issue of kindOf(w).validate?.(w) ?? []) issues.push({ path: ['workloads', id, ...issue.path], message: issue.message });
  }
  const scratch = scratchRootProblem(s.scratchRoot);
  if (scratch) issues.push({ path: ['scratchRoot'], message: scratch });
  if (typeof s.samples === 'object' && s.samples.min > s.samples.max) {
    issues.push({ path: ['samples', 'min'], message: `min (${s.samples.min}) is more than max (${s.samples.max})` });
  }
  return issues;
}

/** Pin lists must parse (ranges forwards), and the client must not share CPUs with the workload it measures. */
function pinIssues(id: string, pin: Scenario['targets'][string]['pin']): FieldIssue[] {
  if (!pin) return [];
  const issues: FieldIssue[] = [];
  const cpus: Partial<Record<'workload' | 'client', number[]>> = {};
  for (const field of ['workload', 'client'] as const) {
    const v = pin[field];
    if (v === undefined) continue;
    const parsed = parseCpuList(v);
    if (typeof parsed === 'string') issues.push({ path: ['targets', id, 'pin', field], message: parsed });
    else cpus[field] = parsed;
  }
  const shared = (cpus.client ?? []).filter((c) => cpus.workload?.includes(c));
  if (shared.length > 0) {
    issues.push({ path: ['targets', id, 'pin', 'client'], message: `shares CPU ${shared.join(', ')} with pin.workload; pin the client on other CPUs than the workload it measures` });
  }
  return issues;
}
