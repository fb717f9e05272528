/**
 * Pure parsers for what the kernel and Docker print. No I/O here: src/env/fingerprint.ts runs the commands,
 * these turn their text into facts, and test/env/parse.test.ts feeds them outputs captured on real machines.
 */

/** One file of a bundle: its content, or why it could not be read. */
export type BundleEntry = { ok: true; content: string } | { ok: false; error: string };

export interface Bundle {
  files: Map<string, BundleEntry>;
  /** Named sections other than files (e.g. "scratch", "virt-vm"): text and the exit status printed after it. */
  sections: Map<string, { text: string; status?: number }>;
  /** Did the script get to its end marker (false = output cut short)? */
  complete: boolean;
}

/**
 * Parse the output of the bundle script (see fingerprint.ts): every part starts with a line
 * "<token> <kind> [arg]" preceded by a newline the script adds, so a part's own text ends one "\n" early.
 */
export function parseBundle(stdout: string, token: string): Bundle {
  const files = new Map<string, BundleEntry>();
  const sections = new Map<string, { text: string; status?: number }>();
  const marker = new RegExp(`(?:^|\\n)${escapeRegExp(token)} ([a-z-]+)(?: ([^\\n]*))?\\n`, 'g');
  const parts: { kind: string; arg: string; start: number; end: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = marker.exec(stdout)) !== null) {
    if (parts.length) parts[parts.length - 1]!.end = m.index;
    parts.push({ kind: m[1]!, arg: m[2] ?? '', start: marker.lastIndex, end: stdout.length });
  }
  let complete = false;
  let current: { kind: 'file'; path: string } | { kind: 'section'; name: string } | null = null;
  for (const p of parts) {
    const text = stdout.slice(p.start, p.end);
    switch (p.kind) {
      case 'file':
        current = { kind: 'file', path: p.arg };
        files.set(p.arg, { ok: true, content: text });
        break;
      case 'error':
        // The text before this marker was the reader's error message, not content.
        if (current?.kind === 'file') {
          const prev = files.get(current.path);
          const msg = prev?.ok ? prev.content : '';
          files.set(current.path, { ok: false, error: cleanReadError(msg, current.path) || `read failed (exit ${p.arg})` });
          current = null;
        } else if (current?.kind === 'section') {
          const s = sections.get(current.name);
          if (s) s.status = Number(p.arg);
        }
        break;
      case 'rc':
        if (current?.kind === 'section') {
          const s = sections.get(current.name);
          if (s) s.status = Number(p.arg);
        }
        current = null;
        break;
      case 'end':
        complete = true;
        current = null;
        break;
      default:
        current = { kind: 'section', name: p.kind };
        sections.set(p.kind, { text });
    }
  }
  return { files, sections, complete };
}

/**
 * The reason out of a reader's error message: GNU cat "cat: /x: No such file or directory", busybox
 * "cat: can't open '/x': No such file or directory", dash "sh: 3: cannot open /x: No such file" -> the text
 * after the path ("No such file or directory").
 */
