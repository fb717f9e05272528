/**
 * The default workload image, built locally because no registry is needed (or reachable, here):
 * a root filesystem of this host's own coreutils (timeout, rm…), dash, and the programs the workload kinds
 * run where the workload runs (their `where: 'workload'` requirements), with the libraries `ldd` lists,
 * `docker import`ed. Bare metal and container therefore run the very same binaries.
 * The image carries a hash of those binaries, so it is rebuilt when the host's binaries change.
 */
import { createHash } from 'node:crypto';
import { copyFile, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_IMAGE } from '../scenario/schema.js';
import { runProcess } from '../exec/process.js';
import { LocalMachine } from '../exec/local.js';
import type { Machine } from '../exec/types.js';
import { requirements, workloadBinaries } from '../workloads/index.js';

export { DEFAULT_IMAGE };

/** What benchsuite itself runs inside a container (scratch set-up, timeouts, fingerprint), besides the workloads. */
const HARNESS_BINARIES = [
  '/usr/bin/sleep',
  '/usr/bin/timeout',
  '/usr/bin/cat',
  '/usr/bin/rm',
  '/usr/bin/mkdir',
  '/usr/bin/ls',
  '/usr/bin/id',
  '/usr/bin/uname',
  '/usr/bin/nproc',
  '/usr/bin/df',
  '/usr/bin/stat',
  '/usr/bin/sync',
  '/usr/bin/dash',
];

/** Binaries the image carries, all resolved on this host: the harness's and the workload kinds'. */
export const IMAGE_BINARIES: readonly string[] = [...new Set([...workloadBinaries(), ...HARNESS_BINARIES])];

/** The Debian packages providing IMAGE_BINARIES that is missing here (for messages). */
export function imagePackagesFor(missing: readonly string[]): string[] {
  const byPath = new Map<string, string>([...HARNESS_BINARIES.map((p): [string, string] => [p, p.endsWith('/dash') ? 'dash' : 'coreutils'])]);
  for (const r of requirements()) if (r.where === 'workload') byPath.set(r.path, r.debian);
  return [...new Set(missing.map((p) => byPath.get(p) ?? 'coreutils'))];
}

const BUILDER_VERSION = '1';
const HASH_LABEL = 'benchsuite.image.hash';

function resolveBinary(path: string): string {
  // Debian 12 has merged /usr; fall back to /bin for older layouts.
  if (existsSync(path)) return path;
  const alt = path.replace('/usr/bin/', '/bin/').replace('/usr/sbin/', '/sbin/');
  if (existsSync(alt)) return alt;
  throw new Error(`${path} is missing on this host: apt-get install ${imagePackagesFor([path]).join(' ')} to build ${DEFAULT_IMAGE}`);
}

async function librariesOf(binary: string): Promise<string[]> {
  const r = await runProcess(['ldd', binary], { timeoutMs: 10_000 });
  if (r.exitCode !== 0) return []; // static binary
  const libs: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s+(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.push(m[1]);
  }
  return libs;
}

/** Hash of the binaries and libraries that go into the image. */
export async function imageContentHash(): Promise<{ hash: string; files: string[] }> {
  const files = new Set<string>();
  for (const b of IMAGE_BINARIES) {
    const path = resolveBinary(b);
    files.add(path);
    for (const lib of await librariesOf(path)) files.add(lib);
  }
  const h = createHash('sha256').update(BUILDER_VERSION);
  const sorted = [...files].sort();
  for (const f of sorted) h.update(f).update(await readFile(f));
  return { hash: h.digest('hex').slice(0, 16), files: sorted };
}

async function imageLabel(machine: Machine, image: string): Promise<string | null> {
  const r = await machine.exec(['docker', 'image', 'inspect', '--format', `{{ index .Config.Labels "${HASH_LABEL}" }}`, image], {
    timeoutMs: 30_000,
  });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

/** Build the default image into the local Docker engine. */
export async function buildWorkloadImage(log: (s: string) => void = () => undefined): Promise<string> {
  const { hash, files } = await imageContentHash();
  const root = await mkdtemp(join(tmpdir(), 'benchsuite-image-'));
  try {
    for (const f of files) {
      const dest = join(root, f);
      await mkdir(dirname(dest), { recursive: true });
      await copyFile(f, dest);
    }
    // Merged-/usr symlinks and the program names workloads call.
    await runProcess(['ln', '-s', 'usr/bin', join(root, 'bin')]);
    await runProcess(['ln', '-s', 'usr/sbin', join(root, 'sbin')]);
    await runProcess(['ln', '-s', 'usr/lib', join(root, 'lib')]);
    if (existsSync('/lib64') && !existsSync(join(root, 'lib64'))) await runProcess(['ln', '-s', 'usr/lib64', join(root, 'lib64')]);
    await runProcess(['ln', '-s', 'dash', join(root, 'usr/bin/sh')]);
    for (const d of ['tmp', 'var/tmp', 'etc', 'proc', 'sys', 'dev', 'run']) await mkdir(join(root, d), { recursive: true });
    await chmod(join(root, 'tmp'), 0o1777);
    await chmod(join(root, 'var/tmp'), 0o1777);
    await writeFile(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n');
    await writeFile(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    await writeFile(join(root, 'etc/benchsuite-image'), `${hash}\n`);
    const tar = join(root, '..', `benchsuite-image-${hash}.tar`);
    const t = await runProcess(['tar', '-C', root, '--numeric-owner', '-cf', tar, '.'], { timeoutMs: 120_000 });
    if (t.exitCode !== 0) throw new Error(`tar failed: ${t.stderr}`);
    log(`building ${DEFAULT_IMAGE} (docker import of ${files.length} files from this host)`);
    const r = await runProcess(
      ['docker', 'import', '--change', `LABEL ${HASH_LABEL}=${hash}`, '--change', 'CMD ["/usr/bin/sleep", "infinity"]', tar, DEFAULT_IMAGE],
      { timeoutMs: 300_000 },
    );
    await rm(tar, { force: true });
    if (r.exitCode !== 0) throw new Error(`docker import failed: ${r.stderr.trim()} — is dockerd running? (docker info)`);
    return hash;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Make sure the default image, matching this host's binaries, is in `machine`'s Docker engine:
 * build it locally, and for a remote machine stream `docker save` into its `docker load`.
 */
export async function ensureWorkloadImage(
  machine: Machine,
  opts: { signal?: AbortSignal; log?: (s: string) => void } = {},
): Promise<void> {
  const log = opts.log ?? (() => undefined);
  const { hash } = await imageContentHash();
  const thisHost = new LocalMachine();
  if ((await imageLabel(thisHost, DEFAULT_IMAGE)) !== hash) await buildWorkloadImage(log);
  if (machine.isThisHost) return;
  if ((await imageLabel(machine, DEFAULT_IMAGE)) === hash) return;
  log(`loading ${DEFAULT_IMAGE} into Docker on ${machine.address}`);
  const tarPath = join(tmpdir(), `benchsuite-image-${process.pid}.tar`);
  const s = await runProcess(['docker', 'save', '-o', tarPath, DEFAULT_IMAGE], { timeoutMs: 300_000, signal: opts.signal });
  if (s.exitCode !== 0) throw new Error(`docker save failed: ${s.stderr.trim()}`);
  try {
    const data = await readFile(tarPath);
    const r = await machine.exec(['docker', 'load'], { input: data, timeoutMs: 600_000, signal: opts.signal });
    if (r.exitCode !== 0) throw new Error(`docker load on ${machine.address} failed: ${r.stderr.trim()}`);
  } finally {
    await rm(tarPath, { force: true });
  }
}
