/**
 * `benchsuite vm up|status|down|destroy`: the local guest VM that scenarios reach with `host: vm`.
 */
import { Command, Option } from 'commander';
import { InputError } from '../scenario/errors.js';
import { trapInterrupts } from '../exec/interrupt.js';
import {
  DEFAULT_SETTINGS,
  DISK_CACHE_MODES,
  TCG_WARNING,
  defaultCacheDir,
  ensureVm,
  validateSettings,
  vmDestroy,
  vmDown,
  vmStatus,
  type VmSettings,
} from '../vm/index.js';
import { FIRST_BUILD_TIME } from '../vm/settings.js';

const log = (s: string): void => void process.stderr.write(`vm: ${s}\n`);

/**
 * Run `work` with SIGINT/SIGTERM turned into an abort (a second signal kills everything and exits 130).
 * Resolves undefined (exit code 130) when interrupted.
 */
async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const interrupt = trapInterrupts((sig) => log(`${sig}: stopping and cleaning up (again to force)`));
  try {
    return await work(interrupt.signal);
  } catch (e) {
    if (!interrupt.signal.aborted) throw e;
    log('interrupted; cleaned up (no half-built guest disk, no qemu started by this command left running)');
    process.exitCode = 130;
    return undefined;
  } finally {
    interrupt.release();
  }
}

interface UpFlags {
  cpus?: string;
  memory?: string;
  diskCache?: string;
  diskSize?: string;
  accel?: string;
  preload: boolean;
}

/** CLI flags → validated settings (only the fields given; the rest come from the last `vm up`). */
export function settingsFromFlags(flags: UpFlags): Partial<VmSettings> {
  const input: Partial<Record<keyof VmSettings, unknown>> = {};
  if (flags.cpus !== undefined) input.cpus = flags.cpus;
  if (flags.memory !== undefined) input.memoryMiB = flags.memory;
  if (flags.diskCache !== undefined) input.diskCache = flags.diskCache;
  if (flags.diskSize !== undefined) input.diskSizeGiB = flags.diskSize;
  if (flags.accel !== undefined) input.accel = flags.accel;
  const v = validateSettings(input);
  if (!v.ok) throw new InputError(v.problems.map((p) => p.message).join('; '));
  const out: Partial<VmSettings> = {};
  for (const k of Object.keys(input) as (keyof VmSettings)[]) (out as Record<string, unknown>)[k] = v.settings[k];
  return out;
}

export function registerVmCommands(program: Command): void {
  const vm = program
    .command('vm')
    .description('the local guest VM (Debian + Docker under qemu) that scenario targets with `host: vm` run in')
    .addHelpText(
      'after',
      `\nCache: ${defaultCacheDir()} (set BENCHSUITE_CACHE_DIR to move it).\nThe guest uses KVM when /dev/kvm works and the guest actually boots with it; otherwise qemu\nemulates the CPU in software (TCG): much slower, and its results are not representative of KVM.`,
    );

  vm.command('up')
    .description(`build the guest disk on first use (debootstrap, ${FIRST_BUILD_TIME}; cached), boot it, wait for SSH and dockerd, print its address`)
    .option('--cpus <n>', `guest CPUs (default ${DEFAULT_SETTINGS.cpus}, or the last vm up's)`)
    .option('--memory <MiB>', `guest memory in MiB (default ${DEFAULT_SETTINGS.memoryMiB})`)
    .addOption(
      new Option('--disk-cache <mode>', `qemu disk cache mode (default ${DEFAULT_SETTINGS.diskCache}: O_DIRECT, the host page cache does not absorb guest I/O)`).choices([
        ...DISK_CACHE_MODES,
      ]),
    )
    .addOption(new Option('--accel <accel>', 'accelerator: auto tries KVM (remembering if it hangs here), then TCG').choices(['auto', 'kvm', 'tcg']))
    .option('--disk-size <GiB>', `size of the guest disk when it is built (default ${DEFAULT_SETTINGS.diskSizeGiB})`)
    .option('--no-preload', 'do not load the workload image into the guest\'s Docker')
    .action(async (flags: UpFlags) => {
      const settings = settingsFromFlags(flags);
      const conn = await interruptible((signal) => ensureVm({ settings, signal, log, preloadImage: flags.preload }));
      if (!conn) return;
      const port = new URL(conn.sshUrl.replace(/^ssh:/, 'http:')).port;
      const i = conn.info;
      const out = [
        `VM ready: ${conn.sshUrl}`,
        `  identity file: ${conn.identityFile}`,
        `  known hosts:   ${conn.knownHostsFile}`,
        `  accelerator:   ${i.accelerator === 'kvm' ? 'KVM' : `TCG — ${TCG_WARNING}`}`,
        `  guest:         ${i.cpus} CPUs, ${i.memoryMiB} MiB, disk cache ${i.diskCache}, kernel ${i.guestKernel ?? '?'}`,
        `  qemu:          ${i.qemuVersion}`,
        `  guest disk:    ${i.imagePath}`,
        `  shell:         ssh -i ${conn.identityFile} -o UserKnownHostsFile=${conn.knownHostsFile} -o StrictHostKeyChecking=yes -p ${port} root@127.0.0.1`,
        `  scenarios:     targets with \`host: vm\` run here (e.g. benchsuite run layers)`,
      ];
      process.stdout.write(`${out.join('\n')}\n`);
      if (i.accelerator === 'tcg') {
        process.stderr.write(
          `\n*** WARNING: this VM is ${TCG_WARNING}. ***\n*** qemu emulates every guest instruction in software: results from it say nothing about KVM overhead. ***\n*** For real numbers use a host with working KVM, or point the scenario at a VPS: --set targets.kvm-docker.host=ssh://user@host ***\n\n`,
        );
      }
    });

  vm.command('status')
    .description('is the guest running and answering SSH? (exit 0 if so, 1 if not)')
    .action(async () => {
      const s = await vmStatus();
      process.stdout.write(`${s.detail}\n`);
      if (s.running && s.connection) {
        process.stdout.write(`target: ${s.connection.sshUrl}\nidentity file: ${s.connection.identityFile}\n`);
      }
      if (!s.running) process.exitCode = 1;
    });

  vm.command('down')
    .description('shut the guest down cleanly (poweroff over SSH; qemu is killed if it does not exit)')
    .action(async () => {
      await interruptible((signal) => vmDown({ log, signal }));
    });

  vm.command('destroy')
    .description('shut the guest down and delete its disk and state (the next vm up rebuilds it)')
    .action(async () => {
      await interruptible((signal) => vmDestroy({ log, signal }));
    });
}
