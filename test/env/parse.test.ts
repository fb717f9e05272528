// Parsers on outputs captured on a real Debian 12 host and in real containers (test/fixtures/env/README.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCapabilityMask } from '../../src/env/capabilities.js';
import { scratchFrom, virtualizationFrom, workloadFactsFromBundle } from '../../src/env/fingerprint.js';
import {
  blockDevicesFromFiles,
  cleanReadError,
  containerIdFromCgroup,
  containerIdFromMountinfo,
  countCpuList,
  findMount,
  lsmLabelConfines,
  parseBridgeIcc,
  parseBundle,
  parseContainerInspect,
  parseCpuinfo,
  parseDetectVirt,
  parseDockerInfo,
  parseDockerSecurityOptions,
  parseMemTotal,
  parseMountinfo,
  parseProcStatus,
  parseScheduler,
  virtualizationFromDmi,
  vulnerabilitiesFromFiles,
} from '../../src/env/parse.js';
import { isUnknown } from '../../src/results/model.js';

const FIX = new URL('../fixtures/env/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIX), 'utf8');
const TOKEN = '@@benchsuite-fixture';
const bundle = (name: string) => parseBundle(fixture(name), TOKEN);

describe('parseBundle', () => {
  it('splits the host bundle into files, errors and sections', () => {
    const b = bundle('host-bundle.txt');
    expect(b.complete).toBe(true);
    const boot = b.files.get('/proc/sys/kernel/random/boot_id');
    expect(boot?.ok).toBe(true);
    expect(boot?.ok && boot.content.trim()).toMatch(/^[0-9a-f-]{36}$/);
    // No DMI on this (Firecracker-style) VM: an error with the reader's reason, not content.
    expect(b.files.get('/sys/class/dmi/id/sys_vendor')).toEqual({ ok: false, error: 'No such file' });
    expect(b.files.get('/proc/self/attr/current')).toEqual({ ok: false, error: 'Invalid argument' });
    expect(b.sections.get('scratch')).toEqual({ text: '/var/tmp/benchsuite/fixture\n', status: 0 });
    expect(b.sections.get('virt-vm')?.text.trim()).toBe('bhyve');
    expect(b.sections.get('virt-container')?.text.trim()).toBe('docker');
    // File content is exact: the separator's newline is not part of it.
    const hn = b.files.get('/proc/sys/kernel/hostname');
    expect(hn?.ok && hn.content).toBe('vm\n');
  });

  it('notices output cut short and ignores text before the first marker', () => {
    const text = `noise\n${TOKEN} file /a\nA\n${TOKEN} file /b\nB`;
    const b = parseBundle(text, TOKEN);
    expect(b.complete).toBe(false);
    expect(b.files.get('/a')).toEqual({ ok: true, content: 'A' });
    expect(b.files.get('/b')).toEqual({ ok: true, content: 'B' });
  });

  it('is not fooled by a marker with another token inside a file', () => {
    const text = `\n${TOKEN} file /a\n@@benchsuite-other file /evil\nx\n\n${TOKEN} end\n`;
    const b = parseBundle(text, TOKEN);
    expect([...b.files.keys()]).toEqual(['/a']);
  });

  it('reads busybox sh/cat error messages too', () => {
    const b = bundle('container-busybox-bundle.txt');
    expect(b.complete).toBe(true);
    expect(b.files.get('/sys/kernel/security/lsm')).toEqual({ ok: false, error: 'no such file' });
    expect(b.files.get('/proc/self/attr/current')).toEqual({ ok: false, error: 'Invalid argument' });
    expect(b.sections.get('scratch')?.text.trim()).toBe('/tmp');
  });
});

describe('cleanReadError', () => {
  it('keeps only the reason', () => {
    expect(cleanReadError('cat: /x/y: No such file or directory\n', '/x/y')).toBe('No such file or directory');
    expect(cleanReadError("cat: can't open '/x/y': Permission denied", '/x/y')).toBe('Permission denied');
    expect(cleanReadError('sh: 5: cannot open /x/y: No such file', '/x/y')).toBe('No such file');
    expect(cleanReadError('cat: read error: Invalid argument', '/x/y')).toBe('Invalid argument');
  });
});

describe('/proc/self/status', () => {
  it('hardened container: exactly NET_BIND_SERVICE, SETUID, SETGID, NoNewPrivs, seccomp filter', () => {
    const s = parseProcStatus(fixture('proc-status-hardened.txt'));
    expect(s.uid).toEqual({ real: 0, effective: 0, saved: 0, fs: 0 });
    expect(s.capEff).toBe('00000000000004c0');
    expect(decodeCapabilityMask(s.capEff!).names.sort()).toEqual(['NET_BIND_SERVICE', 'SETGID', 'SETUID']);
    expect(s.seccomp).toBe(2);
    expect(s.seccompFilters).toBe(1);
    expect(s.noNewPrivs).toBe(true);
  });

  it('default container: 14 capabilities, seccomp filter, NoNewPrivs off', () => {
    const s = parseProcStatus(fixture('proc-status-default.txt'));
    expect(decodeCapabilityMask(s.capEff!).names).toHaveLength(14);
    expect(s.seccomp).toBe(2);
    expect(s.noNewPrivs).toBe(false);
    expect(s.cpusAllowedList).toBe('0-1');
  });
});

describe('cpuinfo, meminfo, cpu lists', () => {
  const b = bundle('host-bundle.txt');
  const text = (p: string): string => {
    const e = b.files.get(p);
    if (!e?.ok) throw new Error(`fixture lacks ${p}`);
    return e.content;
  };
  it('parses the model, the processors and the hypervisor flag', () => {
    const c = parseCpuinfo(text('/proc/cpuinfo'));
    expect(c.model).toBe('AMD EPYC');
    expect(c.vendor).toBe('AuthenticAMD');
    expect(c.processors).toBe(2);
    expect(c.hypervisor).toBe(true);
    expect(c.bugs).toContain('spectre_v2');
  });
  it('reads MemTotal in bytes', () => {
    expect(parseMemTotal(text('/proc/meminfo'))).toBe(Number(/MemTotal:\s+(\d+)/.exec(text('/proc/meminfo'))![1]) * 1024);
    expect(parseMemTotal('nothing')).toBeNull();
  });
  it('counts cpu lists', () => {
    expect(countCpuList('0-1\n')).toBe(2);
    expect(countCpuList('0-3,8,10-11')).toBe(7);
    expect(countCpuList('3-1')).toBeNull();
    expect(countCpuList('')).toBeNull();
  });
});

describe('mountinfo', () => {
  it('finds the scratch mount of a volume container and the container id', () => {
    const b = bundle('container-hardened-bundle.txt');
    const e = b.files.get('/proc/self/mountinfo');
    const mounts = parseMountinfo(e?.ok ? e.content : '');
    const m = findMount(mounts, '/var/tmp/benchsuite/fixture/file.bin');
    expect(m?.mountPoint).toBe('/var/tmp/benchsuite/fixture');
    expect(m?.fsType).toBe('ext4');
    expect(m?.root).toBe('/var/tmp/benchsuite/fixture');
    expect(findMount(mounts, '/var/tmp/benchsuite-scratch')?.fsType).toBe('overlay');
    expect(containerIdFromMountinfo(mounts)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not treat /var/tmp/benchsuite as containing /var/tmp/benchsuite-x', () => {
    const mounts = parseMountinfo(
      '1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 8:2 / /var/tmp/benchsuite rw - xfs /dev/sda2 rw\n3 1 0:40 / /mnt/a\\040b rw - tmpfs tmpfs rw\n',
    );
    expect(findMount(mounts, '/var/tmp/benchsuite-x')?.fsType).toBe('ext4');
    expect(findMount(mounts, '/var/tmp/benchsuite')?.fsType).toBe('xfs');
    expect(findMount(mounts, '/mnt/a b/c')?.fsType).toBe('tmpfs');
  });

  it('finds a container id in cgroup v1 paths', () => {
    const id = 'a'.repeat(64);
    expect(containerIdFromCgroup(`12:memory:/docker/${id}\n`)).toBe(id);
    expect(containerIdFromCgroup(`0::/system.slice/docker-${id}.scope\n`)).toBe(id);
    expect(containerIdFromCgroup('0::/\n')).toBeUndefined();
  });
});

describe('block devices and schedulers', () => {
  it('maps the root device to its disk and active scheduler', () => {
    const b = bundle('host-bundle.txt');
    const devs = blockDevicesFromFiles(b.files);
    expect(devs.find((d) => d.name === 'vda')?.device).toBe('254:0');
    expect(parseScheduler('none [mq-deadline] kyber bfq\n')).toEqual({ active: 'mq-deadline', available: ['none', 'mq-deadline', 'kyber', 'bfq'] });
    expect(parseScheduler('[none] mq-deadline').active).toBe('none');
  });
});

describe('vulnerabilities', () => {
  it('lists every file under /sys/devices/system/cpu/vulnerabilities', () => {
    const v = vulnerabilitiesFromFiles(bundle('host-bundle.txt').files);
    expect(v.meltdown).toBe('Mitigation: PTI');
    expect(Object.keys(v).length).toBeGreaterThan(10);
  });
});

describe('LSM labels', () => {
  it('tells confinement from unconfined', () => {
    expect(lsmLabelConfines('docker-default (enforce)')).toBe(true);
    expect(lsmLabelConfines('unconfined')).toBe(false);
    expect(lsmLabelConfines('system_u:system_r:container_t:s0:c1,c2')).toBe(true);
    expect(lsmLabelConfines('system_u:system_r:spc_t:s0')).toBe(false);
    expect(lsmLabelConfines('unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023')).toBe(false);
  });
});

describe('Docker outputs', () => {
  it('docker info', () => {
    const i = parseDockerInfo(fixture('docker-info.json'));
    expect(i.serverVersion).toBe('20.10.24+dfsg1');
    expect(i.storageDriver).toBe('overlay2');
    expect(i.backingFilesystem).toBe('extfs');
    expect(i.cgroupDriver).toBe('cgroupfs');
    expect(i.cgroupVersion).toBe('1');
    expect(i.rootDir).toBe('/var/lib/docker');
    expect(i.security.seccompProfile).toBe('default');
    expect(i.security.apparmor).toBe(false);
    expect(() => parseDockerInfo('[]')).toThrow();
  });

  it('security options of other daemons', () => {
    const s = parseDockerSecurityOptions(['name=apparmor', 'name=seccomp,profile=builtin', 'name=userns', 'name=rootless', 'name=cgroupns']);
    expect(s).toMatchObject({ seccompProfile: 'builtin', apparmor: true, userns: true, rootless: true, cgroupns: true, selinux: false });
    expect(parseDockerSecurityOptions(undefined).seccompProfile).toBeNull();
  });

  it('default bridge ICC', () => {
    expect(parseBridgeIcc(fixture('docker-network-bridge.json'))).toBe(true);
    expect(parseBridgeIcc('[{"Options":{"com.docker.network.bridge.enable_icc":"false"}}]')).toBe(false);
    expect(parseBridgeIcc('[{"Options":{}}]')).toBeNull();
  });

  it('docker inspect of the hardened and the default container', () => {
    const h = parseContainerInspect(fixture('docker-inspect-hardened.json'));
    expect(h.privileged).toBe(false);
    expect(h.networkMode).toBe('bridge');
    expect(h.capDrop).toEqual(['ALL']);
    expect(h.capAdd.sort()).toEqual(['CAP_NET_BIND_SERVICE', 'CAP_SETGID', 'CAP_SETUID']);
    expect(h.securityOpt).toEqual(['no-new-privileges']);
    expect(h.id).toMatch(/^[0-9a-f]{64}$/);
    const d = parseContainerInspect(fixture('docker-inspect-default.json'));
    expect(d.networkMode).toBe('default');
    expect(d.capAdd).toEqual([]);
    expect(d.securityOpt).toEqual([]);
  });
});

describe('virtualization', () => {
  it('systemd-detect-virt output and status', () => {
    expect(parseDetectVirt('kvm\n', 0)).toBe('kvm');
    expect(parseDetectVirt('none\n', 1)).toBe('none');
    expect(parseDetectVirt('sh: 1: systemd-detect-virt: not found\n', 127)).toBeNull();
  });
  it('DMI strings', () => {
    expect(virtualizationFromDmi('QEMU', 'Standard PC (Q35 + ICH9, 2009)')).toBe('qemu');
    expect(virtualizationFromDmi('Microsoft Corporation', 'Virtual Machine')).toBe('microsoft');
    expect(virtualizationFromDmi('Dell Inc.', 'PowerEdge R740')).toBeUndefined();
  });
  it('falls back to cpuinfo and DMI, and says Unknown rather than guess', () => {
    const noRun = { unknown: true as const, reason: 'not run' };
    expect(virtualizationFrom(noRun, true, 'QEMU', 'Standard PC').value).toBe('qemu');
    expect(virtualizationFrom(noRun, false, noRun, noRun).value).toBe('none');
    const v = virtualizationFrom(noRun, true, noRun, noRun).value;
    expect(isUnknown(v) && v.reason).toMatch(/hypervisor flag/);
    const b = bundle('host-bundle.txt');
    expect(virtualizationFrom(b, true, noRun, noRun)).toMatchObject({ value: 'bhyve', source: 'systemd-detect-virt --vm', container: 'docker' });
  });
});

describe('workloadFactsFromBundle on captured bundles', () => {
  it('host', () => {
    const b = bundle('host-bundle.txt');
    const w = workloadFactsFromBundle(b);
    expect(w.hostname).toBe('vm');
    expect(w.kernelRelease).toMatch(/^\d+\.\d+/);
    expect(w.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(w.cpuModel).toBe('AMD EPYC');
    expect(w.cores).toBe(2);
    expect(typeof w.memoryBytes).toBe('number');
    expect(w.cgroupVersion).toBe(1);
    expect(w.memoryLimit).toBe('max');
    expect(w.security.uid).toBe(0);
    expect(w.security.seccomp).toBe('disabled');
    expect(w.security.noNewPrivs).toBe(false);
    expect(w.security.apparmorEnabled).toBe(false);
    expect(isUnknown(w.security.lsmLabel)).toBe(true);
    expect(w.security.userNamespace).toBe(false);
    expect(isUnknown(w.dmi.sysVendor)).toBe(true);
    const s = scratchFrom(b, w.mounts, '/var/tmp/benchsuite/fixture/not-yet-created', 'machine');
    expect(s).toMatchObject({ resolvedPath: '/var/tmp/benchsuite/fixture', mountPoint: '/', fsType: 'ext4', storage: 'host', blockDevice: 'vda', scheduler: 'mq-deadline' });
  });

  it('hardened container with a volume', () => {
    const b = bundle('container-hardened-bundle.txt');
    const w = workloadFactsFromBundle(b);
    const caps = w.security.capEff;
    expect(!isUnknown(caps) && caps.names.sort()).toEqual(['NET_BIND_SERVICE', 'SETGID', 'SETUID']);
    expect(w.security.seccomp).toBe('filter');
    expect(w.security.noNewPrivs).toBe(true);
    const s = scratchFrom(b, w.mounts, '/var/tmp/benchsuite/fixture', 'container');
    expect(s).toMatchObject({ storage: 'volume', fsType: 'ext4', blockDevice: 'vda', scheduler: 'mq-deadline' });
  });

  it('default container with overlay scratch', () => {
    const b = bundle('container-default-bundle.txt');
    const w = workloadFactsFromBundle(b);
    const caps = w.security.capEff;
    expect(!isUnknown(caps) && caps.mask).toBe('00000000a80425fb');
    expect(w.security.noNewPrivs).toBe(false);
    const s = scratchFrom(b, w.mounts, '/var/tmp/benchsuite-scratch', 'container');
    expect(!isUnknown(s) && s.storage).toBe('overlay');
    expect(!isUnknown(s) && isUnknown(s.scheduler) && s.scheduler.reason).toMatch(/no block device of its own/);
  });

  it('unconfined, non-root container: no seccomp, no effective capabilities', () => {
    const w = workloadFactsFromBundle(bundle('container-unconfined-bundle.txt'));
    expect(w.security.seccomp).toBe('disabled');
    expect(w.security.uid).toBe(65534);
    const caps = w.security.capEff;
    expect(!isUnknown(caps) && caps.names).toEqual([]);
    const bnd = w.security.capBnd;
    expect(!isUnknown(bnd) && bnd.names.sort()).toEqual(['NET_BIND_SERVICE', 'SETGID', 'SETUID']);
  });

  it('a failed read makes every field Unknown with the reason', () => {
    const w = workloadFactsFromBundle({ unknown: true, reason: 'docker exec failed: no such container' });
    for (const v of [w.hostname, w.kernelRelease, w.bootId, w.cpuModel, w.cores, w.memoryBytes, w.security.capEff, w.security.seccomp]) {
      expect(isUnknown(v) && v.reason).toMatch(/no such container/);
    }
  });
});