export function cleanReadError(message: string, path: string): string {
  const line = message.trim().split('\n').filter(Boolean).pop() ?? '';
  const i = path ? line.lastIndexOf(path) : -1;
  if (i >= 0) {
    const rest = line.slice(i + path.length).replace(/^['"`’]?\s*:?\s*/, '').trim();
    if (rest) return rest;
  }
  const j = line.lastIndexOf(': ');
  return (j >= 0 ? line.slice(j + 2) : line).trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "Key:\tvalue" lines (/proc/<pid>/status, /proc/meminfo). */
export function parseKeyValueLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

export interface ProcStatus {
  uid?: { real: number; effective: number; saved: number; fs: number };
  gid?: { real: number; effective: number; saved: number; fs: number };
  groups: number[];
  capInh?: string;
  capPrm?: string;
  capEff?: string;
  capBnd?: string;
  capAmb?: string;
  noNewPrivs?: boolean;
  /** 0 disabled, 1 strict, 2 filter. */
  seccomp?: number;
  seccompFilters?: number;
  cpusAllowedList?: string;
}

export function parseProcStatus(text: string): ProcStatus {
  const kv = parseKeyValueLines(text);
  const ids = (k: string): ProcStatus['uid'] => {
    const v = kv.get(k)?.split(/\s+/).map(Number);
    if (!v || v.length < 4 || v.some((n) => !Number.isInteger(n))) return undefined;
    return { real: v[0]!, effective: v[1]!, saved: v[2]!, fs: v[3]! };
  };
  const num = (k: string): number | undefined => {
    const v = kv.get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const nnp = num('NoNewPrivs');
  return {
    uid: ids('Uid'),
    gid: ids('Gid'),
    groups: (kv.get('Groups') ?? '').split(/\s+/).filter(Boolean).map(Number),
    capInh: kv.get('CapInh'),
    capPrm: kv.get('CapPrm'),
    capEff: kv.get('CapEff'),
    capBnd: kv.get('CapBnd'),
    capAmb: kv.get('CapAmb'),
    noNewPrivs: nnp === undefined ? undefined : nnp === 1,
    seccomp: num('Seccomp'),
    seccompFilters: num('Seccomp_filters'),
    cpusAllowedList: kv.get('Cpus_allowed_list'),
  };
}

export const SECCOMP_MODES: Record<number, 'disabled' | 'strict' | 'filter'> = { 0: 'disabled', 1: 'strict', 2: 'filter' };

export interface CpuInfo {
  model?: string;
  vendor?: string;
  processors: number;
  flags: string[];
  hypervisor: boolean;
  bugs: string[];
}

/** /proc/cpuinfo (x86 "model name", arm64 has none, s390/ppc use other keys). */
export function parseCpuinfo(text: string): CpuInfo {
  let model: string | undefined;
  let vendor: string | undefined;
  let processors = 0;
  let flags: string[] = [];
  let bugs: string[] = [];
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const k = line.slice(0, i).trim();
    const v = line.slice(i + 1).trim();
    if (k === 'processor' && /^\d+$/.test(v)) processors++;
    else if ((k === 'model name' || k === 'cpu model' || k === 'Model' || k === 'cpu') && !model && v) model = v;
    else if ((k === 'vendor_id' || k === 'CPU implementer') && !vendor) vendor = v;
    else if ((k === 'flags' || k === 'Features') && flags.length === 0) flags = v.split(/\s+/).filter(Boolean);
    else if (k === 'bugs' && bugs.length === 0) bugs = v.split(/\s+/).filter(Boolean);
  }
  return { model, vendor, processors, flags, hypervisor: flags.includes('hypervisor'), bugs };
}

/** "0-3,8,10-11" -> 7. Null when malformed. */
export function countCpuList(text: string): number | null {
  const t = text.trim();
  if (!t) return null;
  let n = 0;
  for (const part of t.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) return null;
    n += b - a + 1;
  }
  return n;
}

/** MemTotal from /proc/meminfo, in bytes. */
export function parseMemTotal(text: string): number | null {
  const m = /^MemTotal:\s+(\d+)\s*kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : null;
}

export interface MountEntry {
  id: number;
  parent: number;
  /** "major:minor". */
  device: string;
  /** Path inside the filesystem that is mounted (a bind mount's source subdirectory). */
  root: string;
  mountPoint: string;
  mountOptions: string;
  optionalFields: string[];
  fsType: string;
  source: string;
  superOptions: string;
}

/** Octal escapes (\040 for space…) as the kernel writes them in mountinfo. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** /proc/<pid>/mountinfo (proc(5)). Malformed lines are skipped. */
export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    if (left.length < 6 || right.length < 2) continue;
    out.push({
      id: Number(left[0]),
      parent: Number(left[1]),
      device: left[2]!,
      root: unescapeMount(left[3]!),
      mountPoint: unescapeMount(left[4]!),
      mountOptions: left[5]!,
      optionalFields: left.slice(6),
      fsType: right[0]!,
      source: unescapeMount(right[1]!),
      superOptions: right[2] ?? '',
    });
  }
  return out;
}

/** The mount a path lives on: the longest mount point that is a prefix of it (the last one wins when stacked). */
export function findMount(mounts: MountEntry[], path: string): MountEntry | undefined {
  const p = path.replace(/\/+$/, '') || '/';
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const mp = m.mountPoint.replace(/\/+$/, '') || '/';
    const contains = mp === '/' || p === mp || p.startsWith(`${mp}/`);
    if (!contains) continue;
    if (!best || mp.length >= (best.mountPoint.replace(/\/+$/, '') || '/').length) best = m;
  }
  return best;
}

/** Docker bind-mounts /etc/hostname, /etc/hosts and /etc/resolv.conf from /var/lib/docker/containers/<id>/: find the id. */
export function containerIdFromMountinfo(mounts: MountEntry[]): string | undefined {
  for (const m of mounts) {
    const r = /\/containers\/([0-9a-f]{64})\//.exec(m.root);
    if (r) return r[1];
  }
  return undefined;
}

/** cgroup v1 paths such as "/docker/<id>" or "/system.slice/docker-<id>.scope". */
export function containerIdFromCgroup(text: string): string | undefined {
  const r = /docker[-/]([0-9a-f]{64})/.exec(text);
  return r?.[1];
}

