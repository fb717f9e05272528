/** Targets from a scenario: one Machine per distinct host, shared by the targets on it. */
import { homedir } from 'node:os';
import type { Scenario, TargetSpec } from '../scenario/schema.js';
import { localGuest } from './guest.js';
import { createTarget } from './kinds.js';
import { LocalMachine } from '../exec/local.js';
import { SshMachine } from '../exec/ssh.js';
import type { Machine, Target } from '../exec/types.js';
import type { KvmVerdict } from '../vm/qemu.js';
import type { VmConnection } from '../vm/lifecycle.js';

export interface TargetFactoryOptions {
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** How `host: auto` is decided (default: the real KVM check; tests pass a seam). */
  autoHost?: AutoHostDeps;
  /** Resolve `host: auto` without booting a guest (cached verdict, else this host): for `clean`. */
  autoWithoutBoot?: boolean;
}

export interface CreatedTargets {
  targets: Target[];
  machines: Machine[];
  /** Extra facts per target id to merge into its fingerprint (e.g. the local VM's accelerator). */
  extraFingerprint: Map<string, Record<string, unknown>>;
}

/** Where `host: auto` runs a target, and why (recorded in the target's fingerprint as `hostAuto`). */
export interface AutoHostDecision {
  host: 'vm' | 'local';
  reason: string;
  /** The verdict came from the cache of this boot (no new try). */
  cached: boolean;
}

/** The KVM check behind `host: auto`, as a seam: the real one reads /dev/kvm and boots the guest with `-accel kvm`. */
export interface AutoHostDeps {
  bootId(): string | undefined;
  kvmDevice(): { usable: boolean; reason: string };
  readVerdict(bootId: string | undefined): KvmVerdict | undefined;
  writeVerdict(verdict: KvmVerdict): void;
  /** Where the verdict is cached (named in reasons, so a user knows what to delete to try again). */
  verdictFile: string;
  /** Boot (or reuse) the local guest with KVM only; rejects when it does not come up with KVM. */
  kvmGuest(options: { log: (line: string) => void; signal?: AbortSignal }): Promise<VmConnection>;
}

export async function realAutoHostDeps(): Promise<AutoHostDeps> {
  const [qemu, settings, vm] = await Promise.all([import('../vm/qemu.js'), import('../vm/settings.js'), import('../vm/index.js')]);
  const file = settings.vmPaths().kvmVerdict;
  return {
    bootId: () => qemu.currentBootId(),
    kvmDevice: () => qemu.kvmDevice(),
    readVerdict: (bootId) => qemu.readKvmVerdict(file, bootId),
    writeVerdict: (v) => void qemu.writeKvmVerdict(file, v),
    verdictFile: file,
    kvmGuest: ({ log, signal }) => vm.ensureVm({ settings: { accel: 'kvm' }, log, signal }),
  };
}

/**
 * What `host: auto` would do, without booting anything: the cached verdict of this boot, or no KVM device,
 * or "not tried yet". `benchsuite doctor` prints it.
 */
export function explainAutoHost(deps: AutoHostDeps): AutoHostDecision & { tried: boolean } {
  const cached = deps.readVerdict(deps.bootId());
  if (cached) {
    return {
      host: cached.kvm ? 'vm' : 'local',
      reason: `${cached.reason} (checked ${cached.checkedAt}; kept until this host reboots, or delete ${deps.verdictFile})`,
      cached: true,
      tried: true,
    };
  }
  const dev = deps.kvmDevice();
  if (!dev.usable) return { host: 'local', reason: `this host cannot run guests with KVM: ${dev.reason}`, cached: false, tried: true };
  return {
    host: 'vm',
    reason: `${dev.reason}; not tried yet since this boot: the run boots the local guest with KVM (building its image first when there is none) and runs on this host if it does not come up`,
    cached: false,
    tried: false,
  };
}

/**
 * Decide `host: auto`: the local guest when this host runs guests with KVM (decided by trying, as
 * `vm up` does), otherwise this host. The verdict is cached until the next boot.
 */
