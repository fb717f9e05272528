import { randomBytes } from 'node:crypto';

/** e.g. 20261129-193000-kvm-docker-3f2a: sortable, and safe in file and container names. */
export function newRunId(scenarioName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name = scenarioName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 40);
  return `${stamp}-${name}-${randomBytes(2).toString('hex')}`;
}

export { RUN_ID_PATTERN } from '../util/run-id.js';
