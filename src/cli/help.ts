/**
 * What every command's --help shows besides its options: examples and exit codes (one place, so a test
 * can check that each command has them and that each example parses), the order commands are listed
 * in, and options without the "(default: [])" commander would print for repeatable flags.
 */
import { Help, type Command, type Option } from 'commander';

/** Exit codes shared by the commands (README "Exit codes" lists the same). */
export const EXIT_CODES = {
  ok: '0  done',
  failed: '1  the run finished but samples failed, or a check failed',
  input: '2  invalid input (scenario, --set, flag, results file): nothing was run',
  interrupted: '130  interrupted (Ctrl-C / SIGTERM); cleaned up',
} as const;

export interface CommandHelp {
  examples: string[];
  exitCodes: string[];
}

/** Examples (each a full `benchsuite …` line) and exit codes per command path ("run", "vm up", …). */
export const COMMAND_HELP: Record<string, CommandHelp> = {
  list: { examples: ['benchsuite list'], exitCodes: [EXIT_CODES.ok] },
  doctor: {
    examples: ['benchsuite doctor kvm-docker', 'benchsuite doctor kvm-docker --set targets.kvm-docker.host=ssh://bench@vps.example'],
    exitCodes: [EXIT_CODES.ok.replace('done', 'ready to run'), '1  a required check failed (the fix is printed under it)', EXIT_CODES.input],
  },
  run: {
    examples: [
      'benchsuite run kvm-docker',
      'benchsuite run kvm-docker --quick',
      'benchsuite run kvm-docker --style brief',
      'benchsuite run kvm-docker --samples 20 --set targets.kvm-docker.host=ssh://bench@vps.example',
      'benchsuite run kvm-docker --repeat 3 --samples 10',
      'benchsuite run --resume 20261129-193000-kvm-docker-3f2a',
    ],
    exitCodes: [EXIT_CODES.ok, EXIT_CODES.failed, EXIT_CODES.input, EXIT_CODES.interrupted],
  },
  report: {
    examples: [
      'benchsuite report results/20261129-193000-kvm-docker-3f2a.json',
      'benchsuite report results/20261129-193000-kvm-docker-3f2a.json --format md,png --out slides',
      'benchsuite report results/20261129-193000-kvm-docker-3f2a.json --style brief',
    ],
    exitCodes: [EXIT_CODES.ok, '2  a results file is missing or invalid, or a flag is wrong'],
  },
  compare: {
    examples: ['benchsuite compare main-results/last.json results/20261129-193000-kvm-docker-3f2a.json --tolerance 5', 'benchsuite compare results/20261201-193000-fleet-kvm-docker-1a2b/ results/20261202-193000-fleet-kvm-docker-3f2a/fleet.json'],
    exitCodes: ['0  no regression beyond the tolerance', '1  a regression beyond the tolerance (the whole interval is worse)', '2  a results file is missing or invalid', '3  inconclusive (with --strict)'],
  },
  history: {
    examples: ['benchsuite history results/', 'benchsuite history results/ --metric dd --out reports/history'],
    exitCodes: [EXIT_CODES.ok, '2  the directory holds no readable results, or a flag is wrong'],
  },
  vm: {
    examples: ['benchsuite vm up', 'benchsuite vm status', 'benchsuite vm down'],
    exitCodes: ['see each subcommand: benchsuite vm up --help'],
  },
  'vm up': {
    examples: ['benchsuite vm up', 'benchsuite vm up --cpus 2 --memory 4096 --disk-cache writeback'],
    exitCodes: ['0  the guest is up and answers SSH', '1  it could not be built or booted', EXIT_CODES.input, EXIT_CODES.interrupted],
  },
  'vm status': { examples: ['benchsuite vm status'], exitCodes: ['0  running and answering SSH', '1  not running'] },
  'vm down': { examples: ['benchsuite vm down'], exitCodes: ['0  shut down (or was not running)', '1  it could not be stopped'] },
  'vm destroy': { examples: ['benchsuite vm destroy'], exitCodes: ['0  guest disk and state removed', '1  something could not be removed'] },
  image: { examples: ['benchsuite image build --if-missing'], exitCodes: ['see benchsuite image build --help'] },
  'image build': { examples: ['benchsuite image build', 'benchsuite image build --if-missing'], exitCodes: ['0  built (or already current)', '1  the build failed (Docker not reachable, dd or nginx missing)'] },
  clean: {
    examples: ['benchsuite clean', 'benchsuite clean --run 20261129-193000-kvm-docker-3f2a', 'benchsuite clean kvm-docker --set targets.kvm-docker.host=ssh://bench@vps.example'],
    exitCodes: ['0  cleaned (or nothing to clean)', '1  something could not be removed', EXIT_CODES.input],
  },
};

/** The order commands are listed in: the order a new user meets them. */
export const COMMAND_ORDER = ['list', 'doctor', 'run', 'report', 'compare', 'history', 'vm', 'image', 'clean', 'help'];

/** "vm up" for the `up` subcommand of `vm`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function helpFooter(help: CommandHelp): string {
  return `\nExamples:\n${help.examples.map((e) => `  $ ${e}`).join('\n')}\n\nExit codes:\n${help.exitCodes.map((e) => `  ${e}`).join('\n')}\n`;
}

/** Walk every command: add its examples and exit codes after the help. Throws on a command without them. */
export function addCommandHelp(program: Command): void {
  const visit = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      const key = commandPath(sub);
      const help = COMMAND_HELP[key];
      if (!help) throw new Error(`no examples/exit codes for \`benchsuite ${key}\` in src/cli/help.ts`);
      sub.addHelpText('after', helpFooter(help));
      visit(sub);
    }
  };
  visit(program);
}

/** Help settings inherited by every command created after this call. */
export function configureProgramHelp(program: Command): void {
  program.configureHelp({
    visibleCommands(this: Help, cmd: Command): Command[] {
      const list = Help.prototype.visibleCommands.call(this, cmd);
      const rank = (c: Command): number => {
        const i = COMMAND_ORDER.indexOf(c.name());
        return i < 0 ? COMMAND_ORDER.length - 1 : i;
      };
      return [...list].sort((a, b) => rank(a) - rank(b));
    },
    // The listing shows each command as its usage says (e.g. `run <scenario>`, not `run [scenario]`).
    subcommandTerm(this: Help, cmd: Command): string {
      return `${cmd.name()}${cmd.usage() && cmd.usage() !== '[options]' ? ` ${cmd.usage().replace(/^\[options\] ?/, '')}` : ''}`.trimEnd();
    },
    // Repeatable flags start from an empty list: "(default: [])" says nothing.
    optionDescription(this: Help, option: Option): string {
      const text = Help.prototype.optionDescription.call(this, option);
      return Array.isArray(option.defaultValue) ? text.replace(/\s*\(default: \[[^\]]*\]\)/, '') : text;
    },
  });
}
