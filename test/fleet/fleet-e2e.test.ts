// Acceptance of issue 16: a dd-only quick scenario over three reachable loopback sshd hosts and one unreachable
// address; the real CLI, real ssh, real dd and Docker on each "host".
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetFile } from '../../src/fleet/file.js';
import type { RunResults } from '../../src/results/model.js';
import { startSshdFleet, unreachableAddress, type SshdFleet } from '../../support/sshd-fleet.js';
import { ROOT, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { readFleet, SCENARIO, writeInventory } from './helpers.js';

let hosts: SshdFleet;
let run: CliResult;
let fleet: FleetFile;
let dir: string;
let reportsDir: string;
let inventory: string;

beforeAll(async () => {
  hosts = await startSshdFleet(3, { first: 2 });
  const down = await unreachableAddress(250);
  const work = tempDir('fleet-e2e');
  inventory = writeInventory(join(work, 'hosts.ini'), [
    { name: 'alpha', group: 'gen_a', sshd: hosts.hosts[0] },
    { name: 'bravo', group: 'gen_a', sshd: hosts.hosts[1] },
    { name: 'charlie', group: 'gen_b', sshd: hosts.hosts[2] },
    { name: 'down', group: 'gen_b', address: down.address, port: down.port, identityFile: hosts.hosts[0]?.identityFile },
  ]);
  const resultsDir = tempDir('fleet-results');
  reportsDir = tempDir('fleet-reports');
  run = await runCli(['run', SCENARIO, '--quick', '--inventory', inventory, '--known-hosts', hosts.knownHostsFile, '--results-dir', resultsDir, '--reports-dir', reportsDir]);
  ({ fleet, dir } = readFleet(resultsDir));
}, 180_000);

afterAll(async () => {
  await hosts?.dispose();
});

describe('benchsuite run --inventory (3 reachable hosts, 1 unreachable)', () => {
  it('exits 1 and records every host in the fleet file', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(fleet.kind).toBe('benchsuite-fleet');
    expect(fleet.inventory.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(fleet.inventory.digest).toBe(createHash('sha256').update(readFileSync(inventory)).digest('hex'));
    expect(fleet.hosts.map((h) => [h.name, h.status])).toEqual([
      ['alpha', 'completed'],
      ['bravo', 'completed'],
      ['charlie', 'completed'],
      ['down', 'unreachable'],
    ]);
    const down = fleet.hosts.find((h) => h.name === 'down');
    expect(down?.reason).toMatch(/127\.0\.0\.250.*Connection refused/);
    expect(down?.resultsFile).toBeUndefined();
  });

  it('writes one ordinary, completed results file per reachable host, run over SSH on that host', () => {
    for (const [i, name] of ['alpha', 'bravo', 'charlie'].entries()) {
      const h = fleet.hosts.find((x) => x.name === name);
      const r = JSON.parse(readFileSync(join(dir, h?.resultsFile ?? 'missing'), 'utf8')) as RunResults;
      expect(r.status, name).toBe('completed');
      expect(r.runId).toBe(h?.runId);
      const sshd = hosts.hosts[i];
      // The scenario's host: local targets were bound to this inventory host.
      expect(r.targets.map((t) => t.host)).toEqual([sshd?.url, sshd?.url]);
      expect(r.targets.find((t) => t.id === 'docker')?.kind).toBe('docker');
      for (const t of ['bare', 'docker']) expect(r.samples.filter((s) => s.target === t && s.ok && !s.warmup).length, `${name} ${t}`).toBe(3);
      expect(existsSync(join(dir, `${r.runId}.samples.jsonl`))).toBe(true);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.json')).sort()).toHaveLength(4); // 3 results + fleet.json
  });

  it('prints a fleet table naming every host, with the pooled fleet row', () => {
    const out = run.stdout;
    for (const name of ['alpha', 'bravo', 'charlie', 'down']) expect(out).toMatch(new RegExp(`^${name}\\s`, 'm'));
    expect(out).toMatch(/^down\s+unreachable\s.*Connection refused/m);
    expect(out).toMatch(/^fleet \(k=3\)\s+pooled\s+[+-]\d+\.\d %\s+\[[+-]\d+\.\d %, [+-]\d+\.\d %\]\s+DerSimonian–Laird.*τ \d\.\d{3}.*I² \d+ %/m);
  });

  it('renders the forest plot (SVG) with every host that has a result and the fleet row', () => {
    const out = join(reportsDir, fleet.fleetId);
    const svgFile = readdirSync(out).find((f) => f.startsWith('forest-') && f.endsWith('.svg'));
    expect(svgFile).toBeDefined();
    const svg = readFileSync(join(out, svgFile as string), 'utf8');
    expect(svg).toMatch(/^<svg/);
    for (const label of ['alpha', 'bravo', 'charlie', 'Fleet (k=3)']) expect(svg).toContain(`>${label}<`);
    expect(svg).toContain('down (unreachable)');
    expect(statSync(join(out, 'fleet.txt')).size).toBeGreaterThan(0);
  });

  it('the pooled row is the DerSimonian–Laird estimate of the per-host log ratios', () => {
    const summary = JSON.parse(readFileSync(join(reportsDir, fleet.fleetId, 'fleet-summary.json'), 'utf8')) as {
      blocks: { pooled: { label: string; differencePct: number; k: number }[] }[];
    };
    // Recompute from the per-host files by hand: y = ln(mc/mb), v = sc²/(nc·mc²) + sb²/(nb·mb²), DL τ², weights 1/(v+τ²).
    const ys: number[] = [];
    const vs: number[] = [];
    for (const name of ['alpha', 'bravo', 'charlie']) {
      const h = fleet.hosts.find((x) => x.name === name);
      const r = JSON.parse(readFileSync(join(dir, h?.resultsFile as string), 'utf8')) as RunResults;
      const vals = (t: string): number[] => r.samples.filter((s) => s.target === t && s.ok && !s.warmup).map((s) => s.values.write_mbps as number);
      const stat = (xs: number[]): [number, number, number] => {
        const m = xs.reduce((a, b) => a + b, 0) / xs.length;
        return [m, xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1), xs.length];
      };
      const [mb, varb, nb] = stat(vals('bare'));
      const [mc, varc, nc] = stat(vals('docker'));
      ys.push(Math.log(mc / mb));
      vs.push(varc / (nc * mc * mc) + varb / (nb * mb * mb));
    }
    const w = vs.map((v) => 1 / v);
    const sw = w.reduce((a, b) => a + b, 0);
    const fe = ys.reduce((a, y, i) => a + (w[i] as number) * y, 0) / sw;
    const q = ys.reduce((a, y, i) => a + (w[i] as number) * (y - fe) ** 2, 0);
    const tau2 = Math.max(0, (q - 2) / (sw - w.reduce((a, b) => a + b * b, 0) / sw));
    const ws = vs.map((v) => 1 / (v + tau2));
    const mu = ys.reduce((a, y, i) => a + (ws[i] as number) * y, 0) / ws.reduce((a, b) => a + b, 0);
    const fleetRow = summary.blocks[0]?.pooled.find((p) => p.label === 'fleet');
    expect(fleetRow?.k).toBe(3);
    expect(fleetRow?.differencePct).toBeCloseTo((Math.exp(mu) - 1) * 100, 6);
  });
});

describe('benchsuite report on a fleet file', () => {
  it('prints the fleet table again, with one pooled row per inventory group', async () => {
    const r = await runCli(['report', join(dir, 'fleet.json'), '--group-by', 'group', '--out', tempDir('fleet-report')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fleet \(k=3\)\s+pooled/m);
    expect(r.stdout).toMatch(/^gen_a \(k=2\)\s+pooled/m);
    expect(r.stdout).toMatch(/^gen_b \(k=1\)\s+pooled/m);
  });

  it('groups by a fingerprint field', async () => {
    const r = await runCli(['report', dir, '--group-by', 'kernelRelease', '--out', tempDir('fleet-report')]);
    expect(r.code, r.stderr).toBe(0);
    const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
    expect(r.stdout).toContain(`${kernel} (k=3)`);
  });

  it('refuses a bad --group-by with exit 2', async () => {
    const r = await runCli(['report', dir, '--group-by', 'group:nosuch', '--out', tempDir('fleet-report')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--group-by group:nosuch: the inventory has no group nosuch/);
  });
});

describe('scheduling', () => {
  it('never runs two inventory names of one address at once, while other hosts run beside them', async () => {
    const work = tempDir('fleet-sched');
    const [a, b] = hosts.hosts;
    const inv = writeInventory(join(work, 'hosts.ini'), [
      { name: 'a1', group: 'g', sshd: a },
      { name: 'a2', group: 'g', sshd: a },
      { name: 'b1', group: 'g', sshd: b },
    ]);
    const resultsDir = tempDir('fleet-sched-results');
    const r = await runCli(['run', join(ROOT, 'test/fixtures/fleet/trivial.yaml'), '--inventory', inv, '--forks', '5', '--known-hosts', hosts.knownHostsFile, '--results-dir', resultsDir, '--no-reports']);
    expect(r.code, r.stderr).toBe(0);
    const f = readFleet(resultsDir).fleet;
    const span = (n: string): [number, number] => {
      const h = f.hosts.find((x) => x.name === n);
      return [Date.parse(h?.startedAt as string), Date.parse(h?.finishedAt as string)];
    };
    const [a1, a2, b1] = [span('a1'), span('a2'), span('b1')];
    expect(a1[1] <= a2[0] || a2[1] <= a1[0]).toBe(true); // one after the other
    expect(b1[0]).toBeLessThan(Math.max(a1[1], a2[1])); // b1 did not wait for both
    expect(f.forks).toBe(5);
  }, 120_000);
});

describe('host keys and bad inventories', () => {
  it('never accepts an unknown host key: the host is unreachable with the reason', async () => {
    const work = tempDir('fleet-hostkey');
    const inv = writeInventory(join(work, 'hosts.ini'), [{ name: 'alpha', group: 'g', sshd: hosts.hosts[0] }]);
    const empty = join(work, 'known_hosts');
    writeFileSync(empty, '');
    const resultsDir = tempDir('fleet-hostkey-results');
    const r = await runCli(['run', SCENARIO, '--quick', '--inventory', inv, '--known-hosts', empty, '--results-dir', resultsDir, '--no-reports']);
    expect(r.code, r.stderr).toBe(1);
    const { fleet: f } = readFleet(resultsDir);
    expect(f.hosts[0]?.status).toBe('unreachable');
    expect(f.hosts[0]?.reason).toMatch(/Host key verification failed|host key/i);
    expect(readFileSync(empty, 'utf8')).toBe(''); // nothing was added
  }, 60_000);

  it('exits 2 naming the file, host and variable, before anything runs', async () => {
    const work = tempDir('fleet-bad');
    const inv = join(work, 'hosts.ini');
    writeFileSync(inv, '[web]\nw1 ansible_host=127.0.0.9 ansible_port=99999\n');
    const resultsDir = join(work, 'results');
    const r = await runCli(['run', SCENARIO, '--inventory', inv, '--results-dir', resultsDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`inventory ${inv}: host w1: ansible_port: 99999 is not a port`);
    expect(existsSync(resultsDir)).toBe(false);
    const bad = await runCli(['run', SCENARIO, '--inventory', inv, '--limit', 'wbe', '--results-dir', resultsDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--limit wbe: "wbe" is no group or host/);
    const noInv = await runCli(['run', SCENARIO, '--limit', 'web', '--results-dir', resultsDir]);
    expect(noInv.code).toBe(2);
    expect(noInv.stderr).toMatch(/--limit applies to fleets: add --inventory FILE/);
    const set = join(work, 'set.ini');
    writeFileSync(set, `[web]\nw1 ansible_host=127.0.0.9 benchsuite_workloads__dd__count=-5\n`);
    const s = await runCli(['run', SCENARIO, '--inventory', set, '--results-dir', resultsDir]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/host w1.*workloads\.dd\.count/s);
  });
});
