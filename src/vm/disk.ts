/**
 * Builds the guest disk once and caches it: debootstrap (minbase + the packages in
 * recipe.ts) from this host's Debian mirror, configure SSH/network/services, copy out the kernel
 * and initrd, then `mkfs.ext4 -d` the tree into a raw disk. Everything happens in a temporary
 * directory inside the cache and is renamed into place only when complete, so an interrupted or
 * failed build leaves no half-made disk behind.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runProcess } from '../exec/process.js';
import type { ExecResult } from '../exec/types.js';
import { SBIN_PATH, findTool, pidAlive, killPid, stepLogger, throwIfAborted, withTicker, waitForExit } from './proc.js';
import {
  DISABLED_UNITS,
  ENABLED_UNITS,
  GUEST_PACKAGES,
  WORKLOAD_PACKAGES,
  MASKED_UNITS,
  RECIPE_VERSION,
  ROOT_LABEL,
  SUITE,
  debianMirrorFrom,
  guestFiles,
  knownHostsLine,
  recipeId,
} from './recipe.js';
import type { VmPaths } from './settings.js';
import { EXPECTED_BUILD_MS, EXPECTED_DEBOOTSTRAP_MS } from './settings.js';

export interface DiskManifest {
  recipe: string;
  recipeVersion: number;
  suite: string;
  mirror: string;
  builtAt: string;
  buildMs: number;
  stepsMs: Record<string, number>;
  diskSizeGiB: number;
  rootfsBytes: number;
  guestKernel: string;
  packageCount: number;
  /** Versions of the packages that matter for the comparison. */
  versions: Record<string, string>;
}

/** Commands run with a PATH that has the sbin directories (debootstrap calls chroot, mknod…). */
function withPath(argv: string[]): string[] {
  return ['/usr/bin/env', `PATH=${SBIN_PATH}`, 'DEBIAN_FRONTEND=noninteractive', ...argv];
}


/** The tools a build needs, with the Debian package that provides each. */
const BUILD_TOOLS: [string, string][] = [
  ['debootstrap', 'debootstrap'],
  ['mkfs.ext4', 'e2fsprogs'],
  ['ssh-keygen', 'openssh-client'],
  ['chroot', 'coreutils'],
];

function checkBuildHost(): void {
  if (process.getuid?.() !== 0) {
    throw new Error('building the guest disk needs root (debootstrap creates device nodes and chroots); run `benchsuite vm up` as root once');
  }
  const missing = BUILD_TOOLS.filter(([t]) => !findTool(t)).map(([, pkg]) => pkg);
  if (missing.length) throw new Error(`missing tools to build the guest disk: apt-get install ${[...new Set(missing)].join(' ')}`);
}

/** The mirror from this host's APT sources (or $BENCHSUITE_VM_MIRROR, set by the user). */
export function hostDebianMirror(): string {
  const fromEnv = process.env.BENCHSUITE_VM_MIRROR?.trim();
  if (fromEnv) return fromEnv.replace(/\/+$/, '');
  const files: string[] = [];
  const dir = '/etc/apt/sources.list.d';
  try {
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.sources') || f.endsWith('.list')) files.push(join(dir, f));
  } catch {
    /* no directory */
  }
  files.push('/etc/apt/sources.list');
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    const m = debianMirrorFrom(text, SUITE);
    if (m) return m;
  }
  throw new Error(
    `no Debian ${SUITE} mirror in this host's APT sources (/etc/apt/sources.list.d/*.sources, /etc/apt/sources.list); set BENCHSUITE_VM_MIRROR=http://… to the Debian mirror to use`,
  );
}

