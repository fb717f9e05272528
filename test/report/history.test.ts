import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyCommand } from '../../src/cli/report-commands.js';
import { buildHistory, historyCharts, loadHistory } from '../../src/report/history.js';
import { captureIo, checkXml, fixture, tmp } from './helpers.js';

const DIR = fixture('history');

describe('benchsuite history', () => {
  it('loads every results file and names the corrupt or foreign ones', async () => {
    const h = await loadHistory(DIR);
    expect(h.runs).toHaveLength(6);
    const skipped = h.skipped.map((s) => [path.basename(s.file), s.reason]);
    expect(skipped).toEqual([
      ['corrupt.json', expect.stringContaining('is not valid JSON')],
      ['package-info.json', expect.stringContaining('no schemaVersion')],
    ]);
  });

  it('marks the injected regression (and only it) as a change point, ordered by git commit', async () => {
    const h = await loadHistory(DIR);
    const series = buildHistory(h.runs);
    // scenario × 2 targets × 2 primary metrics
    expect(series).toHaveLength(4);
    const dockerAb = series.find((s) => s.target === 'docker' && s.metric === 'requests_per_sec')!;
    expect(dockerAb.points.map((p) => p.label)).toEqual(['a1b2c3d4', 'b2c3d4e5', 'c3d4e5f6', 'd4e5f607', 'e5f60718', 'f6071829']);
    expect(dockerAb.points[0]!.verdict).toBe('first');
    const changes = dockerAb.points.filter((p) => p.changePoint);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.changePoint).toBe('regression');
    expect(changes[0]!.verdict).toBe('fail');
    expect(changes[0]!.commit).toMatch(/^d4e5f607/);
    expect(changes[0]!.differencePct!).toBeLessThan(-8);
    for (const s of series.filter((x) => x !== dockerAb)) {
      expect(s.points.filter((p) => p.changePoint === 'regression')).toEqual([]);
    }
  });

  it('writes the regression chart (SVG + spec) and an HTML page, and reports the regression', async () => {
    const out = tmp('history');
    const io = captureIo();
    expect(await historyCommand(DIR, { out }, io)).toBe(0);
    const text = io.stdoutText;
    expect(text).toMatch(/history: 6 runs, 4 series/);
    expect(text).toMatch(/skipped .*corrupt\.json: is not valid JSON/);
    expect(text).toMatch(/skipped .*package-info\.json: is not a benchsuite results file/);
    const regressions = text.split('\n').filter((l) => l.startsWith('regression:'));
    expect(regressions).toHaveLength(1);
    expect(regressions[0]).toMatch(/kvm-docker \/ Apache Bench \(Req\/s\) \(requests_per_sec\) \/ Docker: run 20261104-120000-kvm-docker-d4e5 \(d4e5f607\): -1\d/);

    const files = (await readdir(out)).sort();
    expect(files).toEqual([
      'history-kvm-docker-ab-requests-per-sec.svg',
      'history-kvm-docker-ab-requests-per-sec.vl.json',
      'history-kvm-docker-dd-write-mbps.svg',
      'history-kvm-docker-dd-write-mbps.vl.json',
      'history.html',
    ]);
    const svg = await readFile(path.join(out, 'history-kvm-docker-ab-requests-per-sec.svg'), 'utf8');
    expect(checkXml(svg).root).toBe('svg');
    expect(svg).toMatch(/class="mark-area role-mark/); // CI band
    expect(svg).toMatch(/class="mark-line role-mark/);
    expect(svg).toContain('>regression</text>');
    expect(svg).toContain('d4e5f607'); // x axis by commit
    const dd = await readFile(path.join(out, 'history-kvm-docker-dd-write-mbps.svg'), 'utf8');
    expect(dd).not.toContain('>regression</text>');
    const html = await readFile(path.join(out, 'history.html'), 'utf8');
    expect(html).toContain('regression at d4e5f607');
    expect(html).toContain('corrupt.json');
    expect(html).not.toMatch(/<script|\b(src|href)=["']?https?:/i);
    const spec = JSON.parse(await readFile(path.join(out, 'history-kvm-docker-ab-requests-per-sec.vl.json'), 'utf8'));
    expect(spec.$schema).toMatch(/vega-lite/);
  });

  it('charts over time when runs carry no git commit', async () => {
    const h = await loadHistory(DIR);
    for (const r of h.runs) delete r.results.git;
    const charts = historyCharts(buildHistory(h.runs, { metrics: ['dd/write_mbps'] }));
    expect(charts).toHaveLength(1);
    const spec = charts[0]!.spec as unknown as { layer: { encoding: { x: { title: string } } }[] };
    expect(spec.layer[0]!.encoding.x.title).toBe('run start (UTC)');
  });

  it('exits 2 for a missing directory or one without results', async () => {
    const io = captureIo();
    expect(await historyCommand('/nonexistent/results', {}, io)).toBe(2);
    expect(io.stderrText).toContain('/nonexistent/results: no such directory');
    const empty = tmp('empty');
    const io2 = captureIo();
    expect(await historyCommand(empty, { out: tmp('o') }, io2)).toBe(2);
    expect(io2.stderrText).toContain('no benchsuite results files found');
    const io3 = captureIo();
    expect(await historyCommand(DIR, { out: tmp('o'), metric: ['nope'] }, io3)).toBe(2);
    expect(io3.stderrText).toContain('--metric nope');
  });
});
