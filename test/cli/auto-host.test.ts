/**
 * `host: auto`: the local guest when this host runs guests with KVM (decided by trying), else this host;
 * the verdict is cached until the next boot (keyed by boot_id). The KVM check is a seam here: the real
 * one boots a guest, which only the runner's VM tests may do.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/load.js';
import { createTargets, decideAutoHost, explainAutoHost, type AutoHostDeps } from '../../src/targets/factory.js';
import type { VmConnection } from '../../src/vm/lifecycle.js';
import { currentBootId, readKvmVerdict, writeKvmVerdict, type KvmVerdict } from '../../src/vm/qemu.js';
import { tempDir } from '../helpers/cli.js';

const BOOT_A = '8a0c9f3e-1111-4c4c-9d9d-000000000001';
const BOOT_B = '8a0c9f3e-2222-4c4c-9d9d-000000000002';

function conn(accelerator: 'kvm' | 'tcg'): VmConnection {
  return {
    sshUrl: 'ssh://root@127.0.0.1:2299',
    identityFile: '/nonexistent/id_ed25519',
    knownHostsFile: '/nonexistent/known_hosts',
    info: { accelerator, qemuVersion: '7.2.22', cpus: 2, memoryMiB: 2048, diskCache: 'none', imagePath: '/nonexistent/disk.img' },
  };
}

/** A seam over the real verdict file functions, with the KVM device and the guest boot made up. */
function seam(o: { boot?: string; kvmUsable: boolean; guest: 'kvm' | 'tcg' | 'fails' }) {
  const file = join(tempDir('auto'), 'kvm-verdict.json');
  const calls = { device: 0, guest: 0 };
  let bootId = o.boot ?? BOOT_A;
  const deps: AutoHostDeps = {
    bootId: () => bootId,
    kvmDevice: () => (calls.device++, o.kvmUsable ? { usable: true, reason: '/dev/kvm opens read-write' } : { usable: false, reason: '/dev/kvm does not exist' }),
    readVerdict: (b) => readKvmVerdict(file, b),
    writeVerdict: (v) => void writeKvmVerdict(file, v),
    verdictFile: file,
    kvmGuest: async () => {
      calls.guest++;
      if (o.guest === 'fails') throw new Error('KVM boot did not reach SSH within 90 s (hangs)\nserial log: …');
      return conn(o.guest);
    },
  };
  return { deps, file, calls, reboot: (b: string) => void (bootId = b) };
}

const scenarioYaml = `
name: auto-test
baseline: bare
targets:
  bare: { label: Bare Metal }
  kvm-docker: { label: KVM + Docker, host: auto, isolation: kvm, container: { image: benchsuite/workload:local } }
workloads:
  dd: { kind: dd, count: 1 }
`;

