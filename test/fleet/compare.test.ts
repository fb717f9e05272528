// `compare` on two fleets: per-host run comparisons, hosts in one fleet only, and the fleet row on the change of the
// pooled overhead. The fleets are built here from small synthetic results files whose samples are exact, so every
// expected value below is derived by hand (the derivation is in the comments).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareCommand, type CommandIo } from '../../src/cli/report-commands.js';
import { combinedDf, compareFleets } from '../../src/fleet/compare.js';
import type { FleetFile } from '../../src/fleet/file.js';
import { syntheticResults } from '../../src/report/synthetic.js';
import { analyze } from '../../src/results/analyze.js';
import { studentTQuantile } from '../../src/stats/index.js';
import { markdownCell } from '../../src/util/markdown.js';
import { runCli, tempDir } from '../helpers/cli.js';

// Every target's 4 samples are scale·{99, 101, 99, 101}: mean 100·scale, sd √(4/3)·scale, so sd/mean = √(4/3)/100
// on every side and the delta-method variance of each host's log ratio is v = 2·(4/3·10⁻⁴)/4 = 6.6667·10⁻⁵.
const PATTERN = [99, 101, 99, 101];
const V = (2 * (4 / 3) * 1e-4) / 4;

function hostResults(runId: string, scale: number, ratio: number, scenario = 'fleet-cmp'): object {
  const r = syntheticResults({
    name: scenario,
    runId,
    startedAt: '2026-12-01T10:00:00.000Z',
    seed: 1,
    baseline: 'bare',
    targets: [
      { id: 'bare', label: 'Bare Metal', kind: 'host' },
      { id: 'docker', label: 'Docker', kind: 'docker' },
    ],
    workloads: [
      {
        id: 'dd',
        kind: 'dd',
        title: 'Disk Write (dd)',
        metrics: [{ metric: 'write_mbps', mean: { bare: 100, docker: 90 }, cv: 0.01 }],
      },
    ],
    samples: 4,
    warmup: 0,
  });
  for (const s of r.samples) {
    const k = s.target === 'docker' ? ratio : 1;
    s.values = { write_mbps: scale * k * (PATTERN[s.round] as number) };
  }
  Object.assign(r, analyze(r));
  return r;
}

type HostSpec = { name: string; status: 'completed' | 'unreachable'; scale?: number; ratio?: number };

function writeFleet(root: string, fleetId: string, hosts: HostSpec[], scenario = 'fleet-cmp'): string {
  const dir = join(root, fleetId);
  mkdirSync(dir, { recursive: true });
  const fleet: FleetFile = {
    kind: 'benchsuite-fleet', schemaVersion: 1, fleetId, status: hosts.every((h) => h.status === 'completed') ? 'completed' : 'failed',
    startedAt: '2026-12-01T10:00:00.000Z', command: ['benchsuite', 'run'], scenario: { name: scenario, quick: true, sets: [] },
    inventory: { file: '/inv.ini', format: 'ini', digest: 'd' }, forks: 5, groupChildren: { all: [] },
    hosts: hosts.map((h, i) => {
      const runId = `${fleetId.slice(0, 15)}-fleet-cmp-${h.name}-${String(i).padStart(4, '0')}`;
      if (h.status === 'completed') writeFileSync(join(dir, `${runId}.json`), JSON.stringify(hostResults(runId, h.scale ?? 1, h.ratio ?? 0.9, scenario)));
      return {
        name: h.name, address: `ssh://root@${h.name}`, groups: ['all'], sets: [], status: h.status,
        ...(h.status === 'completed' ? { runId, resultsFile: `${runId}.json` } : { reason: 'SSH to h5 failed: Connection refused' }),
      };
    }),
  };
  writeFileSync(join(dir, 'fleet.json'), JSON.stringify(fleet));
  return dir;
}

const root = tempDir('fleet-compare');
let A: string; // baseline: h1 h2 h3 h5, Docker at 0.9 of bare metal everywhere
let B: string; // same overhead: h1 h2 (identical samples) h4 (new), h5 unreachable, h3 gone
let C: string; // regression: every host's Docker at 0.8
let D: string; // in between: 0.86
const io = (): CommandIo & { out: string; err: string } => {
  const o = { out: '', err: '', env: {} as Record<string, string | undefined> };
  return Object.assign(o, { stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) });
};

