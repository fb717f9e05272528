import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runProcess, spawnBackground } from './process.js';
import { freeLocalPort } from '../util/net.js';
import { parseCpuCounters, type CpuCounters } from '../util/cpu-noise.js';
import type { BackgroundProcess, ExecOptions, ExecResult, Machine, MachineCheck } from './types.js';

/** How to start the Docker daemon by hand (doctor's fix line). */
export const DOCKERD_FIX = 'start dockerd: nohup dockerd >/var/log/dockerd.log 2>&1 &';

/** This host. */
export class LocalMachine implements Machine {
  readonly address = 'local';
  readonly kind = 'local' as const;
  readonly isThisHost = true;

  candidatePort(): Promise<number> {
    return freeLocalPort();
  }

  async doctorChecks(): Promise<MachineCheck[]> {
    return [{ name: 'reachable', ok: true, required: true, detail: 'this host' }];
  }

  dockerStartHint(): string {
    const dh = process.env.DOCKER_HOST;
    return dh ? `DOCKER_HOST=${dh} points at no running daemon: unset DOCKER_HOST, or ${DOCKERD_FIX}` : DOCKERD_FIX;
  }

  exec(argv: string[], options?: ExecOptions): Promise<ExecResult> {
    return runProcess(argv, options);
  }

  sessionArgv(argv: string[]): string[] {
    return argv;
  }

  async spawn(argv: string[]): Promise<BackgroundProcess> {
    return spawnBackground(argv);
  }

  /** Read in this process (no command started): benchsuite itself is the own root, so everything it starts counts. */
  async cpuCounters(ownPids: readonly number[]): Promise<CpuCounters | undefined> {
    return parseCpuCounters(localCpuText(), [process.pid, ...ownPids]);
  }

  async writeFile(path: string, content: string | Buffer): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, { mode: 0o644 });
  }

  async close(): Promise<void> {}
}

/** The same text CPU_COUNTERS_SCRIPT prints, read in-process: the cpu lines of /proc/stat, then every process's stat. */
export function localCpuText(): string {
  const parts: string[] = [];
  try {
    parts.push(readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => l.startsWith('cpu')).join('\n'));
  } catch {
    return '';
  }
  for (const d of readdirSync('/proc')) {
    if (d.charCodeAt(0) < 48 || d.charCodeAt(0) > 57) continue;
    try {
      parts.push(readFileSync(`/proc/${d}/stat`, 'utf8').trimEnd());
    } catch {
      /* gone */
    }
  }
  return parts.join('\n');
}
