// doctor against this host for real: a local scenario passes; a missing binary, an unreachable Docker daemon,
// a full scratch root and an unreachable SSH host fail with the command that fixes them. dockerd is never
// stopped (other tests use it): "stopped" is simulated with DOCKER_HOST pointing at a socket that does not exist,
// and "missing" with a PATH that lacks the binary.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { doctor, formatChecks, parseDf, registerDoctorCommand, type Check } from '../../src/cli/doctor.js';
import { loadScenario } from '../../src/scenario/load.js';
import { scenarioSchema, type Scenario } from '../../src/scenario/schema.js';
import { LocalMachine } from '../../src/exec/local.js';
import type { ExecOptions, Machine } from '../../src/exec/types.js';
import { startSshd, type TestSshd } from '../helpers/sshd.js';

const find = (checks: Check[], target: string, name: string): Check | undefined => checks.find((c) => c.target === target && c.name === name);

/** This host, but every command runs with PATH set to a directory holding only `keep`. */
function machineWithPath(keep: Record<string, string>): { machine: Machine; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bs-test-path-'));
  for (const [name, target] of Object.entries(keep)) symlinkSync(target, join(dir, name));
  const local = new LocalMachine();
  const machine: Machine = {
    address: 'local',
    kind: 'local',
    ...machineFacts(local),
    exec: (argv: string[], o?: ExecOptions) => local.exec(['/usr/bin/env', `PATH=${dir}`, ...argv], o),
    spawn: (argv) => local.spawn(argv),
    writeFile: (p, c) => local.writeFile(p, c),
    close: async () => {},
  };
  return { machine, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The Machine members a fake takes from this host unchanged. */
function machineFacts(local: LocalMachine): Pick<Machine, 'isThisHost' | 'candidatePort' | 'doctorChecks' | 'dockerStartHint'> {
  return { isThisHost: true, candidatePort: () => local.candidatePort(), doctorChecks: () => local.doctorChecks(), dockerStartHint: () => local.dockerStartHint() };
}

const BASICS = { sh: '/bin/sh', df: '/usr/bin/df', docker: '/usr/bin/docker', nginx: '/usr/sbin/nginx', dd: '/usr/bin/dd', ab: '/usr/bin/ab' };

function scenario(input: Record<string, unknown>): Scenario {
  return scenarioSchema.parse({ name: 'doctor-test', baseline: 'bare', workloads: { dd: { kind: 'dd' }, ab: { kind: 'ab' } }, ...input });
}

describe('doctor on this host', () => {
  it('passes for the shipped local scenario (kvm-docker with host: local)', async () => {
    const { scenario: s } = await loadScenario('kvm-docker');
    const r = await doctor(s);
    expect(r.ok, formatChecks(r.checks)).toBe(true);
    for (const t of Object.keys(s.targets)) {
      for (const name of ['reachable', 'ab', 'drop-caches', 'free-space']) expect(find(r.checks, t, name)?.ok, `${t} ${name}`).toBe(true);
    }
    expect(find(r.checks, 'bare-metal', 'dd')?.ok).toBe(true);
    expect(find(r.checks, 'bare-metal', 'nginx')?.ok).toBe(true);
    expect(find(r.checks, 'kvm-docker', 'docker')?.ok).toBe(true);
    expect(find(r.checks, 'kvm-docker', 'image')?.ok).toBe(true);
    expect(find(r.checks, 'kvm-docker', 'dd')?.detail).toMatch(/dd runs in benchsuite\/workload:local/);
  });

  it('passes for scenarios/hardening.yaml, whose three containers start with their own flags', async () => {
    const { scenario: s } = await loadScenario('hardening');
    expect(Object.keys(s.targets)).toEqual(['docker-default', 'docker-hardened', 'docker-unconfined']);
    expect(s.baseline).toBe('docker-default');
    const r = await doctor(s);
    expect(r.ok, formatChecks(r.checks)).toBe(true);
  });
});

describe('doctor names the fix', () => {
  const saved = process.env.DOCKER_HOST;
  afterEach(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  });

  it('when dockerd does not answer (DOCKER_HOST at a socket that does not exist)', async () => {
    process.env.DOCKER_HOST = 'unix:///nonexistent.sock';
    const s = scenario({ targets: { bare: { label: 'Bare' }, docker: { label: 'Docker', container: {} } } });
    const r = await doctor(s);
    expect(r.ok).toBe(false);
    const d = find(r.checks, 'docker', 'docker');
    expect(d?.ok).toBe(false);
    expect(d?.required).toBe(true);
    expect(d?.detail).toMatch(/nonexistent\.sock/);
    expect(d?.fix).toContain('nohup dockerd >/var/log/dockerd.log 2>&1 &');
    expect(find(r.checks, 'docker', 'image')?.ok).toBe(false);
    // The bare-metal target does not need Docker (its load check is a warning that depends on this shared machine).
    expect(r.checks.filter((c) => c.target === 'bare' && c.name !== 'load').every((c) => c.ok)).toBe(true);
    const text = formatChecks(r.checks);
    expect(text).toMatch(/^FAIL docker\s+docker: Docker is not reachable/m);
    expect(text).toMatch(/fix: .*start dockerd: nohup dockerd/);
  });

  it('when ab is missing', async () => {
    const { ab: _ab, ...withoutAb } = BASICS;
    const { machine, cleanup } = machineWithPath(withoutAb);
    try {
      const s = scenario({ targets: { bare: { label: 'Bare' } } });
      const r = await doctor(s, { machineFor: async () => machine });
      expect(r.ok).toBe(false);
      const ab = find(r.checks, 'bare', 'ab');
      expect(ab?.ok).toBe(false);
      expect(ab?.fix).toBe('apt-get install apache2-utils');
      expect(find(r.checks, 'bare', 'dd')?.ok).toBe(true);
      expect(formatChecks(r.checks)).toMatch(/FAIL bare {2}ab: ab is not runnable[^\n]*\n\s+fix: apt-get install apache2-utils/);
    } finally {
      cleanup();
    }
  });

  it('when dd or nginx is missing on a bare-metal target', async () => {
    const { dd: _dd, nginx: _nginx, ...rest } = BASICS;
    const { machine, cleanup } = machineWithPath(rest);
    try {
      const r = await doctor(scenario({ targets: { bare: { label: 'Bare' } } }), { machineFor: async () => machine });
      expect(r.ok).toBe(false);
      expect(find(r.checks, 'bare', 'dd')?.fix).toBe('apt-get install coreutils');
      expect(find(r.checks, 'bare', 'nginx')?.fix).toBe('apt-get install nginx-light');
    } finally {
      cleanup();
    }
  });

  it('when the docker CLI is missing', async () => {
    const { docker: _docker, ...rest } = BASICS;
    const { machine, cleanup } = machineWithPath(rest);
    try {
      const r = await doctor(scenario({ baseline: 'c', targets: { c: { label: 'C', container: {} } } }), { machineFor: async () => machine });
      expect(find(r.checks, 'c', 'docker')?.fix).toBe('install Docker: apt-get install docker.io');
    } finally {
      cleanup();
    }
  });

  it('when the scratch root has no room for the dd file (a tmpfs smaller than the file)', async () => {
    const shm = mkdtempSync('/dev/shm/bs-test-doctor-');
    try {
      const s = scenario({
        targets: { bare: { label: 'Bare' } },
        scratchRoot: join(shm, 'scratch'),
        workloads: { dd: { kind: 'dd', blockSize: '64M', count: 1_000_000 } }, // 64 TB: more than any tmpfs
      });
      const r = await doctor(s);
      const f = find(r.checks, 'bare', 'free-space');
      expect(f?.ok, f?.detail).toBe(false);
      expect(f?.fix).toMatch(/--set scratchRoot=/);
      expect(r.ok).toBe(false);
    } finally {
      rmSync(shm, { recursive: true, force: true });
    }
  });

  it('warns (without failing) when the page cache cannot be dropped', async () => {
    const local = new LocalMachine();
    const machine: Machine = {
      ...local,
      address: 'local',
      kind: 'local',
      ...machineFacts(local),
      exec: (argv, o) => local.exec(argv[0] === 'sh' && argv.includes('/proc/sys/vm/drop_caches') ? ['sh', '-c', 'test -w "$1"', 'sh', '/nonexistent/drop_caches'] : argv, o),
      spawn: (a) => local.spawn(a),
      writeFile: (p, c) => local.writeFile(p, c),
      close: async () => {},
    };
    const r = await doctor(scenario({ targets: { bare: { label: 'Bare' } }, workloads: { dd: { kind: 'dd' } } }), { machineFor: async () => machine });
    const c = find(r.checks, 'bare', 'drop-caches');
    expect(c).toMatchObject({ ok: false, required: false });
    expect(c?.fix).toContain('--set workloads.dd.dropCaches=false');
    expect(r.ok).toBe(true);
    expect(formatChecks(r.checks)).toMatch(/^WARN bare {2}drop-caches/m);
  });
});

describe('doctor over SSH', () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('reaches the host, checks its binaries and its clock', async () => {
    const s = scenario({
      targets: { bare: { label: 'Bare' }, remote: { label: 'Remote', host: sshd.url, identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile } },
    });
    const r = await doctor(s);
    expect(r.ok, formatChecks(r.checks)).toBe(true);
    expect(find(r.checks, 'remote', 'reachable')?.detail).toMatch(/answers over SSH/);
    const clock = find(r.checks, 'remote', 'clock');
    expect(clock?.ok).toBe(true);
    expect(clock?.detail).toMatch(/clock agrees with this host.s within the \d+\.\d\d s round trip/);
  });

  it('fails with the ssh command to try when the host does not answer', async () => {
    const port = sshd.port;
    await sshd.stop();
    try {
      const s = scenario({
        baseline: 'remote',
        targets: { remote: { label: 'Remote', host: sshd.url, identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile } },
      });
      const r = await doctor(s);
      expect(r.ok).toBe(false);
      const c = find(r.checks, 'remote', 'reachable');
      expect(c?.ok).toBe(false);
      expect(c?.fix).toContain(`ssh -o BatchMode=yes -p ${port} root@127.0.0.1 true`);
      expect(r.checks.filter((x) => x.target === 'remote')).toHaveLength(1);
    } finally {
      await sshd.start();
    }
  });
});

