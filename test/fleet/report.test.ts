// The fleet report from stored results: per-host rows, the pooled rows (values derived by hand below), --group-by.
import { describe, expect, it } from 'vitest';
import type { FleetFile } from '../../src/fleet/file.js';
import { buildFleetReport, forestSpec, renderFleetText } from '../../src/fleet/report.js';
import { failureReason } from '../../src/fleet/run.js';
import type { RunResults } from '../../src/results/model.js';
import { InputError } from '../../src/scenario/errors.js';

function results(b: [number, number, number], c: [number, number, number], cpuModel: unknown): RunResults {
  const sum = (target: string, [mean, stddev, n]: [number, number, number]) => ({ target, workload: 'dd', metric: 'write_mbps', mean, stddev, n });
  return {
    status: 'completed',
    confidence: 0.95,
    baseline: 'bare',
    targets: [
      { id: 'bare', label: 'Bare Metal', host: 'ssh://x', kind: 'host', fingerprint: { cpuModel } },
      { id: 'docker', label: 'Docker', host: 'ssh://x', kind: 'docker', fingerprint: {} },
    ],
    metrics: [{ workload: 'dd', metric: 'write_mbps', title: 'Disk Write (dd)', unit: 'MB/s', higherIsBetter: true, primary: true }],
    summaries: [sum('bare', b), sum('docker', c)],
    comparisons: [{ workload: 'dd', metric: 'write_mbps', baseline: 'bare', candidate: 'docker', ratio: c[0] / b[0], differencePct: (c[0] / b[0] - 1) * 100, ci: { low: -20, high: 1 } }],
    samples: [],
    notes: [],
  } as unknown as RunResults;
}

const host = (name: string, groups: string[], status: FleetFile['hosts'][number]['status'], reason?: string): FleetFile['hosts'][number] => ({
  name, address: `ssh://root@${name}`, groups: ['all', ...groups], sets: [], status, ...(reason ? { reason } : {}), ...(status === 'completed' ? { resultsFile: `${name}.json` } : {}),
});

const fleet: FleetFile = {
  kind: 'benchsuite-fleet', schemaVersion: 1, fleetId: '20261202-193000-fleet-x-abcd', status: 'failed', startedAt: '', command: [],
  scenario: { name: 'x', quick: false, sets: [] }, inventory: { file: '/i', format: 'ini', digest: 'd' }, forks: 5,
  groupChildren: { all: ['gens'], gens: ['gen1', 'gen2'], gen1: [], gen2: [] },
  hosts: [
    host('h1', ['gens', 'gen1'], 'completed'),
    host('h2', ['gens', 'gen1'], 'completed'),
    host('h3', ['gens', 'gen2'], 'completed'),
    host('h4', ['gens', 'gen2'], 'unreachable', 'SSH to h4 failed'),
    host('h5', ['gens', 'gen2'], 'completed'),
  ],
};

// Every host has the same within-host variance v = 0.0045: candidate sd/mean 0.1 with n 4 (0.0025), baseline 0.1 with n 5 (0.002).
// y = ln 0.9, ln 0.8, ln 1 → equal weights w = 1/0.0045; ȳ = −0.1095014; Q = w·Σ(y − ȳ)² = 5.538276;
// C = 3w − w = 2w; τ² = (Q − 2)/(2w) = 0.0079611; μ = ȳ → −10.3719 %; I² = (Q − 2)/Q = 0.63888.
const byHost = new Map<string, RunResults>([
  ['h1', results([100, 10, 5], [90, 9, 4], 'CPU A')],
  ['h2', results([200, 20, 5], [160, 16, 4], 'CPU B')],
  ['h3', results([50, 5, 5], [50, 5, 4], { unknown: true, reason: 'no /proc/cpuinfo' })],
  ['h5', results([50, 5, 5], [50, 5, 1], 'CPU A')], // n = 1: no variance, left out of the pool
]);

