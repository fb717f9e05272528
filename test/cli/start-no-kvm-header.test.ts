/**
 * Acceptance (issue 15) on a machine without KVM: the shipped kvm-docker run (what `npm start` runs, here
 * with --quick and 2 samples) measures bare metal vs Docker on this host, and no output of the run heads a
 * column "KVM + Docker". Real dd, ab, nginx and Docker. The KVM verdict cache goes to a temporary directory.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kvmDevice } from '../../src/vm/qemu.js';
import { readOnlyResults, runCli, tempDir } from '../helpers/cli.js';

const noKvm = !kvmDevice().usable;

/** Header-like places: table header rows, <th>, SVG text lines, CSV target_label, JSON "label" values, export names. */
function kvmHeaders(file: string, text: string): string[] {
  const found: string[] = [];
  const bare = /^KVM \+ Docker(\s*\[[\d,]+\])?$/;
  if (file.endsWith('.md') || file === 'stdout') {
    for (const l of text.split('\n').filter((x) => x.startsWith('|'))) for (const c of l.split('|').map((x) => x.trim())) if (bare.test(c) || /^Difference: KVM \+ Docker vs/.test(c)) found.push(c);
  }
  if (file.endsWith('.html') || file.endsWith('.svg')) {
    for (const m of text.matchAll(/<(th|text|tspan)[^>]*>([^<]*)<\/\1>/g)) if (bare.test((m[2] as string).trim())) found.push(m[0]);
  }
  if (file.endsWith('.csv') && /(^|,)KVM \+ Docker(,|$)/m.test(text)) found.push('csv target_label');
  if (file.endsWith('.json')) {
    for (const m of text.matchAll(/"(label|name|target)": "([^"]*)"/g)) if (bare.test(m[2] as string) || / - KVM \+ Docker( overhead|$)/.test(m[2] as string)) found.push(m[0]);
  }
  return found;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe.skipIf(!noKvm)('npm start on a host without KVM', () => {
  it('runs bare metal vs Docker on this host and never heads a column "KVM + Docker"', { timeout: 400_000 }, async () => {
    const results = tempDir('start-results');
    const reports = tempDir('start-reports');
    const cache = tempDir('start-cache');
    const r = await runCli(
      ['run', 'kvm-docker', '--quick', '--samples', '2', '--warmup', '0', '--style', 'brief', '--results-dir', results, '--reports-dir', reports],
      { env: { BENCHSUITE_CACHE_DIR: cache }, timeoutMs: 380_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/kvm-docker: host auto → this host: this host cannot run guests with KVM/);
    expect(r.stdout).toMatch(/\| +Docker \(host kernel, no KVM\) \|/);
    expect(kvmHeaders('stdout', r.stdout)).toEqual([]);

    const res = readOnlyResults(results);
    const cand = res.targets.find((t) => t.id === 'kvm-docker')!;
    expect(cand.fingerprint.hostAuto).toMatchObject({ host: 'local', cached: false });
    expect(JSON.parse(readFileSync(join(cache, 'kvm-verdict.json'), 'utf8'))).toMatchObject({ kvm: false });

    const files = walk(reports);
    for (const f of ['table.md', 'table.csv', 'summary.json', 'report.html', 'brief.md', 'brief.html', 'brief.png', 'github-action-benchmark-bigger.json']) {
      expect(files.some((x) => x.endsWith(`/${f}`)), f).toBe(true);
    }
    expect(files.some((x) => x.endsWith('.svg'))).toBe(true);
    for (const f of files.filter((x) => !x.endsWith('.png'))) expect(kvmHeaders(f, readFileSync(f, 'utf8')), f).toEqual([]);
    expect(existsSync(join(cache, 'image'))).toBe(false); // nothing was built or booted
  });
});
