/**
 * Every process benchsuite starts goes through here: execa, no shell, its own process group,
 * so a timeout or an interrupt kills the whole tree (execa alone kills only the direct child).
 */
import { execa, type ResultPromise } from 'execa';
import type { BackgroundProcess, ExecOptions, ExecResult } from './types.js';

const live = new Set<number>();

function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/** Kill every process group still running (last resort on exit). */
export function killAllChildren(): void {
  for (const pid of live) killGroup(pid);
  live.clear();
}

export async function runProcess(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runProcess: empty argv');
  const started = performance.now();
  let timedOut = false;
  let aborted = false;
  const child = execa(file, args, {
    reject: false,
    detached: true,
    stripFinalNewline: false,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { LC_ALL: 'C', LANG: 'C' },
  });
  const pid = child.pid;
  if (pid) live.add(pid);
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          killGroup(pid);
        }, options.timeoutMs)
      : undefined;
  const onAbort = (): void => {
    aborted = true;
    killGroup(pid);
  };
  if (options.signal) {
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
  }
  try {
    const r = await child;
    const durationMs = performance.now() - started;
    const spawnError = r.failed && r.exitCode === undefined && !r.signal && !timedOut && !aborted ? r.message : '';
    return {
      argv,
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? '') + (spawnError ? `\n${spawnError}` : ''),
      exitCode: timedOut || aborted ? null : (r.exitCode ?? (r.signal ? null : 127)),
      timedOut,
      aborted,
      durationMs,
    };
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (pid) live.delete(pid);
  }
}

/** A long-running local process in its own group. */
export function spawnBackground(argv: string[], description = argv.join(' ')): BackgroundProcess {
  const [file, ...args] = argv;
  if (!file) throw new Error('spawnBackground: empty argv');
  const child: ResultPromise = execa(file, args, {
    reject: false,
    detached: true,
    stdin: 'ignore',
    all: true,
    buffer: false,
    env: { LC_ALL: 'C', LANG: 'C' },
  });
  const pid = child.pid;
  if (pid) live.add(pid);
  let out = '';
  child.all?.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-8192);
  });
  let exited = false;
  const done = child.then(() => {
    exited = true;
  });
  return {
    description,
    running: async () => !exited,
    output: () => out,
    stop: async () => {
      if (!exited) {
        killGroup(pid, 'SIGTERM');
        const t = setTimeout(() => killGroup(pid, 'SIGKILL'), 3000);
        await done;
        clearTimeout(t);
      }
      if (pid) live.delete(pid);
    },
  };
}
