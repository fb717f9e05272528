// The results store on a real filesystem: file names, the append-only sample log, atomic JSON replacement
// and merging the log back. Expectations are written from the format's documentation (docs/results-format.md).
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUnknown, SCHEMA_VERSION, type RunResults, type Sample } from '../../src/results/model.js';
import { mergeSamples, ResultsStore, resultsPath, samplesLogPath, writeJsonAtomic } from '../../src/results/store.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'bs-store-'));
const RUN = '20261201-120000-demo-ab12';

function sample(seq: number, extra: Partial<Sample> = {}): Sample {
  return { seq, target: 'host', workload: 'dd', round: seq, warmup: false, ok: true, startedAt: '2026-12-01T12:00:00.000Z', durationMs: 10, values: { write_mbps: 100 + seq }, ...extra };
}

function results(samples: Sample[]): RunResults {
  return { runId: RUN, samples, status: 'running' } as unknown as RunResults;
}

describe('file names', () => {
  it('are <runId>.json and <runId>.samples.jsonl in the results directory', () => {
    expect(resultsPath('/r/x', RUN)).toBe(`/r/x/${RUN}.json`);
    expect(samplesLogPath('/r/x', RUN)).toBe(`/r/x/${RUN}.samples.jsonl`);
  });
});

describe('ResultsStore', () => {
  it('creates a nested results directory and names its files after the run', () => {
    const root = join(dir(), 'a', 'b');
    const store = new ResultsStore(root, RUN);
    expect(statSync(root).isDirectory()).toBe(true);
    expect(store.jsonPath).toBe(join(root, `${RUN}.json`));
    expect(store.logPath).toBe(join(root, `${RUN}.samples.jsonl`));
    expect(readdirSync(root)).toEqual([]); // nothing written before the first sample or save
  });

  it('appends one JSON line per sample, in order, and keeps appending after close and reopen', () => {
    const d = dir();
    const store = new ResultsStore(d, RUN);
    store.appendSample(sample(0));
    store.appendSample(sample(1, { ok: false, error: 'dd failed: "quoted"\nsecond line', values: {} }));
    store.close();
    store.close(); // twice is harmless
    const again = new ResultsStore(d, RUN);
    again.appendSample(sample(2));
    again.close();
    const text = readFileSync(join(d, `${RUN}.samples.jsonl`), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n');
    expect(lines.length).toBe(4); // three lines and the empty string after the last newline
    expect(lines[3]).toBe('');
    expect(lines.slice(0, 3).map((l) => JSON.parse(l) as Sample)).toEqual([
      sample(0),
      sample(1, { ok: false, error: 'dd failed: "quoted"\nsecond line', values: {} }),
      sample(2),
    ]);
    expect(statSync(join(d, `${RUN}.samples.jsonl`)).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it('save replaces the JSON file whole: it parses back, ends in a newline, and no temporary file is left', () => {
    const d = dir();
    const store = new ResultsStore(d, RUN);
    store.save(results([sample(0)]));
    store.save(results([sample(0), sample(1)]));
    const text = readFileSync(join(d, `${RUN}.json`), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe(' "runId": "20261201-120000-demo-ab12",'); // one-space indent
    expect(JSON.parse(text)).toEqual(results([sample(0), sample(1)]));
    expect(readdirSync(d)).toEqual([`${RUN}.json`]);
  });
});

describe('writeJsonAtomic', () => {
  it('replaces an existing file and removes its temporary file', () => {
    const d = dir();
    const p = join(d, 'x.json');
    writeFileSync(p, 'old and not JSON');
    writeJsonAtomic(p, { a: [1, 2], b: 'ü' });
    expect(readFileSync(p, 'utf8')).toBe('{\n "a": [\n  1,\n  2\n ],\n "b": "ü"\n}\n');
    expect(readdirSync(d)).toEqual(['x.json']);
  });
});

describe('mergeSamples', () => {
  it('returns the results unchanged when the log has no more samples than the file', () => {
    const r = results([sample(0), sample(1)]);
    expect(mergeSamples(r, [])).toBe(r);
    expect(mergeSamples(r, [sample(0), sample(1, { durationMs: 99 })])).toBe(r);
  });

  it('adds the logged samples the file lacks, ordered by seq, the log winning for the same seq', () => {
    const r = results([sample(3), sample(0)]);
    const logged = [sample(1), sample(0, { durationMs: 7 }), sample(2)];
    const merged = mergeSamples(r, logged);
    expect(merged.samples.map((s) => s.seq)).toEqual([0, 1, 2, 3]);
    expect(merged.samples[0]?.durationMs).toBe(7);
    expect(merged.runId).toBe(RUN);
    expect(r.samples.map((s) => s.seq)).toEqual([3, 0]); // the input is not modified
  });
});

describe('model helpers', () => {
  it('isUnknown recognises only { unknown: true } objects', () => {
    expect(isUnknown({ unknown: true, reason: 'no permission' })).toBe(true);
    expect(isUnknown({ unknown: false, reason: 'x' })).toBe(false);
    expect(isUnknown({ unknown: 'true' })).toBe(false);
    expect(isUnknown(null)).toBe(false);
    expect(isUnknown(undefined)).toBe(false);
    expect(isUnknown('unknown')).toBe(false);
    expect(isUnknown(0)).toBe(false);
  });

  it('the schema version is 1 (bump it, and this test, on an incompatible change)', () => {
    expect(SCHEMA_VERSION).toBe(1);
  });
});
