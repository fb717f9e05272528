/**
 * The environment fingerprint: what the workload saw (kernel, boot_id, CPU, memory, capabilities, seccomp,
 * LSM label, scratch filesystem…) and what its machine says (virtualization, Docker engine, container
 * settings). One code path for every kind of target: it only runs argv arrays through `execCtx.exec` (where the
 * workload runs) and `target.machine.exec` (the host the target lives on); what differs by kind (a container's
 * engine, its own view of the machine) comes from the target's FingerprintPlan.
 *
 * Cost: one `sh` running a fixed script that `cat`s every file with a separator line, parsed here; for
 * Docker targets also one such script on the machine, `docker info`, `docker network inspect bridge` and
 * `docker inspect` — five processes, run concurrently. Anything unreadable is recorded as Unknown with the
 * reason; nothing is guessed.
 */
import { randomBytes } from 'node:crypto';
import { isUnknown, type Fingerprint, type Known, type Unknown } from '../results/model.js';
import type { ContainerSpec } from '../scenario/schema.js';
import type { ExecOptions, ExecResult, Machine } from '../exec/types.js';
import { decodeCapabilityMask, parseCapabilityMask } from './capabilities.js';
import {
  blockDevicesFromFiles,
  containerIdFromCgroup,
  containerIdFromMountinfo,
  countCpuList,
  findMount,
  parseBridgeIcc,
  parseBundle,
  parseContainerInspect,
  parseCpuinfo,
  parseDetectVirt,
  parseDockerInfo,
  parseLsmLabel,
  parseMemTotal,
  parseMountinfo,
  parseProcStatus,
  parseScheduler,
  SECCOMP_MODES,
  virtualizationFromDmi,
  vulnerabilitiesFromFiles,
  type Bundle,
  type BundleEntry,
  type ContainerInspect,
  type DockerSecurityOptions,
  type MountEntry,
} from './parse.js';

export const FINGERPRINT_VERSION = 1;

/**
 * Files every bundle reads (positional arguments of the fixed script; globs live in the script itself).
 * Small files are read with the shell's own `read` (no process per file: forks cost ~5 ms each on a slow VM);
 * files that may be large, and LSM attributes whose read errors `read` would hide, go through `cat`.
 */
export const BUNDLE_FILES = [
  '/proc/sys/kernel/hostname',
  '/proc/sys/kernel/osrelease',
  '/proc/sys/kernel/version',
  '/proc/sys/kernel/random/boot_id',
  'cat:/proc/cpuinfo',
  '/proc/meminfo',
  '/proc/self/status',
  'cat:/proc/self/mountinfo',
  '/proc/self/cgroup',
  '/proc/self/uid_map',
  'cat:/proc/self/attr/apparmor/current',
  'cat:/proc/self/attr/current',
  '/sys/kernel/security/lsm',
  '/sys/module/apparmor/parameters/enabled',
  '/sys/devices/system/cpu/online',
  '/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor',
  '/sys/kernel/mm/transparent_hugepage/enabled',
  '/sys/fs/cgroup/cgroup.controllers',
  '/sys/fs/cgroup/memory.max',
  '/sys/fs/cgroup/memory/memory.limit_in_bytes',
  '/sys/class/dmi/id/sys_vendor',
  '/sys/class/dmi/id/product_name',
] as const;

/**
 * The fixed script. Arguments: $1 separator token, $2 scratch directory, $3 "yes" to run systemd-detect-virt,
 * then the files ("cat:" prefix = read with cat). Values only ever arrive as positional parameters; the script
 * text never changes. POSIX sh (dash, busybox sh): no bash features. Every part is preceded by
 * "\n<token> <kind> [arg]\n"; a file that cannot be read is followed by "<token> error <status>".
 * /proc/self/* read by the shell or by cat describe a process the workload's exec context started, with the
 * same credentials, capabilities, seccomp filter and LSM label as the workload itself.
 */
export const BUNDLE_SCRIPT = [
  't=$1; d=$2; v=$3; shift 3',
  `mark() { printf '\\n%s %s\\n' "$t" "$*"; }`,
  'for f in "$@" /sys/devices/system/cpu/vulnerabilities/* /sys/block/*/queue/scheduler /sys/block/*/dev /sys/block/*/*/dev; do',
  '  case $f in',
  '  cat:*) f=${f#cat:}; mark file "$f"; cat -- "$f" 2>&1 || mark error "$?" ;;',
  '  *) mark file "$f"; { while IFS= read -r l || [ -n "$l" ]; do printf \'%s\\n\' "$l"; done < "$f"; } 2>&1 || mark error "$?" ;;',
  '  esac',
  'done',
  // The nearest existing ancestor of the scratch directory, with symlinks resolved (cd -P / pwd -P are builtins).
  // A path without a slash (relative, e.g. a bad value) ends the walk instead of looping on itself forever.
  'while [ -n "$d" ] && [ "$d" != / ] && [ ! -d "$d" ]; do case $d in */*) d=${d%/*} ;; *) d= ;; esac; done',
  'mark scratch',
  '(cd -P -- "${d:-/}" && pwd -P) 2>&1',
  'mark rc "$?"',
  'if [ "$v" = yes ]; then',
  '  mark virt-vm; systemd-detect-virt --vm 2>&1; mark rc "$?"',
  '  mark virt-container; systemd-detect-virt --container 2>&1; mark rc "$?"',
  'fi',
  'mark end',
].join('\n');

