/**
 * One long-lived POSIX `sh` fed one command at a time on its stdin, so a command pays a write to a pipe instead of
 * starting a client (the docker CLI: ~60–170 ms here; an ssh client and the remote login shell: ~40 ms). Two uses:
 *
 * - in a container (`docker exec -i <id> sh`, locally or through ssh): commands still run inside the container with
 *   its namespaces, cgroup, capabilities and seccomp filter; `timeout -s KILL` inside the container ends a command
 *   at its timeout (killing the docker CLI would not);
 * - on an SSH host (`ssh … 'exec sh'`): each command runs in its own process group (`setsid`), whose id the shell
 *   reports at once, so a timeout or an abort kills the remote process tree through a second channel.
 *
 * Framing: each command is preceded by a start marker on stdout and stderr and followed by an end marker carrying its
 * exit status. A marker is a random per-session token after a newline and is removed byte for byte, so output with
 * no trailing newline, with marker-like text or with any bytes comes back exactly as written. Commands get /dev/null
 * as stdin, so none can read the next one. When the session drops (the client or the remote shell killed, the
 * connection lost) the next command starts a new one; a command the shell had not yet received is retried once on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { quoteCommandLine } from './quote.js';
import type { ExecOptions, ExecResult } from './types.js';

/** Killing the docker CLI does not stop a process in the container: `timeout` inside it does. */
export function withContainerTimeout(argv: string[], timeoutMs?: number): string[] {
  return timeoutMs !== undefined ? ['timeout', '-s', 'KILL', `${Math.ceil(timeoutMs / 1000)}s`, ...argv] : argv;
}

/** How long a session may stay silent after a command's timeout (and its kill) before it is given up. */
export const SESSION_GRACE_MS = 5000;

export interface ExecSessionOptions {
  /** Local argv that starts a POSIX shell reading commands from its stdin. */
  argv: string[];
  /**
   * `container`: the command runs under `timeout -s KILL` in the shell's own process group (a container's shell).
   * `process-group`: the command runs in its own session (`setsid`); timeouts and aborts kill that group with `killGroup`.
   */
  mode: 'container' | 'process-group';
  /** Kill a remote process group and process (process-group mode), through another channel than the session. */
  killGroup?: (pgid: number) => Promise<void>;
  /** The error to throw when the session cannot be started or drops while a command runs; without it a result with exitCode null is returned. */
  failure?: (message: string) => Error;
  /** For messages ("the container shell", "the SSH session to …"). */
  what?: string;
}

type Raw = { stdout: Buffer; stderr: Buffer; exitCode: number | null; started: boolean; dropped: string | undefined };

/** One stream of the session: cuts each command's bytes out between its start and end markers. */
class FramedStream {
  private buf: Buffer = Buffer.alloc(0);
  private inBody = false;
  body: Buffer[] = [];

  constructor(private readonly marker: Buffer) {}

  /** Feed bytes; calls onMarker(kind, value) for each complete marker in order. */
  push(d: Buffer, onMarker: (kind: string, value: string) => void): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const at = this.buf.indexOf(this.marker);
      if (at < 0) {
        // Keep a tail that could be the start of a marker; everything before it is output (or noise before a start marker).
        const keep = Math.max(0, this.buf.length - this.marker.length);
        if (keep > 0) {
          if (this.inBody) this.body.push(this.buf.subarray(0, keep));
          this.buf = this.buf.subarray(keep);
        }
        return;
      }
      const eol = this.buf.indexOf(0x0a, at + this.marker.length);
      if (eol < 0) {
        // An incomplete marker line: wait for the rest.
        if (at > 0) {
          if (this.inBody) this.body.push(this.buf.subarray(0, at));
          this.buf = this.buf.subarray(at);
        }
        return;
      }
      const [kind = '', value = ''] = this.buf.subarray(at + this.marker.length, eol).toString('latin1').split(':');
      if (this.inBody && at > 0) this.body.push(this.buf.subarray(0, at));
      this.buf = this.buf.subarray(eol + 1);
      if (kind === 'S') {
        this.inBody = true;
        this.body = [];
      } else if (kind === 'X' || kind === 'E') this.inBody = false;
      onMarker(kind, value);
    }
  }

  take(): Buffer {
    const out = Buffer.concat(this.body);
    this.body = [];
    return out;
  }

  /** What arrived of the current command when the stream ended. */
  flush(): Buffer {
    if (this.inBody && this.buf.length) this.body.push(this.buf);
    this.buf = Buffer.alloc(0);
    return this.take();
  }

  /** Everything buffered, for error messages after a failed start. */
  raw(): string {
    return Buffer.concat([...this.body, this.buf]).toString();
  }
}