beforeAll(() => {
  const four = (ratio: number): HostSpec[] => [
    { name: 'h1', status: 'completed', scale: 1, ratio },
    { name: 'h2', status: 'completed', scale: 2, ratio },
    { name: 'h3', status: 'completed', scale: 0.5, ratio },
    { name: 'h5', status: 'completed', scale: 1.5, ratio },
  ];
  A = writeFleet(root, '20261201-100000-fleet-cmp-000a', four(0.9));
  B = writeFleet(root, '20261201-110000-fleet-cmp-000b', [
    { name: 'h1', status: 'completed', scale: 1 },
    { name: 'h2', status: 'completed', scale: 2 },
    { name: 'h4', status: 'completed', scale: 3 },
    { name: 'h5', status: 'unreachable' },
  ]);
  C = writeFleet(root, '20261201-120000-fleet-cmp-000c', four(0.8), 'fleet|cmp');
  D = writeFleet(root, '20261201-130000-fleet-cmp-000d', four(0.86));
});

describe('compareFleets', () => {
  it('same overhead, changed membership: hosts in one fleet are listed, the unreachable one is inconclusive, the fleet row passes', async () => {
    const r = await compareFleets(A, join(B, 'fleet.json'), { tolerancePct: 5 });
    expect(r.hosts.map((h) => [h.host, h.verdict])).toEqual([
      ['h1', 'pass'], // identical samples: difference 0, CI ≈ ±2 % on both targets
      ['h2', 'pass'],
      ['h5', 'inconclusive'],
    ]);
    expect(r.hosts[2]?.reason).toBe('unreachable in the current fleet: SSH to h5 failed: Connection refused');
    expect(r.onlyBaseline).toEqual([{ host: 'h3', status: 'completed' }]);
    expect(r.onlyCurrent).toEqual([{ host: 'h4', status: 'completed' }]);
    // Both pools have Q = 0 (equal log ratios), so τ² = 0 and Hartung–Knapp's q* is raised to 1:
    // SE_A² = V/4 (k 4, df 3), SE_B² = V/3 (k 3, df 2); d = ln 0.9 − ln 0.9 = 0;
    // df = (V/4 + V/3)² / ((V/4)²/3 + (V/3)²/2) = (49/144)/(11/144) = 49/11.
    const f = r.fleet[0];
    expect(r.fleet).toHaveLength(1);
    expect(f?.baselineFleet?.k).toBe(4);
    expect(f?.currentFleet?.k).toBe(3);
    expect(f?.changePct).toBeCloseTo(0, 10);
    expect(f?.df).toBeCloseTo(49 / 11, 10);
    const hw = studentTQuantile(0.975, 49 / 11) * Math.sqrt(V / 4 + V / 3);
    expect(f?.ci?.high).toBeCloseTo((Math.exp(hw) - 1) * 100, 6);
    expect(f?.ci?.low).toBeCloseTo((Math.exp(-hw) - 1) * 100, 6);
    expect(f?.verdict).toBe('pass'); // about ±1.7 %, within 5 %
    expect(r.exitCode).toBe(0);
    expect((await compareFleets(A, B, { tolerancePct: 5, strict: true })).exitCode).toBe(3); // h5
  });

  it('Docker from 0.9 to 0.8 of bare metal on every host: each host and the fleet row fail', async () => {
    const r = await compareFleets(A, C, { tolerancePct: 5 });
    expect(r.hosts.map((h) => [h.host, h.verdict])).toEqual([['h1', 'fail'], ['h2', 'fail'], ['h3', 'fail'], ['h5', 'fail']]);
    // d = ln(0.8/0.9) = −0.117783; SE_d = √(V/4 + V/4) = 0.0057735; df = (2a)²/(2a²/3) = 6, t = 2.446912.
    // CI of d [−0.131910, −0.103656] → [−12.358 %, −9.848 %]: the whole interval is worse than −5 %.
    const f = r.fleet[0];
    expect(f?.changePct).toBeCloseTo(-11.1111, 3);
    expect(f?.df).toBeCloseTo(6, 10);
    expect(f?.ci?.low).toBeCloseTo(-12.358, 2);
    expect(f?.ci?.high).toBeCloseTo(-9.848, 2);
    expect(f?.verdict).toBe('fail');
    expect(r.exitCode).toBe(1);
  });

  it('Docker from 0.9 to 0.86: the fleet interval [−5.78 %, −3.08 %] straddles −5 %: inconclusive, exit 3 with --strict', async () => {
    // d = ln(0.86/0.9) = −0.0454623 ± 0.014127 → [−0.0595893, −0.0313353].
    const r = await compareFleets(A, D, { tolerancePct: 5 });
    const f = r.fleet[0];
    expect(f?.ci?.low).toBeCloseTo(-5.785, 2);
    expect(f?.ci?.high).toBeCloseTo(-3.085, 2);
    expect(f?.verdict).toBe('inconclusive');
    // Per host: −4.4 % with a Fieller half-width of about 2 % (n 4 a side): straddles −5 % too.
    expect(r.hosts.every((h) => h.verdict === 'inconclusive')).toBe(true);
    expect(r.exitCode).toBe(0);
    expect((await compareFleets(A, D, { tolerancePct: 5, strict: true })).exitCode).toBe(3);
    // A wider tolerance takes the whole interval in: pass.
    expect((await compareFleets(A, D, { tolerancePct: 6 })).fleet[0]?.verdict).toBe('pass');
  });

  it('Welch–Satterthwaite df: a single-host pool (normal interval) adds no term; two normal pools give null', () => {
    expect(combinedDf(1, 3, 1, null)).toBeCloseTo(4 / (1 / 3), 10);
    expect(combinedDf(1, null, 2, null)).toBeNull();
  });
});

