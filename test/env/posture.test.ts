import { beforeAll, describe, expect, it } from 'vitest';
import { environmentDifferences, postureLints, postureReport } from '../../src/env/posture.js';
import type { Fingerprint, Sample } from '../../src/results/model.js';
import { fixtureFingerprint, record, runResults } from './helpers.js';

let host: Fingerprint;
let dflt: Fingerprint;
let hardened: Fingerprint;
let unconfined: Fingerprint;

beforeAll(async () => {
  host = await fixtureFingerprint('host', { workloadBundle: 'host-bundle.txt' }, '/var/tmp/benchsuite/fixture');
  dflt = await fixtureFingerprint('docker', { workloadBundle: 'container-default-bundle.txt', inspect: 'docker-inspect-default.json' }, '/var/tmp/benchsuite-scratch');
  hardened = await fixtureFingerprint('docker', { workloadBundle: 'container-hardened-bundle.txt', inspect: 'docker-inspect-hardened.json' }, '/var/tmp/benchsuite/fixture');
  unconfined = await fixtureFingerprint('docker', { workloadBundle: 'container-unconfined-bundle.txt', inspect: 'docker-inspect-hardened.json' }, '/var/tmp/benchsuite/fixture');
});

const clone = (fp: Fingerprint): any => structuredClone(fp);
const messages = (fp: Fingerprint, kind: 'host' | 'docker' = 'docker') => postureLints(record('t', kind, fp)).map((l) => `${l.severity}: ${l.message}`);

describe('posture lints', () => {
  it('default container: root with default capabilities, no LSM profile, ICC on the default bridge', () => {
    const m = messages(dflt);
    expect(m).toContain("warn: runs as root with Docker's default capabilities");
    expect(m).toContain('warn: no AppArmor or SELinux profile is in force');
    expect(m).toContain('warn: inter-container communication is enabled on the default bridge');
    expect(m).toContain('info: no-new-privileges is not set');
    expect(m.some((x) => x.includes('seccomp'))).toBe(false);
    expect(m.some((x) => x.includes('privileged ('))).toBe(false);
  });

  it('hardened container: none of the capability findings', () => {
    const m = messages(hardened);
    expect(m.some((x) => /capabilit|SYS_ADMIN|NET_ADMIN/.test(x))).toBe(false);
    expect(m.some((x) => x.includes('no-new-privileges'))).toBe(false);
    expect(m.some((x) => x.includes('seccomp'))).toBe(false);
  });

  it('seccomp=unconfined: no seccomp filter, with the reason naming the daemon default', () => {
    const l = postureLints(record('u', 'docker', unconfined)).find((x) => x.message === 'no seccomp filter is in force');
    expect(l?.severity).toBe('warn');
    expect(l?.reason).toMatch(/seccomp=unconfined/);
    expect(l?.target).toBe('u');
  });

  it('privileged: one finding that explains it, capability findings folded into it', () => {
    const fp = clone(dflt);
    fp.container.privileged = true;
    fp.security.capEff = { mask: '000001ffffffffff', names: ['SYS_ADMIN', 'NET_ADMIN', 'CHOWN'], unknownBits: [] };
    const m = messages(fp);
    expect(m).toContain('warn: runs privileged (--privileged)');
    expect(m.some((x) => x.includes('CAP_SYS_ADMIN'))).toBe(false);
  });

  it('CAP_SYS_ADMIN and CAP_NET_ADMIN each get a finding with a reason', () => {
    const fp = clone(hardened);
    fp.security.capEff = { mask: '0000000000201400', names: ['NET_BIND_SERVICE', 'NET_ADMIN', 'SYS_ADMIN'], unknownBits: [] };
    const lints = postureLints(record('t', 'docker', fp));
    const sys = lints.find((l) => l.message === 'CAP_SYS_ADMIN is effective');
    const net = lints.find((l) => l.message === 'CAP_NET_ADMIN is effective');
    expect(sys?.severity).toBe('warn');
    expect(sys?.reason).toMatch(/new root/);
    expect(net?.severity).toBe('warn');
    expect(lints.find((l) => l.message.startsWith('runs as root with capabilities beyond the hardened set'))?.message).toMatch(/NET_ADMIN, SYS_ADMIN/);
  });

  it('an AppArmor profile in force and ICC off clear those findings; host network is informational', () => {
    const fp = clone(dflt);
    fp.security.lsmLabel = 'docker-default (enforce)';
    fp.docker.defaultBridgeIcc = false;
    let m = messages(fp);
    expect(m.some((x) => x.includes('AppArmor'))).toBe(false);
    expect(m.some((x) => x.includes('inter-container'))).toBe(false);
    fp.container.networkMode = 'host';
    fp.docker.defaultBridgeIcc = true;
    m = messages(fp);
    expect(m).toContain('info: uses the host network (--network host)');
    expect(m.some((x) => x.includes('inter-container'))).toBe(false);
  });

  it('unreadable facts become informational "could not check" findings, never guesses', () => {
    const fp = clone(dflt);
    fp.security.capEff = { unknown: true, reason: '/proc/self/status: Permission denied' };
    fp.container.privileged = { unknown: true, reason: 'docker inspect exited with 1' };
    fp.security.seccomp = { unknown: true, reason: '/proc/self/status: Permission denied' };
    const lints = postureLints(record('t', 'docker', fp));
    expect(lints.find((l) => l.message === 'could not check effective capabilities')?.reason).toMatch(/Permission denied/);
    expect(lints.find((l) => l.message === 'could not check whether the container is privileged')?.severity).toBe('info');
    expect(lints.find((l) => l.message === 'could not check seccomp')).toBeDefined();
    expect(lints.some((l) => l.message.includes('default capabilities'))).toBe(false);
  });

  it('bare-metal targets get a posture section but no container lints', () => {
    expect(messages(host, 'host')).toEqual([]);
  });
});

