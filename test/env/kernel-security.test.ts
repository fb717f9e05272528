import { beforeAll, describe, expect, it } from 'vitest';
import { compareKernels, formatKernelSecurity, kernelSecurity } from '../../src/env/kernel-security.js';
import type { Fingerprint } from '../../src/results/model.js';
import { fixtureFingerprint, record, runResults } from './helpers.js';

let host: Fingerprint;
let container: Fingerprint;
beforeAll(async () => {
  host = await fixtureFingerprint('host', { workloadBundle: 'host-bundle.txt' }, '/var/tmp/benchsuite/fixture');
  container = await fixtureFingerprint('docker', { workloadBundle: 'container-hardened-bundle.txt', inspect: 'docker-inspect-hardened.json' }, '/var/tmp/benchsuite/fixture');
});

const guest = (over: Record<string, unknown>): Fingerprint => ({ ...structuredClone(host), bootId: '0f0f0f0f-1111-2222-3333-444455556666', ...over }) as Fingerprint;

describe('kernelSecurity', () => {
  it('Shared for a local Docker container: the same boot_id, and the reason says so', () => {
    const r = runResults([record('bare', 'host', host), record('docker', 'docker', container)]);
    const ks = kernelSecurity(r, 'docker');
    expect(ks.value).toBe('Shared');
    expect(ks.virtualization).toBeUndefined();
    expect(ks.reason).toMatch(/^same kernel boot_id [0-9a-f]{8}… seen by both workloads/);
    expect(ks.reason).toMatch(/runs on its host's kernel/);
    expect(formatKernelSecurity(ks)).toBe('Shared');
  });

  it('Isolated (kvm) for a KVM guest', () => {
    const ks = compareKernels(record('bare', 'host', host), record('kvm', 'docker', guest({ virtualization: 'kvm' })));
    expect(ks).toMatchObject({ value: 'Isolated', virtualization: 'kvm' });
    expect(formatKernelSecurity(ks)).toBe('Isolated (kvm)');
    expect(ks.reason).toMatch(/different kernel boot_id/);
  });

  it('says the isolation is an emulated (TCG) guest kernel when the VM facts say tcg', () => {
    const ks = compareKernels(record('bare', 'host', host), record('vm', 'docker', guest({ virtualization: 'qemu', vm: { accelerator: 'tcg', qemuVersion: '7.2' } })));
    expect(ks.value).toBe('Isolated');
    expect(ks.virtualization).toBe('tcg');
    expect(ks.reason).toMatch(/emulated \(TCG\) guest/);
    expect(formatKernelSecurity(ks)).toBe('Isolated (tcg)');
  });

  it('a different kernel without a hypervisor of its own names no virtualization', () => {
    const ks = compareKernels(record('bare', 'host', host), record('other', 'host', guest({ virtualization: host.virtualization })));
    expect(ks.value).toBe('Isolated');
    expect(ks.virtualization).toBeUndefined();
    expect(ks.reason).toMatch(/same virtualization as the baseline/);
    const metal = compareKernels(record('bare', 'host', { ...host, virtualization: 'none' }), record('o', 'host', guest({ virtualization: 'none' })));
    expect(metal.reason).toMatch(/another physical machine/);
  });

  it('Unknown, with the reason, when a boot_id could not be read', () => {
    const fp = { ...structuredClone(container), bootId: { unknown: true, reason: 'docker exec failed' } } as Fingerprint;
    const ks = compareKernels(record('bare', 'host', host), record('d', 'docker', fp));
    expect(ks.value).toBe('Unknown');
    expect(ks.reason).toMatch(/docker exec failed/);
    expect(kernelSecurity(runResults([record('bare', 'host', host)]), 'missing').value).toBe('Unknown');
  });
});
