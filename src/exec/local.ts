import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runProcess, spawnBackground } from './process.js';
import type { BackgroundProcess, ExecOptions, ExecResult, Machine } from './types.js';

/** This host. */
export class LocalMachine implements Machine {
  readonly address = 'local';
  readonly kind = 'local' as const;

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
