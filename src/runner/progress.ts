/** Progress: a bar with ETA on a terminal, one plain line per sample in CI logs. */
import cliProgress from 'cli-progress';

export interface ProgressEvent {
  done: number;
  total: number;
  workload: string;
  target: string;
  round: number;
  warmup: boolean;
  text: string;
  etaSec: number | null;
  /** Adaptive sampling: the sampler's projection of further rounds for this workload. */
  projectedRounds?: number;
}

export interface Progress {
  update(e: ProgressEvent): void;
  log(line: string): void;
  stop(): void;
}

function fmtEta(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '?';
  const whole = Math.round(sec); // round once, so 119.6 s is 2m00s (not 1m60s) and 59.6 s is 1m00s
  if (whole < 60) return `${whole}s`;
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

function projected(e: ProgressEvent): string {
  return e.projectedRounds === undefined ? '' : ` (adaptive: ~${e.projectedRounds} more round${e.projectedRounds === 1 ? '' : 's'} projected)`;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { update: () => undefined, log: () => undefined, stop: () => undefined };
  if (!stream.isTTY) {
    return {
      update: (e) =>
        stream.write(
          `[${e.done}/${e.total}] ${e.workload} · ${e.target}${e.warmup ? ' (warmup)' : ` · round ${e.round + 1}`} · ${e.text} · ETA ${fmtEta(e.etaSec)}${projected(e)}\n`,
        ),
      log: (line) => stream.write(`${line}\n`),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {value}/{total} · {what} · ETA {eta_text}', hideCursor: true, stream, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (e) => {
      const payload = { what: `${e.workload} · ${e.target}: ${e.text}`, eta_text: `${fmtEta(e.etaSec)}${projected(e)}` };
      if (!started) {
        bar.start(e.total, e.done, payload);
        started = true;
      } else {
        bar.setTotal(e.total);
        bar.update(e.done, payload);
      }
    },
    log: (line) => {
      if (started) bar.stop();
      started = false;
      stream.write(`${line}\n`);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