describe('buildFleetReport', () => {
  const rep = buildFleetReport(fleet, byHost, { groupBy: 'group:gens' });
  const block = rep.blocks[0];

  it('per-host rows from each host results; failed hosts keep their reason', () => {
    expect(rep.blocks).toHaveLength(1);
    expect(block?.hosts.map((h) => [h.host, h.status, h.baseline, h.candidate, h.pooled])).toEqual([
      ['h1', 'completed', 100, 90, true],
      ['h2', 'completed', 200, 160, true],
      ['h3', 'completed', 50, 50, true],
      ['h4', 'unreachable', undefined, undefined, false],
      ['h5', 'completed', 50, 50, false],
    ]);
    expect(block?.hosts[3]?.reason).toBe('SSH to h4 failed');
    expect(rep.notes.join('\n')).toMatch(/h5: left out of the pooled estimate/);
  });

  it('pools the log ratios with DerSimonian–Laird (hand-computed values)', () => {
    const f = block?.pooled.find((p) => p.label === 'fleet');
    expect(f?.k).toBe(3);
    expect(f?.hosts).toEqual(['h1', 'h2', 'h3']);
    expect(f?.differencePct).toBeCloseTo(-10.371905, 5);
    expect(f?.q).toBeCloseTo(5.538276, 5);
    expect(f?.tau).toBeCloseTo(Math.sqrt(0.0079611), 6);
    expect(f?.i2).toBeCloseTo(0.638877, 5);
    // Hartung–Knapp: q* = 1 here, SE = √(1/Σw*) = 0.0644493, t(0.975, 2) = 4.302653.
    expect(Math.log(1 + (f?.ci.high as number) / 100)).toBeCloseTo(-0.1095014 + 4.302653 * 0.0644493, 5);
  });

  it('--group-by group:<parent> gives one pooled row per child group', () => {
    const rows = block?.pooled.filter((p) => p.label !== 'fleet').map((p) => [p.label, p.k, +p.differencePct.toFixed(4)]);
    // gen1: equal weights, μ = (ln 0.9 + ln 0.8)/2 = ln √0.72 → −15.1472 %; gen2: h3 alone, 0 %.
    expect(rows).toEqual([
      ['gen1', 2, -15.1472],
      ['gen2', 1, 0],
    ]);
  });

  it('--group-by a fingerprint field of the baseline target, unknown values together', () => {
    const r = buildFleetReport(fleet, byHost, { groupBy: 'cpuModel' });
    expect(r.blocks[0]?.pooled.map((p) => [p.label, p.hosts])).toEqual([
      ['fleet', ['h1', 'h2', 'h3']],
      ['CPU A', ['h1']],
      ['CPU B', ['h2']],
      ['cpuModel unknown', ['h3']],
    ]);
  });

  it('refuses --group-by values that are neither a group spec nor a field name', () => {
    expect(() => buildFleetReport(fleet, byHost, { groupBy: 'group:nosuch' })).toThrow(InputError);
    expect(() => buildFleetReport(fleet, byHost, { groupBy: 'cpu model' })).toThrow(/--group-by/);
  });

  it('renders a table naming every host and the fleet row; a forest plot spec with hosts and pooled rows', () => {
    const text = renderFleetText(rep);
    for (const h of ['h1', 'h2', 'h3', 'h4', 'h5']) expect(text).toMatch(new RegExp(`^${h}\\s`, 'm'));
    expect(text).toMatch(/^fleet \(k=3\)\s+pooled\s+-10\.4 %/m);
    expect(text).toMatch(/^h4\s+unreachable\s.*SSH to h4 failed/m);
    const spec = JSON.stringify(forestSpec(block as NonNullable<typeof block>, 0.95));
    expect(spec).toContain('"label":"Fleet (k=3)"');
    expect(spec).toContain('No result: h4 (unreachable)');
  });

  it('a terminal-hostile reason is shown without control characters', () => {
    const f2 = { ...fleet, hosts: [host('h9', [], 'failed', 'bad\u001b[31m red\u0007')] };
    expect(renderFleetText(buildFleetReport(f2, new Map()))).not.toMatch(/[\u001b\u0007]/);
  });
});

describe('failureReason', () => {
  it('names the preparation failure, or counts failed samples with the last error', () => {
    const r = { status: 'failed', notes: [], samples: [
      { ok: true, warmup: false }, { ok: false, warmup: false, error: 'SSH to x failed: refused' }, { ok: false, warmup: false, error: 'dd: no space\nmore' },
    ] } as unknown as RunResults;
    expect(failureReason(r)).toBe('2 failed sample(s); last: dd: no space');
    expect(failureReason({ ...r, notes: ['target bare could not be prepared: docker: not found'] })).toBe('target bare could not be prepared: docker: not found');
  });
});
