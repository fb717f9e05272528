/**
 * Results on disk, so that nothing is lost: every finished sample is appended to
 * `<runId>.samples.jsonl` and fsynced before the next one starts; `<runId>.json` is replaced
 * atomically (write to a temp file, fsync, rename), so it parses whenever benchsuite is killed.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults, Sample } from './model.js';

// Reading the log back (tolerating a torn last line) is src/report/load.ts's job.

export function resultsPath(dir: string, runId: string): string {
  return join(dir, `${runId}.json`);
}
export function samplesLogPath(dir: string, runId: string): string {
  return join(dir, `${runId}.samples.jsonl`);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(value, null, 1)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export class ResultsStore {
  private logFd: number | undefined;
  readonly jsonPath: string;
  readonly logPath: string;

  constructor(
    readonly dir: string,
    readonly runId: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.jsonPath = resultsPath(dir, runId);
    this.logPath = samplesLogPath(dir, runId);
  }

  appendSample(sample: Sample): void {
    this.logFd ??= openSync(this.logPath, 'a', 0o644);
    writeSync(this.logFd, `${JSON.stringify(sample)}\n`);
    fsyncSync(this.logFd);
  }

  save(results: RunResults): void {
    writeJsonAtomic(this.jsonPath, results);
  }

  close(): void {
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.logFd = undefined;
  }
}

/** Merge the append log into a results object: the log is the source of truth for samples. */
export function mergeSamples(results: RunResults, logged: Sample[]): RunResults {
  if (logged.length <= results.samples.length) return results;
  const bySeq = new Map<number, Sample>();
  for (const s of results.samples) bySeq.set(s.seq, s);
  for (const s of logged) bySeq.set(s.seq, s);
  return { ...results, samples: [...bySeq.values()].sort((a, b) => a.seq - b.seq) };
}
