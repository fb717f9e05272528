/**
 * benchsuite's command line. Exit codes: 0 done, 1 the run finished but some samples failed
 * (or a check/verdict failed), 2 invalid input, 130 interrupted.
 */
import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';
import { listScenarioFiles, loadScenario, validateScenarioData } from '../scenario/load.js';
import { quoteValue } from '../util/quote.js';
import { quickScenario } from '../scenario/quick.js';
import { DEFAULT_SCRATCH_ROOT, scenarioSchema, type Scenario } from '../scenario/schema.js';
import { runScenario } from '../runner/run.js';
import { createProgress } from '../runner/progress.js';
import { checkCleanInputs, findLeftovers, leftoverCount, removeLeftovers } from '../runner/clean.js';
import { trapInterrupts } from '../exec/interrupt.js';
import { LocalMachine } from '../exec/local.js';
import { createTargets, explainAutoHost, realAutoHostDeps, type AutoHostDeps } from '../targets/factory.js';
import { buildWorkloadImage, ensureWorkloadImage, DEFAULT_IMAGE } from '../image/workload-image.js';
import { loadResults } from '../report/load.js';
import { renderReports } from '../report/render.js';
import { renderTerminalTable } from '../report/text.js';
import { registerReportCommands, styleOption } from './report-commands.js';
import { renderBriefMarkdown, type ReportStyle } from '../report/brief.js';
import { registerDoctorCommand } from './doctor.js';
import { localScratchSpaceIssues } from '../doctor/local-space.js';
import { registerVmCommands } from './vm-commands.js';
import { newRunId, RUN_ID_PATTERN } from '../runner/run-id.js';
import { resultsPath } from '../results/store.js';
import { ensureOutputDir } from './output-dir.js';
import { addCommandHelp, configureProgramHelp, EXIT_CODES } from './help.js';
import { PACKAGE_VERSION } from '../paths.js';
import { fleetRunCommand, isFleetRun, type FleetCliFlags } from '../fleet/cli.js';

export const EXIT = { ok: 0, failed: 1, input: 2, interrupted: 130 } as const;

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const positiveInt = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n) || n < 0) throw new InputError(`${name} ${v}: expected a whole number >= 0`);
  return n;
};
/** A flag that sets a scenario field is checked against that field's schema, and the flag is named (not the file). */
const scenarioFieldInt = (name: string, field: 'samples' | 'warmup') => (v: string): number => {
  const n = positiveInt(name)(v);
  const r = scenarioSchema.shape[field].safeParse(n);
  if (!r.success) {
    const issue = r.error.issues[0];
    const range =
      issue?.code === 'too_small' ? `at least ${String(issue.minimum)}` : issue?.code === 'too_big' ? `at most ${String(issue.maximum)}` : (issue?.message ?? 'out of range');
    throw new InputError(`${name} ${v}: must be ${range} (it sets the scenario's ${field}); e.g. ${name} ${field === 'samples' ? 10 : 1}`);
  }
  return n;
};

/** --repeat K: independent blocks, 1..20 (the scenario's `repeat`). */
export const REPEAT_MAX = 20;
const repeatFlag = (v: string): number => {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n) || n < 1 || n > REPEAT_MAX) {
    throw new InputError(`--repeat ${quoteValue(v)}: expected a whole number of blocks from 1 to ${REPEAT_MAX} (each block prepares the workloads afresh); e.g. --repeat 3`);
  }
  return n;
};

interface RunFlags {
  samples?: number;
  repeat?: number;
  warmup?: number;
  quick?: boolean;
  set: string[];
  resultsDir: string;
  reportsDir: string;
  seed?: number;
  resume?: string;
  reports: boolean;
  keepVm?: boolean;
  style: ReportStyle;
}

