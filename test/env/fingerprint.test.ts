// collectFingerprint for real: on this host (LocalMachine), over SSH (a real sshd on 127.0.0.1), and in real
// containers started by DockerTarget with the hardening flags. Plus the process budget, on captured outputs.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, hostname, release } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFingerprint, type CollectedFingerprint } from '../../src/env/fingerprint.js';
import { isUnknown } from '../../src/results/model.js';
import { containerSchema, type ContainerSpec } from '../../src/scenario/schema.js';
import { DockerTarget } from '../../src/targets/docker.js';
import { DirectTarget } from '../../src/targets/direct.js';
import { LocalMachine } from '../../src/exec/local.js';
import { SshMachine } from '../../src/exec/ssh.js';
import type { ExecContext } from '../../src/exec/types.js';
import { startSshd, type TestSshd } from '../helpers/sshd.js';
import { fakeTarget } from './helpers.js';

const BOOT_ID = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const SCRATCH = `/var/tmp/benchsuite-envtest-${process.pid}`;

function expectKnown(fp: CollectedFingerprint, keys: (keyof CollectedFingerprint)[]): void {
  for (const k of keys) expect(isUnknown(fp[k]), `${String(k)}: ${JSON.stringify(fp[k])}`).toBe(false);
}

beforeAll(() => mkdirSync(SCRATCH, { recursive: true }));
afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

describe('collectFingerprint on this host', () => {
  it('reads the required fields, known and matching what Node sees', async () => {
    const target = new DirectTarget('bare', 'Bare Metal', new LocalMachine());
    const execCtx = await target.open({ workload: 'fp', mounts: [], scratchDir: `${SCRATCH}/not-created-yet` });
    const fp = (await collectFingerprint({ target, execCtx, scratchDir: execCtx.scratchDir })) as CollectedFingerprint;
    expectKnown(fp, ['hostname', 'kernelRelease', 'bootId', 'cpuModel', 'cores', 'memoryBytes', 'virtualization']);
    expect(fp.bootId).toBe(BOOT_ID);
    expect(fp.hostname).toBe(hostname());
    expect(fp.kernelRelease).toBe(release());
    expect(fp.cores).toBe(cpus().length);
    const memTotal = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
    expect(fp.memoryBytes).toBe(memTotal);
    expect(fp.dockerVersion).toBeUndefined(); // no Docker involved in a direct target
    expect(fp.security.uid).toBe(process.getuid!());
    const scratch = fp.scratch;
    if (isUnknown(scratch)) throw new Error(scratch.reason);
    expect(scratch.resolvedPath).toBe(SCRATCH);
    expect(scratch.storage).toBe('host');
    expect(scratch.fsType).toMatch(/^[a-z0-9]+$/);
    expect(isUnknown(fp.vulnerabilities)).toBe(false);
    // JSON all the way down (results files store it).
    expect(JSON.parse(JSON.stringify(fp))).toEqual(fp);
  });
});

