/**
 * Loading a stored results file. Validates `schemaVersion` and the arrays every renderer needs, and
 * completes the samples from the sibling `<runId>.samples.jsonl` append log when that log holds more
 * samples than the JSON (an interrupted run): summaries and comparisons are then recomputed.
 */
import path from 'node:path';
import { analyze } from '../results/analyze.js';
import { runResultsSchema, sampleSchema, SCHEMA_VERSION, type RunResults, type Sample } from '../results/model.js';
import { readRegularFile, UnreadableFileError } from '../util/fs.js';
import { quoteValue } from '../util/quote.js';
import { mergeSamples, samplesLogPath } from '../results/store.js';
import { ReportInputError, targetHalfWidthPct } from './common.js';

export interface SamplesLog {
  samples: Sample[];
  /** 1-based line numbers that were skipped (torn last line, or not a sample). */
  skipped: { line: number; reason: string }[];
}

function isSample(v: unknown): v is Sample {
  return sampleSchema.safeParse(v).success;
}

/** Parse an append log: one JSON object per line; a torn (unparsable) last line is ignored. */
export function parseSamplesLog(text: string): SamplesLog {
  const lines = text.split('\n');
  const samples: Sample[] = [];
  const skipped: SamplesLog['skipped'] = [];
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] as string).trim() === '') last--;
  for (let i = 0; i <= last; i++) {
    const line = (lines[i] as string).trim();
    if (!line) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      skipped.push({ line: i + 1, reason: i === last ? 'torn last line (the run was interrupted mid-write)' : 'not valid JSON' });
      continue;
    }
    // A line may wrap the sample ({ "sample": {...} }) or be one.
    const cand = typeof parsed === 'object' && parsed !== null && 'sample' in parsed ? (parsed as { sample: unknown }).sample : parsed;
    if (isSample(cand)) samples.push(cand);
    else skipped.push({ line: i + 1, reason: 'not a sample record' });
  }
  return { samples, skipped };
}

function fail(file: string, problem: string, fix: string): never {
  throw new ReportInputError(`${file}: ${problem}. ${fix}`);
}

/** Structural checks of a parsed results object; throws ReportInputError naming the file and the fix. */
export function validateResults(data: unknown, file: string): RunResults {
  const fix = 'Pass a results JSON written by `benchsuite run` (by default results/<runId>.json).';
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail(file, 'is not a JSON object', fix);
  const r = data as Record<string, unknown>;
  if (!('schemaVersion' in r)) fail(file, 'is not a benchsuite results file (it has no schemaVersion)', fix);
  if (typeof r.schemaVersion !== 'number' || !Number.isInteger(r.schemaVersion) || r.schemaVersion < 1) {
    fail(file, `has an invalid schemaVersion ${JSON.stringify(r.schemaVersion)}`, fix);
  }
  if ((r.schemaVersion as number) > SCHEMA_VERSION) {
    fail(
      file,
      `has schemaVersion ${r.schemaVersion as number}, newer than this benchsuite understands (${SCHEMA_VERSION})`,
      'Upgrade benchsuite to read it.',
    );
  }
  if (typeof r.runId !== 'string' || !r.runId) fail(file, 'has no runId', fix);
  if (typeof r.baseline !== 'string') fail(file, 'has no baseline target id', fix);
  for (const k of ['targets', 'metrics', 'samples', 'summaries', 'comparisons'] as const) {
    if (!Array.isArray(r[k])) fail(file, `has no "${k}" array`, `The file looks truncated or hand-edited; ${fix}`);
  }
  if (typeof r.scenario !== 'object' || r.scenario === null) fail(file, 'has no scenario', fix);
  // Every field a writer reads, with its type; the run id (part of file names) by its pattern.
  const parsed = runResultsSchema.safeParse(r, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => {
      const field = i.path.map(String).join('.') || '(top level)';
      const got = i.code === 'invalid_type' ? `expected ${i.expected}, got ${i.input === undefined ? 'nothing' : quoteValue(i.input)}` : `${i.message}; got ${quoteValue(i.input)}`;
      return `field ${field}: ${got}`;
    });
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    fail(file, `is not a valid results file: ${issues.join('; ')}${more}`, `The file looks hand-edited or corrupt; ${fix}`);
  }
  const targets = r.targets as { id?: unknown }[];
  if (!targets.some((t) => t?.id === r.baseline)) fail(file, `names baseline "${String(r.baseline)}" but has no such target`, fix);
  if (!Array.isArray(r.notes)) r.notes = [];
  if (typeof r.confidence !== 'number') r.confidence = (r.scenario as { confidence?: number }).confidence ?? 0.95;
  return r as unknown as RunResults;
}

export interface LoadOptions {
  /** Merge the sibling samples log when it has more samples (default true). */
  mergeSamplesLog?: boolean;
}

export async function loadResults(file: string, options: LoadOptions = {}): Promise<RunResults> {
  let text: string;
  try {
    text = readRegularFile(file);
  } catch (err) {
    const code = err instanceof UnreadableFileError ? err.code : (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(file, 'no such file', 'Check the path; `benchsuite run` writes results under results/<runId>.json.');
    if (code === 'EISDIR') fail(file, 'is a directory', 'Pass a results JSON file inside it (or use `benchsuite history DIR` for a directory).');
    fail(file, `${(err as Error).message}`, 'Pass a results JSON written by `benchsuite run`.');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    fail(
      file,
      `is not valid JSON (${quoteValue((err as Error).message)})`,
      'If the run was interrupted, its samples are in the sibling <runId>.samples.jsonl; otherwise restore the file from where it was stored.',
    );
  }
  const results = validateResults(data, file);
  if (options.mergeSamplesLog === false) return results;

  const logFile = samplesLogPath(path.dirname(file), results.runId);
  let logText: string | null = null;
  try {
    // The run id matched its pattern, so the log is a sibling of the results file, never elsewhere.
    logText = readRegularFile(logFile);
  } catch {
    logText = null;
  }
  if (logText === null) return results;
  const log = parseSamplesLog(logText);
  if (log.samples.length <= results.samples.length) return results;

  const before = results.samples.length;
  const merged = mergeSamples(results, log.samples);
  const added = merged.samples.length - before;
  // Precision flags are per metric; keep what the run recorded, else judge against the adaptive target.
  const precision = new Map<string, boolean>();
  const target = targetHalfWidthPct(merged);
  for (const s of results.summaries) {
    if (typeof s.precisionMet === 'boolean') precision.set(`${s.workload}/${s.metric}`, s.precisionMet);
  }
  const stats = analyze(merged, precision);
  if (target !== null) {
    for (const s of stats.summaries) {
      if (s.precisionMet === null && s.n > 0) {
        s.precisionMet = s.relativeHalfWidth !== null && s.relativeHalfWidth * 100 <= target;
      }
    }
  }
  const base = path.basename(logFile);
  return {
    ...merged,
    summaries: stats.summaries,
    comparisons: stats.comparisons,
    notes: [
      ...results.notes,
      `${added} sample${added === 1 ? '' : 's'} merged from ${base} that the results JSON did not contain; summaries and comparisons were recomputed from all samples.`,
      ...log.skipped.map((s) => `${base} line ${s.line} ignored: ${s.reason}.`),
    ],
  };
}
