/**
 * src/results/levels.ts: a run with samples in blocks gets the two-level analysis in its summaries and
 * comparisons, the measured costs and Kalibera–Jones's recommendation; the report shows it as footnotes.
 * Expected values are worked by hand (see each comment); t quantiles from scipy.stats.t.ppf.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/results/analyze.js';
import { runResultsSchema, type BlockRecord, type MetricInfo, type RunResults, type Sample } from '../../src/results/model.js';
import { buildTableModel } from '../../src/report/table-model.js';
import { buildBrief } from '../../src/report/brief.js';
import { loadFixture } from '../report/helpers.js';

const DD: MetricInfo = { workload: 'dd', metric: 'write_mbps', title: 'dd write', unit: 'MB/s', higherIsBetter: true, primary: true };

let seq = 0;
function blockSamples(target: string, blocks: number[][], warmupMs = 1000, sampleMs = 500): Sample[] {
  const out: Sample[] = [];
  blocks.forEach((values, b) => {
    const base = { target, workload: 'dd', ok: true, startedAt: '2026-01-01T00:00:00Z', ...(b > 0 ? { block: b } : {}) };
    out.push({ ...base, seq: seq++, round: -1, warmup: true, durationMs: warmupMs, values: { write_mbps: 1 } });
    values.forEach((v, i) => out.push({ ...base, seq: seq++, round: b * values.length + i, warmup: false, durationMs: sampleMs, values: { write_mbps: v } }));
  });
  return out;
}

const block = (b: number): BlockRecord => ({
  workload: 'dd', block: b, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z',
  prepareMs: { 'bare-metal': 3000, docker: 3000 }, cleanupMs: { 'bare-metal': 1000, docker: 1000 },
});

async function blocked(targetHalfWidthPct?: number): Promise<RunResults> {
  const r = await loadFixture('two-targets');
  const results: RunResults = {
    ...r,
    metrics: [DD],
    // Bare metal: block means 11, 15, 10 (S²_within 2, S²_between 7, T² 6); Docker: 9.5, 13.5, 8.5.
    samples: [...blockSamples('bare-metal', [[10, 12], [14, 16], [9, 11]]), ...blockSamples('docker', [[9, 10], [13, 14], [8, 9]])],
    blocks: [block(0), block(1), block(2)],
    scenario: { ...r.scenario, samples: targetHalfWidthPct === undefined ? 2 : { min: 2, max: 2, targetHalfWidthPct }, repeat: 3 },
  };
  return { ...results, ...analyze(results) };
}

describe('two-level analysis in the results', () => {
  it('costs per target: set-up = prepare + cleanup + the block\'s warm-ups, 3 + 1 + 1 = 5 s; a sample 0.5 s', async () => {
    const r = await blocked(10);
    const s = r.summaries.find((x) => x.target === 'bare-metal');
    expect(s?.levels?.costs).toEqual({ blockSec: 5, sampleSec: 0.5 });
  });

  it('the recommendation: n* = √(5·2/(0.5·6)) = 1.83 → 2 per block; for ±10 % of 12, K = 22 blocks (6 s each)', async () => {
    // Smallest K with t(K − 1)·√((6 + 2/2)/K) ≤ 1.2: K = 21 gives 1.2043, K = 22 gives 1.1731 (scipy).
    const r = await blocked(10);
    const p = r.summaries.find((x) => x.target === 'bare-metal')?.levels?.plan;
    expect(p?.targetHalfWidthPct).toBe(10);
    expect(p?.optimalPerBlock).toBeCloseTo(Math.sqrt(10 / 3), 12);
    expect(p?.recommendedPerBlock).toBe(2);
    expect(p?.recommendedBlocks).toBe(22);
    expect(p?.estimatedSec).toBeCloseTo(22 * (5 + 2 * 0.5), 9);
  });

  it('the first block\'s set-up (which also fingerprints the targets) is left out of the cost when later blocks exist', async () => {
    const r = await blocked(10);
    const first = r.blocks?.[0] as BlockRecord;
    first.prepareMs = { 'bare-metal': 60_000, docker: 60_000 };
    const again = analyze(r);
    expect(again.summaries.find((x) => x.target === 'bare-metal')?.levels?.costs?.blockSec).toBe(5);
  });

  it('a fixed-count scenario aims at the default ±1 %', async () => {
    const r = await blocked();
    expect(r.summaries.find((x) => x.target === 'bare-metal')?.levels?.plan?.targetHalfWidthPct).toBe(1);
  });

  it('the summary\'s interval is the block-level one; the pooled one is kept as singleLevel', async () => {
    const r = await blocked(10);
    const s = r.summaries.find((x) => x.target === 'bare-metal');
    const hw = 4.302652729749462 * Math.sqrt(7 / 3);
    expect(s?.ci?.low).toBeCloseTo(12 - hw, 9);
    expect(s?.relativeHalfWidth).toBeCloseTo(hw / 12, 9);
    // Pooled: 10, 12, 14, 16, 9, 11 — mean 12, s² = (4 + 0 + 4 + 16 + 9 + 1)/5 = 6.8; t(5) = 2.5705818356 (scipy).
    expect(s?.levels?.singleLevel.mean).toBe(12);
    expect(s?.levels?.singleLevel.ci?.high).toBeCloseTo(12 + 2.5705818356363146 * Math.sqrt(6.8 / 6), 9);
  });

  it('samples without a block (every older file) get no levels, and the same numbers as before', async () => {
    const r = await loadFixture('two-targets');
    const again = analyze(r);
    expect(again.summaries.some((s) => s.levels)).toBe(false);
    expect(again.comparisons.some((c) => c.levels)).toBe(false);
    expect(again.summaries.map((s) => s.ci)).toEqual(r.summaries.map((s) => s.ci));
  });
});

describe('the results file', () => {
  it('validates block, blocks and levels on read; a negative or fractional block is refused', async () => {
    const r = await blocked(10);
    expect(runResultsSchema.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
    const bad = (patch: (x: RunResults) => void): boolean => {
      const copy = JSON.parse(JSON.stringify(r)) as RunResults;
      patch(copy);
      return runResultsSchema.safeParse(copy).success;
    };
    expect(bad((x) => void ((x.samples[0] as Sample).block = -1))).toBe(false);
    expect(bad((x) => void ((x.samples[0] as Sample).block = 1.5))).toBe(false);
    expect(bad((x) => void ((x.blocks as BlockRecord[])[0]!.prepareMs = { a: 'x' as unknown as number }))).toBe(false);
    expect(bad((x) => void ((x.summaries[0]!.levels as { withinVariance: unknown }).withinVariance = 'big'))).toBe(false);
  });
});

describe('report footnotes', () => {
  it('names the block-level interval and shows the per-level variance with the recommendation', async () => {
    const r = await blocked(10);
    const model = buildTableModel(r, { security: false, environmentDifferences: [] });
    const texts = model.footnotes.map((f) => f.text);
    expect(texts).toContain(
      'Interval from 3 independent blocks (each prepared afresh: processes, containers, servers): Student t with 2 df over the block means, and for a difference the same interval rules on the block means of each side (Kalibera & Jones 2013; docs/statistics.md). The single-level interval from the pooled samples is kept in the results (levels.singleLevel).',
    );
    const perLevel = texts.find((t) => t.startsWith('Per-level variance, dd write:'));
    // Bare metal: √2/12 = 11.8 %, √6/12 = 20.4 %.
    expect(perLevel).toContain('Bare Metal (3 blocks of 2): within blocks CV 11.8 %, between blocks 20.4 % beyond that; set-up 5.0 s per block, 0.50 s per sample; recommendation: 2 samples per block and 22 blocks for ±10 %, about 2 min');
    const row = model.rows[0];
    expect(row?.kind === 'metric' && row.differences[0]?.notes.length).toBeGreaterThan(0);
  });

  it('the brief style says its intervals come from the blocks', async () => {
    const notes = buildBrief(await blocked(10)).notes;
    expect(notes.at(-1)).toContain('n = 6 per cell; 95 % confidence intervals over 3 independent blocks (block means);');
    expect(buildBrief(await loadFixture('two-targets')).notes.at(-1)).toContain('; 95 % confidence intervals;');
  });

  it('a run of one block has no such footnote', async () => {
    const model = buildTableModel(await loadFixture('two-targets'));
    expect(model.footnotes.some((f) => f.kind === 'levels')).toBe(false);
  });
});
