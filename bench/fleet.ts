/**
 * The fleet controller over 50 hosts: 50 real sshd instances on loopback addresses (127.0.0.100…149) stand in for an
 * inventory, each running a trivial workload (one 64 KiB dd write, 2 samples, one target), so the wall time is set by
 * the controller, SSH and `--forks`. Measured per `--forks`: wall time, the controller's CPU (its own, and with the ssh
 * clients it waited for), its peak memory, open file descriptors and concurrent ssh processes.
 *
 *   npm run bench -- fleet
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendants, readProcStat } from '../src/util/proc.js';
import { startSshdFleet } from '../support/sshd-fleet.js';
import { benchAbort, checkAborted, loadMark, measuredLine, num, onCleanup, table } from './common.js';

export interface FleetBenchOptions {
  log?: (s: string) => void;
  hosts?: number;
  forks?: number[];
}

interface Measured {
  forks: number;
  hosts: number;
  exit: number | null;
  wallSec: number;
  /** The node controller's own user+system CPU. */
  ownCpuSec: number;
  /** With the processes it waited for (ssh clients), from GNU time. */
  totalCpuSec: number;
  peakRssMiB: number;
  peakFds: number;
  medianFds: number;
  peakSsh: number;
  completed: number;
}

const BIN = fileURLToPath(new URL('../../bin/benchsuite.js', import.meta.url));

function fdCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

function rssMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

async function measure(forks: number, hosts: number, args: string[], work: string): Promise<Measured> {
  const timeFile = join(work, `time-${forks}`);
  const resultsDir = mkdtempSync(join(work, `results-${forks}-`));
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, BIN, ...args, '--forks', String(forks), '--results-dir', resultsDir, '--no-reports'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const abort = (): void => void child.kill('SIGINT');
  benchAbort.signal.addEventListener('abort', abort, { once: true });
  let node = 0;
  let peakFds = 0;
  const fds: number[] = [];
  let peakSsh = 0;
  let peakRss = 0;
  let ownCpu = 0;
  const sample = (): void => {
    if (!node && child.pid) node = descendants(child.pid).find((p) => commOf(p) === 'node') ?? 0;
    if (!node) return;
    const nf = fdCount(node);
    if (nf > 0) fds.push(nf);
    peakFds = Math.max(peakFds, nf);
    peakRss = Math.max(peakRss, rssMiB(node));
    peakSsh = Math.max(peakSsh, descendants(node).filter((p) => commOf(p) === 'ssh').length);
    const f = readProcStat(node);
    if (f) ownCpu = (Number(f[11]) + Number(f[12])) / 100;
  };
  const timer = setInterval(sample, 100);
  const exit = await new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  clearInterval(timer);
  benchAbort.signal.removeEventListener('abort', abort);
  const wallSec = (performance.now() - t0) / 1000;
  const [, user = '0', sys = '0', maxKb = '0'] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()?.split(/\s+/) ?? [];
  const fleetDir = readdirSync(resultsDir).find((d) => d.includes('-fleet-'));
  const fleet = fleetDir ? (JSON.parse(readFileSync(join(resultsDir, fleetDir, 'fleet.json'), 'utf8')) as { hosts: { status: string }[] }) : { hosts: [] };
  rmSync(resultsDir, { recursive: true, force: true });
  return {
    forks,
    hosts,
    exit,
    wallSec,
    ownCpuSec: ownCpu,
    totalCpuSec: Number(user) + Number(sys),
    peakRssMiB: Math.max(peakRss, Number(maxKb) / 1024),
    peakFds,
    medianFds: [...fds].sort((a, b) => a - b)[Math.floor(fds.length / 2)] ?? 0,
    peakSsh,
    completed: fleet.hosts.filter((h) => h.status === 'completed').length,
  };
}

