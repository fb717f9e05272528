import { randomBytes } from 'node:crypto';

/** e.g. 20261129-193000-kvm-docker-3f2a: sortable, and safe in file and container names. */
export function newRunId(scenarioName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name = scenarioName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 40);
  return `${stamp}-${name}-${randomBytes(2).toString('hex')}`;
}

export const RUN_ID_PATTERN = /^[0-9]{8}-[0-9]{6}-[a-z0-9-]+-[0-9a-f]{4}$/;
