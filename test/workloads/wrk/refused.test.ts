// Bad wrk settings through the real CLI: exit 2 naming the field, before anything starts.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

describe('wrk settings refused before a run starts', () => {
  it.each([
    ['duration=0', /workloads\.web\.duration.*>=\s*1/],
    ['connections=1', /workloads\.web\.connections: 1 is fewer than threads/],
  ])('--set workloads.web.%s: exit 2', async (set, message) => {
    const dir = tempDir('wrk-refused');
    const file = join(dir, 'wrk.yaml');
    writeFileSync(file, 'name: wrk-refused\nbaseline: bare\ntargets:\n  bare: {label: Bare}\nworkloads:\n  web: {kind: wrk, threads: 2}\n');
    const r = await runCli(['run', file, '--results-dir', dir, '--set', `workloads.web.${set}`], { timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([]);
  }, 150_000);
});
