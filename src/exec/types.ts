/**
 * The exec and target contracts: a Machine runs argv arrays somewhere (this host, or a host over SSH), never shell
 * strings built from input; a Target is where a workload runs, opening an ExecContext per workload. This folder is
 * the bottom layer of target handling: it imports nothing else from src/ but src/util, so workloads, the
 * fingerprint, the image and the VM code can all use it without a folder cycle.
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

import type { CpuCounters } from '../util/cpu-noise.js';

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
  /**
   * The machine's CPU counters (src/util/cpu-noise.ts): /proc/stat and the CPU time of the benchmark's own process
   * trees — the machine's own roots (benchsuite here; the kept-open shell and the servers on an SSH host) and
   * `ownPids` (an exec context's, e.g. a container's shim). Read around each sample; undefined when unreadable.
   */
  cpuCounters?(ownPids: readonly number[], options?: { signal?: AbortSignal }): Promise<CpuCounters | undefined>;
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

export interface ExecContextSpec {
  workload: string;
  /** Host directories made visible at the same path inside the exec context. */
  mounts: { path: string; readOnly: boolean }[];
  /** Where scratch files go, on the machine; a container gets it mounted (storage: volume) or uses its own layer (overlay). */
  scratchDir: string;
  /** Long-running main process (the HTTP server); omitted for an idle exec context that only runs exec. */
  mainProcess?: string[];
  /** Ports the main process listens on; a bridge-network container publishes them on 127.0.0.1. */
  ports?: number[];
}

export interface ExecContext {
  /** Run argv where the workload runs. */
  exec(argv: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Scratch directory as seen inside the exec context. */
  readonly scratchDir: string;
  /** Is the main process (if any) still running? */
  alive(): Promise<boolean>;
  /** Recent output of the main process, for error messages. */
  logs(): Promise<string>;
  /** The container, for docker targets (fingerprint, posture). */
  readonly containerId?: string;
  /** Pids on the machine whose process trees are this exec context's own CPU (a container's shim); Machine.cpuCounters. */
  readonly ownPids?: readonly number[];
  /** Stop the main process and remove the container. Idempotent. */
  close(): Promise<void>;
}

/**
 * Where a workload runs (a machine itself, or a container on it); it opens one ExecContext per workload. The
 * implementations (one module per kind) are in src/targets, listed in src/targets/kinds.ts. A kind whose
 * workloads do not see the machine itself also implements `fingerprintPlan(execCtx)` (src/env/fingerprint.ts,
 * FingerprintSubject), declared there so this contract stays below the fingerprint code.
 */
export interface Target {
  readonly id: string;
  readonly label: string;
  /** `direct`: the workload runs on the machine itself; `docker`: in a container on it. For messages; behaviour goes through the members below. */
  readonly kind: 'direct' | 'docker';
  /** The kind as the results file names it (schemaVersion 1): `host` for the direct kind. */
  readonly recordKind: 'host' | 'docker';
  /** The machine the target lives on; clients (load generators) run here. */
  readonly machine: Machine;
  /**
   * Networking of the exec contexts it opens: `host` (absent) shares the machine's network namespace, so a
   * server there listens on 127.0.0.1; `bridge` has a namespace of its own, its ports published on the
   * machine's 127.0.0.1, so a server there listens on all its addresses.
   */
  readonly network?: 'host' | 'bridge';
  /** Prepare once per run (e.g. make sure the image exists). */
  prepare(signal?: AbortSignal): Promise<void>;
  open(spec: ExecContextSpec, signal?: AbortSignal): Promise<ExecContext>;
  /** CPU pinning as set (scenario targets.<id>.pin: CPU lists); the target applies it to what it runs. */
  readonly pin?: { workload?: string; client?: string };
  /** argv prefix for a client (load generator) on the machine: `taskset -c <pin.client>` when pinned, else none. */
  clientPrefix?(): string[];
  /** `docker run` flags as used, for the results (docker targets). */
  describeContainer?(): { image: string; imageId?: string; runArgs: string[] };
}