/** Scenario with CLI overrides applied, validated like the file. */
export async function scenarioFromCli(nameOrPath: string, flags: Pick<RunFlags, 'set' | 'samples' | 'warmup' | 'quick' | 'repeat'>): Promise<{ scenario: Scenario; file: string }> {
  const sets = [...flags.set];
  if (flags.samples !== undefined) sets.push(`samples=${flags.samples}`);
  if (flags.warmup !== undefined) sets.push(`warmup=${flags.warmup}`);
  const { scenario, file } = await loadScenario(nameOrPath, sets);
  let s = flags.quick ? quickScenario(scenario) : scenario;
  // --samples/--warmup win over --quick's defaults.
  if (flags.samples !== undefined) s = { ...s, samples: flags.samples };
  if (flags.warmup !== undefined) s = { ...s, warmup: flags.warmup };
  if (flags.repeat !== undefined) s = { ...s, repeat: flags.repeat };
  // Workload files that cannot fit on this host's scratch filesystem: refused before any command runs.
  const space = localScratchSpaceIssues(s).map((i) => `${file} ${i.path.join('.')}: ${i.message}`);
  if (space.length > 0) throw new InputError(`invalid scenario ${file}:\n  ${space.join('\n  ')}`, space);
  return { scenario: s, file };
}

async function runCommand(scenarioArg: string | undefined, flags: RunFlags, argv: string[]): Promise<number> {
  const outputDirs = (): string => {
    // Checked before anything runs: a directory that cannot be created is an input error (exit 2).
    const dir = ensureOutputDir(flags.resultsDir, '--results-dir');
    if (flags.reports) ensureOutputDir(flags.reportsDir, '--reports-dir');
    return dir;
  };
  const fleet = flags as RunFlags & FleetCliFlags; // --inventory, or --resume of a fleet: src/fleet
  if (isFleetRun(fleet)) return fleetRunCommand(scenarioArg, fleet, argv, scenarioFromCli, outputDirs);
  // Read-only until the scenario is validated: invalid input writes nothing, not even an empty directory.
  let resultsDir = resolve(flags.resultsDir);
  let resume;
  let scenario: Scenario;
  let file: string | undefined;
  if (flags.resume) {
    if (flags.repeat !== undefined) throw new InputError('--repeat: a resumed run keeps the block count it started with; drop --repeat');
    if (!RUN_ID_PATTERN.test(flags.resume)) throw new InputError(`--resume ${quoteValue(flags.resume)}: not a run id (e.g. 20261129-193000-kvm-docker-3f2a; see ${flags.resultsDir}/)`);
    try {
      resume = await loadResults(resultsPath(resultsDir, flags.resume));
    } catch (e) {
      throw new InputError(`--resume ${flags.resume}: ${(e as Error).message}`);
    }
    // The file must be the run asked for, and its scenario must pass the same validation as a scenario file,
    // before any command runs: a crafted results file gets no further than a crafted scenario would.
    const resumeFile = resultsPath(resultsDir, flags.resume);
    if (resume.runId !== flags.resume) {
      throw new InputError(`--resume ${flags.resume}: ${resumeFile} holds run ${quoteValue(resume.runId)}, not ${flags.resume}; resume a run by its own file`);
    }
    if (resume.status === 'completed') throw new InputError(`run ${flags.resume} is already complete; nothing to resume`);
    scenario = validateScenarioData(resume.scenario, `${resumeFile} (field scenario)`);
    file = resume.scenarioFile;
  } else {
    if (!scenarioArg) throw new InputError('name a scenario (benchsuite list shows them), or --resume <runId>');
    ({ scenario, file } = await scenarioFromCli(scenarioArg, flags));
  }
  resultsDir = outputDirs();
  const progress = createProgress(process.stderr);
  // Leftovers of killed runs on this host: warn, never remove silently.
  const left = await findLeftovers(new LocalMachine(), scenario.scratchRoot).catch(() => undefined);
  if (left && leftoverCount(left) > 0) {
    progress.log(
      `warning: a killed run left ${left.containers.length} container(s), ${left.servers.length} server(s) and ${left.scratchDirs.length} scratch dir(s) here; \`benchsuite clean\` removes them`,
    );
  }
  const interrupt = trapInterrupts((sig) => progress.log(`${sig}: stopping the running sample and cleaning up (again to force)`));
  try {
    const runId = resume?.runId ?? newRunId(scenario.name);
    progress.log(`benchsuite: ${scenario.name}${flags.quick ? ' (quick)' : ''}, run ${runId} → ${resultsPath(resultsDir, runId)}`);
    const results = await runScenario({
      runId,
      scenario,
      scenarioFile: file,
      quick: Boolean(flags.quick) || Boolean(resume?.quick),
      resultsDir,
      command: ['benchsuite', ...argv],
      signal: interrupt.signal,
      progress,
      resume,
      seed: flags.seed,
      keepVm: flags.keepVm,
    });
    process.stdout.write(`\n${flags.style === 'brief' ? renderBriefMarkdown(results) : renderTerminalTable(results)}\n`);
    process.stdout.write(`results: ${resultsPath(resultsDir, results.runId)}\n`);
    if (flags.reports) {
      const out = resolve(flags.reportsDir, results.runId);
      const files = await renderReports(results, { outDir: out, style: flags.style });
      process.stdout.write(`reports: ${out}/ (${files.length} files)\n`);
    }
    if (results.status === 'interrupted') {
      process.stdout.write(`interrupted: continue with \`benchsuite run --resume ${results.runId}\`\n`);
      return EXIT.interrupted;
    }
    return results.status === 'completed' ? EXIT.ok : EXIT.failed;
  } finally {
    interrupt.release();
  }
}