/** argv of one bundle read. */
export function bundleArgv(token: string, scratchDir: string, detectVirt: boolean): string[] {
  return ['sh', '-c', BUNDLE_SCRIPT, 'sh', token, scratchDir, detectVirt ? 'yes' : 'no', ...BUNDLE_FILES];
}

// ---------------------------------------------------------------------------------------------
// The richer fingerprint (everything beyond the required keys). JSON only: masks are hex strings.

export interface CapabilitySet {
  /** 16 hex digits as /proc prints them. */
  mask: string;
  names: string[];
  /** Bits above CAP_CHECKPOINT_RESTORE (40), from a kernel newer than this table. */
  unknownBits: number[];
}

export interface WorkloadSecurity {
  uid: Known<number>;
  gid: Known<number>;
  groups: Known<number[]>;
  /** Effective capabilities of a process the workload starts (what a compromised workload can use). */
  capEff: Known<CapabilitySet>;
  capPrm: Known<CapabilitySet>;
  capBnd: Known<CapabilitySet>;
  capAmb: Known<CapabilitySet>;
  seccomp: Known<'disabled' | 'strict' | 'filter'>;
  seccompFilters: Known<number>;
  noNewPrivs: Known<boolean>;
  /** AppArmor/SELinux label of the workload's processes, e.g. "docker-default (enforce)". */
  lsmLabel: Known<string>;
  /** Active LSMs (/sys/kernel/security/lsm), e.g. ["capability","apparmor"]. */
  activeLsms: Known<string[]>;
  /** /sys/module/apparmor/parameters/enabled. */
  apparmorEnabled: Known<boolean>;
  /** /proc/self/uid_map: "0 0 4294967295" = no user namespace remapping. */
  uidMap: Known<string>;
  userNamespace: Known<boolean>;
}

export interface ScratchInfo {
  /** As given (seen by the workload). */
  path: string;
  /** Nearest existing ancestor with symlinks resolved, used to find the mount. */
  resolvedPath: string;
  mountPoint: string;
  /** Path inside the mounted filesystem (a bind mount's source directory). */
  mountRoot: string;
  fsType: string;
  source: string;
  device: string;
  mountOptions: string;
  superOptions: string;
  /** host: the machine's own filesystem; overlay: a container's writable layer; volume: a bind mount or Docker volume. */
  storage: 'host' | 'overlay' | 'volume';
  blockDevice: Known<string>;
  scheduler: Known<string>;
  /** For overlay: the filesystem under Docker's data root on the machine. */
  backing?: Known<{ path: string; mountPoint: string; fsType: string; device: string; mountOptions: string; blockDevice: Known<string>; scheduler: Known<string> }>;
}

export interface DockerEngine {
  serverVersion: Known<string>;
  storageDriver: Known<string>;
  backingFilesystem: Known<string>;
  cgroupDriver: Known<string>;
  cgroupVersion: Known<string>;
  rootDir: Known<string>;
  securityOptions: DockerSecurityOptions;
  /** Seccomp profile the daemon applies by default ("default", "builtin"…); null when the daemon has seccomp off. */
  seccompProfile: string | null;
  apparmor: boolean;
  selinux: boolean;
  userns: boolean;
  rootless: boolean;
  /** com.docker.network.bridge.enable_icc of the default bridge. */
  defaultBridgeIcc: Known<boolean>;
}

export interface ContainerFacts {
  id: Known<string>;
  privileged: Known<boolean>;
  /** host, bridge/default (Docker's default bridge), none, container:<id> or a user-defined network name. */
  networkMode: Known<string>;
  /** Where the scratch directory lives: the container layer (overlay) or a mounted volume. */
  storage: Known<'overlay' | 'volume'>;
  appArmorProfile: Known<string>;
  securityOpt: Known<string[]>;
  capAdd: Known<string[]>;
  capDrop: Known<string[]>;
  usernsMode: Known<string>;
  readonlyRootfs: Known<boolean>;
  /** Config.User ("" = the image's default, usually root). */
  user: Known<string>;
}

