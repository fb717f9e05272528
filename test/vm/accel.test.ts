import { describe, expect, it } from 'vitest';
import { bootFirstWorking, planAccelerators, type BootOutcome, type KvmProbe } from '../../src/vm/qemu.js';
import type { Accelerator } from '../../src/vm/settings.js';

const host = { qemuVersion: '7.2.22', hostKernel: '6.1.0-test' };
const usable = { usable: true, reason: '/dev/kvm opens read-write' };
const missing = { usable: false, reason: '/dev/kvm does not exist' };
const probe = (result: KvmProbe['result'], over: Partial<KvmProbe> = {}): KvmProbe => ({
  result,
  detail: 'no SSH within 90 s',
  checkedAt: '2025-01-01T00:00:00Z',
  ...host,
  ...over,
});

describe('accelerator plan', () => {
  it('auto without a usable /dev/kvm: TCG only, saying why', () => {
    const p = planAccelerators('auto', missing, undefined, host);
    expect(p.attempts).toEqual(['tcg']);
    expect(p.reason).toMatch(/does not exist/);
  });

  it('auto with /dev/kvm and no history: try KVM first, then TCG', () => {
    expect(planAccelerators('auto', usable, undefined, host).attempts).toEqual(['kvm', 'tcg']);
  });

  it('auto does not retry a KVM that hung on this host with this qemu and kernel', () => {
    const p = planAccelerators('auto', usable, probe('hangs'), host);
    expect(p.attempts).toEqual(['tcg']);
    expect(p.reason).toMatch(/hung .*--accel kvm/);
  });

  it('auto retries KVM after the host kernel or qemu changed', () => {
    expect(planAccelerators('auto', usable, probe('hangs', { hostKernel: 'other' }), host).attempts).toEqual(['kvm', 'tcg']);
    expect(planAccelerators('auto', usable, probe('fails', { qemuVersion: '8.0' }), host).attempts).toEqual(['kvm', 'tcg']);
  });

  it('explicit choices: tcg always; kvm needs the device and is tried even after a hang', () => {
    expect(planAccelerators('tcg', usable, undefined, host).attempts).toEqual(['tcg']);
    expect(() => planAccelerators('kvm', missing, undefined, host)).toThrow(/KVM is not usable/);
    const p = planAccelerators('kvm', usable, probe('hangs'), host);
    expect(p.attempts).toEqual(['kvm']);
    expect(p.reason).toMatch(/hung/);
  });
});

describe('booting with a fake probe', () => {
  const fake = (outcomes: Partial<Record<Accelerator, BootOutcome>>) => {
    const tried: Accelerator[] = [];
    return {
      tried,
      tryBoot: async (a: Accelerator): Promise<BootOutcome> => {
        tried.push(a);
        return outcomes[a] ?? { ok: false, hung: false, detail: 'not expected' };
      },
    };
  };

  it('KVM that boots is used and remembered as working', async () => {
    const f = fake({ kvm: { ok: true } });
    const r = await bootFirstWorking({ attempts: ['kvm', 'tcg'], reason: '' }, f.tryBoot);
    expect(r.accelerator).toBe('kvm');
    expect(r.kvm?.result).toBe('works');
    expect(f.tried).toEqual(['kvm']);
  });

  it('KVM that hangs falls back to TCG and is remembered as hanging', async () => {
    const f = fake({ kvm: { ok: false, hung: true, detail: 'no SSH within 90 s' }, tcg: { ok: true } });
    const r = await bootFirstWorking({ attempts: ['kvm', 'tcg'], reason: '' }, f.tryBoot);
    expect(r.accelerator).toBe('tcg');
    expect(r.kvm).toEqual({ result: 'hangs', detail: 'no SSH within 90 s' });
    expect(f.tried).toEqual(['kvm', 'tcg']);
  });

  it('KVM that errors out is remembered as failing', async () => {
    const f = fake({ kvm: { ok: false, hung: false, detail: 'Could not access KVM kernel module' }, tcg: { ok: true } });
    const r = await bootFirstWorking({ attempts: ['kvm', 'tcg'], reason: '' }, f.tryBoot);
    expect(r.kvm?.result).toBe('fails');
  });

  it('when TCG fails too nothing is remembered and the error lists both attempts', async () => {
    const f = fake({ kvm: { ok: false, hung: true, detail: 'k' }, tcg: { ok: false, hung: true, detail: 't' } });
    await expect(bootFirstWorking({ attempts: ['kvm', 'tcg'], reason: '' }, f.tryBoot)).rejects.toThrow(/KVM: k[\s\S]*TCG: t/);
  });

  it('TCG only: no KVM verdict', async () => {
    const r = await bootFirstWorking({ attempts: ['tcg'], reason: '' }, fake({ tcg: { ok: true } }).tryBoot);
    expect(r).toMatchObject({ accelerator: 'tcg' });
    expect(r.kvm).toBeUndefined();
  });
});