describe('postureReport', () => {
  it('has a section per target with capabilities, seccomp, LSM, NoNewPrivs, user, ICC, network and storage', () => {
    const r = runResults([record('bare', 'host', host, 'Bare Metal'), record('dflt', 'docker', dflt, 'Docker (default)'), record('hard', 'docker', hardened, 'Docker (hardened)')]);
    const rep = postureReport(r);
    expect(rep.markdown).toContain('### Bare Metal (bare, baseline)');
    expect(rep.markdown).toContain('### Docker (hardened) (hard, candidate)');
    for (const row of ['User', 'Effective capabilities', 'Seccomp', 'AppArmor / LSM', 'NoNewPrivs', 'Network', 'Inter-container traffic (ICC)', 'Storage', 'Kernel']) {
      expect(rep.markdown).toContain(`| ${row} |`);
      expect(rep.html).toContain(`<th scope="row">${row.replace('/', '/')}</th>`);
    }
    expect(rep.markdown).toMatch(/\| Effective capabilities \| 3: SETGID, SETUID, NET\\_BIND\\_SERVICE|\| Effective capabilities \| 3: SETGID, SETUID, NET_BIND_SERVICE/);
    expect(rep.markdown).toContain("Docker default (14)");
    expect(rep.markdown).toMatch(/\| Kernel \| Shared — same kernel boot_id/);
    expect(rep.markdown).toContain("| Effective capabilities | 40 of 41: all except SYS_RESOURCE |");
    expect(rep.lints.every((l) => l.target === 'dflt' || l.target === 'hard')).toBe(true);
    expect(rep.lints.filter((l) => l.target === 'dflt').length).toBeGreaterThan(rep.lints.filter((l) => l.target === 'hard').length);
  });

  it('escapes HTML in labels, ids and recorded values', () => {
    const fp = clone(dflt);
    fp.security.lsmLabel = '<img src=x onerror=alert(1)> & "quoted"';
    const t = record('x1', 'docker', fp, '<script>alert(1)</script>');
    t.container = { image: 'img"><b>', runArgs: ['--label=<i>'] };
    const r = runResults([record('bare', 'host', host), t]);
    r.scenario.targets.x1!.label = '<script>alert(1)</script>';
    const { html, markdown } = postureReport(r);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;');
    expect(markdown).not.toContain('<script>');
    expect(markdown).not.toContain('<img');
  });

  it('keeps Markdown tables intact when a value contains a pipe or a newline', () => {
    const fp = clone(dflt);
    fp.security.lsmLabel = 'a|b\nc';
    const { markdown } = postureReport(runResults([record('d', 'docker', fp)]));
    const row = markdown.split('\n').find((l) => l.startsWith('| AppArmor / LSM |'));
    expect(row).toBe('| AppArmor / LSM | a\\|b c |');
  });
});