export interface FingerprintDetails {
  fingerprintVersion: number;
  collectedAt: string;
  collectMs: number;
  kernelVersion: Known<string>;
  /** systemd-detect-virt --container on the machine (is the machine itself a container?). */
  machineContainer: Known<string>;
  /** How `virtualization` was determined. */
  virtualizationSource: string;
  cpu: {
    vendor: Known<string>;
    hypervisorFlag: Known<boolean>;
    /** Cpus_allowed_list of a workload process. */
    cpusAllowed: Known<string>;
    governor: Known<string>;
    bugs: Known<string[]>;
  };
  dmi: { sysVendor: Known<string>; productName: Known<string> };
  vulnerabilities: Known<Record<string, string>>;
  /** cgroup memory limit of the workload; "max" = none. */
  memoryLimit: Known<number | 'max'>;
  cgroupVersion: Known<1 | 2>;
  transparentHugepage: Known<string>;
  scratch: Known<ScratchInfo>;
  security: WorkloadSecurity;
  /** The machine's own kernel (Docker targets): same boot_id as the workload = the container shares it. */
  machineKernel?: { hostname: Known<string>; kernelRelease: Known<string>; bootId: Known<string> };
  docker?: Known<DockerEngine>;
  container?: ContainerFacts;
}

export type CollectedFingerprint = Fingerprint & FingerprintDetails;

// ---------------------------------------------------------------------------------------------

export function unknown(reason: string): Unknown {
  return { unknown: true, reason };
}

function known<T>(v: T | undefined | null, reason: string): Known<T> {
  return v === undefined || v === null ? unknown(reason) : v;
}

function execProblem(what: string, r: ExecResult): string {
  if (r.timedOut) return `${what} timed out`;
  if (r.aborted) return `${what} was interrupted`;
  const err = (r.stderr || r.stdout).trim().split('\n').filter(Boolean).slice(-1)[0] ?? '';
  return `${what} exited with ${r.exitCode}${err ? `: ${err}` : ''}`;
}

/** Text of one bundle file, or the reason it could not be read. */
function fileText(b: Known<Bundle>, path: string): Known<string> {
  if (isUnknown(b)) return b;
  const e: BundleEntry | undefined = b.files.get(path);
  if (!e) return unknown(`${path} was not read (${b.complete ? 'missing from the output' : 'output cut short'})`);
  return e.ok ? e.content : unknown(`${path}: ${e.error}`);
}

function mapKnown<T, U>(v: Known<T>, f: (t: T) => U | undefined, reason: string): Known<U> {
  if (isUnknown(v)) return v;
  const out = f(v);
  return out === undefined ? unknown(reason) : out;
}

function capabilitySet(text: string | undefined, field: string): Known<CapabilitySet> {
  if (text === undefined) return unknown(`/proc/self/status has no ${field} line`);
  const mask = parseCapabilityMask(text);
  if (mask === null) return unknown(`${field} "${text}" is not a hexadecimal mask`);
  const d = decodeCapabilityMask(mask);
  return { mask: text.trim().toLowerCase(), names: d.names, unknownBits: d.unknownBits };
}

async function readBundle(exec: (argv: string[]) => Promise<ExecResult>, scratchDir: string, detectVirt: boolean, where: string): Promise<Known<Bundle>> {
  const token = `@@benchsuite-${randomBytes(8).toString('hex')}`;
  let r: ExecResult;
  try {
    r = await exec(bundleArgv(token, scratchDir, detectVirt));
  } catch (err) {
    return unknown(`reading ${where} failed: ${(err as Error).message}`);
  }
  const b = parseBundle(r.stdout, token);
  if (b.files.size === 0) return unknown(execProblem(`sh -c <fingerprint script> ${where}`, r));
  return b;
}

