/**
 * Security posture per target, from the fingerprints of a run (src/env/fingerprint.ts): what a compromised
 * workload could do (capabilities, seccomp, LSM profile, NoNewPrivs, user, network, storage), and lints in the
 * spirit of the container-hardening advice this project measures: `--cap-drop=ALL` with only NET_BIND_SERVICE,
 * SETUID and SETGID added back, no inter-container traffic, AppArmor/seccomp in force. Every lint says why.
 *
 * Also the performance-relevant environment differences between the baseline and each candidate.
 * Reads only RunResults (also months-old files, or fingerprints from another collector): every field is
 * read defensively and a missing one is reported as not recorded, never guessed.
 */
import { ranAs } from './what-ran.js';
import { isUnknown, type RunResults, type TargetRecord } from '../results/model.js';
import { CAPABILITY_NAMES, DOCKER_DEFAULT_CAPABILITIES, sortCapabilities } from './capabilities.js';
import { compareKernels, formatKernelSecurity, ranInContainer } from './kernel-security.js';
import { lsmLabelConfines } from './parse.js';

export interface Lint {
  /** Target id. */
  target: string;
  severity: 'warn' | 'info';
  message: string;
  reason: string;
}

/** The capabilities the hardening advice adds back after --cap-drop=ALL. */
export const HARDENED_CAPABILITIES = ['NET_BIND_SERVICE', 'SETUID', 'SETGID'] as const;

// ---------------------------------------------------------------------------------------------
// Defensive reading of a stored fingerprint.