describe('fingerprints from older files or other collectors', () => {
  it('are reported as not recorded, without throwing', () => {
    const bare = { hostname: 'h', kernelRelease: '6.1', bootId: 'b', cpuModel: 'c', cores: 1, memoryBytes: 1, virtualization: 'none' } as Fingerprint;
    const r = runResults([record('bare', 'host', bare), record('d', 'docker', { ...bare } as Fingerprint)]);
    const rep = postureReport(r);
    expect(rep.markdown).toContain('| Effective capabilities | unknown (not recorded (security.capEff)) |');
    expect(rep.lints.find((l) => l.message === 'could not check effective capabilities')?.severity).toBe('info');
    expect(environmentDifferences(r)).toEqual([]);
  });
});

describe('environmentDifferences', () => {
  it('says nothing when only the thing compared differs', () => {
    const r = runResults([record('bare', 'host', host), record('hard', 'docker', hardened)]);
    expect(environmentDifferences(r)).toEqual([]);
  });

  it('names kernel, CPU and scratch filesystem differences, one sentence each', () => {
    const cand = clone(dflt);
    cand.kernelRelease = '6.1.0-21-amd64';
    cand.cpuModel = 'Intel(R) Xeon(R) Gold 6338';
    const r = runResults([record('bare', 'host', host, 'Bare Metal'), record('kvm', 'docker', cand, 'KVM + Docker')]);
    const d = environmentDifferences(r);
    expect(d.find((s) => s.includes('kernel'))).toBe(
      `KVM + Docker ran with kernel 6.1.0-21-amd64, the baseline Bare Metal with ${host.kernelRelease as string}; kernels differ in I/O, scheduler and network code paths.`,
    );
    expect(d.some((s) => s.includes('CPU Intel(R) Xeon(R) Gold 6338') && s.includes('AMD EPYC'))).toBe(true);
    expect(d.some((s) => s.includes("overlay (the container's writable layer, on ext4)") && s.includes('to ext4'))).toBe(true);
  });

  it('names the storage driver between two Docker targets, and skips values that are Unknown', () => {
    const a = clone(dflt);
    const b = clone(dflt);
    b.docker.storageDriver = 'btrfs';
    b.kernelRelease = { unknown: true, reason: 'unreadable' };
    const d = environmentDifferences(runResults([record('a', 'docker', a), record('b', 'docker', b)]));
    expect(d).toEqual(['b ran with Docker storage driver btrfs, the baseline a with overlay2; the storage driver is on the write path of overlay storage.']);
  });

  it('reads dd sync mode and page-cache dropping from the samples', () => {
    const r = runResults([record('bare', 'host', host), record('hard', 'docker', hardened)]);
    const sample = (target: string, details: Record<string, unknown>, seq: number): Sample => ({
      seq, target, workload: 'dd', round: 0, warmup: false, ok: true, startedAt: '', durationMs: 1, values: {}, details,
    });
    r.samples = [
      sample('bare', { sync: 'fdatasync', droppedCaches: true }, 0),
      sample('hard', { sync: 'none', droppedCaches: 'not permitted: Permission denied' }, 1),
    ];
    const d = environmentDifferences(r);
    expect(d).toContain('hard ran dd with sync mode none, the baseline bare with fdatasync; the sync mode decides whether the page cache or the disk is measured.');
    expect(d).toContain('Before dd, benchsuite could not drop the page cache for hard but dropped it for the baseline bare; a warm cache speeds up writes.');
  });
});
