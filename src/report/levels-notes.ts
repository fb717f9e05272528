/**
 * Footnotes for a run with independent blocks (`repeat` ≥ 2): which interval the table shows, and the
 * per-level variance of each metric with Kalibera and Jones's recommendation (docs/statistics.md,
 * "Repetitions at two levels"). Nothing for a run of one block.
 */
import type { LevelsRecord, SummaryRecord } from '../results/model.js';

function fmt(v: number, digits = 1): string {
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function duration(sec: number): string {
  if (sec < 120) return `${fmt(sec, 0)} s`;
  if (sec < 7200) return `${fmt(sec / 60, 0)} min`;
  return `${fmt(sec / 3600, 1)} h`;
}

/** The method note shared by every cell and difference computed from block means. */
export function levelsMethodNote(blocks: number): string {
  return (
    `Interval from ${blocks} independent blocks (each prepared afresh: processes, containers, servers): Student t with ` +
    `${blocks - 1} df over the block means, and for a difference the same interval rules on the block means of each side ` +
    '(Kalibera & Jones 2013; docs/statistics.md). The single-level interval from the pooled samples is kept in the results (levels.singleLevel).'
  );
}

function cv(variance: number | null, mean: number): string {
  if (variance === null || mean === 0) return 'unknown';
  return `${fmt((Math.sqrt(variance) / Math.abs(mean)) * 100)} %`;
}

/** One target's part of a row's per-level variance note. */
function targetPart(label: string, s: SummaryRecord, lv: LevelsRecord): string {
  const sizes = new Set(lv.perBlock);
  const design = `${lv.blocks} blocks of ${sizes.size === 1 ? lv.perBlock[0] : `${Math.min(...lv.perBlock)}–${Math.max(...lv.perBlock)}`}`;
  const head = `${label} (${design}): within blocks CV ${cv(lv.withinVariance, s.mean)}, between blocks ${cv(lv.betweenComponent, s.mean)} beyond that`;
  const p = lv.plan;
  const costs = lv.costs ? `; set-up ${fmt(lv.costs.blockSec)} s per block, ${fmt(lv.costs.sampleSec, 2)} s per sample` : '';
  if (!p) return `${head}${costs}`;
  if (p.recommendedPerBlock === null) {
    return `${head}${costs}; recommendation: no variation between blocks beyond the within-block noise, so one block with more samples is cheapest`;
  }
  const blocks = p.recommendedBlocks === null ? 'more than 1,000 blocks' : `${p.recommendedBlocks} blocks`;
  const time = p.estimatedSec === null ? '' : `, about ${duration(p.estimatedSec)}`;
  return `${head}${costs}; recommendation: ${p.recommendedPerBlock} samples per block and ${blocks} for ±${p.targetHalfWidthPct} %${time}`;
}

/** "Per-level variance, <row>: …" for the targets of one metric that have levels; undefined when none has. */
export function perLevelVarianceNote(row: string, cells: { label: string; summary: SummaryRecord | undefined }[]): string | undefined {
  const parts = cells.flatMap((c) => (c.summary?.levels ? [targetPart(c.label, c.summary, c.summary.levels)] : []));
  if (parts.length === 0) return undefined;
  return `Per-level variance, ${row}: ${parts.join('. ')}.`;
}
