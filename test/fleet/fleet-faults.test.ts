// Faults across a fleet: an sshd killed mid-run (the other host finishes, the lost one is recorded, --resume reruns
// only it), and SIGINT (every host stops cleanly, exit 130, --resume continues the interrupted runs).
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results/model.js';
import { startSshdFleet, type SshdFleet } from '../../support/sshd-fleet.js';
import { BIN, ROOT, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { readFleet, SCENARIO, writeInventory } from './helpers.js';

let hosts: SshdFleet;
beforeAll(async () => {
  hosts = await startSshdFleet(2, { first: 20 });
}, 60_000);
afterAll(async () => {
  await hosts?.dispose();
});

function startCli(args: string[]): { pid: number; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  const done = new Promise<CliResult>((res) => child.on('close', (code) => (clearTimeout(timer), res({ code, stdout, stderr }))));
  return { pid: child.pid as number, done };
}

/** Ok samples logged so far by the run of `host` in the fleet under resultsDir. */
function samplesOf(resultsDir: string, host: string): number {
  let found: ReturnType<typeof readFleet>;
  try {
    found = readFleet(resultsDir);
  } catch {
    return 0; // not written yet
  }
  const { fleet, dir } = found;
  const runId = fleet.hosts.find((h) => h.name === host)?.runId;
  const log = runId ? join(dir, `${runId}.samples.jsonl`) : '';
  if (!log || !existsSync(log)) return 0;
  return readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"ok":true')).length;
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

function containersOf(runId: string): string {
  return execFileSync('docker', ['ps', '-aq', '--filter', `label=benchsuite.run=${runId}`], { encoding: 'utf8' }).trim();
}

describe('an sshd killed mid-run', () => {
  it('fails only that host, with the reason; --resume reruns only it', async () => {
    const [a, b] = hosts.hosts;
    const work = tempDir('fleet-lost');
    // benchsuite_samples makes the victim's run long enough to lose it in the middle (and checks the override).
    const inv = writeInventory(join(work, 'hosts.ini'), [
      { name: 'steady', group: 'g', sshd: a },
      { name: 'victim', group: 'g', sshd: b, vars: 'benchsuite_samples=8' },
    ]);
    const resultsDir = tempDir('fleet-lost-results');
    const args = ['run', SCENARIO, '--inventory', inv, '--known-hosts', hosts.knownHostsFile, '--results-dir', resultsDir, '--no-reports'];
    const run = startCli(args);
    await until(() => samplesOf(resultsDir, 'victim') >= 2, 120_000);
    await b?.stop();
    const r = await run.done;
    expect(r.code, r.stderr).toBe(1);
    const { fleet, dir } = readFleet(resultsDir);
    const steady = fleet.hosts.find((h) => h.name === 'steady');
    const victim = fleet.hosts.find((h) => h.name === 'victim');
    expect(steady?.status).toBe('completed');
    expect(victim?.status).toBe('failed');
    expect(victim?.reason).toMatch(/failed sample|could not be prepared|SSH/);
    const victimResults = JSON.parse(readFileSync(join(dir, victim?.resultsFile as string), 'utf8')) as RunResults;
    expect(victimResults.scenario.samples).toBe(8);
    expect(victimResults.samples.some((s) => s.ok)).toBe(true);
    expect(r.stdout).toMatch(/^victim\s+failed\s/m);
    expect(r.stdout).toMatch(/^fleet \(k=1\)\s+pooled/m);

    // Back up: the lost run could not remove its scratch directory on the victim (its sshd was gone), which
    // `clean --run` does, as the product tells users; then --resume FLEETID reruns the victim only.
    await b?.start();
    const lostScratch = `/var/tmp/benchsuite/${victim?.runId as string}`;
    if (existsSync(lostScratch)) {
      const cleaned = await runCli(['clean', '--run', victim?.runId as string]);
      expect(cleaned.code, cleaned.stderr).toBe(0);
    }
    expect(existsSync(lostScratch)).toBe(false);
    const steadyFile = join(dir, steady?.resultsFile as string);
    const steadyMtime = statSync(steadyFile).mtimeMs;
    const again = await runCli(['run', '--resume', fleet.fleetId, '--results-dir', resultsDir, '--no-reports']);
    expect(again.code, again.stderr).toBe(0);
    const after = readFleet(resultsDir).fleet;
    expect(after.status).toBe('completed');
    expect(after.hosts.map((h) => h.status)).toEqual(['completed', 'completed']);
    expect(after.hosts[0]?.runId).toBe(steady?.runId);
    expect(statSync(steadyFile).mtimeMs).toBe(steadyMtime);
    expect(after.hosts[1]?.runId).not.toBe(victim?.runId); // a failed run starts over
    expect(again.stderr).not.toMatch(/\[steady\]/);
    expect(again.stdout).toMatch(/^fleet \(k=2\)\s+pooled/m);
  }, 240_000);
});

describe('SIGINT', () => {
  it('stops every host cleanly with exit 130; --resume continues the interrupted runs', async () => {
    const work = tempDir('fleet-int');
    const inv = writeInventory(join(work, 'hosts.ini'), hosts.hosts.map((s, i) => ({ name: `h${i}`, group: 'g', sshd: s })));
    const resultsDir = tempDir('fleet-int-results');
    const run = startCli(['run', SCENARIO, '--set', 'samples=6', '--inventory', inv, '--known-hosts', hosts.knownHostsFile, '--results-dir', resultsDir, '--no-reports']);
    await until(() => samplesOf(resultsDir, 'h0') >= 1 && samplesOf(resultsDir, 'h1') >= 1, 120_000);
    process.kill(run.pid, 'SIGINT');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    const { fleet, dir } = readFleet(resultsDir);
    expect(fleet.status).toBe('interrupted');
    expect(fleet.hosts.map((h) => h.status)).toEqual(['interrupted', 'interrupted']);
    for (const h of fleet.hosts) {
      const res = JSON.parse(readFileSync(join(dir, h.resultsFile as string), 'utf8')) as RunResults;
      expect(res.status).toBe('interrupted');
      expect(containersOf(res.runId)).toBe(''); // cleaned up on every host
    }
    expect(r.stdout).toContain(`benchsuite run --resume ${fleet.fleetId}`);

    const again = await runCli(['run', '--resume', fleet.fleetId, '--results-dir', resultsDir, '--no-reports']);
    expect(again.code, again.stderr).toBe(0);
    const after = readFleet(resultsDir).fleet;
    expect(after.hosts.map((h) => [h.status, h.runId])).toEqual(fleet.hosts.map((h) => ['completed', h.runId])); // same runs, continued
    for (const h of after.hosts) {
      const res = JSON.parse(readFileSync(join(dir, h.resultsFile as string), 'utf8')) as RunResults;
      expect(res.samples.filter((s) => s.ok && !s.warmup && s.target === 'bare')).toHaveLength(6);
    }
  }, 240_000);
});
