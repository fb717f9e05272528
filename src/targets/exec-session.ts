/**
 * One long-lived `sh` inside a container (`docker exec -i <id> sh`), fed one command at a time, so a sample
 * pays a write to a pipe instead of starting the docker CLI (~60–170 ms here). Commands still run inside the
 * container with its namespaces, cgroup, capabilities and seccomp filter. Each command's end is framed by a
 * random marker carrying its exit status; stdin is /dev/null, so no command can read the next one.
 */
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { quoteCommandLine } from './quote.js';
import type { ExecOptions, ExecResult } from './types.js';

/** Killing the docker CLI does not stop a process in the container: `timeout` inside it does. */
export function withContainerTimeout(argv: string[], timeoutMs?: number): string[] {
  return timeoutMs !== undefined ? ['timeout', '-s', 'KILL', `${Math.ceil(timeoutMs / 1000)}s`, ...argv] : argv;
}

interface Pending {
  resolve: (r: { stdout: string; stderr: string; exitCode: number | null }) => void;
}

export class ExecSession {
  private child: ResultPromise | undefined;
  private out = '';
  private err = '';
  private pending: Pending | undefined;
  private readonly marker = `__benchsuite_${randomBytes(8).toString('hex')}`;
  private dead = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dockerArgv: string[]) {}

  private start(): void {
    const [file, ...args] = this.dockerArgv;
    this.child = execa(file as string, args, { reject: false, buffer: false, stdin: 'pipe', detached: true, env: { LC_ALL: 'C', LANG: 'C' } });
    this.child.stdout?.on('data', (d: Buffer) => {
      this.out += d.toString();
      this.check();
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.err += d.toString();
      this.check();
    });
    void this.child.then(() => {
      this.dead = true;
      const p = this.pending;
      this.pending = undefined;
      p?.resolve({ stdout: this.out, stderr: this.err, exitCode: null });
    });
  }

  private check(): void {
    if (!this.pending) return;
    const outEnd = new RegExp(`\\n${this.marker} (\\d+)\\n$`).exec(this.out);
    const errEnd = this.err.endsWith(`\n${this.marker}\n`);
    if (!outEnd || !errEnd) return;
    const stdout = this.out.slice(0, outEnd.index);
    const stderr = this.err.slice(0, this.err.length - this.marker.length - 2);
    this.out = '';
    this.err = '';
    const p = this.pending;
    this.pending = undefined;
    p.resolve({ stdout, stderr, exitCode: Number(outEnd[1]) });
  }

  /** true when the session can take commands (false once the container or the shell is gone). */
  get usable(): boolean {
    return !this.dead;
  }

  exec(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const run = this.queue.then(() => this.execNow(argv, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async execNow(argv: string[], options: ExecOptions): Promise<ExecResult> {
    if (!this.child) this.start();
    const started = performance.now();
    if (this.dead) return { argv, stdout: '', stderr: 'the container shell has exited', exitCode: null, timedOut: false, aborted: false, durationMs: 0 };
    // `timeout` inside the container kills the command itself; the session survives it.
    const cmd = withContainerTimeout(argv, options.timeoutMs);
    const line = `${quoteCommandLine(cmd)} </dev/null; printf '\\n${this.marker} %d\\n' $?; printf '\\n${this.marker}\\n' >&2\n`;
    let aborted = false;
    let hung = false;
    const onAbort = (): void => {
      aborted = true;
      this.close();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // Should the session itself hang, end it a little after the in-container timeout.
    const guard =
      options.timeoutMs !== undefined
        ? setTimeout(() => {
            hung = true;
            this.close();
          }, options.timeoutMs + 5000)
        : undefined;
    const result = await new Promise<{ stdout: string; stderr: string; exitCode: number | null }>((resolve) => {
      this.pending = { resolve };
      this.child?.stdin?.write(line);
    });
    if (guard) clearTimeout(guard);
    options.signal?.removeEventListener('abort', onAbort);
    const elapsed = performance.now() - started;
    const timedOut = hung || (options.timeoutMs !== undefined && result.exitCode === 137 && elapsed >= options.timeoutMs * 0.9);
    return {
      argv,
      stdout: result.stdout,
      stderr: result.stderr,
      exitCode: timedOut || aborted ? null : result.exitCode,
      timedOut,
      aborted,
      durationMs: elapsed,
    };
  }

  close(): void {
    this.dead = true;
    const pid = this.child?.pid;
    if (pid) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}
