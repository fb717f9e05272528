import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runProcess, spawnBackground } from './process.js';
import { freeLocalPort } from '../util/net.js';
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

  async writeFile(path: string, content: string | Buffer): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, { mode: 0o644 });
  }

  async close(): Promise<void> {}
}
