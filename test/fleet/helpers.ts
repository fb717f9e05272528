// Shared by the fleet e2e tests: loopback sshd "hosts" and an INI inventory naming them.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetFile } from '../../src/fleet/file.js';
import type { LoopbackSshd } from '../../support/loopback-sshd.js';
import { ROOT } from '../helpers/cli.js';

export const SCENARIO = join(ROOT, 'test/fixtures/fleet/dd-quick.yaml');

export interface InvHost {
  name: string;
  group: string;
  sshd?: LoopbackSshd;
  /** For a host without a server: where nothing listens. */
  address?: string;
  port?: number;
  identityFile?: string;
  vars?: string;
}

export function writeInventory(file: string, hosts: InvHost[]): string {
  const groups = [...new Set(hosts.map((h) => h.group))];
  const lines: string[] = [];
  for (const g of groups) {
    lines.push(`[${g}]`);
    for (const h of hosts.filter((x) => x.group === g)) {
      const address = h.sshd?.address ?? h.address;
      const port = h.sshd?.port ?? h.port;
      const key = h.sshd?.identityFile ?? h.identityFile;
      lines.push(`${h.name} ansible_host=${address} ansible_port=${port} ansible_user=root ansible_ssh_private_key_file=${key}${h.vars ? ` ${h.vars}` : ''}`);
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export function readFleet(resultsDir: string): { fleet: FleetFile; dir: string } {
  const id = readdirSync(resultsDir).find((d) => d.includes('-fleet-'));
  if (!id) throw new Error(`no fleet directory in ${resultsDir}`);
  const dir = join(resultsDir, id);
  return { fleet: JSON.parse(readFileSync(join(dir, 'fleet.json'), 'utf8')) as FleetFile, dir };
}