type Fact<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Follow keys; an Unknown on the way is returned as is, so its reason reaches the report. */
function path(obj: unknown, keys: string[]): unknown {
  let cur = obj;
  for (const k of keys) {
    if (isUnknown(cur)) return cur;
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function fact<T>(t: TargetRecord, dotted: string, check: (v: unknown) => v is T): Fact<T> {
  const v = path(t.fingerprint, dotted.split('.'));
  if (isUnknown(v)) return { ok: false, reason: v.reason };
  if (v === undefined || v === null) return { ok: false, reason: `not recorded (${dotted})` };
  if (!check(v)) return { ok: false, reason: `unexpected value for ${dotted}` };
  return { ok: true, value: v };
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isCapSet = (v: unknown): v is { mask: string; names: string[] } =>
  typeof v === 'object' && v !== null && isStrArr((v as { names?: unknown }).names);

interface Posture {
  uid: Fact<number>;
  gid: Fact<number>;
  caps: Fact<{ mask: string; names: string[] }>;
  privileged: Fact<boolean>;
  seccomp: Fact<string>;
  seccompFilters: Fact<number>;
  noNewPrivs: Fact<boolean>;
  lsmLabel: Fact<string>;
  apparmorEnabled: Fact<boolean>;
  appArmorProfile: Fact<string>;
  networkMode: Fact<string>;
  icc: Fact<boolean>;
  storage: Fact<string>;
  scratchFs: Fact<string>;
  userns: Fact<boolean>;
  daemonSeccomp: Fact<string | null>;
}

function postureOf(t: TargetRecord): Posture {
  const daemonSeccomp = ((): Fact<string | null> => {
    const v = path(t.fingerprint, ['docker', 'seccompProfile']);
    if (isUnknown(v)) return { ok: false, reason: v.reason };
    if (v === undefined) return { ok: false, reason: 'not recorded (docker.seccompProfile)' };
    return { ok: true, value: typeof v === 'string' ? v : null };
  })();
  return {
    uid: fact(t, 'security.uid', isNum),
    gid: fact(t, 'security.gid', isNum),
    caps: fact(t, 'security.capEff', isCapSet),
    privileged: fact(t, 'container.privileged', isBool),
    seccomp: fact(t, 'security.seccomp', isStr),
    seccompFilters: fact(t, 'security.seccompFilters', isNum),
    noNewPrivs: fact(t, 'security.noNewPrivs', isBool),
    lsmLabel: fact(t, 'security.lsmLabel', isStr),
    apparmorEnabled: fact(t, 'security.apparmorEnabled', isBool),
    appArmorProfile: fact(t, 'container.appArmorProfile', isStr),
    networkMode: fact(t, 'container.networkMode', isStr),
    icc: fact(t, 'docker.defaultBridgeIcc', isBool),
    storage: fact(t, 'container.storage', isStr),
    scratchFs: fact(t, 'scratch.fsType', isStr),
    userns: fact(t, 'security.userNamespace', isBool),
    daemonSeccomp,
  };
}

/** Docker's default bridge: "default" (what inspect says for no --network) or "bridge". */
function onDefaultBridge(mode: string): boolean {
  return mode === 'default' || mode === 'bridge';
}

// ---------------------------------------------------------------------------------------------
// Lints.

export function postureLints(t: TargetRecord): Lint[] {
  if (!ranInContainer(t)) return [];
  const p = postureOf(t);
  const lints: Lint[] = [];
  const warn = (message: string, reason: string): void => void lints.push({ target: t.id, severity: 'warn', message, reason });
  const info = (message: string, reason: string): void => void lints.push({ target: t.id, severity: 'info', message, reason });
  const caps = p.caps.ok ? new Set(p.caps.value.names) : undefined;
  const privileged = p.privileged.ok && p.privileged.value;

  if (privileged) {
    warn(
      'runs privileged (--privileged)',
      'a privileged container gets every capability, all host devices and no seccomp or AppArmor confinement; root inside it is root on the host. Drop --privileged and add back only the capabilities the workload needs.',
    );
  } else if (!p.privileged.ok) {
    info('could not check whether the container is privileged', p.privileged.reason);
  }

  if (p.uid.ok && caps) {
    const hasDefaults = DOCKER_DEFAULT_CAPABILITIES.every((c) => caps.has(c));
    if (p.uid.value === 0 && hasDefaults && !privileged) {
      warn(
        "runs as root with Docker's default capabilities",
        `uid 0 keeps ${DOCKER_DEFAULT_CAPABILITIES.length} capabilities (including CHOWN, DAC_OVERRIDE, FOWNER, MKNOD, NET_RAW and SETFCAP) that a web server or a disk writer does not need; NET_RAW alone lets it forge packets on the bridge. Use --cap-drop=ALL --cap-add=NET_BIND_SERVICE --cap-add=SETUID --cap-add=SETGID, or a non-root --user.`,
      );
    } else if (p.uid.value === 0 && !privileged) {
      const extra = [...caps].filter((c) => !(HARDENED_CAPABILITIES as readonly string[]).includes(c));
      if (extra.length > 0 && !hasDefaults) {
        info(
          `runs as root with capabilities beyond the hardened set: ${sortCapabilities(extra).join(', ')}`,
          'the hardened set is NET_BIND_SERVICE, SETUID and SETGID (bind a low port, then drop to an unprivileged user); anything more widens what a compromised process can do.',
        );
      }
    }
  } else if (!caps) {
    info('could not check effective capabilities', p.caps.ok ? '' : p.caps.reason);
  }

  if (caps?.has('SYS_ADMIN') && !privileged) {
    warn(
      'CAP_SYS_ADMIN is effective',
      'SYS_ADMIN is "the new root": mount, namespaces, BPF and many device ioctls; most published container escapes need it. Remove it (--cap-drop=SYS_ADMIN, or --cap-drop=ALL and add back only what is needed).',
    );
  }
  if (caps?.has('NET_ADMIN') && !privileged) {
    warn(
      'CAP_NET_ADMIN is effective',
      'NET_ADMIN can reconfigure interfaces, routes and firewall rules of the network namespace — with --network host, those of the host itself. Remove it unless the workload manages networking.',
    );
  }

  if (p.seccomp.ok) {
    if (p.seccomp.value === 'disabled') {
      warn(
        'no seccomp filter is in force',
        `the workload can make every system call (keyctl, unshare, mount, kexec_load, bpf…), so any kernel bug reachable through them is reachable from the container${
          p.daemonSeccomp.ok && p.daemonSeccomp.value ? `; the daemon has a default profile (${p.daemonSeccomp.value}), so this container was started with seccomp=unconfined or privileged` : ''
        }. Remove --security-opt seccomp=unconfined to get Docker's default profile.`,
      );
    }
  } else {
    info('could not check seccomp', p.seccomp.reason);
  }

  const lsmConfined = p.lsmLabel.ok && lsmLabelConfines(p.lsmLabel.value);
  if (!lsmConfined) {
    const label = p.lsmLabel.ok ? `the workload's processes run with the label "${p.lsmLabel.value}"` : `no LSM label could be read for the workload: ${p.lsmLabel.reason}`;
    const noAppArmor = p.apparmorEnabled.ok && !p.apparmorEnabled.value;
    warn(
      'no AppArmor or SELinux profile is in force',
      `${label}. A mandatory-access-control profile (Docker's docker-default AppArmor profile, or SELinux container_t) denies writes to /proc and /sys, mounts and raw device access even to root in the container${
        noAppArmor ? '; this kernel has no AppArmor enabled (/sys/module/apparmor is absent or off), so the Docker daemon cannot apply one here — enable AppArmor or SELinux on the host' : ''
      }.`,
    );
  }

  if (p.noNewPrivs.ok && !p.noNewPrivs.value) {
    info(
      'no-new-privileges is not set',
      'without it a setuid-root or file-capability binary in the image can raise the privileges of a process that started unprivileged; --security-opt no-new-privileges prevents that.',
    );
  }

  if (p.networkMode.ok) {
    const mode = p.networkMode.value;
    if (onDefaultBridge(mode)) {
      if (p.icc.ok && p.icc.value) {
        warn(
          'inter-container communication is enabled on the default bridge',
          'every container on docker0 can connect to every port of this one (and it to theirs), so one compromised container can attack the others. Start dockerd with --icc=false (or "icc": false in /etc/docker/daemon.json) and publish only the ports you mean to expose.',
        );
      } else if (!p.icc.ok) {
        info('could not check inter-container communication', p.icc.reason);
      }
    } else if (mode === 'host') {
      info(
        'uses the host network (--network host)',
        "the container shares the host's network stack: no network isolation at all, so the ICC setting does not apply and it can reach every service on the host's interfaces, 127.0.0.1 included. Chosen here for throughput; use a bridge with --icc=false where isolation matters.",
      );
    }
  } else {
    info('could not check the network mode', p.networkMode.reason);
  }
  return lints;
}

// ---------------------------------------------------------------------------------------------
// The report.

function describe<T>(f: Fact<T>, show: (v: T) => string): string {
  return f.ok ? show(f.value) : `unknown (${f.reason})`;
}

function capsText(p: Posture): string {
  if (!p.caps.ok) return `unknown (${p.caps.reason})`;
  const names = p.caps.value.names;
  if (names.length === 0) return 'none';
  const set = new Set(names);
  const defaults = new Set<string>(DOCKER_DEFAULT_CAPABILITIES);
  if (names.length >= CAPABILITY_NAMES.length) return `all ${names.length} (full root)`;
  if (names.length > CAPABILITY_NAMES.length / 2) {
    const missingAll = CAPABILITY_NAMES.filter((c) => !set.has(c));
    return `${names.length} of ${CAPABILITY_NAMES.length}: all except ${missingAll.join(', ')}`;
  }
  const isDefault = names.length === defaults.size && names.every((n) => defaults.has(n));
  if (isDefault) return `Docker default (${names.length}): ${names.join(', ')}`;
  const missing = [...defaults].filter((c) => !set.has(c));
  const extra = names.filter((n) => !defaults.has(n));
  const vsDefault = missing.length + extra.length < names.length && extra.length < 5 ? ` — Docker default${extra.length ? ` +${extra.join(' +')}` : ''}${missing.length ? ` −${missing.join(' −')}` : ''}` : '';
  return `${names.length}: ${names.join(', ')}${vsDefault}`;
}

interface Row {
  name: string;
  value: string;
}

function rowsFor(results: RunResults, t: TargetRecord): Row[] {
  const p = postureOf(t);
  const rows: Row[] = [];
  const user = p.uid.ok ? `uid ${p.uid.value}${p.gid.ok ? ` gid ${p.gid.value}` : ''}${p.uid.value === 0 ? ' (root)' : ''}` : `unknown (${p.uid.reason})`;
  rows.push({ name: 'User', value: user + (p.userns.ok && p.userns.value ? ', user namespace remapped' : '') });
  rows.push({ name: 'Effective capabilities', value: capsText(p) });
  if (ranInContainer(t)) rows.push({ name: 'Privileged', value: describe(p.privileged, (v) => (v ? 'yes' : 'no')) });
  rows.push({
    name: 'Seccomp',
    value: describe(p.seccomp, (v) => (v === 'filter' && p.seccompFilters.ok ? `filter (${p.seccompFilters.value} filter${p.seccompFilters.value === 1 ? '' : 's'})` : v)),
  });
  const lsm = p.lsmLabel.ok ? p.lsmLabel.value : `none (${p.lsmLabel.reason})`;
  const aaProfile = ranInContainer(t) && p.appArmorProfile.ok && p.appArmorProfile.value ? `; Docker profile ${p.appArmorProfile.value}` : '';
  rows.push({ name: 'AppArmor / LSM', value: lsm + aaProfile });
  rows.push({ name: 'NoNewPrivs', value: describe(p.noNewPrivs, (v) => (v ? 'yes' : 'no')) });
  if (ranInContainer(t)) {
    rows.push({ name: 'Network', value: describe(p.networkMode, (v) => (onDefaultBridge(v) ? `${v} (Docker's default bridge)` : v)) });
    const hostNet = p.networkMode.ok && p.networkMode.value === 'host' ? ' (does not apply: host network)' : '';
    rows.push({ name: 'Inter-container traffic (ICC)', value: describe(p.icc, (v) => (v ? 'enabled on the default bridge' : 'disabled (--icc=false)') + hostNet) });
    rows.push({
      name: 'Storage',
      value: describe(p.storage, (v) => (v === 'overlay' ? "container's writable layer (overlay)" : `volume${p.scratchFs.ok ? ` (${p.scratchFs.value})` : ''}`)),
    });
  } else {
    rows.push({ name: 'Storage', value: describe(p.scratchFs, (v) => `host filesystem (${v})`) });
  }
  if (t.id !== results.baseline) {
    const base = results.targets.find((x) => x.id === results.baseline);
    if (base) {
      const ks = compareKernels(base, t);
      rows.push({ name: 'Kernel', value: `${formatKernelSecurity(ks)} — ${ks.reason}` });
    }
  }
  return rows;
}

import { escapeHtml } from '../util/html.js';
import { markdownCell, markdownCode, markdownText } from '../util/markdown.js';

export { escapeHtml };

/** A table cell in Markdown (util/markdown.ts: no line breaks, no raw HTML, inline syntax and pipes escaped). */
function mdCell(text: string): string {
  return markdownCell(text);
}

function mdText(text: string): string {
  return markdownText(text);
}

function labelOf(results: RunResults, t: TargetRecord): string {
  const fromScenario = results.scenario?.targets?.[t.id]?.label;
  return typeof fromScenario === 'string' && fromScenario ? fromScenario : t.label || t.id;
}

/** Section headings name what ran, when it is not what the label claims (what-ran.ts), as the table heads the column. */
function headingOf(results: RunResults, t: TargetRecord): string {
  const declared = labelOf(results, t);
  return ranAs(results, t.id, declared)?.label ?? declared;
}

function orderedTargets(results: RunResults): TargetRecord[] {
  const base = results.targets.filter((t) => t.id === results.baseline);
  return [...base, ...results.targets.filter((t) => t.id !== results.baseline)];
}

export function postureReport(results: RunResults): { markdown: string; html: string; lints: Lint[] } {
  const md: string[] = ['## Security posture', ''];
  const html: string[] = ['<section class="posture">', '<h2>Security posture</h2>'];
  const all: Lint[] = [];
  const targets = orderedTargets(results);
  if (targets.length === 0) {
    md.push('_No targets recorded._', '');
    html.push('<p class="muted">No targets recorded.</p>');
  }
  for (const t of targets) {
    const label = headingOf(results, t);
    const role = t.id === results.baseline ? 'baseline' : 'candidate';
    const kind = ranInContainer(t) ? `Docker container on ${t.host}` : `directly on ${t.host}`;
    const rows = rowsFor(results, t);
    const lints = postureLints(t);
    all.push(...lints);

    md.push(`### ${mdText(label)} (${mdText(t.id)}, ${role})`, '', `${mdText(kind)}${t.container ? ` — ${markdownCode(`docker run ${t.container.runArgs.join(' ')} ${t.container.image}`)}` : ''}`, '');
    md.push('| Property | Value |', '|---|---|');
    for (const r of rows) md.push(`| ${mdCell(r.name)} | ${mdCell(r.value)} |`);
    md.push('');
    if (ranInContainer(t)) {
      if (lints.length === 0) md.push('No findings.', '');
      for (const l of lints) md.push(`- **${l.severity}**: ${mdText(l.message)} — ${mdText(l.reason)}`);
      if (lints.length) md.push('');
    }

    html.push(`<div class="posture-target" id="posture-${escapeHtml(t.id)}">`);
    html.push(`<h3>${escapeHtml(label)} <span class="muted">(${escapeHtml(t.id)}, ${role})</span></h3>`);
    html.push(
      `<p>${escapeHtml(kind)}${t.container ? ` — <code>docker run ${escapeHtml(t.container.runArgs.join(' '))} ${escapeHtml(t.container.image)}</code>` : ''}</p>`,
    );
    html.push('<table class="posture-table"><tbody>');
    for (const r of rows) html.push(`<tr><th scope="row">${escapeHtml(r.name)}</th><td>${escapeHtml(r.value)}</td></tr>`);
    html.push('</tbody></table>');
    if (ranInContainer(t)) {
      if (lints.length === 0) html.push('<p>No findings.</p>');
      else {
        html.push('<ul class="lints">');
        for (const l of lints) {
          html.push(`<li class="lint lint-${l.severity}"><strong>${l.severity}</strong>: ${escapeHtml(l.message)} — <span class="reason">${escapeHtml(l.reason)}</span></li>`);
        }
        html.push('</ul>');
      }
    }
    html.push('</div>');
  }
  html.push('</section>');
  return { markdown: md.join('\n'), html: html.join('\n'), lints: all };
}

// ---------------------------------------------------------------------------------------------
// Environment differences that change performance.

function known(v: unknown): string | undefined {
  if (v === undefined || v === null || isUnknown(v)) return undefined;
  if (typeof v === 'string') return v || undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function get(t: TargetRecord, dotted: string): unknown {
  return path(t.fingerprint, dotted.split('.'));
}

function gib(v: unknown): string | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? `${(v / 1024 ** 3).toFixed(1)} GiB` : undefined;
}

/** Scratch filesystem as a phrase: "ext4 (/dev/vda)", "overlay (the container's writable layer, on ext4)". */
function scratchPhrase(t: TargetRecord): string | undefined {
  const fs = known(get(t, 'scratch.fsType'));
  if (!fs) return undefined;
  if (fs === 'overlay') {
    const backing = known(get(t, 'scratch.backing.fsType'));
    return `overlay (the container's writable layer${backing ? `, on ${backing}` : ''})`;
  }
  return fs;
}

/** Values of one sample detail per target (e.g. a disk workload's sync mode), from the samples themselves. */
function sampleDetail(results: RunResults, target: string, workload: string, key: string): string[] {
  const seen = new Set<string>();
  for (const s of results.samples) {
    if (s.target !== target || s.workload !== workload || !s.details) continue;
    const v = s.details[key];
    if (v === undefined) continue;
    seen.add(typeof v === 'string' ? (key === 'droppedCaches' ? 'no' : v) : v === true ? 'yes' : String(v));
  }
  return [...seen].sort();
}

export function environmentDifferences(results: RunResults): string[] {
  const base = results.targets.find((t) => t.id === results.baseline);
  if (!base) return [];
  const out: string[] = [];
  const bl = labelOf(results, base);
  for (const cand of results.targets) {
    if (cand.id === base.id) continue;
    const cl = labelOf(results, cand);
    const pair = (what: string, a: string | undefined, b: string | undefined, why: string): void => {
      if (a !== undefined && b !== undefined && a !== b) out.push(`${cl} ran with ${what} ${b}, the baseline ${bl} with ${a}; ${why}.`);
    };
    pair('kernel', known(base.fingerprint.kernelRelease), known(cand.fingerprint.kernelRelease), 'kernels differ in I/O, scheduler and network code paths');
    pair('CPU', known(base.fingerprint.cpuModel), known(cand.fingerprint.cpuModel), 'a different CPU changes every measurement');
    pair('CPU count', known(base.fingerprint.cores), known(cand.fingerprint.cores), 'concurrency-bound workloads such as ab scale with cores');
    pair('memory', gib(base.fingerprint.memoryBytes), gib(cand.fingerprint.memoryBytes), 'the page cache that absorbs writes is bounded by memory');
    pair('CPU set', known(get(base, 'cpu.cpusAllowed')), known(get(cand, 'cpu.cpusAllowed')), 'the workload may use a different set of CPUs');
    const limit = (t: TargetRecord): string | undefined => {
      const v = get(t, 'memoryLimit');
      return v === 'max' ? 'no limit' : gib(v);
    };
    pair('cgroup memory limit', limit(base), limit(cand), 'a memory limit shrinks the page cache available to the workload');
    pair('CPU frequency governor', known(get(base, 'cpu.governor')), known(get(cand, 'cpu.governor')), 'the governor sets clock speed under load');
    pair('transparent huge pages', known(get(base, 'transparentHugepage')), known(get(cand, 'transparentHugepage')), 'THP changes memory-access costs');
    pair('cgroup version', known(get(base, 'cgroupVersion')), known(get(cand, 'cgroupVersion')), 'cgroup v1 and v2 account and throttle I/O differently');

    // Disk: where the workloads' scratch files went.
    const bs = scratchPhrase(base);
    const cs = scratchPhrase(cand);
    if (bs && cs && bs !== cs) out.push(`${cl} wrote its scratch files to ${cs}, the baseline ${bl} to ${bs}; the filesystem is on the disk workloads' write path.`);
    else if (bs && cs) {
      pair('scratch mount options', known(get(base, 'scratch.mountOptions')), known(get(cand, 'scratch.mountOptions')), 'mount options such as sync, noatime or barrier change write cost');
    }
    const sched = (t: TargetRecord): string | undefined => known(get(t, 'scratch.scheduler')) ?? known(get(t, 'scratch.backing.scheduler'));
    pair('I/O scheduler', sched(base), sched(cand), "the block device's scheduler orders and merges the workloads' disk writes");

    // Docker engine, when both run in containers.
    if (ranInContainer(base) && ranInContainer(cand)) {
      pair('Docker storage driver', known(get(base, 'docker.storageDriver')), known(get(cand, 'docker.storageDriver')), 'the storage driver is on the write path of overlay storage');
      pair('Docker', known(base.fingerprint.dockerVersion), known(cand.fingerprint.dockerVersion), 'engine versions differ in networking and storage defaults');
      pair('cgroup driver', known(get(base, 'docker.cgroupDriver')), known(get(cand, 'docker.cgroupDriver')), 'the cgroup driver changes how resources are accounted');
    }

    // CPU vulnerability mitigations (kernel and microcode): a different set changes syscall and context-switch costs.
    const bv = get(base, 'vulnerabilities');
    const cv = get(cand, 'vulnerabilities');
    if (bv && cv && typeof bv === 'object' && typeof cv === 'object' && !isUnknown(bv) && !isUnknown(cv)) {
      const b = bv as Record<string, unknown>;
      const c = cv as Record<string, unknown>;
      const differing = Object.keys(b).filter((k) => k in c && b[k] !== c[k]);
      if (differing.length) {
        const shown = differing.slice(0, 3).map((k) => `${k}: "${String(c[k])}" vs "${String(b[k])}"`);
        out.push(
          `${cl} runs with different CPU vulnerability mitigations than the baseline ${bl} (${shown.join('; ')}${differing.length > 3 ? `; ${differing.length - 3} more` : ''}); mitigations change system-call and context-switch costs.`,
        );
      }
    }

    // Write settings as the samples recorded them (workloads that record no sync mode or cache drop say nothing here).
    for (const wid of Object.keys(results.scenario?.workloads ?? {})) {
      const a = sampleDetail(results, base.id, wid, 'sync');
      const b = sampleDetail(results, cand.id, wid, 'sync');
      if (a.length && b.length && a.join() !== b.join()) {
        out.push(`${cl} ran ${wid} with sync mode ${b.join('/')}, the baseline ${bl} with ${a.join('/')}; the sync mode decides whether the page cache or the disk is measured.`);
      }
      const da = sampleDetail(results, base.id, wid, 'droppedCaches');
      const db = sampleDetail(results, cand.id, wid, 'droppedCaches');
      if (da.length && db.length && da.join() !== db.join()) {
        const say = (v: string[]): string => (v.join() === 'yes' ? 'dropped' : v.join() === 'no' ? 'could not drop' : 'sometimes dropped');
        out.push(`Before ${wid}, benchsuite ${say(db)} the page cache for ${cl} but ${say(da)} it for the baseline ${bl}; a warm cache speeds up writes.`);
      }
    }
  }
  return out;
}