/** Parse a bundle's workload-side facts (pure; exported for tests on captured output). */
export function workloadFactsFromBundle(b: Known<Bundle>): {
  hostname: Known<string>;
  kernelRelease: Known<string>;
  kernelVersion: Known<string>;
  bootId: Known<string>;
  cpuModel: Known<string>;
  cores: Known<number>;
  memoryBytes: Known<number>;
  cpu: FingerprintDetails['cpu'];
  dmi: FingerprintDetails['dmi'];
  vulnerabilities: Known<Record<string, string>>;
  memoryLimit: Known<number | 'max'>;
  cgroupVersion: Known<1 | 2>;
  transparentHugepage: Known<string>;
  security: WorkloadSecurity;
  mounts: Known<MountEntry[]>;
} {
  const line = (path: string, what: string): Known<string> =>
    mapKnown(fileText(b, path), (t) => t.trim() || undefined, `${path} is empty (${what})`);
  const cpuinfoText = fileText(b, '/proc/cpuinfo');
  const cpuinfo = isUnknown(cpuinfoText) ? cpuinfoText : parseCpuinfo(cpuinfoText);
  const statusText = fileText(b, '/proc/self/status');
  const status = isUnknown(statusText) ? undefined : parseProcStatus(statusText);
  const statusReason = isUnknown(statusText) ? statusText.reason : '';
  const fromStatus = <T>(f: (s: NonNullable<typeof status>) => T | undefined, field: string): Known<T> =>
    status ? known(f(status), `/proc/self/status has no ${field} line`) : unknown(statusReason);

  // Cores: the kernel's online CPUs; cpuinfo's processor count when /sys is not readable.
  let cores: Known<number>;
  const online = fileText(b, '/sys/devices/system/cpu/online');
  const onlineN = isUnknown(online) ? null : countCpuList(online);
  if (onlineN !== null) cores = onlineN;
  else if (!isUnknown(cpuinfo) && cpuinfo.processors > 0) cores = cpuinfo.processors;
  else cores = unknown(`neither /sys/devices/system/cpu/online nor /proc/cpuinfo gave a CPU count${isUnknown(online) ? ` (${online.reason})` : ''}`);

  const memText = fileText(b, '/proc/meminfo');
  const memoryBytes: Known<number> = isUnknown(memText)
    ? memText
    : known(parseMemTotal(memText), '/proc/meminfo has no MemTotal line');

  // cgroup v2 has cgroup.controllers at the root of /sys/fs/cgroup; v1 has per-controller directories.
  const v2 = fileText(b, '/sys/fs/cgroup/cgroup.controllers');
  const v1Limit = fileText(b, '/sys/fs/cgroup/memory/memory.limit_in_bytes');
  const cgroupVersion: Known<1 | 2> = !isUnknown(v2) ? 2 : !isUnknown(v1Limit) ? 1 : unknown(`no cgroup filesystem readable at /sys/fs/cgroup (${v2.reason})`);
  let memoryLimit: Known<number | 'max'>;
  const v2Max = fileText(b, '/sys/fs/cgroup/memory.max');
  if (!isUnknown(v2Max)) memoryLimit = v2Max.trim() === 'max' ? 'max' : known(/^\d+$/.test(v2Max.trim()) ? Number(v2Max.trim()) : undefined, `memory.max "${v2Max.trim()}"`);
  else if (!isUnknown(v1Limit) && /^\d+$/.test(v1Limit.trim())) {
    const n = Number(v1Limit.trim());
    // cgroup v1 prints a huge page-aligned number (LONG_MAX rounded) for "no limit".
    memoryLimit = n >= 2 ** 62 ? 'max' : n;
  } else memoryLimit = unknown(`no cgroup memory limit file readable (${v2Max.reason})`);

  const vulnerabilities: Known<Record<string, string>> = isUnknown(b)
    ? b
    : (() => {
        const v = vulnerabilitiesFromFiles(b.files);
        return Object.keys(v).length ? v : unknown('/sys/devices/system/cpu/vulnerabilities is not readable (kernel older than 4.15, or /sys not mounted)');
      })();

  // LSM label: AppArmor's own attribute first (kernels with LSM stacking), then the shared one.
  let lsmLabel: Known<string>;
  const aa = fileText(b, '/proc/self/attr/apparmor/current');
  const attr = fileText(b, '/proc/self/attr/current');
  if (!isUnknown(aa) && parseLsmLabel(aa)) lsmLabel = parseLsmLabel(aa);
  else if (!isUnknown(attr) && parseLsmLabel(attr)) lsmLabel = parseLsmLabel(attr);
  else {
    const why = [aa, attr].map((x) => (isUnknown(x) ? x.reason.replace('/proc/self/', '') : 'empty')).join('; ');
    lsmLabel = unknown(`no LSM labels this process (${why})`);
  }
  const lsmList = fileText(b, '/sys/kernel/security/lsm');
  const activeLsms = mapKnown(lsmList, (t) => t.trim().split(',').filter(Boolean), 'empty LSM list');
  const aaEnabled = fileText(b, '/sys/module/apparmor/parameters/enabled');
  let apparmorEnabled: Known<boolean>;
  if (!isUnknown(aaEnabled)) apparmorEnabled = aaEnabled.trim() === 'Y';
  else if (/No such file/i.test(aaEnabled.reason)) apparmorEnabled = false; // module absent: not in this kernel
  else apparmorEnabled = aaEnabled;

  const uidMapText = fileText(b, '/proc/self/uid_map');
  const uidMap = mapKnown(uidMapText, (t) => t.trim().replace(/\s+/g, ' ') || undefined, 'empty uid_map');
  const userNamespace = mapKnown(uidMap, (t) => t !== '0 0 4294967295', '');

  const seccompN = fromStatus((s) => s.seccomp, 'Seccomp');
  const seccomp: Known<'disabled' | 'strict' | 'filter'> = isUnknown(seccompN)
    ? seccompN
    : known(SECCOMP_MODES[seccompN], `unknown Seccomp mode ${seccompN}`);

  const mountText = fileText(b, '/proc/self/mountinfo');
  const mounts = isUnknown(mountText) ? mountText : parseMountinfo(mountText);
  const sysVendor = line('/sys/class/dmi/id/sys_vendor', 'DMI vendor');
  const productName = line('/sys/class/dmi/id/product_name', 'DMI product');

  return {
    hostname: line('/proc/sys/kernel/hostname', 'hostname'),
    kernelRelease: line('/proc/sys/kernel/osrelease', 'kernel release'),
    kernelVersion: line('/proc/sys/kernel/version', 'kernel version'),
    bootId: line('/proc/sys/kernel/random/boot_id', 'boot id'),
    cpuModel: mapKnown(cpuinfo, (c) => c.model, '/proc/cpuinfo names no CPU model (no "model name" line)'),
    cores,
    memoryBytes,
    cpu: {
      vendor: mapKnown(cpuinfo, (c) => c.vendor, '/proc/cpuinfo has no vendor_id line'),
      hypervisorFlag: mapKnown(cpuinfo, (c) => (c.flags.length ? c.hypervisor : undefined), '/proc/cpuinfo has no flags line (not x86)'),
      cpusAllowed: fromStatus((s) => s.cpusAllowedList, 'Cpus_allowed_list'),
      governor: line('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor', 'cpufreq governor'),
      bugs: mapKnown(cpuinfo, (c) => (c.flags.length ? c.bugs : undefined), '/proc/cpuinfo has no bugs line'),
    },
    dmi: { sysVendor, productName },
    vulnerabilities,
    memoryLimit,
    cgroupVersion,
    transparentHugepage: mapKnown(fileText(b, '/sys/kernel/mm/transparent_hugepage/enabled'), (t) => parseScheduler(t).active, 'no [selected] value'),
    security: {
      uid: fromStatus((s) => s.uid?.effective, 'Uid'),
      gid: fromStatus((s) => s.gid?.effective, 'Gid'),
      groups: fromStatus((s) => s.groups, 'Groups'),
      capEff: status ? capabilitySet(status.capEff, 'CapEff') : unknown(statusReason),
      capPrm: status ? capabilitySet(status.capPrm, 'CapPrm') : unknown(statusReason),
      capBnd: status ? capabilitySet(status.capBnd, 'CapBnd') : unknown(statusReason),
      capAmb: status ? capabilitySet(status.capAmb, 'CapAmb') : unknown(statusReason),
      seccomp,
      seccompFilters: fromStatus((s) => s.seccompFilters, 'Seccomp_filters'),
      noNewPrivs: fromStatus((s) => s.noNewPrivs, 'NoNewPrivs'),
      lsmLabel,
      activeLsms,
      apparmorEnabled,
      uidMap,
      userNamespace,
    },
    mounts,
  };
}

