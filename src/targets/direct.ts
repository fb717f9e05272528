/**
 * The direct target kind: the workload runs on the machine itself (bare metal, or a VM's own userland), no
 * container between. (Results files, schemaVersion 1, call this kind `host`: see `recordKind`.)
 */
import type { BackgroundProcess, ExecContext, ExecContextSpec, ExecOptions, ExecResult, Machine, Target } from '../exec/types.js';
import type { PinSpec } from '../scenario/schema.js';
import { clientPrefix, tasksetPrefix } from './pin.js';

export class DirectTarget implements Target {
  readonly kind = 'direct' as const;
  readonly recordKind = 'host' as const;
  constructor(
    readonly id: string,
    readonly label: string,
    readonly machine: Machine,
    readonly pin?: PinSpec,
  ) {}

  clientPrefix(): string[] {
    return clientPrefix(this.pin);
  }

  async prepare(): Promise<void> {}

  async open(spec: ExecContextSpec): Promise<ExecContext> {
    const machine = this.machine;
    let main: BackgroundProcess | undefined;
    // Pinned: the server and every command of the workload under taskset -c (its threads and children inherit it).
    const pinned = tasksetPrefix(this.pin?.workload);
    if (spec.mainProcess) main = await machine.spawn([...pinned, ...spec.mainProcess]);
    return {
      scratchDir: spec.scratchDir,
      exec: (argv: string[], options?: ExecOptions): Promise<ExecResult> => machine.exec([...pinned, ...argv], options),
      alive: async () => (main ? main.running() : true),
      logs: async () => main?.output() ?? '',
      close: async () => {
        await main?.stop();
      },
    };
  }
}
