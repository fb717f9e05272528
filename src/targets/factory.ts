/** Targets from a scenario: one Machine per distinct host, shared by the targets on it. */
import { homedir } from 'node:os';
import type { Scenario, TargetSpec } from '../scenario/schema.js';
import { localGuest } from './guest.js';
import { createTarget } from './kinds.js';
import { LocalMachine } from '../exec/local.js';
import { SshMachine } from '../exec/ssh.js';
import type { Machine, Target } from './types.js';

export interface TargetFactoryOptions {
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface CreatedTargets {
  targets: Target[];
  machines: Machine[];
  /** Extra facts per target id to merge into its fingerprint (e.g. the local VM's accelerator). */
  extraFingerprint: Map<string, Record<string, unknown>>;
}

function expandHome(p: string | undefined): string | undefined {
  return p?.startsWith('~/') ? `${homedir()}${p.slice(1)}` : p;
}

export async function createTargets(scenario: Scenario, runId: string, options: TargetFactoryOptions = {}): Promise<CreatedTargets> {
  const machines = new Map<string, Machine>();
  const extraFingerprint = new Map<string, Record<string, unknown>>();
  const log = options.log ?? (() => undefined);
  const machineFor = async (id: string, spec: TargetSpec): Promise<Machine> => {
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