/** Virtualization from systemd-detect-virt when it answered, else from cpuinfo's hypervisor flag and DMI. */
export function virtualizationFrom(
  b: Known<Bundle>,
  cpuHypervisor: Known<boolean>,
  sysVendor: Known<string>,
  productName: Known<string>,
): { value: Known<string>; source: string; container: Known<string> } {
  const section = (name: string): { text: string; status?: number } | undefined => (isUnknown(b) ? undefined : b.sections.get(name));
  const vm = section('virt-vm');
  const ct = section('virt-container');
  const vmName = vm ? parseDetectVirt(vm.text, vm.status) : null;
  const ctName = ct ? parseDetectVirt(ct.text, ct.status) : null;
  const container: Known<string> = ctName ?? unknown(ct ? `systemd-detect-virt --container: ${ct.text.trim() || `exit ${ct.status}`}` : 'systemd-detect-virt was not run');
  if (vmName) return { value: vmName, source: 'systemd-detect-virt --vm', container };
  const dmiVirt = virtualizationFromDmi(isUnknown(sysVendor) ? undefined : sysVendor, isUnknown(productName) ? undefined : productName);
  if (dmiVirt) return { value: dmiVirt, source: 'DMI sys_vendor/product_name', container };
  const why = vm ? `systemd-detect-virt: ${vm.text.trim().split('\n').pop() || `exit ${vm.status}`}` : 'systemd-detect-virt not run';
  if (isUnknown(cpuHypervisor)) return { value: unknown(`${why}; ${cpuHypervisor.reason}`), source: 'none', container };
  if (!cpuHypervisor) return { value: 'none', source: '/proc/cpuinfo (no hypervisor flag)', container };
  return {
    value: unknown(`${why}; the CPU has the hypervisor flag but DMI does not name the hypervisor`),
    source: '/proc/cpuinfo hypervisor flag',
    container,
  };
}