export async function fleetBench(o: FleetBenchOptions = {}): Promise<string> {
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const n = o.hosts ?? 50;
  const forksList = o.forks ?? [1, 5, 10, 25, 50];
  const mark = loadMark();
  const t0 = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'bs-bench-fleet-'));
  const removeWork = onCleanup(`fleet bench ${work}`, () => rmSync(work, { recursive: true, force: true }));
  log(`fleet: starting ${n} sshd instances on 127.0.0.100…`);
  const s0 = performance.now();
  const fleet = await startSshdFleet(n, { first: 100, parallel: 8, prefix: 'bs-bench-fleet' });
  const startSec = (performance.now() - s0) / 1000;
  const stopFleet = onCleanup('fleet bench sshd instances', () => fleet.dispose());
  try {
    const inv = join(work, 'hosts.ini');
    writeFileSync(
      inv,
      `[bench]\n${fleet.hosts.map((h, i) => `h${String(i).padStart(2, '0')} ansible_host=${h.address} ansible_port=${h.port} ansible_user=root ansible_ssh_private_key_file=${h.identityFile}`).join('\n')}\n`,
    );
    const scenario = join(work, 'trivial.yaml');
    writeFileSync(
      scenario,
      'name: fleet-bench\nbaseline: bare\ntargets:\n  bare: {label: Bare, host: local}\nworkloads:\n  dd: {kind: dd, blockSize: 64K, count: 1, sync: none, dropCaches: false}\nsamples: 2\nwarmup: 0\n',
    );
    const args = ['run', scenario, '--inventory', inv, '--known-hosts', fleet.knownHostsFile];
    const rows: Measured[] = [];
    for (const forks of forksList) {
      checkAborted();
      log(`fleet: ${n} hosts, --forks ${forks}`);
      const m = await measure(forks, n, args, work);
      log(`fleet: --forks ${forks}: ${m.wallSec.toFixed(1)} s, ${m.completed}/${n} completed, exit ${m.exit}`);
      rows.push(m);
    }
    const serial = rows.find((r) => r.forks === 1);
    const perHost = serial ? serial.wallSec / n : undefined;
    const seconds = (performance.now() - t0) / 1000;
    return [
      `## Fleet controller over ${n} hosts`,
      '',
      `${n} real sshd instances on loopback addresses (127.0.0.100 on; started, with fresh keys, in ${startSec.toFixed(0)} s) stand in for an`,
      'Ansible inventory; every host runs a trivial scenario (one target, one 64 KiB dd write without sync, 2 samples, no warmup),',
      'so the time is the controller\'s, SSH\'s and the per-host run set-up\'s (connection, fingerprint, scratch directory), not a',
      'workload\'s. One `benchsuite run --inventory` per row, single runs (not repeated). Own CPU: the node controller\'s user + system',
      'time; with ssh: plus the ssh clients it waited for (GNU time; the ControlMaster processes detach and are not counted).',
      'Peaks and medians are sampled every 100 ms from /proc (the fd peak comes from module loading at start-up).',
      '',
      table(
        ['--forks', 'hosts completed', 'wall time', 'per host (wall / hosts)', 'controller CPU (own)', 'CPU with ssh clients', 'peak RSS', 'open fds (median / peak)', 'peak ssh processes'],
        rows.map((r) => [
          String(r.forks),
          `${r.completed} / ${r.hosts}`,
          `${num(r.wallSec, 1)} s`,
          `${num(r.wallSec / r.hosts, 2)} s`,
          `${num(r.ownCpuSec, 1)} s`,
          `${num(r.totalCpuSec, 1)} s`,
          `${num(r.peakRssMiB, 0)} MiB`,
          `${r.medianFds} / ${r.peakFds}`,
          String(r.peakSsh),
        ]),
        ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
      perHost !== undefined
        ? `One host at a time takes ${num(perHost, 2)} s per host here; with more forks the wall time falls until the cores are busy ` +
          '(every "host" is this same machine, so the workloads, the 50 sshd and the controller share its CPUs: on real hosts only the ' +
          'controller and the ssh clients would be local). '
        : '',
      `The controller's own CPU is ${num(Math.min(...rows.map((r) => r.ownCpuSec)) / n, 2)}–${num(Math.max(...rows.map((r) => r.ownCpuSec)) / n, 2)} s per host ` +
        '(about the same at every --forks), and memory and file descriptors grow with --forks (one run, its ssh master and clients ' +
        'per running host), not with the size of the inventory.',
      '',
      measuredLine(mark, seconds, 'npm run bench -- fleet'),
    ].join('\n');
  } finally {
    await stopFleet();
    await removeWork();
  }
}