describe('clock skew', () => {
  it('warns with the fix when a remote clock is off by more than 2 s', async () => {
    const local = new LocalMachine();
    // A remote machine (kind ssh) whose clock runs 10 s ahead; everything else runs here.
    const skewed: Machine = {
      address: 'ssh://bench@skewed.example',
      kind: 'ssh',
      ...machineFacts(local),
      isThisHost: false,
      exec: async (argv, o) => {
        if (argv[0] !== 'date') return local.exec(argv, o);
        const r = await local.exec(argv, o);
        return { ...r, stdout: `${(Number(r.stdout.trim()) + 10).toFixed(9)}\n` };
      },
      spawn: (a) => local.spawn(a),
      writeFile: (p, c) => local.writeFile(p, c),
      close: async () => {},
    };
    const r = await doctor(scenario({ targets: { bare: { label: 'Bare' } }, workloads: { dd: { kind: 'dd' } } }), { machineFor: async () => skewed });
    const c = find(r.checks, 'bare', 'clock');
    expect(c).toMatchObject({ ok: false, required: false });
    expect(c?.detail).toMatch(/clock is ahead by at least (9|10)\.\d\d s/);
    expect(c?.fix).toMatch(/timedatectl set-ntp true/);
    expect(r.ok).toBe(true);
  });
});