/** The scratch directory's mount and its block device's I/O scheduler. */
export function scratchFrom(b: Known<Bundle>, mounts: Known<MountEntry[]>, scratchDir: string, view: FingerprintPlan['view'], schedulerFiles?: Known<Bundle>): Known<ScratchInfo> {
  if (isUnknown(mounts)) return mounts;
  const sec = isUnknown(b) ? undefined : b.sections.get('scratch');
  const resolved = sec && sec.status === 0 && sec.text.trim().startsWith('/') ? sec.text.trim() : scratchDir;
  const m = findMount(mounts, resolved);
  if (!m) return unknown(`no mount in /proc/self/mountinfo contains ${resolved}`);
  let storage: ScratchInfo['storage'] = 'host';
  if (view === 'container') storage = m.fsType === 'overlay' && m.mountPoint === '/' ? 'overlay' : 'volume';
  const { blockDevice, scheduler } = schedulerFor(m, schedulerFiles ?? b, isUnknown(b) ? undefined : b);
  return {
    path: scratchDir,
    resolvedPath: resolved,
    mountPoint: m.mountPoint,
    mountRoot: m.root,
    fsType: m.fsType,
    source: m.source,
    device: m.device,
    mountOptions: m.mountOptions,
    superOptions: m.superOptions,
    storage,
    blockDevice,
    scheduler,
  };
}

/** Block device and scheduler of a mount, from /sys/block of one or two bundles. */
export function schedulerFor(m: MountEntry, ...bundles: (Known<Bundle> | undefined)[]): { blockDevice: Known<string>; scheduler: Known<string> } {
  if (m.device.startsWith('0:')) {
    const why = `${m.fsType} on ${m.source} has no block device of its own (device ${m.device})`;
    return { blockDevice: unknown(why), scheduler: unknown(why) };
  }
  for (const b of bundles) {
    if (!b || isUnknown(b)) continue;
    const devs = blockDevicesFromFiles(b.files);
    let dev = devs.find((d) => d.device === m.device);
    if (!dev && m.source.startsWith('/dev/')) {
      const name = m.source.slice(5);
      dev = devs.find((d) => d.name === name);
    }
    if (!dev) continue;
    const s = fileText(b, `/sys/block/${dev.disk}/queue/scheduler`);
    const scheduler = mapKnown(s, (t) => parseScheduler(t).active ?? (t.trim() || undefined), `/sys/block/${dev.disk}/queue/scheduler is empty`);
    return { blockDevice: dev.disk === dev.name ? dev.name : `${dev.name} (on ${dev.disk})`, scheduler };
  }
  const why = `no /sys/block entry has device ${m.device} (${m.source})`;
  return { blockDevice: unknown(why), scheduler: unknown(why) };
}

// ---------------------------------------------------------------------------------------------

async function machineJson<T>(machine: Machine, argv: string[], parse: (s: string) => T, signal?: AbortSignal): Promise<Known<T>> {
  let r: ExecResult;
  try {
    r = await machine.exec(argv, { timeoutMs: 30_000, signal });
  } catch (err) {
    return unknown(`${argv.slice(0, 3).join(' ')} failed: ${(err as Error).message}`);
  }
  if (r.exitCode !== 0) return unknown(execProblem(argv.slice(0, 3).join(' '), r));
  try {
    return parse(r.stdout);
  } catch (err) {
    return unknown(`${argv.slice(0, 3).join(' ')}: unexpected output (${(err as Error).message})`);
  }
}

function fromDockerInfo(info: ReturnType<typeof parseDockerInfo>, icc: Known<boolean | null>): DockerEngine {
  const k = (v: string | undefined, what: string): Known<string> => known(v, `docker info does not report ${what}`);
  return {
    serverVersion: k(info.serverVersion, 'ServerVersion'),
    storageDriver: k(info.storageDriver, 'Driver'),
    backingFilesystem: k(info.backingFilesystem, 'a backing filesystem for this storage driver'),
    cgroupDriver: k(info.cgroupDriver, 'CgroupDriver'),
    cgroupVersion: k(info.cgroupVersion, 'CgroupVersion'),
    rootDir: k(info.rootDir, 'DockerRootDir'),
    securityOptions: info.security,
    seccompProfile: info.security.seccompProfile,
    apparmor: info.security.apparmor,
    selinux: info.security.selinux,
    userns: info.security.userns,
    rootless: info.security.rootless,
    defaultBridgeIcc: isUnknown(icc) ? icc : icc === null ? unknown('the bridge network has no com.docker.network.bridge.enable_icc option') : icc,
  };
}

