// --repeat for real: bare metal vs a container on the local Docker engine, two blocks, each with its own container.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results/model.js';
import { readOnlyResults, runCli, tempDir, type CliResult } from '../helpers/cli.js';

describe('benchsuite run --repeat 2 (local Docker candidate)', () => {
  const dir = tempDir('repeat');
  const resultsDir = join(dir, 'results');
  let r: CliResult;
  let results: RunResults;
  let since = '';

  beforeAll(async () => {
    since = String(Math.floor(Date.now() / 1000) - 1);
    const file = join(dir, 'repeat.yaml');
    writeFileSync(
      file,
      [
        'name: repeat-e2e',
        'baseline: bare',
        'targets:',
        '  bare: { label: Bare Metal }',
        '  docker: { label: Docker, container: { network: host, storage: volume } }',
        'workloads:',
        '  dd: { kind: dd, blockSize: 1M, count: 4, sync: fdatasync }',
        'samples: 3',
        'warmup: 0',
      ].join('\n'),
    );
    r = await runCli(['run', file, '--repeat', '2', '--results-dir', resultsDir, '--no-reports']);
    results = readOnlyResults(resultsDir);
  }, 240_000);

  it('runs two blocks of three samples per target, the second block\'s samples marked block 1', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(results.scenario.repeat).toBe(2);
    for (const t of ['bare', 'docker']) {
      const mine = results.samples.filter((s) => s.target === t && !s.warmup);
      expect(mine.map((s) => [s.round, s.block ?? 0])).toEqual([[0, 0], [1, 0], [2, 0], [3, 1], [4, 1], [5, 1]]);
    }
  });

  it('prepared and cleaned up each block on each target (its own container), and left no container behind', () => {
    expect(results.blocks?.map((b) => [b.block, Object.keys(b.prepareMs).sort(), Object.keys(b.cleanupMs).sort(), Boolean(b.finishedAt)])).toEqual([
      [0, ['bare', 'docker'], ['bare', 'docker'], true],
      [1, ['bare', 'docker'], ['bare', 'docker'], true],
    ]);
    const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=benchsuite.run=${results.runId}`], { encoding: 'utf8' }).trim();
    expect(left).toBe('');
    // Docker's own record: two containers of this run were started, one per block.
    const started = execFileSync(
      'docker',
      ['events', '--since', since, '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', `label=benchsuite.run=${results.runId}`, '--filter', 'event=start', '--format', '{{.ID}}'],
      { encoding: 'utf8' },
    ).trim().split('\n').filter(Boolean);
    expect(new Set(started).size).toBe(2);
  });

  it('reports the block-level interval and the per-level variance', () => {
    const s = results.summaries.find((x) => x.target === 'docker' && x.metric === 'write_mbps');
    expect(s?.levels?.blocks).toBe(2);
    expect(s?.levels?.perBlock).toEqual([3, 3]);
    expect(results.comparisons[0]?.levels?.blocks).toEqual({ baseline: 2, candidate: 2 });
    expect(r.stdout).toContain('Interval from 2 independent blocks');
    expect(r.stdout).toMatch(/Per-level variance, .*Docker \(2 blocks of 3\): within blocks CV/);
  });
});
