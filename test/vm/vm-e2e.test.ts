/**
 * End to end, for real: build the guest disk (cached between runs in its own directory, so a
 * user's VM is never touched), boot it under TCG, SSH in, check dockerd, shut it down, boot again
 * from the cache. Never needs an accelerated VM. Nothing is left running (afterAll kills qemu).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results/model.js';
import { SshMachine } from '../../src/exec/ssh.js';
import { ROOT } from '../helpers/cli.js';
import { diskReady } from '../../src/vm/disk.js';
import { ensureVm, vmDown, vmStatus, type VmConnection } from '../../src/vm/index.js';
import { findQemuUsing, findTool, pidAlive } from '../../src/vm/proc.js';
import { vmPaths } from '../../src/vm/settings.js';
import { readState } from '../../src/vm/state.js';

const CACHE = process.env.BENCHSUITE_VM_TEST_CACHE_DIR ?? '/var/cache/benchsuite/vm-test';
const paths = vmPaths(CACHE);
const missing = ['qemu-system-x86_64', 'debootstrap', 'mkfs.ext4', 'ssh', 'ssh-keygen'].filter((t) => !findTool(t));
const canRun = process.getuid?.() === 0 && missing.length === 0;
const settings = { accel: 'tcg' as const, cpus: 2, memoryMiB: 2048, diskCache: 'none' as const };

const timings: Record<string, number | string | boolean> = {};
const lines: string[] = [];
const log = (l: string): void => {
  lines.push(l);
  process.stderr.write(`  vm: ${l}\n`);
};
const since = (t0: number): number => Math.round(performance.now() - t0);

describe.skipIf(!canRun)(`local VM end to end under TCG (cache ${CACHE})`, () => {
  let conn: VmConnection;
  let guest: SshMachine | undefined;

  beforeAll(() => {
    mkdirSync(CACHE, { recursive: true });
  });

  afterAll(async () => {
    await guest?.close().catch(() => undefined);
    // Whatever happened above: no qemu may outlive the tests.
    for (const pid of findQemuUsing(paths.disk)) process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (findQemuUsing(paths.disk).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    writeFileSync(join(CACHE, 'timings.json'), `${JSON.stringify({ at: new Date().toISOString(), ...timings }, null, 2)}\n`);
    process.stderr.write(`VM timings: ${JSON.stringify(timings)}\n`);
  });

  it('builds the image (or reuses the cached one) and boots it under TCG', async () => {
    const cached = await diskReady(paths);
    timings.imageWasCached = Boolean(cached);
    const t0 = performance.now();
    conn = await ensureVm({ cacheDir: CACHE, settings, log });
    timings.firstUpMs = since(t0);
    const manifest = await diskReady(paths);
    expect(manifest).toBeDefined();
    if (!cached && manifest) {
      timings.buildMs = manifest.buildMs;
      for (const [k, v] of Object.entries(manifest.stepsMs)) timings[`build.${k}Ms`] = v;
    }
    const { state } = await readState(paths.state);
    timings.bootToSshMs = state.running?.bootToSshMs ?? -1;
    timings.dockerReadyAfterSshMs = state.running?.dockerReadyMs ?? -1;

    expect(conn.sshUrl).toMatch(/^ssh:\/\/root@127\.0\.0\.1:\d+$/);
    expect(conn.info).toMatchObject({ accelerator: 'tcg', cpus: 2, memoryMiB: 2048, diskCache: 'none', imagePath: paths.disk });
    expect(conn.info.qemuVersion).toMatch(/^\d+\.\d+/);
    expect(existsSync(conn.identityFile) && existsSync(conn.knownHostsFile)).toBe(true);
    expect(lines.join('\n')).toMatch(/emulated \(TCG\), not representative of KVM/);
  }, 45 * 60_000);

  it('runs commands in the guest over SSH with a pinned host key: another kernel, another boot', async () => {
    guest = new SshMachine(conn.sshUrl, { identityFile: conn.identityFile, knownHostsFile: conn.knownHostsFile, strictHostKeyChecking: 'yes' });
    const uname = await guest.exec(['uname', '-r'], { timeoutMs: 60_000 });
    expect(uname.exitCode).toBe(0);
    expect(uname.stdout.trim()).toBe(conn.info.guestKernel);
    const bootId = await guest.exec(['cat', '/proc/sys/kernel/random/boot_id'], { timeoutMs: 60_000 });
    expect(bootId.exitCode).toBe(0);
    const hostBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    expect(bootId.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
    expect(bootId.stdout.trim()).not.toBe(hostBootId);
    const hostname = await guest.exec(['hostname'], { timeoutMs: 60_000 });
    expect(hostname.stdout.trim()).toBe('benchsuite-guest');
    // The guest has what the workloads run natively: GNU dd, nginx, ab.
    const tools = await guest.exec(['sh', '-c', 'for t in dd nginx ab; do command -v $t; done; dd --version | head -1'], { timeoutMs: 60_000 });
    expect(tools.stdout).toMatch(/\/dd\n.*nginx\n.*\/ab\ndd \(coreutils\)/);
  });

  it('dockerd answers in the guest and has the workload image', async () => {
    const info = await guest!.exec(['docker', 'info', '--format', '{{.ServerVersion}} {{.Driver}}'], { timeoutMs: 120_000 });
    expect(info.exitCode).toBe(0);
    expect(info.stdout.trim()).toMatch(/^\d+\.\d+\S* overlay2$/);
    const img = await guest!.exec(['docker', 'image', 'inspect', '--format', '{{.Id}}', 'benchsuite/workload:local'], { timeoutMs: 120_000 });
    expect(img.exitCode, img.stderr).toBe(0);
    // A container really starts (AppArmor, cgroups, overlay2 in the guest kernel all work).
    const run = await guest!.exec(
      ['docker', 'run', '--rm', '--network', 'host', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', 'benchsuite/workload:local', '/usr/bin/dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1M', 'count=8'],
      { timeoutMs: 180_000 },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/8\+0 records out/);
    await guest!.close();
    guest = undefined;
  });

  it('status reports it running; ensureVm on a running VM returns it and refuses other settings', async () => {
    const s = await vmStatus({ cacheDir: CACHE });
    expect(s.running).toBe(true);
    expect(s.connection?.sshUrl).toBe(conn.sshUrl);
    expect(s.detail).toMatch(/TCG/);
    const t0 = performance.now();
    const again = await ensureVm({ cacheDir: CACHE, log });
    timings.ensureRunningMs = since(t0);
    expect(again.sshUrl).toBe(conn.sshUrl);
    await expect(ensureVm({ cacheDir: CACHE, settings: { cpus: 1 }, log })).rejects.toThrow(/already running with other settings.*vm down/);
  }, 5 * 60_000);

  it('runs a quick kvm-docker scenario with the candidate in the guest\'s Docker: Isolated, labelled TCG', async () => {
    const resultsDir = mkdtempSync(join(tmpdir(), 'bs-vm-results-'));
    const reportsDir = mkdtempSync(join(tmpdir(), 'bs-vm-reports-'));
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/benchsuite.js'), 'run', 'kvm-docker', '--quick', '--samples', '2', '--set', 'targets.kvm-docker.host=vm', '--results-dir', resultsDir, '--reports-dir', reportsDir],
      { cwd: ROOT, env: { ...process.env, BENCHSUITE_CACHE_DIR: CACHE }, encoding: 'utf8', timeout: 15 * 60_000 },
    );
    timings.quickScenarioMs = since(t0);
    expect(r.status, r.stderr).toBe(0);
    const file = readdirSync(resultsDir).find((f) => f.endsWith('.json')) as string;
    const results = JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as RunResults;
    const cand = results.targets.find((t) => t.id === 'kvm-docker');
    expect(cand?.kind).toBe('docker');
    expect((cand?.fingerprint.vm as { accelerator?: string } | undefined)?.accelerator).toBe('tcg');
    expect(cand?.fingerprint.bootId).not.toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    expect(results.samples.filter((x) => x.target === 'kvm-docker' && x.ok && !x.warmup).length).toBe(4);
    const md = readFileSync(join(reportsDir, results.runId, 'table.md'), 'utf8');
    const row = (md.split('\n').find((l) => /^\|\s*Kernel Security\s*\|/.test(l)) ?? '').split('|').map((c) => c.trim());
    expect(row[3]).toMatch(/^Isolated/);
    expect(md).toContain('emulated (TCG), not representative of KVM');
    expect(readFileSync(join(reportsDir, results.runId, 'report.html'), 'utf8')).toContain('emulated (TCG), not representative of KVM');
  }, 20 * 60_000);

  it('shuts down cleanly and leaves no qemu process', async () => {
    const { state } = await readState(paths.state);
    const pid = state.running!.pid;
    const t0 = performance.now();
    await vmDown({ cacheDir: CACHE, log });
    timings.shutdownMs = since(t0);
    expect(pidAlive(pid)).toBe(false);
    expect(findQemuUsing(paths.disk)).toEqual([]);
    expect(lines.join('\n')).not.toMatch(/SIGTERM, then SIGKILL/); // it powered off, nobody was killed
    const s = await vmStatus({ cacheDir: CACHE });
    expect(s.running).toBe(false);
    expect((await readState(paths.state)).state.running).toBeUndefined();
  }, 5 * 60_000);

  it('a second up reuses the cached image (no rebuild) and boots again', async () => {
    const before = await diskReady(paths);
    lines.length = 0;
    const t0 = performance.now();
    const c2 = await ensureVm({ cacheDir: CACHE, settings, log });
    timings.secondUpMs = since(t0);
    const { state } = await readState(paths.state);
    timings.secondBootToSshMs = state.running?.bootToSshMs ?? -1;
    timings.secondDockerReadyAfterSshMs = state.running?.dockerReadyMs ?? -1;
    const after = await diskReady(paths);
    expect(after?.builtAt).toBe(before?.builtAt);
    expect(lines.join('\n')).toMatch(/using the cached guest disk/);
    expect(lines.join('\n')).not.toMatch(/debootstrap|building the guest disk/);
    expect(c2.info.accelerator).toBe('tcg');
    await vmDown({ cacheDir: CACHE, log });
    expect(findQemuUsing(paths.disk)).toEqual([]);
  }, 10 * 60_000);
});