export async function decideAutoHost(
  deps: AutoHostDeps,
  options: { log?: (line: string) => void; signal?: AbortSignal; boot?: boolean } = {},
): Promise<{ decision: AutoHostDecision; conn?: VmConnection }> {
  const log = options.log ?? (() => undefined);
  const bootId = deps.bootId();
  const remember = (kvm: boolean, reason: string): void => {
    if (bootId) deps.writeVerdict({ bootId, kvm, reason, checkedAt: new Date().toISOString() });
  };
  const cached = deps.readVerdict(bootId);
  if (cached && !cached.kvm) {
    return { decision: { host: 'local', reason: `${cached.reason} (checked ${cached.checkedAt}; kept until this host reboots, or delete ${deps.verdictFile})`, cached: true } };
  }
  if (!cached) {
    const dev = deps.kvmDevice();
    if (!dev.usable) {
      const reason = `this host cannot run guests with KVM: ${dev.reason}`;
      remember(false, reason);
      return { decision: { host: 'local', reason, cached: false } };
    }
  }
  if (options.boot === false) {
    return { decision: { host: 'local', reason: 'not booting the guest for this command; `host: auto` runs on this host here', cached: Boolean(cached) } };
  }
  try {
    const conn = await deps.kvmGuest({ log, signal: options.signal });
    if (conn.info.accelerator !== 'kvm') throw new Error(`the guest came up with ${conn.info.accelerator.toUpperCase()}, not KVM`);
    const reason = 'the local guest boots with KVM on this host';
    remember(true, reason);
    return { decision: { host: 'vm', reason: cached ? `${reason} (checked ${cached.checkedAt})` : reason, cached: Boolean(cached) }, conn };
  } catch (e) {
    if (options.signal?.aborted) throw e;
    const reason = `the local guest did not come up with KVM: ${String((e as Error).message).split('\n')[0]}`;
    remember(false, reason);
    log(`host: auto → this host (${reason})`);
    return { decision: { host: 'local', reason, cached: false } };
  }
}

function expandHome(p: string | undefined): string | undefined {
  return p?.startsWith('~/') ? `${homedir()}${p.slice(1)}` : p;
}

export async function createTargets(scenario: Scenario, runId: string, options: TargetFactoryOptions = {}): Promise<CreatedTargets> {
  const machines = new Map<string, Machine>();
  const extraFingerprint = new Map<string, Record<string, unknown>>();
  const log = options.log ?? (() => undefined);
  let auto: Promise<{ decision: AutoHostDecision; conn?: VmConnection }> | undefined;
  const machineFor = async (id: string, spec: TargetSpec): Promise<Machine> => {
    if (spec.host === 'auto') {
      // Decided once per run, shared by every `auto` target.
      auto ??= (async () => decideAutoHost(options.autoHost ?? (await realAutoHostDeps()), { log, signal: options.signal, boot: !options.autoWithoutBoot }))();
      const { decision, conn } = await auto;
      log(`${id}: host auto → ${decision.host === 'vm' ? 'the local guest (KVM)' : 'this host'}: ${decision.reason}`);
      extraFingerprint.set(id, { ...extraFingerprint.get(id), hostAuto: decision, ...(conn ? { vm: conn.info } : {}) });
      if (!conn) return machineFor(id, { ...spec, host: 'local' });
      const key = `vm:${conn.sshUrl}`;
      const m = machines.get(key) ?? new SshMachine(conn.sshUrl, { identityFile: conn.identityFile, knownHostsFile: conn.knownHostsFile });
      machines.set(key, m);
      return m;
    }
    if (spec.host === 'local') {
      const m = machines.get('local') ?? new LocalMachine();
      machines.set('local', m);
      return m;
    }
    if (spec.host === 'vm') {
      const guest = await localGuest({ signal: options.signal, log }); // loads the VM code only when a scenario uses the local guest
      extraFingerprint.set(id, guest.fingerprint);
      const m = machines.get(guest.key) ?? guest.create();
      machines.set(guest.key, m);
      return m;
    }
    const key = `${spec.host}|${spec.identityFile ?? ''}|${spec.knownHostsFile ?? ''}`;
    const m = machines.get(key) ?? new SshMachine(spec.host, { identityFile: expandHome(spec.identityFile), knownHostsFile: spec.knownHostsFile });
    machines.set(key, m);
    return m;
  };
  const targets: Target[] = [];
  for (const [id, spec] of Object.entries(scenario.targets)) {
    const machine = await machineFor(id, spec);
    targets.push(createTarget({ id, spec, machine, runId, log }));
  }
  return { targets, machines: [...machines.values()], extraFingerprint };
}
