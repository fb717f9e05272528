/** Bad command-line input: exit 2, quickly, with the flag named, and nothing run or written. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureOutputDir } from '../../src/cli/output-dir.js';
import { InputError } from '../../src/scenario/errors.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('results and reports directories that cannot be created', () => {
  it('--results-dir under /proc exits 2 within seconds, naming the flag (it used to spin forever in a recursive mkdir)', async () => {
    const t0 = Date.now();
    const r = await runCli(['run', 'kvm-docker', '--quick', '--results-dir', '/proc/benchsuite-x/y'], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.stderr).toMatch(/--results-dir \/proc\/benchsuite-x\/y/);
    expect(r.stdout).not.toMatch(/results:/);
  });

  it('a results dir below a regular file exits 2 and names --results-dir', async () => {
    const dir = tempDir('outdir');
    writeFileSync(join(dir, 'file'), 'x');
    const r = await runCli(['run', 'kvm-docker', '--quick', '--results-dir', join(dir, 'file', 'sub')], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--results-dir');
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('report --out under /sys exits 2 before writing anything', async () => {
    const r = await runCli(['report', 'test/fixtures/results/two-targets.json', '--out', '/sys/benchsuite-x'], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out /sys/benchsuite-x');
  });

  it('ensureOutputDir creates missing levels one at a time and refuses what it cannot create', () => {
    const dir = tempDir('outdir2');
    const made = ensureOutputDir(join(dir, 'a', 'b', 'c'), '--results-dir');
    expect(existsSync(made)).toBe(true);
    expect(() => ensureOutputDir('/proc/self/x', '--results-dir')).toThrow(InputError);
    expect(() => ensureOutputDir('/dev/null/x', '--reports-dir')).toThrow(/--reports-dir/);
  });
});

describe('flags that set scenario fields are blamed, not the scenario file', () => {
  it('--samples 0 names the flag and its allowed range, not a line of kvm-docker.yaml', async () => {
    const r = await runCli(['run', 'kvm-docker', '--samples', '0', '--results-dir', tempDir('s0')], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--samples 0: must be at least 2/);
    expect(r.stderr).not.toMatch(/kvm-docker\.yaml/);
  });

  it('--warmup 500 names the flag and its maximum', async () => {
    const r = await runCli(['run', 'kvm-docker', '--warmup', '500', '--results-dir', tempDir('w500')], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--warmup 500: must be at most 100/);
    expect(r.stderr).not.toMatch(/\.yaml/);
  });
});

describe('--repeat', () => {
  it.each([['0'], ['21'], ['2.5'], ['three']])('--repeat %s exits 2 naming the flag, its range and an example', async (k) => {
    const dir = tempDir(`rep${k}`);
    const r = await runCli(['run', 'kvm-docker', '--repeat', k, '--results-dir', join(dir, 'out')], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--repeat "${k}": expected a whole number of blocks from 1 to 20`);
    expect(r.stderr).toContain('e.g. --repeat 3');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a scenario file with repeat: 25 is refused with the field named', async () => {
    const dir = tempDir('rep-file');
    const file = join(dir, 'r.yaml');
    writeFileSync(file, 'name: r\nbaseline: a\ntargets:\n  a: { label: A }\nworkloads:\n  w: { kind: dd }\nrepeat: 25\n');
    const r = await runCli(['run', file, '--results-dir', join(dir, 'out')], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/repeat/);
    expect(r.stderr).toMatch(/20/);
  });

  it('--repeat with --resume is refused: a resumed run keeps its block count', async () => {
    const r = await runCli(['run', '--resume', '20261129-193000-kvm-docker-3f2a', '--repeat', '3', '--results-dir', tempDir('rep-res')], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--repeat: a resumed run keeps the block count it started with; drop --repeat');
  });
});

describe('pipes and typos', () => {
  it('`benchsuite list | head -1` ends quietly: no EPIPE stack trace, exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN, ROOT } = await import('../helpers/cli.js');
    // A shell pipeline as the user types it; head exits after one line and closes the pipe.
    const child = spawn('bash', ['-c', `set -o pipefail; node ${JSON.stringify(BIN)} list | head -1 >/dev/null; echo "rc=\${PIPESTATUS[0]}" >&2`], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise((r) => child.on('close', r));
    expect(stderr).not.toMatch(/EPIPE|at .*\(node:/);
    expect(stderr).toContain('rc=0');
  });

  it('an unknown command gets a short error and a suggestion, not the whole help', async () => {
    const r = await runCli(['lst'], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'lst'");
    expect(r.stderr).toContain('Did you mean list?');
    expect(r.stderr).not.toContain('Commands:');
    expect(r.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(3);
  });
});