describe('compare command on fleets', () => {
  it('refuses a fleet beside an ordinary results file, naming the argument (exit 2)', async () => {
    const results = join(A, readFileSync(join(A, 'fleet.json'), 'utf8').match(/"resultsFile":"([^"]+)"/)?.[1] as string);
    const o = io();
    expect(await compareCommand(A, results, {}, o)).toBe(2);
    expect(o.err).toContain(`<current-results> ${results} is not a fleet (neither a fleet.json nor a directory holding one), but <baseline-results> is`);
    const o2 = io();
    expect(await compareCommand(results, B, {}, o2)).toBe(2);
    expect(o2.err).toContain(`<baseline-results> ${results} is not a fleet`);
    expect(o.out + o2.out).toBe('');
  });

  it('writes the escaped Markdown summary to $GITHUB_STEP_SUMMARY', async () => {
    const o = io();
    const summary = join(root, 'summary.md');
    o.env.GITHUB_STEP_SUMMARY = summary;
    expect(await compareCommand(A, C, { tolerance: '5' }, o)).toBe(1);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain(`benchsuite compare (fleets): ${markdownCell('fleet|cmp')}`);
    expect(md.includes('fleet|cmp')).toBe(false); // only as fleet\|cmp
    expect(md).toMatch(/\| Disk Write \(dd\) \(write_mbps\) ↑ \| Docker vs Bare Metal \| -10\.0 % \(k=4\) \| -20\.0 % \(k=4\) \| -11\.1 % \[-12\.4 %, -9\.8 %\] \| FAIL \(regression\) \|/);
    expect(md).toContain('#### Host `h1`');
  });

  it('e2e: the CLI exits 1 on the regressed fleet, 0 on the unchanged one, and lists every host', async () => {
    const fail = await runCli(['compare', A, C, '--tolerance', '5']);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/^Disk Write \(dd\) \(write_mbps\) ↑\s+Docker vs Bare Metal\s+-10\.0 % \(k=4\)\s+-20\.0 % \(k=4\)\s+-11\.1 % \[-12\.4 %, -9\.8 %\]\s+FAIL \(regression\)/m);
    expect(fail.stdout).toMatch(/^REGRESSION: /m);
    const ok = await runCli(['compare', join(A, 'fleet.json'), B, '--tolerance', '5']);
    expect(ok.code).toBe(0);
    for (const line of ['h1: pass', 'h2: pass', 'h5: inconclusive (unreachable in the current fleet', 'h3: only in the baseline fleet (completed)', 'h4: only in the current fleet (completed)']) {
      expect(ok.stdout).toContain(line);
    }
    expect((await runCli(['compare', A, B, '--strict'])).code).toBe(3);
  });
});
