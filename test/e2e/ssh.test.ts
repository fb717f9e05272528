// SSH targets against a real sshd on 127.0.0.1 (generated keys, non-default port).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results/model.js';
import { SshMachine } from '../../src/exec/ssh.js';
import { ConnectionError } from '../../src/exec/types.js';
import { readOnlyResults, runCli, tempDir } from '../helpers/cli.js';
import { startSshd, type TestSshd } from '../helpers/sshd.js';
import { HOSTILE_ARGS } from '../helpers/hostile-args.js';

let sshd: TestSshd;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

describe('SshMachine', () => {
  it('passes hostile arguments through intact over a real SSH connection', async () => {
    const m = new SshMachine(sshd.url, { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });
    try {
      const r = await m.exec(['printf', '%s\\0', ...HOSTILE_ARGS], { timeoutMs: 20_000 });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGS);
      const env = await m.exec(['sh', '-c', 'echo "$1"', 'sh', '$(id)'], { timeoutMs: 20_000 });
      expect(env.stdout.trim()).toBe('$(id)');
    } finally {
      await m.close();
    }
  });

  it('kills the remote process tree on timeout', async () => {
    const m = new SshMachine(sshd.url, { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });
    try {
      const r = await m.exec(['sh', '-c', 'sleep 41.5 & sleep 41.5; wait'], { timeoutMs: 1500 });
      expect(r.timedOut).toBe(true);
      expect(r.exitCode).toBeNull();
      await new Promise((res) => setTimeout(res, 500));
      const ps = await m.exec(['ps', '-eo', 'args'], { timeoutMs: 10_000 });
      expect(ps.stdout).not.toContain('sleep 41.5');
    } finally {
      await m.close();
    }
  });

  it('reuses one multiplexed connection (a second call pays no handshake)', async () => {
    const m = new SshMachine(sshd.url, { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });
    try {
      await m.exec(['true']);
      const check = await m.exec(['true']);
      expect(check.exitCode).toBe(0);
      const argv = m.sshArgv();
      expect(argv).toContain('ControlMaster=auto');
      expect(argv).toContain('BatchMode=yes');
      expect(argv).toContain('StrictHostKeyChecking=accept-new');
    } finally {
      await m.close();
    }
  });

  it('reports a refused connection as a ConnectionError', async () => {
    const m = new SshMachine('ssh://root@127.0.0.1:1', { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile, connectTimeoutSec: 3 });
    await expect(m.exec(['true'])).rejects.toBeInstanceOf(ConnectionError);
    await m.close();
  });
});

describe('benchsuite run with SSH targets (host and Docker over SSH)', () => {
  let results: RunResults;
  let code: number | null;
  let stderr = '';
  beforeAll(async () => {
    const dir = tempDir('ssh-scenario');
    const file = join(dir, 'ssh.yaml');
    writeFileSync(
      file,
      `name: ssh-e2e
baseline: bare-metal
targets:
  bare-metal: {label: Bare Metal, host: local}
  ssh-host:
    label: SSH Host
    host: ${sshd.url}
    identityFile: ${sshd.identityFile}
    knownHostsFile: ${sshd.knownHostsFile}
  ssh-docker:
    label: SSH Docker
    host: ${sshd.url}
    identityFile: ${sshd.identityFile}
    knownHostsFile: ${sshd.knownHostsFile}
    container: {capDrop: [ALL], capAdd: [NET_BIND_SERVICE, SETUID, SETGID], securityOpt: [no-new-privileges]}
workloads:
  dd: {kind: dd, blockSize: 1M, count: 16}
  ab: {kind: ab, requests: 500, concurrency: 8}
samples: 2
warmup: 0
`,
    );
    const resultsDir = tempDir('ssh-results');
    const r = await runCli(['run', file, '--results-dir', resultsDir, '--reports-dir', tempDir('ssh-reports')]);
    code = r.code;
    stderr = r.stderr;
    results = readOnlyResults(resultsDir);
  }, 240_000);

  it('leaves no server behind on the SSH host (its nginx was started over SSH and must be stopped over SSH)', () => {
    expect(code, stderr).toBe(0);
    // The "remote" host is this machine: any process whose command line names the run's id is a leftover.
    const left = spawnSync('pgrep', ['-af', results.runId], { encoding: 'utf8' }).stdout.trim();
    expect(left).toBe('');
  });

  it('runs through SSH for real, visible in the results', () => {
    expect(code, stderr).toBe(0);
    const host = results.targets.find((t) => t.id === 'ssh-host');
    expect(host?.host).toBe(sshd.url);
    expect(results.targets.find((t) => t.id === 'ssh-docker')?.kind).toBe('docker');
    for (const t of ['ssh-host', 'ssh-docker']) {
      const ok = results.samples.filter((s) => s.target === t && s.ok);
      expect(ok.length, t).toBe(4);
    }
    // Same machine behind the SSH hop: same kernel.
    expect(results.targets.find((t) => t.id === 'ssh-docker')?.fingerprint.bootId).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    expect(JSON.stringify(results)).not.toContain('PRIVATE KEY');
  });
});
