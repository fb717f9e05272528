/**
 * Paths and settings of the local guest VM: where its cache lives, which knobs exist, their
 * defaults and ranges. Pure apart from reading the environment and the host's CPU/memory counts.
 */
import { homedir, totalmem, cpus as hostCpus } from 'node:os';
import { join } from 'node:path';

export type Accelerator = 'kvm' | 'tcg';

/**
 * How long the first guest build takes (debootstrap, kernel, disk): measured 626–694 s on the
 * 2-core machine benchsuite is developed on. README, docs/vm.md and `vm up --help` quote this one figure.
 */
export const FIRST_BUILD_TIME = 'about 10–12 minutes';
/** Expected durations for the first build's progress ETA (the same measurements, split: debootstrap is most of it). */
export const EXPECTED_BUILD_MS = 660_000;
export const EXPECTED_DEBOOTSTRAP_MS = 560_000;
export type AccelChoice = 'auto' | Accelerator;

/**
 * Host page-cache policy for the guest disk (qemu `-drive cache=`). `unsafe` is not offered: it
 * ignores the guest's flushes, so a guest `dd … conv=fdatasync` would measure host RAM.
 */
export const DISK_CACHE_MODES = ['none', 'writeback', 'writethrough', 'directsync'] as const;
export type DiskCacheMode = (typeof DISK_CACHE_MODES)[number];

export interface VmSettings {
  cpus: number;
  memoryMiB: number;
  diskCache: DiskCacheMode;
  /** Size of the guest's root disk; applies when the disk is built. */
  diskSizeGiB: number;
  accel: AccelChoice;
}

/**
 * Defaults. `cache=none` (O_DIRECT on the host): the guest's writes and reads reach the host's
 * disk instead of being absorbed by the host page cache, so a guest dd is comparable with bare
 * metal and Docker (which also go through one page cache, their own kernel's), and a guest that
 * drops its caches does not then read from a second cache in host RAM.
 */
export const DEFAULT_SETTINGS: VmSettings = {
  cpus: 2,
  memoryMiB: 2048,
  diskCache: 'none',
  diskSizeGiB: 4,
  accel: 'auto',
};

export const LIMITS = {
  cpus: { min: 1, max: 64 },
  memoryMiB: { min: 512, max: 256 * 1024 },
  diskSizeGiB: { min: 3, max: 1024 },
} as const;

export interface SettingsProblem {
  field: keyof VmSettings;
  message: string;
}

/** Merge `input` over `base` and check every field; returns the settings or what is wrong. */
export function validateSettings(
  input: Partial<Record<keyof VmSettings, unknown>>,
  base: VmSettings = DEFAULT_SETTINGS,
): { ok: true; settings: VmSettings; warnings: string[] } | { ok: false; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const warnings: string[] = [];
  const s: VmSettings = { ...base };

  const int = (field: 'cpus' | 'memoryMiB' | 'diskSizeGiB', unit: string): void => {
    const raw = input[field];
    if (raw === undefined) return;
    const n = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    const { min, max } = LIMITS[field];
    if (typeof n !== 'number' || !Number.isInteger(n)) problems.push({ field, message: `${field} must be a whole number of ${unit}, got ${JSON.stringify(raw)}` });
    else if (n < min || n > max) problems.push({ field, message: `${field} must be between ${min} and ${max} ${unit}, got ${n}` });
    else s[field] = n;
  };
  int('cpus', 'CPUs');
  int('memoryMiB', 'MiB');
  int('diskSizeGiB', 'GiB');

  if (input.diskCache !== undefined) {
    if (typeof input.diskCache === 'string' && (DISK_CACHE_MODES as readonly string[]).includes(input.diskCache)) {
      s.diskCache = input.diskCache as DiskCacheMode;
    } else {
      const hint = input.diskCache === 'unsafe' ? ' ("unsafe" ignores guest flushes, which would make disk results meaningless)' : '';
      problems.push({ field: 'diskCache', message: `diskCache must be one of ${DISK_CACHE_MODES.join(', ')}${hint}, got ${JSON.stringify(input.diskCache)}` });
    }
  }
  if (input.accel !== undefined) {
    if (input.accel === 'auto' || input.accel === 'kvm' || input.accel === 'tcg') s.accel = input.accel;
    else problems.push({ field: 'accel', message: `accel must be auto, kvm or tcg, got ${JSON.stringify(input.accel)}` });
  }
  if (problems.length) return { ok: false, problems };

  const nHost = hostCpus().length;
  if (s.cpus > nHost) warnings.push(`${s.cpus} guest CPUs on a host with ${nHost}: the guest's CPUs will compete for host cores`);
  const hostMiB = Math.floor(totalmem() / 1024 ** 2);
  if (s.memoryMiB > hostMiB - 512) warnings.push(`${s.memoryMiB} MiB of guest memory on a host with ${hostMiB} MiB`);
  return { ok: true, settings: s, warnings };
}

/** The settings that change a running VM (all but the disk size, which is fixed at build time). */
export function runtimeSettingsDiffer(a: VmSettings, b: VmSettings): string[] {
  const diffs: string[] = [];
  if (a.cpus !== b.cpus) diffs.push(`cpus ${a.cpus} vs ${b.cpus}`);
  if (a.memoryMiB !== b.memoryMiB) diffs.push(`memory ${a.memoryMiB} vs ${b.memoryMiB} MiB`);
  if (a.diskCache !== b.diskCache) diffs.push(`disk cache ${a.diskCache} vs ${b.diskCache}`);
  return diffs;
}

/** Cache directory: `$BENCHSUITE_CACHE_DIR`, else /var/cache/benchsuite/vm for root, else ~/.cache/benchsuite/vm. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, uid: number | undefined = process.getuid?.()): string {
  const fromEnv = env.BENCHSUITE_CACHE_DIR?.trim();
  if (fromEnv) return fromEnv;
  if (uid === 0) return '/var/cache/benchsuite/vm';
  return join(env.HOME || homedir(), '.cache', 'benchsuite', 'vm');
}

export interface VmPaths {
  cacheDir: string;
  /** The finished guest disk with its kernel, initrd, keys and manifest (a directory renamed into place only after a successful build; `image/` on disk since the first release). */
  diskDir: string;
  disk: string;
  kernel: string;
  initrd: string;
  manifest: string;
  identityFile: string;
  knownHostsFile: string;
  hostKeyPub: string;
  state: string;
  lock: string;
  pidFile: string;
  serialLog: string;
  qmpSocket: string;
  /** Does this host run guests with KVM? The verdict of the last try, valid until the next boot (`host: auto`). */
  kvmVerdict: string;
}

export function vmPaths(cacheDir: string = defaultCacheDir()): VmPaths {
  const diskDir = join(cacheDir, 'image');
  return {
    cacheDir,
    diskDir,
    disk: join(diskDir, 'disk.img'),
    kernel: join(diskDir, 'vmlinuz'),
    initrd: join(diskDir, 'initrd.img'),
    manifest: join(diskDir, 'manifest.json'),
    identityFile: join(diskDir, 'id_ed25519'),
    knownHostsFile: join(diskDir, 'known_hosts'),
    hostKeyPub: join(diskDir, 'ssh_host_ed25519_key.pub'),
    state: join(cacheDir, 'state.json'),
    lock: join(cacheDir, 'lock'),
    pidFile: join(cacheDir, 'qemu.pid'),
    serialLog: join(cacheDir, 'serial.log'),
    qmpSocket: join(cacheDir, 'qmp.sock'),
    kvmVerdict: join(cacheDir, 'kvm-verdict.json'),
  };
}
