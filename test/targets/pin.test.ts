// Pinning for real on this host: a host target pinned with { workload: "1", client: "0" } runs dd, the nginx
// server and ab's client with those affinities. Each process's Cpus_allowed_list is read from /proc while it
// runs (independently of the code under test), and the results' read-back says the same.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalMachine } from '../../src/exec/local.js';
import { DirectTarget } from '../../src/targets/direct.js';
import { readBackPin } from '../../src/runner/pinning.js';
import { descendants } from '../../src/util/proc.js';
import { WORKLOAD_KINDS } from '../../src/workloads/registry.js';
import type { Workload, WorkloadContext } from '../../src/workloads/types.js';

const scratch = mkdtempSync(join(tmpdir(), 'bs-pin-'));
chmodSync(scratch, 0o755); // nginx's workers drop to nobody when this runs as root
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const target = new DirectTarget('bare', 'Bare', new LocalMachine(), { workload: '1', client: '0' });
const ctx: WorkloadContext = { runId: 'tpin', target, scratchDir: scratch, log: () => undefined, client: (argv) => [...target.clientPrefix(), ...argv] };

function create(kind: string, settings: Record<string, unknown>): Workload {
  const k = WORKLOAD_KINDS.find((x) => x.kind === kind);
  if (!k) throw new Error(`no kind ${kind}`);
  return k.create('w', k.schema.parse({ kind, ...settings }) as never, kind);
}

/** Our descendants named `name` and their Cpus_allowed_list, read from /proc. */
function affinities(name: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const pid of descendants(process.pid)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (new RegExp(`^Name:\\s*${name}$`, 'm').test(status)) out.set(pid, /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1] ?? '?');
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Run `work`, polling for processes named `name` every few ms; their affinities. */
async function watch(name: string, work: Promise<unknown>): Promise<Map<number, string>> {
  const seen = new Map<number, string>();
  let done = false;
  const w = work.finally(() => (done = true));
  while (!done) {
    for (const [p, a] of affinities(name)) seen.set(p, a);
    await new Promise((r) => setTimeout(r, 3));
  }
  await w;
  return seen;
}

describe('a pinned host target, for real', () => {
  it('runs dd on the workload\'s CPU', async () => {
    const prepared = await create('dd', { count: 400, sync: 'none' }).prepare(ctx);
    try {
      const seen = await watch('dd', prepared.runSample({ seq: 1, timeoutMs: 60_000 }));
      expect(seen.size).toBeGreaterThan(0);
      expect([...new Set(seen.values())]).toEqual(['1']);
      expect(await readBackPin(target, prepared.execCtx)).toEqual({ workload: '1', client: '0', workloadAffinity: '1', clientAffinity: '0' });
    } finally {
      await prepared.cleanup();
    }
  }, 120_000);

  it('runs the nginx server on the workload\'s CPU and ab on the client\'s', async () => {
    const prepared = await create('ab', { requests: 20_000, concurrency: 8 }).prepare(ctx);
    try {
      const servers = affinities('nginx');
      expect(servers.size).toBeGreaterThan(1); // master and worker(s)
      expect([...new Set(servers.values())]).toEqual(['1']);
      const clients = await watch('ab', prepared.runSample({ seq: 1, timeoutMs: 120_000 }));
      expect(clients.size).toBeGreaterThan(0);
      expect([...new Set(clients.values())]).toEqual(['0']);
    } finally {
      await prepared.cleanup();
    }
  }, 180_000);
});

describe('a pinned Docker target, for real', () => {
  it('starts the container with --cpuset-cpus, and commands in it get that affinity; the container\'s shim is its own CPU', async () => {
    const { DockerTarget } = await import('../../src/targets/docker.js');
    const { containerSchema } = await import('../../src/scenario/schema.js');
    const docker = new DockerTarget('dock', 'Dock', new LocalMachine(), containerSchema.parse({ storage: 'overlay' }), 'tpin-docker', () => undefined, { workload: '1', client: '0' });
    await docker.prepare();
    expect(docker.describeContainer().runArgs).toContain('--cpuset-cpus=1');
    const env = await docker.open({ workload: 'w', mounts: [], scratchDir: scratch });
    try {
      expect(await readBackPin(docker, env)).toEqual({ workload: '1', client: '0', workloadAffinity: '1', clientAffinity: '0' });
      // The container's main process is a child of the pid named as its own root (the runtime shim).
      const inspect = await new LocalMachine().exec(['docker', 'inspect', '--format', '{{.State.Pid}}', env.containerId as string]);
      const main = Number(inspect.stdout.trim());
      const stat = readFileSync(`/proc/${main}/stat`, 'utf8');
      expect(env.ownPids).toEqual([Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])]);
    } finally {
      await env.close();
    }
  }, 180_000);
});