export async function readManifest(paths: VmPaths): Promise<DiskManifest | undefined> {
  try {
    const m = JSON.parse(await readFile(paths.manifest, 'utf8')) as DiskManifest;
    return typeof m.recipe === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Is there a complete guest disk built by the current recipe? */
export async function diskReady(paths: VmPaths): Promise<DiskManifest | undefined> {
  const m = await readManifest(paths);
  if (!m || m.recipe !== recipeId()) return undefined;
  for (const f of [paths.disk, paths.kernel, paths.initrd, paths.identityFile, paths.knownHostsFile]) if (!existsSync(f)) return undefined;
  return m;
}

function must(r: ExecResult, what: string): ExecResult {
  if (r.exitCode === 0) return r;
  const why = r.timedOut ? 'timed out' : r.aborted ? 'was interrupted' : `exited with ${r.exitCode}`;
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-8).join('\n  ');
  throw new Error(`${what} ${why}${tail ? `:\n  ${tail}` : ''}`);
}

/** Mount points at or below `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  let text = '';
  try {
    text = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return [];
  }
  const decode = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .map((l) => decode(l.split(' ')[1] ?? ''))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/** Kill processes whose root directory is inside `dir` (a service a package script started in the chroot). */
async function killProcessesRootedIn(dir: string): Promise<number> {
  const victims: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    let root: string;
    try {
      root = readlinkSync(`/proc/${e}/root`);
    } catch {
      continue;
    }
    if (root === dir || root.startsWith(`${dir}/`)) victims.push(Number(e));
  }
  for (const pid of victims) killPid(pid, 'SIGKILL');
  for (const pid of victims) await waitForExit(pid, 5000);
  return victims.length;
}

/** Remove a build directory safely: nothing running in it, nothing mounted below it, never crossing file systems. */
export async function removeBuildDir(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  await killProcessesRootedIn(dir);
  for (const m of mountsUnder(dir)) {
    const r = await runProcess(withPath(['umount', m]), { timeoutMs: 30_000 });
    if (r.exitCode !== 0) await runProcess(withPath(['umount', '-l', m]), { timeoutMs: 30_000 });
  }
  const left = mountsUnder(dir);
  if (left.length) throw new Error(`not removing ${dir}: still mounted: ${left.join(', ')}`);
  must(await runProcess(['rm', '-rf', '--one-file-system', dir], { timeoutMs: 600_000 }), `rm -rf ${dir}`);
}

