/** The `benchsuite doctor` command; the checks live in src/doctor. */
import type { Command } from 'commander';
import { doctor, formatChecks } from '../doctor/index.js';
import type { Scenario } from '../scenario/schema.js';

export { doctor, formatChecks, parseDf, scratchBytesNeeded, type Check, type DoctorOptions } from '../doctor/index.js';

export function registerDoctorCommand(program: Command, loadScenario: (nameOrPath: string, sets: string[]) => Promise<Scenario>): void {
  program
    .command('doctor')
    .description("check that a scenario can run here: hosts reachable, the workloads' programs, Docker and the image present, drop caches, free space, clocks")
    .argument('[scenario]', 'a shipped scenario name or a path to a .yaml file', 'kvm-docker')
    .option('--set <path=value>', 'override a scenario field (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .action(async (nameOrPath: string, flags: { set: string[] }) => {
      const scenario = await loadScenario(nameOrPath, flags.set);
      const controller = new AbortController();
      const onSignal = (): void => controller.abort();
      process.once('SIGINT', onSignal);
      try {
        const { ok, checks } = await doctor(scenario, { signal: controller.signal });
        process.stdout.write(`${formatChecks(checks)}\n`);
        const failed = checks.filter((c) => !c.ok && c.required).length;
        const warned = checks.filter((c) => !c.ok && !c.required).length;
        process.stdout.write(
          ok
            ? `\n${scenario.name}: ready to run${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}\n`
            : `\n${scenario.name}: cannot run — ${failed} check${failed === 1 ? '' : 's'} failed\n`,
        );
        process.exitCode = ok ? 0 : 1;
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}
