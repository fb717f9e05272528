// The hostile corpus beyond scenario files: --set values, results files given to report/compare/history/
// --resume, and CLI arguments. Each is refused with exit 2 naming its field (or neutralised in the output);
// spies shadow every program benchsuite could start, and nothing is written.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

const spyDir = tempDir('trust-spy');
const spyLog = join(spyDir, 'calls.log');
for (const prog of ['docker', 'dd', 'ab', 'ssh', 'nginx', 'rm', 'mkdir', 'tee', 'sync', 'ps', 'ls', 'cat', 'id', 'chown', 'kill', 'qemu-system-x86_64', 'git']) {
  const p = join(spyDir, prog);
  writeFileSync(p, `#!/bin/sh\necho "${prog} $*" >> '${spyLog}'\nexit 1\n`);
  chmodSync(p, 0o755);
}
const spied = () => (existsSync(spyLog) ? readFileSync(spyLog, 'utf8') : '');
const env = { PATH: `${spyDir}:${process.env.PATH}`, GITHUB_STEP_SUMMARY: '' };

const good = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/results/two-targets.json'), 'utf8')) as Record<string, any>;
const clone = (): Record<string, any> => JSON.parse(JSON.stringify(good));
const RUN = '20261115-093000-docker-overhead-7c1e';

/** Runs the CLI in an empty working directory; checks exit 2, the needles, no spy call, nothing written. */
async function refused(args: (dir: string) => string[], needles: (string | RegExp)[], prepare?: (dir: string) => void): Promise<string> {
  const dir = tempDir('trust-in');
  const work = join(dir, 'work');
  mkdirSync(work);
  prepare?.(dir);
  const before = readdirSync(dir).sort();
  const r = await runCli(args(dir), { env, cwd: work, timeoutMs: 60_000 });
  expect(r.code, r.stderr).toBe(2);
  for (const n of needles) typeof n === 'string' ? expect(r.stderr).toContain(n) : expect(r.stderr).toMatch(n);
  expect(r.stderr.length, 'the error quotes values briefly').toBeLessThan(4000);
  expect(spied()).toBe('');
  expect(readdirSync(work)).toEqual([]);
  expect(readdirSync(dir).sort()).toEqual(before);
  return r.stderr;
}

const writeResults = (dir: string, name: string, data: unknown) => writeFileSync(join(dir, name), JSON.stringify(data));

describe('--set values', () => {
  const run = (...sets: string[]) => (dir: string) => ['run', 'kvm-docker', '--quick', '--results-dir', join(dir, 'results'), '--reports-dir', join(dir, 'reports'), ...sets.flatMap((s) => ['--set', s])];
  it.concurrent.each([
    ['a newline', ['description=a\nb'], ['--set description', 'one line']],
    ['an escape sequence', ['description=a\u001b[2Jb'], ['--set description', 'control character']],
    ['__proto__ as a target id', ['targets.__proto__.label=x'], ['reserved word']],
    ['a bare word in runArgs', ['targets.kvm-docker.container.runArgs=["--memory=1g", "alpine"]'], ['targets.kvm-docker.container.runArgs.1', '"alpine": a bare word']],
    ['--privileged in runArgs', ['targets.kvm-docker.container.runArgs=[--privileged]'], ['targets.kvm-docker.container.runArgs.0', '--privileged is not on the runArgs allow-list']],
    ['a ";" in scratchRoot', ['scratchRoot=/var/tmp/x; include /etc/passwd'], ['scratchRoot', 'only letters, digits']],
    ['markup in a label', ['targets.bare-metal.label=<b>x</b>'], ['targets.bare-metal.label']],
    ['a "#" comment in a list', ['targets.kvm-docker.container.capAdd=[ALL] # x'], ['"#" comment']],
    ['a host with a ProxyCommand', ['targets.kvm-docker.host=ssh://u@h -oProxyCommand=id'], ['targets.kvm-docker.host']],
  ] as [string, string[], string[]][])('%s is refused', async (_n, sets, needles) => {
    await refused(run(...sets), needles);
  });
});

