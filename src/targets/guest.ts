/**
 * The local guest (`host: vm`): a qemu VM benchsuite boots and reaches over SSH. The VM code is loaded only when a
 * scenario uses the guest; its facts (accelerator, qemu version) go into the target's fingerprint.
 */
import { SshMachine } from '../exec/ssh.js';
import type { Machine } from '../exec/types.js';

export interface GuestMachine {
  /** Identifies the machine, so targets on the same guest share one connection. */
  key: string;
  create(): Machine;
  /** Extra fingerprint facts of a target on the guest. */
  fingerprint: Record<string, unknown>;
}

export async function localGuest(options: { signal?: AbortSignal; log?: (line: string) => void } = {}): Promise<GuestMachine> {
  const vm = await import('../vm/index.js');
  const conn = await vm.ensureVm({ signal: options.signal, log: options.log ?? (() => undefined) });
  return {
    key: `vm:${conn.sshUrl}`,
    create: () => new SshMachine(conn.sshUrl, { identityFile: conn.identityFile, knownHostsFile: conn.knownHostsFile }),
    fingerprint: { vm: conn.info },
  };
}
