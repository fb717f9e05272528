/**
 * In-process timings of the statistics hot paths (tinybench).
 *
 *   npm run bench -- stats-hotpaths         (through bench/run.ts)
 *   node dist/bench/stats-hotpaths.js       (standalone, after `npm run build`)
 */

import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { decideSampling } from '../src/stats/adaptive.js';
import { compare } from '../src/stats/compare.js';
import { createRng } from '../src/stats/random.js';
import { summarize } from '../src/stats/summarize.js';

export interface HotpathRow {
  name: string;
  samples: number;
  /** Latencies in milliseconds. */
  min: number;
  median: number;
  mean: number;
  max: number;
  /** Relative margin of error of the mean, percent (tinybench's rme). */
  rme: number;
}

function series(seed: number, mean: number, cv: number, n: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => mean * (1 + cv * rng.nextNormal()));
}

export async function runStatsHotpaths(timeMs = 1000): Promise<HotpathRow[]> {
  const b30 = series(1, 450, 0.05, 30);
  const c30 = series(2, 440, 0.05, 30);
  const b20 = b30.slice(0, 20);
  const c20 = c30.slice(0, 20);
  let sink = 0;

  const bench = new Bench({ time: timeMs, warmup: true });
  bench
    .add('summarize, n = 30', () => {
      sink += summarize(b30).mean;
    })
    .add('compare 30 vs 30 (MWU normal approx.)', () => {
      sink += compare(b30, c30, { tolerancePct: 5 }).differencePct;
    })
    .add('compare 20 vs 20 (MWU exact, cached)', () => {
      sink += compare(b20, c20, { tolerancePct: 5 }).differencePct;
    })
    .add('compare 30 vs 30 + bootstrap 10,000 resamples', () => {
      sink += compare(b30, c30, { tolerancePct: 5, bootstrap: { resamples: 10_000, seed: 7 } }).differencePct;
    })
    .add('decideSampling, 3 targets × 30', () => {
      sink += decideSampling({ baseline: 'a', samples: { a: b30, b: c30, c: b30 } }).projectedRemaining;
    });
  await bench.run();
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps results alive');

  return bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`benchmark task '${task.name}' ended as ${result.state}`);
    const l = result.latency;
    return { name: task.name, samples: l.samplesCount, min: l.min, median: l.p50, mean: l.mean, max: l.max, rme: l.rme };
  });
}

function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  return `${ms.toFixed(2)} ms`;
}

export function statsHotpathsMarkdown(rows: HotpathRow[]): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const lines = [
    '## Statistics hot paths',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu} (${os.cpus().length} cores), Node ${process.version}, ` +
      'with tinybench (1 s per task after warm-up; latency per call). Reproduce: `npm run bench -- stats-hotpaths`.',
    '',
    '| task | calls | min | median | mean ± rme | max |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.samples} | ${formatMs(r.min)} | ${formatMs(r.median)} | ` +
        `${formatMs(r.mean)} ± ${r.rme.toFixed(1)} % | ${formatMs(r.max)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

export async function statsHotpathsBench(): Promise<string> {
  return statsHotpathsMarkdown(await runStatsHotpaths());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  statsHotpathsBench().then((md) => process.stdout.write(md + '\n'));
}
