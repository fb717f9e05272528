/** The CI workflows shipped in docs/examples/ parse as YAML, have the keys their CI needs, and match docs/ci.md. No network. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { benchsuiteArgs, parseOnly } from './parse-only.js';

const read = (f: string): string => readFileSync(join(ROOT, f), 'utf8');

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };

/** Every benchsuite command in a list of shell lines (YAML `run:` blocks or `script:` items). */
function commands(lines: string[]): string[][] {
  return lines
    .flatMap((l) => l.split('\n'))
    .map((l) => l.replace(/^.*?\bthen\s+/, ''))
    .map((l) => benchsuiteArgs(l))
    .filter((a): a is string[] => a !== undefined);
}

describe('docs/examples/github-actions.yml', () => {
  const wf = parse(read('docs/examples/github-actions.yml')) as {
    on: { push: { branches: string[] }; pull_request: unknown };
    jobs: Record<string, { 'runs-on': string[]; steps: Step[] }>;
  };
  const job = wf.jobs.benchmark!;
  const steps = job.steps;
  const runs = steps.map((s) => s.run ?? '').filter(Boolean);

  it('runs on pushes to main and on pull requests, on a self-hosted runner', () => {
    expect(wf.on.push.branches).toEqual(['main']);
    expect('pull_request' in wf.on).toBe(true);
    expect(job['runs-on']).toContain('self-hosted');
  });

  it('runs, compares against main\'s last run, charts history, publishes the summary and keeps artifacts', async () => {
    const cmds = commands(runs);
    expect(cmds.map((c) => c[0])).toEqual(['run', 'compare', 'history']);
    for (const c of cmds) expect((await parseOnly(c)).error, c.join(' ')).toBe('');
    expect(cmds[1]![1]).toBe('main-results/last.json');
    expect(runs.some((r) => r.includes('>> "$GITHUB_STEP_SUMMARY"'))).toBe(true);
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact@') && String(s.with?.path).includes('results/') && String(s.with?.path).includes('reports/'))).toBe(true);
    const restore = steps.find((s) => s.uses?.startsWith('actions/cache/restore@'));
    const save = steps.find((s) => s.uses?.startsWith('actions/cache/save@'));
    expect(restore?.with?.path).toBe('main-results');
    expect(save?.with?.path).toBe('main-results');
    expect(save?.if).toBe("github.ref == 'refs/heads/main'");
  });

  it('pushes both github-action-benchmark files and the Bencher export', () => {
    const gab = steps.filter((s) => s.uses?.startsWith('benchmark-action/github-action-benchmark@'));
    expect(gab.map((s) => s.with?.tool).sort()).toEqual(['customBiggerIsBetter', 'customSmallerIsBetter']);
    expect(gab.map((s) => String(s.with?.['output-file-path']).split('/').at(-1)).sort()).toEqual(['github-action-benchmark-bigger.json', 'github-action-benchmark-smaller.json']);
    const bencher = steps.find((s) => s.run?.includes('bencher run'));
    expect(bencher?.run).toMatch(/--adapter json --file "\$\{\{ steps\.run\.outputs\.reports \}\}\/bencher\.json"/);
    expect(bencher?.env?.BENCHER_API_TOKEN).toBe('${{ secrets.BENCHER_API_TOKEN }}');
  });
});

describe('docs/examples/gitlab-ci.yml', () => {
  const ci = parse(read('docs/examples/gitlab-ci.yml')) as Record<string, {
    extends?: string; tags?: string[]; script?: string[]; after_script?: string[]; rules?: { if: string }[];
    cache?: { key: string; paths: string[]; policy: string }; artifacts?: { when: string; paths: string[] };
  }>;
  const base = ci['.benchmark']!;

  it('a self-hosted (tagged) job with results kept as artifacts', () => {
    expect(base.tags).toEqual(['benchsuite']);
    expect(base.artifacts?.paths).toEqual(['results/', 'reports/']);
    expect(base.artifacts?.when).toBe('always');
  });

  it('runs, compares against main\'s last run, charts history, exports to Bencher', async () => {
    const cmds = commands(base.script ?? []);
    expect(cmds.map((c) => c[0])).toEqual(['run', 'compare', 'history']);
    for (const c of cmds) expect((await parseOnly(c)).error, c.join(' ')).toBe('');
    expect(base.script?.some((l) => l.includes('bencher run') && l.includes('--adapter json'))).toBe(true);
  });

  it('merge requests read main\'s cache; main writes it', () => {
    expect(ci.benchmark?.extends).toBe('.benchmark');
    expect(ci.benchmark?.rules?.[0]?.if).toContain('merge_request_event');
    expect(base.cache).toMatchObject({ key: 'benchsuite-main', paths: ['main-results/'], policy: 'pull' });
    const main = ci['benchmark-main']!;
    expect(main.extends).toBe('.benchmark');
    expect(main.rules?.[0]?.if).toBe('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
    expect(main.cache?.policy).toBe('pull-push');
    expect(main.after_script?.join('\n')).toContain('main-results/last.json');
  });
});

describe('docs/ci.md', () => {
  it('shows both example files verbatim', () => {
    const doc = read('docs/ci.md');
    expect(doc).toContain(read('docs/examples/github-actions.yml').trimEnd());
    expect(doc).toContain(read('docs/examples/gitlab-ci.yml').trimEnd());
  });
});
