/**
 * The state one run shares between its steps: the results object, the store behind it (every finished
 * sample is on disk before the next starts), the precision flags, the abort signal, progress and ETA.
 */
import { analyze, valuesFor } from '../results/analyze.js';
import type { RunResults, Sample } from '../results/model.js';
import type { ResultsStore } from '../results/store.js';
import type { Progress, ProgressEvent } from './progress.js';

/** ETA bookkeeping: samples planned and done, and how long finished samples took. */
export class ProgressTracker {
  private readonly durations: number[] = [];
  constructor(
    public total: number,
    public done: number,
  ) {}

  /** A sample that ran (its duration feeds the ETA). */
  sampled(durationMs: number): void {
    this.durations.push(durationMs);
  }

  etaSec(): number | null {
    if (this.durations.length === 0) return null;
    const avg = this.durations.reduce((a, b) => a + b, 0) / this.durations.length;
    return (Math.max(0, this.total - this.done) * avg) / 1000;
  }
}

export class RunSession {
  /** workload/metric -> precision goal met (adaptive plans only). */
  readonly precision = new Map<string, boolean>();
  readonly tracker: ProgressTracker;
  /** The block being sampled (`repeat` ≥ 2); recorded in each sample when not 0. */
  block = 0;
  private seq: number;

  constructor(
    readonly results: RunResults,
    private readonly store: ResultsStore,
    private readonly progress: Progress,
    readonly signal: AbortSignal,
    plannedSamples: number,
  ) {
    this.seq = results.samples.reduce((m, s) => Math.max(m, s.seq + 1), 0);
    this.tracker = new ProgressTracker(plannedSamples, results.samples.length);
  }

  get aborted(): boolean {
    return this.signal.aborted;
  }

  log(line: string): void {
    this.progress.log(line);
  }

  /** A note in the results, also shown in the terminal. */
  note(line: string): void {
    this.results.notes.push(line);
    this.log(line);
  }

  /** The sequence number the next recorded sample gets. */
  nextSeq(): number {
    return this.seq;
  }

  /** Append a finished sample (log file first, then the results object). */
  record(sample: Omit<Sample, 'seq'>): Sample {
    const s = { ...sample, ...(this.block > 0 ? { block: this.block } : {}), seq: this.seq++ } as Sample;
    this.store.appendSample(s);
    this.results.samples.push(s);
    this.tracker.done++;
    return s;
  }

  update(e: Omit<ProgressEvent, 'done' | 'total' | 'etaSec'>): void {
    this.progress.update({ ...e, done: this.tracker.done, total: this.tracker.total, etaSec: this.tracker.etaSec() });
  }

  /** Samples of one target and workload already recorded (on resume: those on disk). */
  existing(workload: string, target: string, warmup: boolean): number {
    return this.results.samples.filter((s) => s.workload === workload && s.target === target && s.warmup === warmup).length;
  }

  values(workload: string, target: string, metric: string): number[] {
    return valuesFor(this.results.samples, target, workload, metric);
  }

  /** Write the results as they are. */
  save(): void {
    this.store.save(this.results);
  }

  /** Recompute summaries and comparisons, then write. */
  analyseAndSave(): void {
    Object.assign(this.results, analyze(this.results, this.precision));
    this.store.save(this.results);
  }

  stopProgress(): void {
    this.progress.stop();
  }

  close(): void {
    this.store.close();
  }
}
