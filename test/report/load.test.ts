import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportInputError } from '../../src/report/common.js';
import { loadResults, parseSamplesLog } from '../../src/report/load.js';
import { SCHEMA_VERSION } from '../../src/results/model.js';
import { fixture, tmp } from './helpers.js';

const RUN = '20261124-180000-docker-overhead-beef';

describe('loadResults', () => {
  it('loads a results file as stored', async () => {
    const r = await loadResults(fixture('two-targets.json'));
    expect(r.schemaVersion).toBe(SCHEMA_VERSION);
    expect(r.targets.map((t) => t.id)).toEqual(['bare-metal', 'docker']);
  });

  it('merges the sibling samples log when it has more samples, ignoring a torn last line, and recomputes', async () => {
    const file = fixture(`interrupted/${RUN}.json`);
    const stored = JSON.parse(await readFile(file, 'utf8'));
    const logText = await readFile(fixture(`interrupted/${RUN}.samples.jsonl`), 'utf8');
    const logLines = logText.split('\n').filter((l) => l.trim());
    const parsed = parseSamplesLog(logText);
    expect(parsed.samples.length).toBe(logLines.length - 1);
    expect(parsed.skipped).toEqual([{ line: logLines.length, reason: expect.stringContaining('torn last line') }]);

    const r = await loadResults(file);
    expect(stored.samples.length).toBeLessThan(parsed.samples.length);
    expect(r.samples.length).toBe(parsed.samples.length);
    expect(r.samples.map((s) => s.seq)).toEqual([...r.samples.map((s) => s.seq)].sort((a, b) => a - b));
    // 9 measured rounds now instead of 3: the summaries were recomputed from all samples.
    const before = stored.summaries.find((s: { target: string; metric: string }) => s.target === 'docker' && s.metric === 'write_mbps');
    const after = r.summaries.find((s) => s.target === 'docker' && s.metric === 'write_mbps')!;
    expect(before.n).toBe(3);
    expect(after.n).toBe(9);
    const values = r.samples.filter((s) => s.target === 'docker' && s.workload === 'dd' && !s.warmup && s.ok).map((s) => s.values.write_mbps!);
    expect(after.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 10);
    expect(r.comparisons.length).toBeGreaterThan(0);
    expect(r.notes.join('\n')).toMatch(/merged from .*samples\.jsonl/);
    expect(r.notes.join('\n')).toMatch(/torn last line/);

    // Without merging, the JSON as stored.
    expect((await loadResults(file, { mergeSamplesLog: false })).samples.length).toBe(stored.samples.length);
  });

  it('does not merge a log with no more samples than the JSON', async () => {
    const dir = tmp('load');
    const r = JSON.parse(await readFile(fixture('two-targets.json'), 'utf8'));
    await writeFile(path.join(dir, `${r.runId}.json`), JSON.stringify(r));
    await writeFile(path.join(dir, `${r.runId}.samples.jsonl`), `${r.samples.slice(0, 5).map((s: unknown) => JSON.stringify(s)).join('\n')}\n`);
    const loaded = await loadResults(path.join(dir, `${r.runId}.json`));
    expect(loaded.samples.length).toBe(r.samples.length);
    expect(loaded.summaries).toEqual(r.summaries);
  });

  const bad = async (content: string | null, pattern: RegExp) => {
    const dir = tmp('bad');
    const file = path.join(dir, 'results.json');
    if (content !== null) await writeFile(file, content);
    const err = await loadResults(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportInputError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(pattern);
  };

  it('names the file and the fix for user errors', async () => {
    await bad(null, /no such file.*benchsuite run/);
    await bad('{"schemaVersion": 1, "runId": "x", "status": "comp', /not valid JSON.*samples\.jsonl/);
    await bad('{"name": "package"}', /not a benchsuite results file \(it has no schemaVersion\)/);
    await bad(JSON.stringify({ schemaVersion: SCHEMA_VERSION + 1 }), /newer than this benchsuite understands.*Upgrade/);
    await bad(JSON.stringify({ schemaVersion: 1, runId: 'r', baseline: 'a', targets: [] }), /has no "metrics" array/);
    const dir = tmp('copy');
    await copyFile(fixture('two-targets.json'), path.join(dir, 'ok.json'));
    await expect(loadResults(dir)).rejects.toThrow(/is a directory/);
  });
});