describe('host: auto', () => {
  it('picks the local guest when the KVM check succeeds, and records why', async () => {
    const s = seam({ kvmUsable: true, guest: 'kvm' });
    const { decision, conn: c } = await decideAutoHost(s.deps);
    expect(decision.host).toBe('vm');
    expect(decision.reason).toMatch(/boots with KVM/);
    expect(c?.info.accelerator).toBe('kvm');
    const cached = JSON.parse(readFileSync(s.file, 'utf8')) as KvmVerdict;
    expect(cached).toMatchObject({ bootId: BOOT_A, kvm: true });
  });

  it('picks this host when the KVM boot fails, and caches that until the next boot', async () => {
    const s = seam({ kvmUsable: true, guest: 'fails' });
    const first = await decideAutoHost(s.deps);
    expect(first.decision.host).toBe('local');
    expect(first.decision.reason).toMatch(/did not come up with KVM: KVM boot did not reach SSH within 90 s \(hangs\)$/);
    expect(s.calls.guest).toBe(1);
    // Same boot: no second try, the cached verdict decides.
    const second = await decideAutoHost(s.deps);
    expect(second.decision).toMatchObject({ host: 'local', cached: true });
    expect(second.decision.reason).toContain(s.file);
    expect(s.calls.guest).toBe(1);
    // After a reboot (new boot_id) the cache no longer applies: tried again.
    s.reboot(BOOT_B);
    await decideAutoHost(s.deps);
    expect(s.calls.guest).toBe(2);
  });

  it('picks this host without trying a boot when there is no usable /dev/kvm', async () => {
    const s = seam({ kvmUsable: false, guest: 'kvm' });
    const { decision } = await decideAutoHost(s.deps);
    expect(decision).toMatchObject({ host: 'local', cached: false });
    expect(decision.reason).toBe('this host cannot run guests with KVM: /dev/kvm does not exist');
    expect(s.calls.guest).toBe(0);
    expect(readKvmVerdict(s.file, BOOT_A)?.kvm).toBe(false);
  });

  it('does not take a TCG guest for a KVM one', async () => {
    const s = seam({ kvmUsable: true, guest: 'tcg' });
    const { decision, conn: c } = await decideAutoHost(s.deps);
    expect(decision.host).toBe('local');
    expect(decision.reason).toMatch(/came up with TCG, not KVM/);
    expect(c).toBeUndefined();
  });

  it('createTargets puts an auto target on the guest or on this host, and records the decision in its fingerprint', async () => {
    const { scenario } = parseScenarioText(scenarioYaml, 'auto-test.yaml');
    const ok = seam({ kvmUsable: true, guest: 'kvm' });
    const onGuest = await createTargets(scenario, 'run-1', { autoHost: ok.deps });
    const cand = onGuest.targets.find((t) => t.id === 'kvm-docker');
    expect(onGuest.machines.map((m) => m.kind).sort()).toEqual(['local', 'ssh']);
    expect(cand).toBeDefined();
    expect(onGuest.extraFingerprint.get('kvm-docker')).toMatchObject({ hostAuto: { host: 'vm' }, vm: { accelerator: 'kvm' } });

    const no = seam({ kvmUsable: false, guest: 'kvm' });
    const onHost = await createTargets(scenario, 'run-2', { autoHost: no.deps });
    expect(onHost.machines.map((m) => m.kind)).toEqual(['local']);
    expect(onHost.extraFingerprint.get('kvm-docker')).toMatchObject({ hostAuto: { host: 'local', reason: expect.stringContaining('/dev/kvm does not exist') } });
    for (const m of [...onGuest.machines, ...onHost.machines]) await m.close();
  });

  it('explainAutoHost (doctor) says which way auto goes without booting', () => {
    const none = seam({ kvmUsable: false, guest: 'kvm' });
    expect(explainAutoHost(none.deps)).toMatchObject({ host: 'local', tried: true });
    const untried = seam({ kvmUsable: true, guest: 'kvm' });
    expect(explainAutoHost(untried.deps)).toMatchObject({ host: 'vm', tried: false });
    expect(untried.calls.guest).toBe(0);
    writeKvmVerdict(untried.file, { bootId: BOOT_A, kvm: false, reason: 'the local guest did not come up with KVM: hangs', checkedAt: '2026-12-02T19:00:00Z' });
    expect(explainAutoHost(untried.deps)).toMatchObject({ host: 'local', cached: true });
  });
});

describe('the KVM verdict cache', () => {
  it('is keyed by boot_id: a verdict from another boot, or a damaged file, is ignored', () => {
    const file = join(tempDir('verdict'), 'sub', 'kvm-verdict.json');
    expect(readKvmVerdict(file, BOOT_A)).toBeUndefined();
    expect(writeKvmVerdict(file, { bootId: BOOT_A, kvm: true, reason: 'r', checkedAt: 't' })).toBe(true);
    expect(readKvmVerdict(file, BOOT_A)?.kvm).toBe(true);
    expect(readKvmVerdict(file, BOOT_B)).toBeUndefined();
    expect(readKvmVerdict(file, undefined)).toBeUndefined();
    writeFileSync(file, '{"bootId":');
    expect(readKvmVerdict(file, BOOT_A)).toBeUndefined();
  });

  it('reads this machine\'s boot_id from /proc', () => {
    expect(currentBootId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(currentBootId('/nonexistent/boot_id')).toBeUndefined();
  });
});

describe('the shipped kvm-docker scenario', () => {
  it('uses host: auto and isolation: kvm for its candidate', async () => {
    const { loadScenario } = await import('../../src/scenario/load.js');
    const { scenario } = await loadScenario('kvm-docker');
    expect(scenario.targets['kvm-docker']).toMatchObject({ host: 'auto', isolation: 'kvm' });
    expect(scenario.targets['bare-metal']?.host).toBe('local');
  });
});