describe('results files given to report, compare, history', () => {
  const report = (dir: string) => ['report', join(dir, 'r.json'), '--format', 'md,csv,json,html'];
  const bad = (mutate: (r: Record<string, any>) => void) => (dir: string) => {
    const r = clone();
    mutate(r);
    writeResults(dir, 'r.json', r);
  };
  it.concurrent.each([
    ['a ".." run id', (r: any) => (r.runId = '..'), ['field runId']],
    ['a "../" run id', (r: any) => (r.runId = '../../tmp/x'), ['field runId']],
    ['markup as a sample round', (r: any) => (r.samples[0].round = '<img src=x onerror=alert(1)>'), ['field samples.0.round', 'expected number']],
    ['a string as a sample seq', (r: any) => (r.samples[3].seq = '<b>'), ['field samples.3.seq']],
    ['a number as a target label', (r: any) => (r.targets[0].label = 42), ['field targets.0.label', 'expected string']],
    ['a string schemaVersion', (r: any) => (r.schemaVersion = '1'), ['schemaVersion']],
    ['an object as a metric unit', (r: any) => (r.metrics[0].unit = { x: 1 }), ['field metrics.0.unit']],
    ['a string as higherIsBetter', (r: any) => (r.comparisons[0].higherIsBetter = 'yes'), ['field comparisons.0.higherIsBetter']],
    ['a huge note', (r: any) => (r.notes = ['x'.repeat(200_000)]), ['field notes.0']],
    ['a number as a scenario description', (r: any) => (r.scenario.description = 7), ['field scenario.description']],
  ] as [string, (r: any) => void, string[]][])('report refuses %s', async (_n, mutate, needles) => {
    await refused(report, needles, bad(mutate));
  });

  it('compare refuses a malformed current run and writes no $GITHUB_STEP_SUMMARY', async () => {
    const dir = tempDir('trust-cmp');
    writeResults(dir, 'base.json', clone());
    const cur = clone();
    cur.summaries[0].mean = '<script>';
    writeResults(dir, 'cur.json', cur);
    const summary = join(dir, 'summary.md');
    const r = await runCli(['compare', join(dir, 'base.json'), join(dir, 'cur.json')], { env: { ...env, GITHUB_STEP_SUMMARY: summary }, cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('field summaries.0.mean');
    expect(existsSync(summary)).toBe(false);
    expect(spied()).toBe('');
  });

  it('history skips a FIFO named *.json without waiting on it, and a file over the size cap', async () => {
    const dir = tempDir('trust-hist');
    const results = join(dir, 'results');
    mkdirSync(results);
    writeResults(results, 'a.json', clone());
    execFileSync('mkfifo', [join(results, 'fifo.json')]);
    execFileSync('truncate', ['-s', '65M', join(results, 'big.json')]); // sparse: over the 64 MiB cap, costs no disk
    const out = join(dir, 'out');
    const started = Date.now();
    const r = await runCli(['history', results, '--out', out], { env, cwd: dir, timeoutMs: 60_000 });
    expect(Date.now() - started).toBeLessThan(50_000);
    expect(r.code, r.stderr).not.toBe(null);
    const html = readFileSync(join(out, 'history.html'), 'utf8');
    expect(html).toContain('fifo.json');
    expect(html).toContain('not a regular file');
    expect(html).toMatch(/big\.json<\/code>: is 68157440 bytes, more than the 67108864 bytes/);
  });
});

describe('--resume', () => {
  const resumable = (mutate: (r: Record<string, any>) => void, name = RUN) => (dir: string) => {
    const r = clone();
    r.status = 'interrupted';
    mutate(r);
    mkdirSync(join(dir, 'results'));
    writeResults(join(dir, 'results'), `${name}.json`, r);
  };
  const resume = (id = RUN) => (dir: string) => ['run', '--resume', id, '--results-dir', join(dir, 'results'), '--reports-dir', join(dir, 'reports')];
  it.concurrent.each([
    ['a file whose runId is another run', (r: any) => (r.runId = '20261115-093000-other-aaaa'), ['holds run "20261115-093000-other-aaaa"']],
    ['a scenario with --privileged', (r: any) => (r.scenario.targets.docker.container.runArgs = ['--privileged']), ['field scenario', 'targets.docker.container.runArgs.0']],
    ['a scenario whose scratchRoot is /', (r: any) => (r.scenario.scratchRoot = '/'), ['scratchRoot', 'system directory']],
    ['a scenario with a dd count validation refuses', (r: any) => (r.scenario.workloads[Object.keys(r.scenario.workloads)[0] as string].count = 1e12), ['workloads.']],
    ['a scenario with a ";" in scratchRoot', (r: any) => (r.scenario.scratchRoot = '/var/tmp/x;y'), ['scratchRoot']],
  ] as [string, (r: any) => void, string[]][])('refuses %s before any command runs', async (_n, mutate, needles) => {
    await refused(resume(), needles, resumable(mutate));
  });
  it('refuses a run id that is not one', async () => {
    await refused(resume('../../etc/x'), ['--resume "../../etc/x": not a run id']);
  });
});

describe('CLI arguments', () => {
  it.concurrent.each([
    [['clean', '--run', ''], ['--run "": not a run id']],
    [['clean', '--run', '../../x'], ['--run "../../x"']],
    [['clean', '--scratch-root', '/etc'], ['--scratch-root "/etc"', 'system directory']],
    [['clean', '--scratch-root', '/var/tmp/a;b'], ['--scratch-root', 'only letters']],
    [['clean', '--scratch-root', 'relative'], ['--scratch-root', 'absolute path']],
    [['run', 'x'.repeat(5000)], ['first 100 shown']],
  ] as [string[], string[]][])('%j is refused', async (args, needles) => {
    await refused(() => args, needles);
  });
});

describe('neutralised in the output', () => {
  it('labels, notes and the description from a results file reach no output raw', async () => {
    const dir = tempDir('trust-out');
    const r = clone();
    r.scenario.targets.docker.label = '=HYPERLINK("http://evil","x")';
    r.targets[1].label = r.scenario.targets.docker.label;
    r.scenario.description = 'ok\n```\n# Pwned\n<script>alert(1)</script>\n\u001b]0;title\u0007';
    r.notes = ['\u001b[2J<img src=x onerror=alert(1)> [link](http://evil)'];
    writeResults(dir, 'r.json', r);
    const out = join(dir, 'out');
    const res = await runCli(['report', join(dir, 'r.json'), '--format', 'md,csv,html', '--out', out], { env, cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const md = readFileSync(join(out, 'table.md'), 'utf8');
    // The scenario as run is a code block fenced with more backticks than any run inside it (its text is
    // literal there); outside it, nothing is raw.
    const fenced = /^````yaml\n[\s\S]*?\n````$/m;
    expect(md).toMatch(fenced);
    expect(md.match(fenced)?.[0]).toContain('```');
    const outside = md.replace(fenced, '');
    expect(outside).not.toContain('<script>');
    expect(outside).not.toContain('<img');
    expect(outside).not.toMatch(/^#+ Pwned/m);
    expect(outside).not.toMatch(/[^\\]\]\(http:\/\/evil/); // only as the escaped "\](", never a link
    expect(outside).toContain('[link\\](http://evil)');
    expect(md).not.toContain('\u001b');
    const csv = readFileSync(join(out, 'table.csv'), 'utf8');
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(csv).toContain(`'=HYPERLINK`);
    expect(csv).toMatch(/,-[0-9]/); // negative numbers stay numbers
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(spied()).toBe('');
  });

  it('compare prints no escape sequence and writes no raw HTML to $GITHUB_STEP_SUMMARY', async () => {
    const dir = tempDir('trust-cmp-out');
    const base = clone();
    const cur = clone();
    cur.runId = '20261116-093000-docker-overhead-7c1f';
    for (const x of [base, cur]) {
      x.scenario.targets.docker.label = 'D\u001b[31m<b>red</b>';
      x.targets[1].label = x.scenario.targets.docker.label;
    }
    writeResults(dir, 'base.json', base);
    writeResults(dir, 'cur.json', cur);
    const summary = join(dir, 'summary.md');
    const r = await runCli(['compare', join(dir, 'base.json'), join(dir, 'cur.json')], { env: { ...env, GITHUB_STEP_SUMMARY: summary }, cwd: dir });
    expect([0, 1, 3]).toContain(r.code);
    expect(r.stdout).not.toContain('\u001b');
    const md = readFileSync(summary, 'utf8');
    expect(md).not.toContain('<b>');
    expect(md).not.toContain('\u001b');
    expect(md).toContain('&lt;b&gt;');
  });
});