/** "none [mq-deadline] kyber bfq" -> { active: "mq-deadline", available: [...] }. */
export function parseScheduler(text: string): { active?: string; available: string[] } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const active = words.find((w) => w.startsWith('[') && w.endsWith(']'))?.slice(1, -1);
  return { active, available: words.map((w) => w.replace(/^\[|\]$/g, '')) };
}

export interface BlockDevice {
  name: string;
  /** Parent disk for a partition, else the device itself. */
  disk: string;
  device: string;
}

/**
 * Block devices from a bundle's /sys/block/<disk>/dev and /sys/block/<disk>/<partition>/dev entries.
 */
export function blockDevicesFromFiles(files: Map<string, BundleEntry>): BlockDevice[] {
  const out: BlockDevice[] = [];
  for (const [path, e] of files) {
    if (!e.ok) continue;
    const disk = /^\/sys\/block\/([^/]+)\/dev$/.exec(path);
    const part = /^\/sys\/block\/([^/]+)\/([^/]+)\/dev$/.exec(path);
    const dev = e.content.trim();
    if (!/^\d+:\d+$/.test(dev)) continue;
    if (disk) out.push({ name: disk[1]!, disk: disk[1]!, device: dev });
    else if (part) out.push({ name: part[2]!, disk: part[1]!, device: dev });
  }
  return out;
}

/** /sys/devices/system/cpu/vulnerabilities/<name> files of a bundle -> { name: status line }. */
export function vulnerabilitiesFromFiles(files: Map<string, BundleEntry>): Record<string, string> {
  const out: Record<string, string> = {};
  const prefix = '/sys/devices/system/cpu/vulnerabilities/';
  for (const [path, e] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!path.startsWith(prefix) || !e.ok) continue;
    const name = path.slice(prefix.length);
    if (name === '*') continue;
    out[name] = e.content.trim();
  }
  return out;
}

/** An LSM label such as "docker-default (enforce)", "unconfined", "system_u:system_r:container_t:s0:c1,c2". */
export function parseLsmLabel(text: string): string {
  return text.replace(/\0/g, '').trim();
}

/** Is this label an actual confinement (not "unconfined", not SELinux's unconfined_t / spc_t)? */
export function lsmLabelConfines(label: string): boolean {
  if (!label || label === 'unconfined') return false;
  if (/(^|:)(unconfined_t|spc_t|kernel_t)(:|$)/.test(label)) return false;
  if (/\(unconfined\)$/.test(label)) return false;
  return true;
}

export interface DockerSecurityOptions {
  /** Default seccomp profile name ("default", "builtin", a path) when seccomp is on; null when off. */
  seccompProfile: string | null;
  apparmor: boolean;
  selinux: boolean;
  userns: boolean;
  rootless: boolean;
  cgroupns: boolean;
  raw: string[];
}

/** docker info's SecurityOptions: ["name=seccomp,profile=default", "name=apparmor", "name=userns"…]. */
export function parseDockerSecurityOptions(opts: unknown): DockerSecurityOptions {
  const raw = Array.isArray(opts) ? opts.filter((o): o is string => typeof o === 'string') : [];
  const byName = new Map<string, Map<string, string>>();
  for (const o of raw) {
    const kv = new Map<string, string>();
    for (const part of o.split(',')) {
      const i = part.indexOf('=');
      if (i > 0) kv.set(part.slice(0, i), part.slice(i + 1));
    }
    const name = kv.get('name') ?? o;
    byName.set(name, kv);
  }
  const seccomp = byName.get('seccomp');
  return {
    seccompProfile: seccomp ? (seccomp.get('profile') ?? 'default') : null,
    apparmor: byName.has('apparmor'),
    selinux: byName.has('selinux'),
    userns: byName.has('userns'),
    rootless: byName.has('rootless'),
    cgroupns: byName.has('cgroupns'),
    raw,
  };
}

export interface DockerInfo {
  serverVersion?: string;
  storageDriver?: string;
  backingFilesystem?: string;
  cgroupDriver?: string;
  cgroupVersion?: string;
  rootDir?: string;
  defaultRuntime?: string;
  kernelVersion?: string;
  operatingSystem?: string;
  security: DockerSecurityOptions;
}