/** Leftovers of builds that were killed (their builder process is gone). */
async function removeStaleBuilds(cacheDir: string, log: (s: string) => void): Promise<void> {
  let names: string[] = [];
  try {
    names = await readdir(cacheDir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = /^\.(?:build|old)-(\d+)-/.exec(n);
    if (!m) continue;
    if (pidAlive(Number(m[1])) && Number(m[1]) !== process.pid) continue;
    log(`removing the leftovers of an interrupted build: ${join(cacheDir, n)}`);
    await removeBuildDir(join(cacheDir, n));
  }
}

function versionKey(v: string): number[] {
  return v.split(/[^0-9]+/).filter(Boolean).map(Number);
}
function compareVersions(a: string, b: string): number {
  const x = versionKey(a);
  const y = versionKey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

/** The newest kernel in `<rootfs>/boot` that has an initrd. */
export function pickKernel(bootFiles: string[]): { kernel: string; initrd: string; version: string } | undefined {
  const versions = bootFiles
    .map((f) => /^vmlinuz-(.+)$/.exec(f)?.[1])
    .filter((v): v is string => !!v && bootFiles.includes(`initrd.img-${v}`))
    .sort(compareVersions);
  const v = versions.at(-1);
  return v ? { kernel: `vmlinuz-${v}`, initrd: `initrd.img-${v}`, version: v } : undefined;
}

export interface BuildOptions {
  diskSizeGiB: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Build the guest disk into `paths.diskDir` (replacing an outdated one). Call with the cache lock held. */
export async function buildDisk(paths: VmPaths, opts: BuildOptions): Promise<DiskManifest> {
  const log = opts.log ?? (() => undefined);
  const { step, elapsedMs } = stepLogger(log);
  const signal = opts.signal;
  checkBuildHost();
  const mirror = hostDebianMirror();
  await mkdir(paths.cacheDir, { recursive: true, mode: 0o700 });
  await removeStaleBuilds(paths.cacheDir, log);
  const tmp = await mkdtemp(join(paths.cacheDir, `.build-${process.pid}-`));
  const rootfs = join(tmp, 'rootfs');
  const stepsMs: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      stepsMs[name] = Math.round(performance.now() - t0);
    }
  };
  // The ETA: the previous build's own step times where one is cached (an outdated disk), else the
  // times measured on the machine benchsuite is developed on.
  const previous = (await readManifest(paths).catch(() => undefined))?.stepsMs;
  const expectDebootstrapMs = previous?.debootstrap ?? EXPECTED_DEBOOTSTRAP_MS;
  const expectTotalMs = previous ? Object.values(previous).reduce((a, b) => a + b, 0) : EXPECTED_BUILD_MS;
  try {
    step(
      `building the guest disk (Debian ${SUITE}, ${GUEST_PACKAGES.length} packages) in ${tmp}; expected ~${Math.round(expectTotalMs / 60_000)} min (${previous ? "the previous build's time" : 'measured on a 2-core machine'}), cached after`,
    );
    await timed('keys', async () => {
      for (const [file, comment] of [
        ['id_ed25519', 'benchsuite-vm-root'],
        ['ssh_host_ed25519_key', 'benchsuite-guest-host'],
      ] as const) {
        must(
          await runProcess(withPath(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', join(tmp, file)]), { timeoutMs: 30_000 }),
          'ssh-keygen',
        );
      }
    });

    step(`debootstrap --variant=minbase ${SUITE} from ${mirror} (several minutes: ~170 packages, then the kernel's initramfs is generated)`);
    const include = GUEST_PACKAGES.join(',');
    const boot = await timed('debootstrap', () =>
      withTicker(
        (m) => step(m),
        'running debootstrap',
        runProcess(withPath(['debootstrap', '--variant=minbase', '--components=main', `--include=${include}`, SUITE, rootfs, mirror]), {
          timeoutMs: 45 * 60_000,
          signal,
        }),
        20_000,
        expectDebootstrapMs,
      ),
    );
    const stray = await killProcessesRootedIn(rootfs);
    if (stray) step(`stopped ${stray} process(es) a package script had started inside the build root`);
    if (boot.exitCode !== 0) {
      let debootstrapLog = '';
      try {
        debootstrapLog = (await readFile(join(rootfs, 'debootstrap/debootstrap.log'), 'utf8')).trim().split('\n').slice(-15).join('\n  ');
      } catch {
        /* no log */
      }
      try {
        must(boot, `debootstrap from ${mirror}`);
      } catch (e) {
        if (debootstrapLog) (e as Error).message += `\n  debootstrap.log ended with:\n  ${debootstrapLog}`;
        throw e;
      }
    }
    throwIfAborted(signal);

    step('configuring the guest: SSH keys, DHCP on the virtio NIC, fstab, hostname, services');
    const hostKeyPub = await readFile(join(tmp, 'ssh_host_ed25519_key.pub'), 'utf8');
    const authorizedKey = await readFile(join(tmp, 'id_ed25519.pub'), 'utf8');
    const bootFiles = await readdir(join(rootfs, 'boot'));
    const kernel = pickKernel(bootFiles);
    if (!kernel) throw new Error(`no kernel with an initrd in ${join(rootfs, 'boot')} (found: ${bootFiles.join(', ') || 'nothing'})`);
    await timed('configure', async () => {
      for (const f of guestFiles({ authorizedKey })) {
        const dest = join(rootfs, f.path);
        await mkdir(dirname(dest), { recursive: true });
        await rm(dest, { force: true }); // /etc/resolv.conf may be a symlink
        await writeFile(dest, f.content);
        await chmod(dest, f.mode);
      }
      await chmod(join(rootfs, 'root/.ssh'), 0o700);
      // The fixed host key: its public half is in the known_hosts file, so the client checks it strictly.
      for (const f of await readdir(join(rootfs, 'etc/ssh'))) if (f.startsWith('ssh_host_')) await rm(join(rootfs, 'etc/ssh', f));
      await copyFile(join(tmp, 'ssh_host_ed25519_key'), join(rootfs, 'etc/ssh/ssh_host_ed25519_key'));
      await chmod(join(rootfs, 'etc/ssh/ssh_host_ed25519_key'), 0o600);
      await copyFile(join(tmp, 'ssh_host_ed25519_key.pub'), join(rootfs, 'etc/ssh/ssh_host_ed25519_key.pub'));
      await chmod(join(rootfs, 'etc/ssh/ssh_host_ed25519_key.pub'), 0o644);
      const chroot = (args: string[]): Promise<ExecResult> => runProcess(withPath(['chroot', rootfs, ...args]), { timeoutMs: 120_000, signal });
      must(await chroot(['systemctl', 'enable', ...ENABLED_UNITS]), 'systemctl enable (in the guest root)');
      must(await chroot(['systemctl', 'disable', ...DISABLED_UNITS]), 'systemctl disable (in the guest root)');
      must(await chroot(['systemctl', 'mask', ...MASKED_UNITS]), 'systemctl mask (in the guest root)');
      // Downloaded packages and indexes are not needed in the guest.
      await runProcess(['find', join(rootfs, 'var/cache/apt/archives'), '-name', '*.deb', '-delete'], { timeoutMs: 60_000 });
      await runProcess(['find', join(rootfs, 'var/lib/apt/lists'), '-type', 'f', '-delete'], { timeoutMs: 60_000 });
      await copyFile(join(rootfs, 'boot', kernel.kernel), join(tmp, 'vmlinuz'));
      await copyFile(join(rootfs, 'boot', kernel.initrd), join(tmp, 'initrd.img'));
      await writeFile(join(tmp, 'known_hosts'), knownHostsLine(hostKeyPub), { mode: 0o644 });
      await rm(join(tmp, 'ssh_host_ed25519_key')); // the private host key lives only in the guest
    });

    const q = await runProcess(['dpkg-query', `--admindir=${join(rootfs, 'var/lib/dpkg')}`, '-W', '-f', '${Package}\t${Version}\n'], { timeoutMs: 60_000 });
    const all = new Map(
      q.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t') as [string, string]),
    );
    const versions: Record<string, string> = {};
    for (const p of ['linux-image-amd64', `linux-image-${kernel.version}`, 'systemd', 'docker.io', 'containerd', 'runc', ...WORKLOAD_PACKAGES, 'coreutils', 'openssh-server']) {
      const v = all.get(p);
      if (v) versions[p] = v;
    }

    const du = must(await runProcess(['du', '-sb', '--one-file-system', rootfs], { timeoutMs: 300_000 }), 'du');
    const rootfsBytes = Number(du.stdout.split(/\s/)[0]);
    const needGiB = Math.ceil((rootfsBytes * 1.1) / 1024 ** 3 + 1.5);
    if (opts.diskSizeGiB < needGiB) {
      throw new Error(`a ${opts.diskSizeGiB} GiB disk is too small for the ${(rootfsBytes / 1024 ** 3).toFixed(1)} GiB guest plus working space: use --disk-size ${needGiB} or more`);
    }

    step(`mkfs.ext4 -d: ${(rootfsBytes / 1024 ** 3).toFixed(2)} GiB of files into a ${opts.diskSizeGiB} GiB raw disk`);
    await timed('mkfs', async () => {
      must(
        await runProcess(withPath(['mkfs.ext4', '-q', '-F', '-L', ROOT_LABEL, '-d', rootfs, join(tmp, 'disk.img'), `${opts.diskSizeGiB}G`]), {
          timeoutMs: 30 * 60_000,
          signal,
        }),
        'mkfs.ext4 -d',
      );
    });
    await timed('cleanup', () => removeBuildDir(rootfs));

    const manifest: DiskManifest = {
      recipe: recipeId(),
      recipeVersion: RECIPE_VERSION,
      suite: SUITE,
      mirror,
      builtAt: new Date().toISOString(),
      buildMs: Math.round(elapsedMs()),
      stepsMs,
      diskSizeGiB: opts.diskSizeGiB,
      rootfsBytes,
      guestKernel: kernel.version,
      packageCount: all.size,
      versions,
    };
    await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    throwIfAborted(signal);

    // Into place: an outdated disk is moved aside first and removed after.
    let old: string | undefined;
    if (existsSync(paths.diskDir)) {
      old = join(paths.cacheDir, `.old-${process.pid}-${Date.now()}`);
      await rename(paths.diskDir, old);
    }
    await rename(tmp, paths.diskDir);
    if (old) await removeBuildDir(old);
    step(`guest disk ready: ${paths.disk} (kernel ${kernel.version}, ${all.size} packages, built in ${(manifest.buildMs / 1000).toFixed(0)} s)`);
    return manifest;
  } catch (e) {
    await removeBuildDir(tmp).catch((err: unknown) => log(`could not remove ${tmp}: ${String(err)}`));
    throw e;
  }
}
