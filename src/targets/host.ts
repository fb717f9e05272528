/** The workload runs directly on the machine (bare metal, or a VM's own userland). */
import type { BackgroundProcess, Environment, EnvironmentSpec, ExecOptions, ExecResult, Machine, Target } from '../exec/types.js';

export class HostTarget implements Target {
  readonly kind = 'host' as const;
  constructor(
    readonly id: string,
    readonly label: string,
    readonly machine: Machine,
  ) {}

  async prepare(): Promise<void> {}

  async open(spec: EnvironmentSpec): Promise<Environment> {
    const machine = this.machine;
    let main: BackgroundProcess | undefined;
    if (spec.mainProcess) main = await machine.spawn(spec.mainProcess);
    return {
      scratchDir: spec.scratchDir,
      exec: (argv: string[], options?: ExecOptions): Promise<ExecResult> => machine.exec(argv, options),
      alive: async () => (main ? main.running() : true),
      logs: async () => main?.output() ?? '',
      close: async () => {
        await main?.stop();
      },
    };
  }
}