describe('process budget', () => {
  it('one process for a direct target, five for a Docker target', async () => {
    const hostCalls: string[][] = [];
    const h = fakeTarget('host', { workloadBundle: 'host-bundle.txt' }, hostCalls);
    await collectFingerprint({ target: h.target, execCtx: h.execCtx, scratchDir: '/var/tmp/benchsuite/fixture' });
    expect(hostCalls).toHaveLength(1);
    const dockerCalls: string[][] = [];
    const d = fakeTarget('docker', { workloadBundle: 'container-hardened-bundle.txt', inspect: 'docker-inspect-hardened.json' }, dockerCalls);
    const fp = (await collectFingerprint({ target: d.target, execCtx: d.execCtx, scratchDir: '/var/tmp/benchsuite/fixture' })) as CollectedFingerprint;
    expect(dockerCalls).toHaveLength(5);
    expect(fp.container?.privileged).toBe(false);
    expect(fp.container?.networkMode).toBe('bridge');
    expect(fp.container?.id).toMatch(/^[0-9a-f]{64}$/); // found in the workload's mountinfo
    expect(fp.dockerVersion).toBe('20.10.24+dfsg1');
  });

  it('records Unknown with the reason when Docker does not answer, and falls back to the scenario for the network', async () => {
    const d = fakeTarget('docker', { workloadBundle: 'container-hardened-bundle.txt', dockerInfo: null });
    const spec = containerSchema.parse({ network: 'host' });
    const fp = (await collectFingerprint({ target: d.target, execCtx: d.execCtx, scratchDir: '/var/tmp/benchsuite/fixture', containerSpec: spec })) as CollectedFingerprint;
    expect(isUnknown(fp.dockerVersion) && fp.dockerVersion.reason).toMatch(/Cannot connect to the Docker daemon/);
    expect(isUnknown(fp.container?.privileged) && (fp.container?.privileged as { reason: string }).reason).toMatch(/No such container/);
    expect(fp.container?.networkMode).toBe('host');
    expect(fp.bootId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('collectFingerprint over SSH', () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('uses the same code path and sees this kernel', async () => {
    const machine = new SshMachine(sshd.url, { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });
    try {
      const target = new DirectTarget('remote', 'Remote', machine);
      const execCtx = await target.open({ workload: 'fp', mounts: [], scratchDir: SCRATCH });
      const fp = (await collectFingerprint({ target, execCtx, scratchDir: SCRATCH })) as CollectedFingerprint;
      expectKnown(fp, ['hostname', 'kernelRelease', 'bootId', 'cpuModel', 'cores', 'memoryBytes', 'virtualization']);
      expect(fp.bootId).toBe(BOOT_ID);
      expect(fp.hostname).toBe(hostname());
      expect(!isUnknown(fp.scratch) && fp.scratch.resolvedPath).toBe(SCRATCH);
    } finally {
      await machine.close();
    }
  });
});

describe('collectFingerprint in real containers (DockerTarget)', () => {
  const machine = new LocalMachine();
  const runId = `envtest${process.pid}`;
  const open: ExecContext[] = [];
  afterAll(async () => {
    await Promise.all(open.map((e) => e.close()));
  });

  async function containerFingerprint(id: string, input: Partial<ContainerSpec>): Promise<CollectedFingerprint> {
    const spec = containerSchema.parse(input);
    const target = new DockerTarget(id, id, machine, spec, runId);
    await target.prepare();
    const execCtx = await target.open({ workload: 'fp', mounts: [], scratchDir: SCRATCH });
    open.push(execCtx);
    return (await collectFingerprint({ target, execCtx, scratchDir: execCtx.scratchDir, containerSpec: spec })) as CollectedFingerprint;
  }

  it("with the article's flags: exactly NET_BIND_SERVICE, SETUID and SETGID effective", async () => {
    const fp = await containerFingerprint('hardened', {
      capDrop: ['ALL'],
      capAdd: ['NET_BIND_SERVICE', 'SETUID', 'SETGID'],
      securityOpt: ['no-new-privileges'],
      network: 'host',
      storage: 'volume',
    });
    const caps = fp.security.capEff;
    if (isUnknown(caps)) throw new Error(caps.reason);
    expect([...caps.names].sort()).toEqual(['NET_BIND_SERVICE', 'SETGID', 'SETUID']);
    expect(caps.mask).toBe('00000000000004c0');
    expect(fp.security.noNewPrivs).toBe(true);
    expect(fp.security.seccomp).toBe('filter');
    expect(fp.bootId).toBe(BOOT_ID); // a container shares the host kernel
    expect(fp.machineKernel?.bootId).toBe(BOOT_ID);
    expect(fp.container?.privileged).toBe(false);
    expect(fp.container?.networkMode).toBe('host');
    expect(fp.container?.storage).toBe('volume');
    expect(fp.container?.capDrop).toEqual(['ALL']);
    expect(fp.container?.id).toMatch(/^[0-9a-f]{64}$/);
    expect(isUnknown(fp.dockerVersion)).toBe(false);
    const docker = fp.docker;
    if (!docker || isUnknown(docker)) throw new Error('docker facts missing');
    expect(typeof docker.defaultBridgeIcc).toBe('boolean');
    expect(isUnknown(docker.storageDriver)).toBe(false);
    expect(!isUnknown(fp.scratch) && fp.scratch.mountPoint).toBe(SCRATCH);
  });

  it("with Docker's defaults and overlay storage: 14 capabilities, scratch in the container layer", async () => {
    const fp = await containerFingerprint('default', { network: 'bridge', storage: 'overlay' });
    const caps = fp.security.capEff;
    expect(!isUnknown(caps) && caps.names).toHaveLength(14);
    expect(fp.security.noNewPrivs).toBe(false);
    expect(fp.container?.networkMode).toBe('bridge');
    expect(fp.container?.storage).toBe('overlay');
    const s = fp.scratch;
    if (isUnknown(s)) throw new Error(s.reason);
    expect(s.fsType).toBe('overlay');
    expect(s.backing && !isUnknown(s.backing) && s.backing.path).toMatch(/^\//);
  });

  it('with seccomp=unconfined: no seccomp filter', async () => {
    const fp = await containerFingerprint('unconfined', { securityOpt: ['seccomp=unconfined'], network: 'host' });
    expect(fp.security.seccomp).toBe('disabled');
    expect(fp.container?.securityOpt).toEqual(['seccomp=unconfined']);
  });
});
