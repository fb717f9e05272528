/**
 * A Docker container on a machine (local or over SSH): one long-lived container per target and
 * workload, `docker exec` per sample, so container start-up never lands inside a sample.
 * Every container carries the run's label, so `benchsuite clean` can find what a killed run left.
 */
import type { ContainerSpec, PinSpec } from '../scenario/schema.js';
import { clientPrefix } from './pin.js';
import { DEFAULT_IMAGE } from '../scenario/schema.js';
import { dockerContainerProbe, type FingerprintPlan, type FingerprintSubject } from '../env/fingerprint.js';
import { ensureWorkloadImage } from '../image/workload-image.js';
import { procStatFields } from '../util/proc.js';
import { ExecSession, withContainerTimeout } from '../exec/exec-session.js';
import { formatExecFailure, type ExecContext, type ExecContextSpec, type ExecOptions, type ExecResult, type Machine, type Target } from '../exec/types.js';

export const RUN_LABEL = 'benchsuite.run';
/** Where an overlay-storage container keeps its scratch files (inside its writable layer). */
export const OVERLAY_SCRATCH = '/var/tmp/benchsuite-scratch';

/** Containers a run left on a machine (every run's, without runId): found by the label every container carries. */
export async function findRunContainers(machine: Machine, runId?: string): Promise<{ id: string; run: string }[]> {
  const filter = runId ? `label=${RUN_LABEL}=${runId}` : `label=${RUN_LABEL}`;
  const c = await machine.exec(['docker', 'ps', '-a', '--filter', filter, '--format', `{{.ID}} {{.Label "${RUN_LABEL}"}}`], { timeoutMs: 30_000 });
  if (c.exitCode !== 0) return [];
  return c.stdout.split('\n').filter(Boolean).map((l) => {
    const [id = '', run = ''] = l.split(' ');
    return { id, run };
  });
}

/** Remove containers and their anonymous volumes. */
export async function removeContainers(machine: Machine, ids: string[]): Promise<void> {
  if (ids.length > 0) await machine.exec(['docker', 'rm', '-f', '-v', ...ids], { timeoutMs: 120_000 });
}

export function dockerRunFlags(spec: ContainerSpec): string[] {
  const flags: string[] = [];
  for (const c of spec.capDrop) flags.push(`--cap-drop=${c}`);
  for (const c of spec.capAdd) flags.push(`--cap-add=${c}`);
  for (const o of spec.securityOpt) flags.push(`--security-opt=${o}`);
  flags.push(`--network=${spec.network}`);
  if (spec.user) flags.push(`--user=${spec.user}`);
  flags.push(...spec.runArgs);
  return flags;
}

export class DockerTarget implements Target, FingerprintSubject {
  readonly kind = 'docker' as const;
  readonly recordKind = 'docker' as const;
  private imageId: string | undefined;

  constructor(
    readonly id: string,
    readonly label: string,
    readonly machine: Machine,
    readonly spec: ContainerSpec,
    private readonly runId: string,
    private readonly log: (s: string) => void = () => undefined,
    readonly pin?: PinSpec,
  ) {}

  clientPrefix(): string[] {
    return clientPrefix(this.pin);
  }

  /** `docker run` flags of this target: the container settings, and the workload's CPUs when pinned. */
  private runFlags(): string[] {
    return [...dockerRunFlags(this.spec), ...(this.pin?.workload ? [`--cpuset-cpus=${this.pin.workload}`] : [])];
  }