interface Pending {
  resolve: (r: Raw) => void;
  started: boolean;
  pid?: number;
  onPid?: (pid: number) => void;
  exitCode?: number;
  stderrDone: boolean;
}

/** One shell process (one connection attempt); an ExecSession replaces it when it dies. */
class Shell {
  readonly child: ChildProcess;
  dead = false;
  /** Has any command got through this shell? */
  worked = false;
  pending: Pending | undefined;
  readonly out: FramedStream;
  readonly err: FramedStream;
  private errText = '';

  constructor(argv: string[], marker: string) {
    const [file, ...args] = argv;
    if (!file) throw new Error('ExecSession: empty argv');
    const m = Buffer.from(`\n${marker}`, 'latin1');
    this.out = new FramedStream(m);
    this.err = new FramedStream(m);
    this.child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
    this.child.stdin?.on('error', () => undefined); // EPIPE when the shell is gone: seen as its exit
    this.child.stdout?.on('data', (d: Buffer) => this.out.push(d, (k, v) => this.marker('out', k, v)));
    this.child.stderr?.on('data', (d: Buffer) => {
      if (!this.worked && !this.pending?.started) this.errText = (this.errText + d.toString()).slice(-4096);
      this.err.push(d, (k, v) => this.marker('err', k, v));
    });
    this.child.on('error', (e) => {
      this.errText += e.message;
      this.died();
    });
    this.child.on('close', () => this.died());
    // An ssh multiplexing client hands its pipes to the master, so they may stay open after it dies: its exit
    // (plus a moment to read what it wrote) is the end of the session.
    this.child.on('exit', () => setTimeout(() => this.died(), 100).unref());
  }

  private marker(stream: 'out' | 'err', kind: string, value: string): void {
    const p = this.pending;
    if (!p) return;
    if (kind === 'S') p.started = true;
    else if (kind === 'P') {
      p.pid = Number(value);
      p.onPid?.(p.pid);
    } else if (kind === 'X' && stream === 'out') p.exitCode = Number(value);
    else if (kind === 'E' && stream === 'err') p.stderrDone = true;
    if (p.exitCode !== undefined && p.stderrDone) {
      this.pending = undefined;
      this.worked = true;
      p.resolve({ stdout: this.out.take(), stderr: this.err.take(), exitCode: p.exitCode, started: true, dropped: undefined });
    }
  }

  private died(): void {
    if (this.dead) return;
    this.dead = true;
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    const p = this.pending;
    this.pending = undefined;
    const why = this.errText.trim().split('\n').filter(Boolean).slice(-2).join(' | ') || `exited (${this.child.exitCode ?? this.child.signalCode ?? 'unknown'})`;
    p?.resolve({ stdout: this.out.flush(), stderr: this.err.flush(), exitCode: null, started: p.started, dropped: why });
  }

  run(line: string, p: Pending): Promise<Raw> {
    return new Promise<Raw>((resolve) => {
      p.resolve = resolve;
      this.pending = p;
      if (this.dead) {
        this.died();
        return;
      }
      this.child.stdin?.write(line);
    });
  }

  kill(): void {
    const pid = this.child.pid;
    if (pid && !this.dead) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}

export class ExecSession {
  private shell: Shell | undefined;
  private readonly marker = `__benchsuite_${randomBytes(8).toString('hex')}_`;
  private closed = false;
  private startFailed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private readonly o: ExecSessionOptions;

  /** An argv array alone: a container's shell (e.g. `['docker', 'exec', '-i', id, 'sh']`). */
  constructor(options: ExecSessionOptions | string[]) {
    this.o = Array.isArray(options) ? { argv: options, mode: 'container', what: 'the container shell' } : options;
  }

  /** false once closed, or when the last attempt to start the shell failed (the container or host is gone). */
  get usable(): boolean {
    return !this.closed && !this.startFailed;
  }

  /** A command is running or waiting. */
  get busy(): boolean {
    return this.queued > 0;
  }

  /** The local client's pid (the ssh or docker process), while a shell is open. */
  get clientPid(): number | undefined {
    return this.shell && !this.shell.dead ? this.shell.child.pid : undefined;
  }