/** Where the fingerprint runs its commands: the workload's exec context (an ExecContext satisfies it). */
export interface FingerprintExecContext {
  exec(argv: string[], options?: ExecOptions): Promise<ExecResult>;
  /** The container, when the exec context is one and knows its id. */
  readonly containerId?: string;
}

type WorkloadFacts = ReturnType<typeof workloadFactsFromBundle>;

/** What a kind's probe gets when the fingerprint starts (its commands run alongside the common ones). */
export interface ProbeStart {
  machine: Machine;
  execCtx: FingerprintExecContext;
  /** The workload's own bundle and facts, when read. */
  workload: Promise<{ bundle: Known<Bundle>; facts: WorkloadFacts }>;
  /** Container settings as given in the scenario (a fallback where the engine cannot be asked). */
  containerSpec?: ContainerSpec;
  signal?: AbortSignal;
}

/** What a kind's probe gets to add its facts once the common ones are known. */
export interface ProbeContext {
  fp: CollectedFingerprint;
  machine: Machine;
  workloadBundle: Known<Bundle>;
  workloadFacts: WorkloadFacts;
  machineBundle: Known<Bundle>;
  machineFacts: WorkloadFacts;
  scratch: Known<ScratchInfo>;
}

/**
 * How one kind of target is fingerprinted, supplied by the target (`Target.fingerprintPlan`), so this module
 * holds no list of kinds: the common facts are read the same way everywhere, and a kind adds its own probe.
 */
export interface FingerprintPlan {
  /**
   * `machine`: the workload sees the machine itself (bare metal, a VM's userland).
   * `container`: the workload's view is not the machine's: the machine's own view is read too, and the scratch
   * directory is either the container's writable layer (overlay) or a volume.
   */
  view: 'machine' | 'container';
  /** Kind-specific probes: started with the common ones; the function they return adds their facts. */
  probe?: (start: ProbeStart) => (ctx: ProbeContext) => Promise<void>;
}

/** The part of a target the fingerprint needs (a Target satisfies it). */
export interface FingerprintSubject {
  readonly machine: Machine;
  fingerprintPlan?(execCtx: FingerprintExecContext): FingerprintPlan;
}

export interface CollectArgs {
  target: FingerprintSubject;
  execCtx: FingerprintExecContext;
  /** The scratch directory as the workload sees it (execCtx.scratchDir). */
  scratchDir: string;
  containerSpec?: ContainerSpec;
  signal?: AbortSignal;
}

export async function collectFingerprint(args: CollectArgs): Promise<Fingerprint> {
  const started = performance.now();
  const { target, execCtx, scratchDir, containerSpec, signal } = args;
  const plan: FingerprintPlan = target.fingerprintPlan?.(execCtx) ?? { view: 'machine' };
  const inContainer = plan.view === 'container';
  const machine = target.machine;

  // The workload's view; when the workload sees the machine itself, detect-virt runs there too.
  const workloadP = readBundle((a) => execCtx.exec(a, { timeoutMs: 30_000, signal }), scratchDir, !inContainer, 'where the workload runs');
  const machineP = inContainer ? readBundle((a) => machine.exec(a, { timeoutMs: 30_000, signal }), '/', true, `on ${machine.address}`) : undefined;
  const workload = workloadP.then((bundle) => ({ bundle, facts: workloadFactsFromBundle(bundle) }));
  const finish = plan.probe?.({ machine, execCtx, workload, containerSpec, signal });

  const { bundle: wb, facts: w } = await workload;
  const mb = machineP ? await machineP : wb;
  const mf = machineP ? workloadFactsFromBundle(mb) : w;
  const virt = virtualizationFrom(mb, mf.cpu.hypervisorFlag, mf.dmi.sysVendor, mf.dmi.productName);
  const scratch = scratchFrom(wb, w.mounts, scratchDir, plan.view, machineP ? mb : undefined);

  const fp: CollectedFingerprint = {
    hostname: w.hostname,
    kernelRelease: w.kernelRelease,
    bootId: w.bootId,
    cpuModel: w.cpuModel,
    cores: w.cores,
    memoryBytes: w.memoryBytes,
    virtualization: virt.value,
    fingerprintVersion: FINGERPRINT_VERSION,
    collectedAt: new Date().toISOString(),
    collectMs: 0,
    kernelVersion: w.kernelVersion,
    machineContainer: virt.container,
    virtualizationSource: virt.source,
    cpu: w.cpu,
    dmi: mf.dmi,
    vulnerabilities: w.vulnerabilities,
    memoryLimit: w.memoryLimit,
    cgroupVersion: w.cgroupVersion,
    transparentHugepage: w.transparentHugepage,
    scratch,
    security: w.security,
  };
  if (inContainer) fp.machineKernel = { hostname: mf.hostname, kernelRelease: mf.kernelRelease, bootId: mf.bootId };
  await finish?.({ fp, machine, workloadBundle: wb, workloadFacts: w, machineBundle: mb, machineFacts: mf, scratch });
  fp.collectMs = Math.round(performance.now() - started);
  return fp;
}

