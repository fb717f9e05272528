// The cost of hardening: three Docker configurations on this host, each candidate against the baseline.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results/model.js';
import { readOnlyResults, runCli, tempDir } from '../helpers/cli.js';

describe('benchsuite run hardening --quick', () => {
  const resultsDir = tempDir('hardening-results');
  const reportsDir = tempDir('hardening-reports');
  let results: RunResults;
  let code: number | null;
  let stderr = '';

  beforeAll(async () => {
    const r = await runCli(['run', 'hardening', '--quick', '--samples', '2', '--results-dir', resultsDir, '--reports-dir', reportsDir]);
    code = r.code;
    stderr = r.stderr;
    results = readOnlyResults(resultsDir);
  }, 240_000);

  it('runs and renders three target columns, each candidate against the baseline', () => {
    expect(code, stderr).toBe(0);
    const md = readFileSync(join(reportsDir, results.runId, 'table.md'), 'utf8');
    const header = (md.split('\n').find((l) => /^\|\s*Metric\s*\|/.test(l)) ?? '').split('|').map((c) => c.trim()).filter(Boolean);
    const labels = results.targets.map((t) => t.label);
    expect(labels).toHaveLength(3);
    expect(header.slice(1, 4)).toEqual(labels);
    expect(header.filter((h) => h.startsWith('Difference'))).toHaveLength(2);
    expect(new Set(results.comparisons.map((c) => c.candidate)).size).toBe(2);
  });

  it('the hardened container sees exactly NET_BIND_SERVICE, SETUID and SETGID', () => {
    const hardened = results.targets.find((t) => t.container?.runArgs.includes('--cap-drop=ALL'));
    const fp = hardened?.fingerprint as Record<string, unknown>;
    const text = JSON.stringify(fp);
    const caps = /"(?:effective|names)":\[([^\]]*)\]/.exec(text)?.[1];
    expect(caps?.split(',').map((c) => c.replace(/"/g, '').replace(/^CAP_/, '')).sort()).toEqual(['NET_BIND_SERVICE', 'SETGID', 'SETUID']);
  });

  it('puts the security posture section and its lints in the Markdown and HTML reports', () => {
    const md = readFileSync(join(reportsDir, results.runId, 'table.md'), 'utf8');
    const html = readFileSync(join(reportsDir, results.runId, 'report.html'), 'utf8');
    for (const doc of [md, html]) {
      expect(doc).toMatch(/posture/i);
      expect(doc).toMatch(/seccomp/i);
    }
    expect(md).toMatch(/Kernel Security/);
  });
});