/**
 * `doctor`: say which way each `host: auto` target goes and why (without booting anything), then let the
 * checks look at that host.
 */
async function explainAutoTargets(scenario: Scenario, deps?: AutoHostDeps): Promise<Scenario> {
  const auto = Object.entries(scenario.targets).filter(([, t]) => t.host === 'auto');
  if (!auto.length) return scenario;
  const e = explainAutoHost(deps ?? (await realAutoHostDeps()));
  const targets = { ...scenario.targets };
  for (const [id, t] of auto) {
    process.stdout.write(`auto ${id}: host auto → ${e.host === 'vm' ? 'the local guest (KVM)' : 'this host (no KVM guest)'}: ${e.reason}\n`);
    targets[id] = { ...t, host: e.host };
  }
  process.stdout.write('\n');
  return { ...scenario, targets };
}

export function buildProgram(argv: string[]): Command {
  const program = new Command('benchsuite')
    .description('What does Docker, KVM or container hardening cost against bare metal? Real dd and ab runs, with confidence intervals and provenance.')
    .version(PACKAGE_VERSION)
    // A short pointer, not the whole help, after a usage error (commander adds "Did you mean …?").
    .showHelpAfterError('(add --help for usage, examples and exit codes)')
    .exitOverride();
  configureProgramHelp(program);
  program.addHelpText('after', `\nStart with: benchsuite list, then benchsuite doctor kvm-docker, then benchsuite run kvm-docker.\n\nExit codes:\n  ${[EXIT_CODES.ok, EXIT_CODES.failed, EXIT_CODES.input, EXIT_CODES.interrupted].join('\n  ')}\n  (compare also exits 1 on a regression and 3 when inconclusive with --strict)\n`);

  program
    .command('run')
    .description('run a scenario: warmups, interleaved samples on every target, results file, table and reports')
    // Required unless --resume names the run to continue; the usage says so.
    .argument('[scenario]', 'a shipped scenario name (see `benchsuite list`) or a path to a .yaml file; required unless --resume')
    .usage('[options] <scenario> | --resume <runId>')
    .option('--samples <n>', 'fixed number of samples per target and workload (overrides the scenario)', scenarioFieldInt('--samples', 'samples'))
    .option('--warmup <n>', 'warmup runs per target and workload (stored, excluded from statistics)', scenarioFieldInt('--warmup', 'warmup'))
    .option('--repeat <K>', `independent blocks, 1–${REPEAT_MAX}: each prepares the workloads afresh (processes, containers, servers), warms up and takes the samples; intervals then come from the block means (overrides the scenario's repeat; default 1)`, repeatFlag)
    .option('--quick', 'shrink sizes and counts for a smoke run of under a minute')
    .option('--set <path=value>', 'override a scenario field, e.g. targets.kvm-docker.host=ssh://bench@vps.example (repeatable)', collect, [])
    .option('--results-dir <dir>', 'where results/<runId>.json and the sample log go', 'results')
    .option('--reports-dir <dir>', 'where reports/<runId>/ goes', 'reports')
    .option('--seed <n>', 'seed for order: randomized (recorded in the results)', positiveInt('--seed'))
    .option('--resume <runId>', 'continue an interrupted run to its planned count (refused if the environment changed)')
    .option('--no-reports', 'print the table but do not render reports/')
    .addOption(styleOption())
    .option('--inventory <file>', 'run on every host of an Ansible inventory (INI, YAML or `ansible-inventory --list` JSON); see docs/fleet.md')
    .option('--limit <pattern>', 'with --inventory: an Ansible host pattern, e.g. web:&prod:!web03')
    .option('--forks <n>', 'with --inventory: hosts run at the same time (default 5)', positiveInt('--forks'))
    .option('--known-hosts <file>', "with --inventory: known_hosts to check host keys against (default: the user's); keys are never accepted blindly")
    .option('--group-by <field>', 'with --inventory: a pooled row per inventory group (group, group:<parent>) or fingerprint field (cpuModel, kernelRelease, …)')
    .option('--keep-vm', 'leave the local guest running if this run boots it (default: shut it down at the end; a guest from `vm up` is always left running)')
    .action(async (scenario: string | undefined, flags: RunFlags) => {
      process.exitCode = await runCommand(scenario, flags, argv);
    });

  program
    .command('list')
    .description('list the shipped scenarios with their targets and workloads')
    .action(async () => {
      for (const f of await listScenarioFiles()) {
        try {
          const { scenario } = await loadScenario(f);
          const targets = Object.entries(scenario.targets).map(([id, t]) => `${id} (${t.label}; ${t.host}${t.container ? ', docker' : ''})${id === scenario.baseline ? ' [baseline]' : ''}`);
          const workloads = Object.entries(scenario.workloads).map(([id, w]) => `${id} (${w.kind})`);
          process.stdout.write(`${scenario.name}\n  ${scenario.description ?? ''}\n  targets:   ${targets.join(', ')}\n  workloads: ${workloads.join(', ')}\n`);
        } catch (e) {
          process.stdout.write(`${f}: invalid — ${(e as Error).message}\n`);
        }
      }
    });

  program
    .command('clean')
    .description("remove what killed runs left: containers with the run label, benchsuite's servers, marked scratch directories")
    .argument('[scenario]', 'also clean the SSH hosts this scenario names (default: this host only)')
    .option('--set <path=value>', 'scenario override (repeatable)', collect, [])
    .option('--run <runId>', 'only what this run left')
    .option('--scratch-root <dir>', 'scratch root to look in (default: the scenario\'s, or /var/tmp/benchsuite)')
    .action(async (scenarioArg: string | undefined, flags: { set: string[]; run?: string; scratchRoot?: string }) => {
      checkCleanInputs(flags.scratchRoot ?? DEFAULT_SCRATCH_ROOT, flags.run); // before any target is reached
      const machines = [];
      let root = flags.scratchRoot ?? DEFAULT_SCRATCH_ROOT;
      if (scenarioArg) {
        const { scenario } = await loadScenario(scenarioArg, flags.set);
        root = flags.scratchRoot ?? scenario.scratchRoot;
        const created = await createTargets(scenario, 'clean', { autoWithoutBoot: true });
        machines.push(...created.machines);
      } else machines.push(new LocalMachine());
      let removed = 0;
      for (const m of machines) {
        const l = await findLeftovers(m, root, flags.run);
        for (const line of await removeLeftovers(m, l)) {
          process.stdout.write(`${line}\n`);
          removed++;
        }
        await m.close();
      }
      if (removed === 0) process.stdout.write('nothing to clean\n');
    });

  const image = program.command('image').description(`the default workload image (${DEFAULT_IMAGE}), built locally from this host's dd and nginx`);
  image
    .command('build')
    .description('build the image into the local Docker engine (docker import; no registry needed)')
    .option('--if-missing', 'only when absent or built from other binaries')
    .action(async (flags: { ifMissing?: boolean }) => {
      const log = (s: string): void => void process.stderr.write(`${s}\n`);
      if (flags.ifMissing) await ensureWorkloadImage(new LocalMachine(), { log });
      else await buildWorkloadImage(log);
    });

  registerReportCommands(program);
  registerDoctorCommand(program, async (nameOrPath, sets) => explainAutoTargets((await loadScenario(nameOrPath, sets)).scenario));
  registerVmCommands(program);
  program.addOption(new Option('--debug', 'print stack traces').hideHelp());
  addCommandHelp(program);
  return program;
}

/** `benchsuite list | head`: the reader went away; stop quietly instead of an EPIPE stack trace. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return EXIT.input;
    }
    if (e instanceof InputError || (e as Error).name === 'ReportInputError') {
      process.stderr.write(`benchsuite: ${(e as Error).message}\n`);
      return EXIT.input;
    }
    process.stderr.write(`benchsuite: ${(e as Error).message}\n`);
    if (argv.includes('--debug')) process.stderr.write(`${(e as Error).stack}\n`);
    return EXIT.failed;
  }
}