  exec(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) throw new Error('ExecSession.exec: empty argv');
    this.queued++;
    const run = this.queue.then(() => this.execNow(argv, options)).finally(() => this.queued--);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private line(argv: string[], timeoutMs: number | undefined): string {
    const m = this.marker;
    const start = `printf '\\n${m}S\\n'; printf '\\n${m}S\\n' >&2; `;
    const end = `; printf '\\n${m}X:%d\\n' $?; printf '\\n${m}E\\n' >&2\n`;
    if (this.o.mode === 'container') return `${start}${quoteCommandLine(withContainerTimeout(argv, timeoutMs))} </dev/null${end}`;
    return `${start}setsid ${quoteCommandLine(argv)} </dev/null & printf '\\n${m}P:%d\\n' $! >&2; wait $!${end}`;
  }

  private async execNow(argv: string[], options: ExecOptions): Promise<ExecResult> {
    const started = performance.now();
    const result = (r: Partial<ExecResult>): ExecResult => ({
      argv, stdout: '', stderr: '', exitCode: null, timedOut: false, aborted: false, durationMs: performance.now() - started, ...r,
    });
    if (this.closed) return result({ stderr: `${this.o.what ?? 'the session'} is closed` });
    if (options.signal?.aborted) return result({ aborted: true });
    for (let attempt = 0; ; attempt++) {
      const fresh = !this.shell || this.shell.dead;
      if (fresh) this.shell = new Shell(this.o.argv, this.marker);
      const shell = this.shell as Shell;
      const r = await this.runOn(shell, argv, options);
      if (r.raw.dropped === undefined) {
        this.startFailed = false;
        return result({
          stdout: r.raw.stdout.toString(),
          stderr: r.raw.stderr.toString(),
          exitCode: r.timedOut || r.aborted ? null : r.raw.exitCode,
          timedOut: r.timedOut,
          aborted: r.aborted,
        });
      }
      // The shell is gone. Not yet received on a shell that had worked: start a new one and send it again.
      if (!r.raw.started && !fresh && attempt === 0 && !r.timedOut && !r.aborted) continue;
      if (!r.raw.started && !shell.worked) this.startFailed = true;
      const stdout = r.raw.stdout.toString();
      const stderr = r.raw.stderr.toString();
      if (r.timedOut || r.aborted) return result({ stdout, stderr, timedOut: r.timedOut, aborted: r.aborted });
      const message = `${this.o.what ?? 'the session'} ${r.raw.started ? 'dropped while the command ran' : 'could not be started'}: ${r.raw.dropped}`;
      if (this.o.failure) throw this.o.failure(message);
      return result({ stdout, stderr: `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}${message}` });
    }
  }

  private async runOn(shell: Shell, argv: string[], options: ExecOptions): Promise<{ raw: Raw; timedOut: boolean; aborted: boolean }> {
    let timedOut = false;
    let aborted = false;
    let killWanted = false;
    const pending: Pending = { resolve: () => undefined, started: false, stderrDone: false };
    const killRemote = (pid: number): void => {
      void this.o.killGroup?.(pid).catch(() => undefined);
    };
    let grace: NodeJS.Timeout | undefined;
    const stop = (): void => {
      if (this.o.mode === 'process-group' && this.o.killGroup) {
        killWanted = true;
        if (pending.pid !== undefined) killRemote(pending.pid);
        // If the shell stays silent after the kill, give it up (the next command starts a new one).
        grace ??= setTimeout(() => shell.kill(), SESSION_GRACE_MS);
      } else shell.kill();
    };
    pending.onPid = (pid) => {
      if (killWanted) killRemote(pid);
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    if (options.timeoutMs !== undefined) {
      // Container mode: `timeout` inside ends the command; the session is given up only if it stays silent after that.
      const at = this.o.mode === 'container' ? options.timeoutMs + SESSION_GRACE_MS : options.timeoutMs;
      timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, at);
    }
    const t0 = performance.now();
    try {
      const raw = await shell.run(this.line(argv, options.timeoutMs), pending);
      // In a container, `timeout -s KILL` reports 137.
      if (this.o.mode === 'container' && options.timeoutMs !== undefined && raw.exitCode === 137 && performance.now() - t0 >= options.timeoutMs * 0.9) timedOut = true;
      if (raw.dropped !== undefined && killWanted === false && raw.started && pending.pid !== undefined) killRemote(pending.pid); // no orphan left running
      return { raw, timedOut, aborted };
    } finally {
      if (timer) clearTimeout(timer);
      if (grace) clearTimeout(grace);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stop the shell and refuse further commands. */
  close(): void {
    this.closed = true;
    this.shell?.kill();
  }
}