describe('the doctor command', () => {
  it('prints OK/FAIL lines and sets exit code 1 when the scenario cannot run', async () => {
    const saved = process.env.DOCKER_HOST;
    const savedCode = process.exitCode;
    process.env.DOCKER_HOST = 'unix:///nonexistent.sock';
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const loaded: { name?: string; sets?: string[] } = {};
    try {
      const program = new Command().exitOverride();
      registerDoctorCommand(program, async (name, sets) => {
        loaded.name = name;
        loaded.sets = sets;
        return (await loadScenario(name, sets)).scenario;
      });
      await program.parseAsync(['doctor', '--set', 'workloads.dd.count=16', '--set', 'samples=3'], { from: 'user' });
      expect(loaded).toEqual({ name: 'kvm-docker', sets: ['workloads.dd.count=16', 'samples=3'] });
      expect(process.exitCode).toBe(1);
      const text = out.join('');
      expect(text).toMatch(/^OK {3}bare-metal\s+reachable: this host$/m);
      expect(text).toMatch(/^FAIL kvm-docker\s+docker:/m);
      expect(text).toContain('fix: DOCKER_HOST=unix:///nonexistent.sock points at no running daemon: unset DOCKER_HOST, or start dockerd: nohup dockerd >/var/log/dockerd.log 2>&1 &');
      expect(text).toMatch(/kvm-docker: cannot run — \d+ checks? failed/);
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
      process.exitCode = savedCode;
    }
  });
});

describe('parseDf', () => {
  it('reads available bytes and the mount point from df -P -B1', () => {
    const text = 'Filesystem         1-blocks        Used   Available Capacity Mounted on\n/dev/vda       270553174016 24382021632 84562272256      23% /\n';
    expect(parseDf(text)).toEqual({ available: 84562272256, mountPoint: '/' });
    expect(parseDf('Filesystem\n')).toBeNull();
  });
});