/** `docker info --format '{{json .}}'`. Throws on text that is not a JSON object. */
export function parseDockerInfo(json: string): DockerInfo {
  const o = JSON.parse(json) as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('docker info: not a JSON object');
  const str = (k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
  let backing: string | undefined;
  if (Array.isArray(o.DriverStatus)) {
    for (const pair of o.DriverStatus) {
      if (Array.isArray(pair) && pair[0] === 'Backing Filesystem' && typeof pair[1] === 'string') backing = pair[1];
    }
  }
  return {
    serverVersion: str('ServerVersion'),
    storageDriver: str('Driver'),
    backingFilesystem: backing,
    cgroupDriver: str('CgroupDriver'),
    cgroupVersion: str('CgroupVersion'),
    rootDir: str('DockerRootDir'),
    defaultRuntime: str('DefaultRuntime'),
    kernelVersion: str('KernelVersion'),
    operatingSystem: str('OperatingSystem'),
    security: parseDockerSecurityOptions(o.SecurityOptions),
  };
}

/**
 * `docker network inspect bridge`: inter-container communication on the default bridge.
 * Docker's default is enabled; the option is "false" when the daemon runs with --icc=false.
 * Returns null when the option is absent (a network that is not Docker's default bridge driver).
 */
export function parseBridgeIcc(json: string): boolean | null {
  const v = JSON.parse(json) as unknown;
  const net = Array.isArray(v) ? v[0] : v;
  if (typeof net !== 'object' || net === null) throw new Error('docker network inspect: no network in output');
  const opts = (net as { Options?: Record<string, unknown> }).Options ?? {};
  const icc = opts['com.docker.network.bridge.enable_icc'];
  if (icc === undefined) return null;
  return String(icc).toLowerCase() === 'true';
}

export interface ContainerInspect {
  id: string;
  privileged: boolean;
  networkMode: string;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  appArmorProfile: string;
  usernsMode: string;
  readonlyRootfs: boolean;
  user: string;
  image: string;
  mounts: { type: string; source: string; destination: string; rw: boolean }[];
}

/** `docker inspect --type container <id>` (a one-element array). */
export function parseContainerInspect(json: string): ContainerInspect {
  const v = JSON.parse(json) as unknown;
  const c = (Array.isArray(v) ? v[0] : v) as Record<string, any> | undefined;
  if (typeof c !== 'object' || c === null) throw new Error('docker inspect: no container in output');
  const hc = (c.HostConfig ?? {}) as Record<string, any>;
  const strs = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
  return {
    id: String(c.Id ?? ''),
    privileged: hc.Privileged === true,
    networkMode: String(hc.NetworkMode ?? ''),
    capAdd: strs(hc.CapAdd),
    capDrop: strs(hc.CapDrop),
    securityOpt: strs(hc.SecurityOpt),
    appArmorProfile: String(c.AppArmorProfile ?? ''),
    usernsMode: String(hc.UsernsMode ?? ''),
    readonlyRootfs: hc.ReadonlyRootfs === true,
    user: String(c.Config?.User ?? ''),
    image: String(c.Config?.Image ?? ''),
    mounts: Array.isArray(c.Mounts)
      ? c.Mounts.map((m: Record<string, unknown>) => ({
          type: String(m.Type ?? ''),
          source: String(m.Source ?? ''),
          destination: String(m.Destination ?? ''),
          rw: m.RW === true,
        }))
      : [],
  };
}

/** systemd-detect-virt's output and exit status: "none" with status 1 is a definite "not virtualized". */
export function parseDetectVirt(text: string, status: number | undefined): string | null {
  const t = text.trim().split('\n').pop()?.trim() ?? '';
  if (status === 0 && /^[a-z0-9_-]+$/.test(t)) return t;
  if (t === 'none') return 'none';
  return null;
}

/** DMI sys_vendor / product_name -> systemd-detect-virt's name for the hypervisor, when the strings say so. */
export function virtualizationFromDmi(sysVendor: string | undefined, productName: string | undefined): string | undefined {
  const v = `${sysVendor ?? ''} ${productName ?? ''}`.trim();
  if (!v) return undefined;
  const table: [RegExp, string][] = [
    [/\bKVM\b/i, 'kvm'],
    [/\bQEMU\b/i, 'qemu'],
    [/VMware/i, 'vmware'],
    [/innotek|VirtualBox|Oracle Corporation/i, 'oracle'],
    [/\bXen\b/i, 'xen'],
    [/Microsoft Corporation.*Virtual Machine/i, 'microsoft'],
    [/Amazon EC2/i, 'amazon'],
    [/Google Compute Engine/i, 'google'],
    [/\bBHYVE\b/i, 'bhyve'],
    [/Parallels/i, 'parallels'],
    [/Firecracker/i, 'kvm'],
  ];
  for (const [re, name] of table) if (re.test(v)) return name;
  return undefined;
}
