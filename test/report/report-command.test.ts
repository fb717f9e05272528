import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/report-commands.js';
import { parseFormats } from '../../src/report/render.js';
import { captureIo, fixture, tmp } from './helpers.js';

describe('benchsuite report', () => {
  it('renders the chosen formats of one file into --out and prints the table', async () => {
    const out = tmp('report-one');
    const io = captureIo();
    expect(await reportCommand([fixture('two-targets.json')], { format: 'md,csv', out }, io)).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['table.csv', 'table.md']);
    expect(io.stdoutText).toContain('| Metric');
    expect(io.stdoutText).toContain(`reports: ${out}`);
  });

  it('puts several runs in one subdirectory per run id', async () => {
    const out = tmp('report-many');
    const io = captureIo();
    const files = [fixture('two-targets.json'), fixture('unbounded-ci.json')];
    expect(await reportCommand(files, { format: 'json', out }, io)).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['20261115-093000-docker-overhead-7c1e', '20261117-080000-noisy-disk-3d4e']);
    expect((await readdir(path.join(out, '20261117-080000-noisy-disk-3d4e'))).sort()).toEqual([
      'bencher.json',
      'github-action-benchmark-bigger.json',
      'github-action-benchmark-smaller.json',
      'summary.json',
    ]);
  });

  it('exits 2 with the fix for a bad --format or a bad file, before writing anything', async () => {
    const out = tmp('report-bad');
    const io = captureIo();
    expect(await reportCommand([fixture('two-targets.json')], { format: 'md,pdf', out }, io)).toBe(2);
    expect(io.stderrText).toContain('unknown format pdf');
    expect(io.stderrText).toContain('md, csv, json, svg, png, html');
    const io2 = captureIo();
    expect(await reportCommand([fixture('two-targets.json'), fixture('history/corrupt.json')], { out }, io2)).toBe(2);
    expect(io2.stderrText).toContain('corrupt.json: is not valid JSON');
    expect(await readdir(out)).toEqual([]);
    expect(() => parseFormats('')).toThrow(/no format given/);
    expect(parseFormats(' SVG, png,svg')).toEqual(['svg', 'png']);
  });
});