  async prepare(signal?: AbortSignal): Promise<void> {
    const v = await this.machine.exec(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 30_000, signal });
    if (v.exitCode !== 0) {
      throw new Error(
        `target ${this.id}: Docker is not reachable on ${this.machine.address} (${v.stderr.trim().split('\n')[0]}). ` +
          'Start it (e.g. `nohup dockerd >/var/log/dockerd.log 2>&1 &` as root) and check with `docker info`.',
      );
    }
    if (this.spec.image === DEFAULT_IMAGE) {
      await ensureWorkloadImage(this.machine, { signal, log: this.log });
    } else {
      const has = await this.machine.exec(['docker', 'image', 'inspect', this.spec.image], { timeoutMs: 30_000, signal });
      if (has.exitCode !== 0) {
        this.log(`pulling ${this.spec.image} on ${this.machine.address}`);
        const pull = await this.machine.exec(['docker', 'pull', this.spec.image], { timeoutMs: 600_000, signal });
        if (pull.exitCode !== 0) {
          throw new Error(
            `target ${this.id}: image ${this.spec.image} is not present and could not be pulled (${pull.stderr.trim().split('\n')[0]}). ` +
              `Load it with \`docker load\`, or use the locally built default image (remove container.image to get ${DEFAULT_IMAGE}).`,
          );
        }
      }
    }
    const id = await this.machine.exec(['docker', 'image', 'inspect', '--format', '{{.Id}}', this.spec.image], { timeoutMs: 30_000 });
    this.imageId = id.stdout.trim() || undefined;
  }

  fingerprintPlan(): FingerprintPlan {
    return { view: 'container', probe: dockerContainerProbe(this.spec) };
  }

  get network(): 'host' | 'bridge' {
    return this.spec.network;
  }

  describeContainer(): { image: string; imageId?: string; runArgs: string[] } {
    return { image: this.spec.image, imageId: this.imageId, runArgs: this.runFlags() };
  }

  /**
   * The container's runtime shim on the machine (the parent of its main process, and of every `docker exec`): the
   * root of the container's own CPU for the noise reading. Empty when the engine's pids are not visible there.
   */
  private async shimPid(containerId: string): Promise<number[]> {
    const p = await this.machine.exec(['docker', 'inspect', '--format', '{{.State.Pid}}', containerId], { timeoutMs: 30_000 });
    const pid = p.stdout.trim();
    if (p.exitCode !== 0 || !/^[1-9][0-9]*$/.test(pid)) return [];
    const stat = await this.machine.exec(['cat', `/proc/${pid}/stat`], { timeoutMs: 30_000 });
    const ppid = Number(procStatFields(stat.stdout)[1]);
    return stat.exitCode === 0 && Number.isInteger(ppid) && ppid > 1 ? [ppid] : [Number(pid)];
  }

  async open(spec: ExecContextSpec, signal?: AbortSignal): Promise<ExecContext> {
    const name = `bs-${this.runId}-${this.id}-${spec.workload}`.slice(0, 120);
    const scratchDir = this.spec.storage === 'volume' ? spec.scratchDir : OVERLAY_SCRATCH;
    const argv = [
      'docker', 'run', '-d',
      '--name', name,
      '--label', `${RUN_LABEL}=${this.runId}`,
      '--label', `benchsuite.target=${this.id}`,
      '--label', `benchsuite.workload=${spec.workload}`,
      ...this.runFlags(),
    ];
    for (const m of spec.mounts) argv.push('-v', `${m.path}:${m.path}:${m.readOnly ? 'ro' : 'rw'}`);
    if (this.spec.storage === 'volume') argv.push('-v', `${spec.scratchDir}:${spec.scratchDir}:rw`);
    if (this.spec.network === 'bridge') for (const p of spec.ports ?? []) argv.push('-p', `127.0.0.1:${p}:${p}`);
    argv.push(this.spec.image, ...(spec.mainProcess ?? ['sleep', 'infinity']));
    const r = await this.machine.exec(argv, { timeoutMs: 120_000, signal });
    if (r.exitCode !== 0) throw new Error(`target ${this.id}: could not start the container: ${formatExecFailure(r)}`);
    const containerId = r.stdout.trim();
    const machine = this.machine;
    if (this.spec.storage === 'overlay') {
      const mk = await machine.exec(['docker', 'exec', containerId, 'mkdir', '-p', OVERLAY_SCRATCH], { timeoutMs: 30_000 });
      if (mk.exitCode !== 0) throw new Error(`target ${this.id}: ${formatExecFailure(mk)}`);
    }
    const ownPids = await this.shimPid(containerId);
    let closed = false;
    // Samples go through one shell kept open in the container (no docker CLI start per sample; over SSH, no ssh
    // client start either: the `docker exec` session runs on the remote side, reached through the master connection).
    const shellArgv = machine.sessionArgv?.(['docker', 'exec', '-i', containerId, 'sh']);
    const session = shellArgv ? new ExecSession({ argv: shellArgv, mode: 'container', what: `the shell in container ${containerId.slice(0, 12)} on ${machine.address}` }) : undefined;
    return {
      scratchDir,
      containerId,
      ownPids,
      exec: async (cmd: string[], options: ExecOptions = {}): Promise<ExecResult> => {
        if (session?.usable && options.input === undefined) return session.exec(cmd, options);
        const inner = withContainerTimeout(cmd, options.timeoutMs);
        const res = await machine.exec(['docker', 'exec', ...(options.input !== undefined ? ['-i'] : []), containerId, ...inner], {
          ...options,
          timeoutMs: options.timeoutMs !== undefined ? options.timeoutMs + 5000 : undefined,
        });
        if (res.exitCode === 137 && options.timeoutMs !== undefined) return { ...res, argv: cmd, exitCode: null, timedOut: true };
        return { ...res, argv: cmd };
      },
      alive: async () => {
        const s = await machine.exec(['docker', 'inspect', '--format', '{{.State.Running}}', containerId], { timeoutMs: 30_000 });
        return s.exitCode === 0 && s.stdout.trim() === 'true';
      },
      logs: async () => {
        const l = await machine.exec(['docker', 'logs', '--tail', '20', containerId], { timeoutMs: 30_000 });
        return (l.stdout + l.stderr).trim();
      },
      close: async () => {
        if (closed) return;
        closed = true;
        session?.close();
        await machine.exec(['docker', 'rm', '-f', '-v', containerId], { timeoutMs: 60_000 });
      },
    } as ExecContext;
  }
}
