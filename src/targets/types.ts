/**
 * The target contract. A Target is where a workload runs (a machine itself, or a container on it) and opens one
 * Environment per workload; the Machine it lives on (src/exec) runs argv arrays there. A new kind of target is one
 * module implementing Target plus one line in the kinds registry (./kinds.ts).
 */
import type { FingerprintEnv, FingerprintPlan } from '../env/fingerprint.js';
import type { ExecOptions, ExecResult, Machine } from '../exec/types.js';

// The exec contract, re-exported: most users of a Target also need these.
export type { BackgroundProcess, ExecOptions, ExecResult, Machine } from '../exec/types.js';
export { ConnectionError, formatExecFailure } from '../exec/types.js';

export interface EnvironmentSpec {
  workload: string;
  /** Host directories made visible at the same path inside the environment. */
  mounts: { path: string; readOnly: boolean }[];
  /** Where scratch files go, on the machine; a container gets it mounted (storage: volume) or uses its own layer (overlay). */
  scratchDir: string;
  /** Long-running main process (the HTTP server); omitted for an idle environment that only runs exec. */
  mainProcess?: string[];
  /** Ports the main process listens on; a bridge-network container publishes them on 127.0.0.1. */
  ports?: number[];
}

export interface Environment {
  /** Run argv where the workload runs. */
  exec(argv: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Scratch directory as seen inside the environment. */
  readonly scratchDir: string;
  /** Is the main process (if any) still running? */
  alive(): Promise<boolean>;
  /** Recent output of the main process, for error messages. */
  logs(): Promise<string>;
  /** The container, for docker targets (fingerprint, posture). */
  readonly containerId?: string;
  /** Stop the main process and remove the container. Idempotent. */
  close(): Promise<void>;
}

export interface Target {
  readonly id: string;
  readonly label: string;
  readonly kind: 'host' | 'docker';
  /** The machine the target lives on; clients (load generators) run here. */
  readonly machine: Machine;
  /**
   * Networking of the environments it opens: `host` (absent) shares the machine's network namespace, so a
   * server there listens on 127.0.0.1; `bridge` has a namespace of its own, its ports published on the
   * machine's 127.0.0.1, so a server there listens on all its addresses.
   */
  readonly network?: 'host' | 'bridge';
  /** Prepare once per run (e.g. make sure the image exists). */
  prepare(signal?: AbortSignal): Promise<void>;
  open(spec: EnvironmentSpec, signal?: AbortSignal): Promise<Environment>;
  /** How the fingerprint reads this kind (a container adds its engine's facts); absent: the workload sees the machine. */
  fingerprintPlan?(env: FingerprintEnv): FingerprintPlan;
  /** `docker run` flags as used, for the results (docker targets). */
  describeContainer?(): { image: string; imageId?: string; runArgs: string[] };
}