/**
 * The Docker engine and container probe (docker info, the default bridge's ICC, docker inspect), for container
 * targets run by Docker: the Docker target kind puts it in its plan.
 */
export function dockerContainerProbe(settings?: ContainerSpec): NonNullable<FingerprintPlan['probe']> {
  return ({ machine, execCtx, workload, containerSpec: fromScenario, signal }) => {
    const containerSpec = fromScenario ?? settings;
    const infoP = machineJson(machine, ['docker', 'info', '--format', '{{json .}}'], parseDockerInfo, signal);
    const iccP = machineJson(machine, ['docker', 'network', 'inspect', 'bridge'], parseBridgeIcc, signal);
    // Container id: from the exec context when it exposes one (then inspect starts right away), else from the
    // mounts Docker makes for /etc/hostname, /etc/hosts and /etc/resolv.conf, else from cgroup paths.
    const inspect = (id: string): Promise<Known<ContainerInspect>> =>
      machineJson(machine, ['docker', 'inspect', '--type', 'container', id], parseContainerInspect, signal);
    const exposed: unknown = execCtx.containerId;
    const idAndInspect: Promise<{ containerId: Known<string>; inspect: Known<ContainerInspect> }> =
      typeof exposed === 'string' && exposed
        ? inspect(exposed).then((i) => ({ containerId: exposed, inspect: i }))
        : workload.then(async ({ bundle: wb, facts: w }) => {
            let id: string | undefined;
            if (!isUnknown(w.mounts)) id = containerIdFromMountinfo(w.mounts);
            if (!id) {
              const cg = fileText(wb, '/proc/self/cgroup');
              if (!isUnknown(cg)) id = containerIdFromCgroup(cg);
            }
            const containerId = known(id, "the exec context exposes no container id, and none appears in the workload's mountinfo or cgroup paths");
            return { containerId, inspect: id ? await inspect(id) : unknown((containerId as Unknown).reason) };
          });

    return async ({ fp, machine, machineBundle: mb, machineFacts: mf, scratch }) => {
      const info = await infoP;
      const icc = await iccP;
      const engine: Known<DockerEngine> = isUnknown(info) ? info : fromDockerInfo(info, icc);
      fp.docker = engine;
      fp.dockerVersion = isUnknown(engine) ? engine : engine.serverVersion;

      // Overlay scratch: the layer lives under Docker's data root on the machine; its filesystem and scheduler matter.
      if (!isUnknown(scratch) && scratch.storage === 'overlay') {
        if (isUnknown(engine) || isUnknown(engine.rootDir)) scratch.backing = unknown(`Docker's data root is unknown (${isUnknown(engine) ? engine.reason : (engine.rootDir as Unknown).reason})`);
        else if (isUnknown(mf.mounts)) scratch.backing = mf.mounts;
        else {
          const root = engine.rootDir;
          const bm = findMount(mf.mounts, root);
          if (!bm) scratch.backing = unknown(`no mount on ${machine.address} contains ${root}`);
          else {
            const s = schedulerFor(bm, mb);
            scratch.backing = { path: root, mountPoint: bm.mountPoint, fsType: bm.fsType, device: bm.device, mountOptions: bm.mountOptions, ...s };
          }
        }
      }

      const { containerId, inspect } = await idAndInspect;
      const ins = <T>(f: (i: Exclude<typeof inspect, Unknown>) => T): Known<T> => (isUnknown(inspect) ? inspect : f(inspect));
      let networkMode: Known<string> = ins((i) => i.networkMode);
      if (isUnknown(networkMode) && containerSpec) networkMode = containerSpec.network; // from the scenario, as run
      let storage: Known<'overlay' | 'volume'>;
      if (!isUnknown(scratch)) storage = scratch.storage === 'overlay' ? 'overlay' : 'volume';
      else if (containerSpec) storage = containerSpec.storage;
      else storage = unknown(scratch.reason);
      fp.container = {
        id: containerId,
        privileged: ins((i) => i.privileged),
        networkMode,
        storage,
        appArmorProfile: ins((i) => i.appArmorProfile),
        securityOpt: ins((i) => i.securityOpt),
        capAdd: ins((i) => i.capAdd),
        capDrop: ins((i) => i.capDrop),
        usernsMode: ins((i) => i.usernsMode),
        readonlyRootfs: ins((i) => i.readonlyRootfs),
        user: ins((i) => i.user),
      };
    };
  };
}
