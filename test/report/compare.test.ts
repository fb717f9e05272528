import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { compareCommand, registerReportCommands } from '../../src/cli/report-commands.js';
import { compareRuns } from '../../src/report/compare-runs.js';
import { captureIo, fixture, loadFixture, tmp } from './helpers.js';

const BASE = fixture('compare/baseline.json');
const AA = fixture('compare/aa-repeat.json');
const SLOW = fixture('compare/slowdown.json');

describe('benchsuite compare', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('exits 1 on the injected slowdown and names the metric and target', async () => {
    const io = captureIo();
    const code = await compareCommand(BASE, SLOW, {}, io);
    expect(code).toBe(1);
    const out = io.stdoutText;
    expect(out).toMatch(/regression: Apache Bench \(Req\/s\) \(ab\/requests_per_sec\) on Docker: -1\d\.\d+ % \[/);
    expect(out).toContain('beyond the tolerance of 5 %');
    // Only that metric on that target regressed.
    const fails = out.split('\n').filter((l) => l.startsWith('regression:'));
    expect(fails).toHaveLength(1);
    expect(out).toMatch(/^REGRESSION: \d+ pass, 1 fail/m);
  });

  it('names environment differences between the runs but still compares', async () => {
    const io = captureIo();
    await compareCommand(BASE, SLOW, {}, io);
    expect(io.stdoutText).toContain('Environment differences between the runs (comparison allowed, but flagged):');
    expect(io.stdoutText).toMatch(/Bare Metal: kernel 6\.1\.0-28-amd64 vs 6\.1\.0-29-amd64/);
    const quiet = captureIo();
    await compareCommand(BASE, AA, {}, quiet);
    expect(quiet.stdoutText).not.toContain('Environment differences');
  });

  it('does not fail on an A/A pair', async () => {
    const io = captureIo();
    expect(await compareCommand(BASE, AA, {}, io)).toBe(0);
    expect(io.stdoutText).not.toContain('regression:');
    const strict = captureIo();
    expect([0, 3]).toContain(await compareCommand(BASE, AA, { strict: true }, strict));
    const r = compareRuns(await loadFixture('compare/baseline'), await loadFixture('compare/aa-repeat'));
    expect(r.rows.every((row) => row.verdict !== 'fail')).toBe(true);
    expect(r.rows.length).toBe(4); // 2 primary metrics × 2 targets
  });

  it('exits 3 with --strict when a comparison is inconclusive', async () => {
    // A tolerance inside the noise makes the A/A comparison inconclusive for at least one metric.
    const r = compareRuns(await loadFixture('compare/baseline'), await loadFixture('compare/aa-repeat'), { tolerancePct: 0.05, strict: true });
    expect(r.rows.some((x) => x.verdict === 'inconclusive')).toBe(true);
    expect(r.rows.some((x) => x.verdict === 'fail')).toBe(false);
    expect(r.exitCode).toBe(3);
    expect(await compareCommand(BASE, AA, { tolerance: '0.05', strict: true }, captureIo())).toBe(3);
    expect(await compareCommand(BASE, AA, { tolerance: '0.05' }, captureIo())).toBe(0);
  });

  it('filters metrics with --metric (name, workload, workload/metric)', async () => {
    expect(await compareCommand(BASE, SLOW, { metric: ['write_mbps'] }, captureIo())).toBe(0);
    expect(await compareCommand(BASE, SLOW, { metric: 'dd' }, captureIo())).toBe(0);
    expect(await compareCommand(BASE, SLOW, { metric: ['ab/requests_per_sec'] }, captureIo())).toBe(1);
    const io = captureIo();
    expect(await compareCommand(BASE, SLOW, { metric: ['nope'] }, io)).toBe(2);
    expect(io.stderrText).toContain('--metric nope: no such metric');
    expect(io.stderrText).toContain('dd/write_mbps');
  });

  it('appends a Markdown summary to $GITHUB_STEP_SUMMARY', async () => {
    const dir = tmp('summary');
    const file = path.join(dir, 'summary.md');
    await writeFile(file, '# earlier step\n');
    const io = captureIo({ GITHUB_STEP_SUMMARY: file });
    await compareCommand(BASE, SLOW, {}, io);
    const md = await readFile(file, 'utf8');
    expect(md.startsWith('# earlier step\n')).toBe(true);
    expect(md).toContain('### ❌ benchsuite compare: docker-overhead');
    expect(md).toMatch(/\| Metric +\| Target +\|/);
    expect(md).toContain('**regression: Apache Bench (Req/s) (ab/requests_per_sec) on Docker');
  });

  it('exits 2 naming the file for user errors', async () => {
    const io = captureIo();
    expect(await compareCommand(BASE, '/nonexistent/current.json', {}, io)).toBe(2);
    expect(io.stderrText).toContain('/nonexistent/current.json: no such file');
    const io2 = captureIo();
    expect(await compareCommand(BASE, SLOW, { tolerance: 'five' }, io2)).toBe(2);
    expect(io2.stderrText).toContain('--tolerance five');
    const io3 = captureIo();
    expect(await compareCommand(BASE, fixture('history/package-info.json'), {}, io3)).toBe(2);
    expect(io3.stderrText).toContain('package-info.json: is not a benchsuite results file');
  });

  it('is registered on a commander program and sets process.exitCode', async () => {
    const program = new Command('benchsuite').exitOverride();
    registerReportCommands(program);
    expect(program.commands.map((c) => c.name())).toEqual(['report', 'compare', 'history']);
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await program.parseAsync(['compare', BASE, SLOW, '--tolerance', '5'], { from: 'user' });
    } finally {
      process.stdout.write = write;
    }
    expect(process.exitCode).toBe(1);
  });
});
