// The main job, for real: bare metal (this host) vs the hardened container on the local Docker engine.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results/model.js';
import { readOnlyResults, runCli, tempDir, type CliResult } from '../helpers/cli.js';

describe('benchsuite run kvm-docker --quick (local Docker candidate)', () => {
  const resultsDir = tempDir('results');
  const reportsDir = tempDir('reports');
  let r: CliResult;
  let results: RunResults;

  beforeAll(async () => {
    r = await runCli(['run', 'kvm-docker', '--quick', '--results-dir', resultsDir, '--reports-dir', reportsDir]);
    results = readOnlyResults(resultsDir);
  }, 240_000);

  it('exits 0 and writes exactly one results file, plus its sample log', () => {
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(resultsDir).sort();
    expect(files.filter((f) => f.endsWith('.json'))).toEqual([`${results.runId}.json`]);
    expect(files).toContain(`${results.runId}.samples.jsonl`);
    expect(results.status).toBe('completed');
    expect(results.quick).toBe(true);
  });

  it('writes table.md and table.csv whose headers are the scenario labels', () => {
    const md = readFileSync(join(reportsDir, results.runId, 'table.md'), 'utf8');
    const header = md.split('\n').find((l) => /^\|\s*Metric\s*\|/.test(l)) ?? '';
    const cells = header.split('|').map((c) => c.trim()).filter(Boolean);
    // host: auto ran the candidate on this host without KVM → its column says what ran (issue 15).
    const onHost = (results.targets.find((t) => t.id === 'kvm-docker')?.fingerprint.hostAuto as { host?: string } | undefined)?.host === 'local';
    const candidate = onHost ? 'Docker (host kernel, no KVM)' : 'KVM + Docker';
    expect(cells.slice(0, 3)).toEqual(['Metric', 'Bare Metal', onHost ? `${candidate} [1]` : candidate]);
    expect(cells[3]).toMatch(/^Difference/);
    const csv = parse(readFileSync(join(reportsDir, results.runId, 'table.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(csv.length).toBeGreaterThan(0);
    expect(JSON.stringify(csv)).toContain('Bare Metal');
    expect(csv.filter((r) => r.target === 'kvm-docker').every((r) => r.target_label === candidate)).toBe(true);
  });

  it('has a finite positive value or an error for every non-warmup sample of every target × workload', () => {
    const main = results.samples.filter((s) => !s.warmup);
    for (const t of ['bare-metal', 'kvm-docker']) {
      for (const w of ['dd', 'ab']) {
        const mine = main.filter((s) => s.target === t && s.workload === w);
        expect(mine.length, `${t}/${w}`).toBeGreaterThanOrEqual(3);
        for (const s of mine) {
          if (s.ok) {
            const metric = w === 'dd' ? 'write_mbps' : 'requests_per_sec';
            expect(Number.isFinite(s.values[metric]) && (s.values[metric] as number) > 0).toBe(true);
          } else expect(s.error).toBeTruthy();
        }
      }
    }
    expect(results.samples.some((s) => s.warmup)).toBe(true);
  });

  it('says Shared for the local Docker candidate, measured from boot_id', () => {
    const md = readFileSync(join(reportsDir, results.runId, 'table.md'), 'utf8');
    const row = md.split('\n').find((l) => /^\|\s*Kernel Security\s*\|/.test(l)) ?? '';
    const cells = row.split('|').map((c) => c.trim()).filter(Boolean);
    expect(cells[0]).toBe('Kernel Security');
    expect(cells[2]).toMatch(/^Shared/);
    const [a, b] = results.targets.map((t) => t.fingerprint.bootId);
    expect(a).toBe(b);
    expect(a).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  });

  it('stores summaries with CIs and the comparison with its Fieller CI', () => {
    const s = results.summaries.find((x) => x.target === 'kvm-docker' && x.metric === 'write_mbps');
    expect(s?.n).toBeGreaterThanOrEqual(3);
    expect(s?.ci).not.toBeNull();
    expect(s && s.ci && s.ci.low <= s.mean && s.mean <= s.ci.high).toBe(true);
    const c = results.comparisons.find((x) => x.metric === 'requests_per_sec');
    expect(c?.baseline).toBe('bare-metal');
    expect(c?.candidate).toBe('kvm-docker');
    expect(Number.isFinite(c?.differencePct)).toBe(true);
  });

  it('names the target kinds with the results format\'s words (schemaVersion 1): host for the direct kind, docker', () => {
    expect(results.targets.map((t) => [t.id, t.kind])).toEqual([
      ['bare-metal', 'host'],
      ['kvm-docker', 'docker'],
    ]);
  });

  it('records the container as run and leaves nothing behind', () => {
    const cand = results.targets.find((t) => t.id === 'kvm-docker');
    expect(cand?.container?.runArgs).toEqual(expect.arrayContaining(['--cap-drop=ALL', '--cap-add=NET_BIND_SERVICE', '--cap-add=SETUID', '--cap-add=SETGID']));
    const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=benchsuite.run=${results.runId}`], { encoding: 'utf8' });
    expect(left.trim()).toBe('');
    expect(existsSync(`/var/tmp/benchsuite/${results.runId}`)).toBe(false);
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).not.toContain(results.runId);
  });

  it('prints the table on stdout', () => {
    expect(r.stdout).toContain('Kernel Security');
    expect(r.stdout).toContain('Bare Metal');
  });
});
