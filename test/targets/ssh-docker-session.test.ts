// A Docker target on an SSH machine keeps its container's shell open on the remote side (real sshd on 127.0.0.1,
// real dockerd behind it; the workload image has no printf or echo binaries, so its shell's builtins are used): commands run in the container, hostile arguments intact, timeouts end the command.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerSchema } from '../../src/scenario/schema.js';
import { DockerTarget } from '../../src/targets/docker.js';
import { SshMachine } from '../../src/exec/ssh.js';
import type { ExecContext } from '../../src/exec/types.js';
import { HOSTILE_ARGS } from '../helpers/hostile-args.js';
import { startSshd, type TestSshd } from '../helpers/sshd.js';

const RUN = `targets-ssh-docker-${process.pid}`;
let sshd: TestSshd;
let m: SshMachine;
let execCtx: ExecContext;
beforeAll(async () => {
  execFileSync('node', ['bin/benchsuite.js', 'image', 'build', '--if-missing'], { stdio: 'ignore' });
  sshd = await startSshd();
  m = new SshMachine(sshd.url, { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });
  const t = new DockerTarget('t', 'T', m, containerSchema.parse({ capDrop: ['ALL'] }), RUN);
  await t.prepare();
  execCtx = await t.open({ workload: 'w', mounts: [], scratchDir: '/tmp' });
});
afterAll(async () => {
  await execCtx?.close();
  await m?.close();
  await sshd?.dispose();
  const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=benchsuite.run=${RUN}`], { encoding: 'utf8' }).trim();
  if (left) execFileSync('docker', ['rm', '-f', ...left.split('\n')], { stdio: 'ignore' });
});

/** The docker CLI processes on the (remote = this) host that exec into the container. */
function execClients(): string[] {
  return execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('docker exec -i') && l.includes(execCtx.containerId as string));
}

describe('Docker over SSH: the container shell kept open remotely', () => {
  it('runs every command through one remote `docker exec -i … sh`', async () => {
    const r = await execCtx.exec(['sh', '-c', 'printf "%s\\0" "$@"', 'sh', ...HOSTILE_ARGS], { timeoutMs: 20_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGS);
    for (let i = 0; i < 3; i++) expect((await execCtx.exec(['sleep', '0'], { timeoutMs: 20_000 })).exitCode).toBe(0);
    expect(execClients()).toHaveLength(1);
    const caps = await execCtx.exec(['cat', '/proc/self/status'], { timeoutMs: 20_000 });
    expect(caps.stdout).toMatch(/^CapEff:\s+0+$/m);
    expect(await execCtx.exec(['sh', '-c', 'printf x; printf y >&2; exit 5'], { timeoutMs: 20_000 })).toMatchObject({ stdout: 'x', stderr: 'y', exitCode: 5 });
  });

  it('ends a command at its timeout inside the container and keeps the session', async () => {
    const t = await execCtx.exec(['sleep', '30'], { timeoutMs: 1000 });
    expect(t).toMatchObject({ timedOut: true, exitCode: null });
    expect((await execCtx.exec(['sh', '-c', 'echo ok'], { timeoutMs: 20_000 })).stdout).toBe('ok\n');
    expect(execClients()).toHaveLength(1);
  });
});
