/**
 * The exec contract: a Machine runs argv arrays somewhere (this host, or a host over SSH), never shell strings built
 * from input. This folder is the bottom layer of target handling: it imports nothing else from src/ but src/util.
 */
export interface ExecOptions {
  /** Kill the process tree after this long. */
  timeoutMs?: number;
  /** Bytes written to the process's stdin. */
  input?: string | Buffer;
  /** Abort (e.g. on SIGINT): the process tree is killed. */
  signal?: AbortSignal;
}

export interface ExecResult {
  argv: string[];
  stdout: string;
  stderr: string;
  /** null when killed by a signal or on timeout. */
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

export interface BackgroundProcess {
  readonly description: string;
  /** Is it still running? */
  running(): Promise<boolean>;
  /** Output so far (for error messages when it dies). */
  output(): string;
  /** Stop it and its children; resolves when gone. Idempotent. */
  stop(): Promise<void>;
}

/** One line of `benchsuite doctor` about a machine (doctor adds the target id). */
export interface MachineCheck {
  name: string;
  ok: boolean;
  required: boolean;
  detail: string;
  fix?: string;
}

export interface Machine {
  /** "local" or "ssh://user@host:port". */
  readonly address: string;
  /** For records and messages; behaviour goes through the members below, never through checks on this. */
  readonly kind: 'local' | 'ssh';
  /** The host benchsuite itself runs on (same files, same Docker engine and images). */
  readonly isThisHost: boolean;
  /** A TCP port to try for a server on the machine (free on loopback when that can be known from here). */
  candidatePort(): Promise<number>;
  /** Doctor's checks that the machine answers, each with the fix when it does not. */
  doctorChecks(options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<MachineCheck[]>;
  /** What to do when the Docker daemon on the machine does not answer (doctor's fix line). */
  dockerStartHint(): string;
  exec(argv: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Start a long-running process (a server); stop() kills its whole tree. */
  spawn(argv: string[], options?: { signal?: AbortSignal }): Promise<BackgroundProcess>;
  /** Local argv that runs argv on the machine with its stdin and stdout kept open (a kept-open shell); absent: not supported. */
  sessionArgv?(argv: string[]): string[];
  /** Write a file (mode 0644) on the machine. */
  writeFile(path: string, content: string | Buffer): Promise<void>;
  /** Release connections (SSH master). */
  close(): Promise<void>;
}

/** Error from a target that may succeed on retry (connection lost). */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

export function formatExecFailure(r: ExecResult): string {
  const what = r.timedOut ? 'timed out' : r.aborted ? 'was interrupted' : `exited with ${r.exitCode}`;
  const err = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ');
  return `${r.argv.slice(0, 3).join(' ')}… ${what}${err ? `: ${err}` : ''}`;
}
