/**
 * Many real sshd instances on loopback addresses (127.0.0.2, 127.0.0.3, …), standing in for the hosts of an
 * Ansible inventory in the fleet tests and the fleet bench (development support; not part of the CLI).
 * Each has its own host and user keys; one known_hosts file lists them all.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLocalPort } from '../src/util/net.js';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd.js';

export interface SshdFleet {
  hosts: LoopbackSshd[];
  /** One known_hosts file with every host's key. */
  knownHostsFile: string;
  dir: string;
  dispose(): Promise<void>;
}

/** The n-th loopback address from 127.0.0.2 on (n = 0 → 127.0.0.2), across the last two octets. */
export function loopbackAddress(n: number, first = 2): string {
  const i = n + first;
  if (i < 1 || i >= 250 * 250) throw new Error(`loopback address #${n} is out of range`);
  const hi = Math.floor(i / 250);
  return hi === 0 ? `127.0.0.${i}` : `127.0.${hi}.${(i % 250) + 1}`;
}

/** Start `count` servers (`parallel` at a time), on 127.0.0.<first>… */
export async function startSshdFleet(count: number, o: { first?: number; parallel?: number; prefix?: string } = {}): Promise<SshdFleet> {
  const dir = mkdtempSync(join(tmpdir(), `${o.prefix ?? 'bs-sshd-fleet'}-`));
  const hosts: LoopbackSshd[] = new Array(count);
  const parallel = o.parallel ?? 8;
  let next = 0;
  const dispose = async (): Promise<void> => {
    await Promise.all(hosts.filter(Boolean).map((h) => h.dispose().catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(parallel, count) }, async () => {
        while (next < count) {
          const i = next++;
          hosts[i] = await startLoopbackSshd({ address: loopbackAddress(i, o.first), prefix: o.prefix ?? 'bs-sshd-fleet' });
        }
      }),
    );
  } catch (e) {
    await dispose();
    throw e;
  }
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, hosts.map((h) => readFileSync(h.knownHostsFile, 'utf8')).join(''));
  return { hosts, knownHostsFile, dir, dispose };
}

/** An address and port where nothing listens: a host that cannot be reached (connection refused). */
export async function unreachableAddress(n = 250): Promise<{ address: string; port: number }> {
  return { address: `127.0.0.${n}`, port: await freeLocalPort() };
}
