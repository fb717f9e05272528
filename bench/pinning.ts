/**
 * Pinning and noise per sample, in ONE real run: dd and ab on this host unpinned and pinned (the workload and its
 * server on the last CPU, the ab client on CPU 0), and the same in a Docker container (--cpuset-cpus) when Docker
 * answers; the targets interleaved sample by sample, n per arm. It reports each arm's coefficient of variation
 * whatever it shows, the pin as read back, and the run's noise attribution (samples[].noise: others' CPU, steal,
 * iowait, flagged samples). It also times one CPU-counter reading: in-process here, and through the kept-open
 * shell of a loopback SSH machine.
 *
 *   npm run bench -- pinning                 (n = 20 per arm)
 *   BENCH_PINNING_N=3 node dist/bench/run.js pinning --out /tmp/perf.md   (a brief check)
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { LocalMachine } from '../src/exec/local.js';
import { SshMachine } from '../src/exec/ssh.js';
import type { RunResults, Sample } from '../src/results/model.js';
import type { Progress } from '../src/runner/progress.js';
import { runScenario } from '../src/runner/run.js';
import { scenarioSchema } from '../src/scenario/schema.js';
import { summarizeNoise, NOISE_THRESHOLDS } from '../src/util/cpu-noise.js';
import { benchAbort, checkAborted, figures, loadMark, measuredLine, mmm, ms, num, onCleanup, scratchDir, startSshd, table } from './common.js';

export interface PinningOptions {
  /** Samples per arm (default BENCH_PINNING_N or 20). */
  n?: number;
  /** Include the Docker arms (default: when `docker info` answers). */
  docker?: boolean;
  /** Readings timed per machine for the cost of one CPU-counter reading. */
  readings?: number;
  log?: (s: string) => void;
}

const dockerAnswers = (): boolean => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
};

function progress(log: (s: string) => void): Progress {
  return {
    update: (e) => {
      if (e.done % 10 === 0) log(`pinning: ${e.done} samples (${e.target}: ${e.text})`);
    },
    log: (l) => log(`pinning: ${l}`),
    stop: () => undefined,
  };
}

/** Time `count` readings of a machine's CPU counters (ms each). */
async function readingCost(read: () => Promise<unknown>, count: number): Promise<number[]> {
  const out: number[] = [];
  await read(); // the first one opens the session
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await read();
    out.push(performance.now() - t0);
  }
  return out;
}

async function costs(readings: number, log: (s: string) => void): Promise<{ local: number[]; ssh: number[] | string }> {
  const local = await readingCost(() => new LocalMachine().cpuCounters([]), readings);
  let ssh: number[] | string;
  try {
    const sshd = await startSshd();
    const m = new SshMachine(sshd.url, { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });
    const close = onCleanup('ssh master', () => m.close());
    try {
      ssh = await readingCost(() => m.cpuCounters([]), readings);
    } finally {
      await close();
      await sshd.stop();
    }
  } catch (e) {
    ssh = `not measured: ${(e as Error).message.split('\n')[0]}`;
    log(`pinning: SSH reading cost ${ssh}`);
  }
  return { local, ssh };
}

const primary: Record<string, string> = { dd: 'write_mbps', ab: 'requests_per_sec' };

function armRows(r: RunResults): string[][] {
  const rows: string[][] = [];
  for (const w of Object.keys(primary)) {
    for (const t of r.targets) {
      const mine = r.samples.filter((s) => s.workload === w && s.target === t.id && !s.warmup);
      const f = figures(mine.filter((s) => s.ok).map((s) => s.values[primary[w] as string] as number));
      const pin = t.pin ? `${t.pin.workload ?? '–'} / ${t.pin.client ?? '–'} (read back ${t.pin.workloadAffinity ?? '?'} / ${t.pin.clientAffinity ?? '?'})` : 'none';
      rows.push([w, t.label, pin, String(f.n), num(f.mean, 1), `${(f.cv * 100).toFixed(1)} %`, mmm(f, (x) => num(x, 1))]);
    }
  }
  return rows;
}

function cvRatios(r: RunResults, pairs: [string, string][]): string[] {
  const cv = (w: string, t: string): number =>
    figures(r.samples.filter((s) => s.workload === w && s.target === t && s.ok && !s.warmup).map((s) => s.values[primary[w] as string] as number)).cv;
  const lines: string[] = [];
  for (const w of Object.keys(primary)) {
    for (const [free, pinned] of pairs) {
      const a = cv(w, free);
      const b = cv(w, pinned);
      const label = (id: string): string => r.targets.find((t) => t.id === id)?.label ?? id;
      lines.push(`${w}: CV ${(b * 100).toFixed(1)} % ${label(pinned)} vs ${(a * 100).toFixed(1)} % ${label(free)} (ratio ${(b / a).toFixed(2)})`);
    }
  }
  return lines;
}

function noiseRows(r: RunResults): string[][] {
  const rows: string[][] = [];
  const med = (xs: number[]): number => figures(xs).median;
  for (const w of Object.keys(primary)) {
    for (const t of r.targets) {
      const mine: Sample[] = r.samples.filter((s) => s.workload === w && s.target === t.id && !s.warmup);
      const sum = summarizeNoise(mine);
      const withNoise = mine.flatMap((s) => (s.noise ? [s.noise] : []));
      if (!sum) {
        rows.push([w, t.label, `0 of ${mine.length}`, '–', '–', '–', '–', '–']);
        continue;
      }
      rows.push([
        w, t.label, `${sum.n} of ${mine.length}`, `${sum.flaggedForOthers} / ${sum.flaggedForSteal}`,
        `${num(sum.medianOtherBusyPct, 1)} % (max ${num(sum.maxOtherBusyPct, 1)} %)`,
        `${num(med(withNoise.map((x) => x.ownBusyPct)), 1)} %`, `${num(med(withNoise.map((x) => x.iowaitPct)), 1)} %`, `${num(sum.medianStealPct, 1)} %`,
      ]);
    }
  }
  return rows;
}

export async function pinningBench(o: PinningOptions = {}): Promise<string> {
  const log = o.log ?? (() => undefined);
  const n = o.n ?? (Number(process.env.BENCH_PINNING_N) || 20);
  const cores = cpus().length;
  const start = loadMark();
  const t0 = performance.now();
  if (cores < 2) return '## Pinning and noise per sample\n\nNot measured: pinning needs at least 2 CPUs (the workload on one, the client on another).\n';
  const pin = { workload: String(cores - 1), client: '0' };
  const docker = o.docker ?? dockerAnswers();
  const scratch = scratchDir('pinning');
  const targets: Record<string, unknown> = {
    free: { label: 'Host unpinned', host: 'local' },
    pinned: { label: 'Host pinned', host: 'local', pin },
  };
  if (docker) {
    targets['docker-free'] = { label: 'Docker unpinned', host: 'local', container: {} };
    targets['docker-pinned'] = { label: 'Docker pinned', host: 'local', container: {}, pin };
  }
  const scenario = scenarioSchema.parse({
    name: 'bench-pinning', baseline: 'free', targets, samples: n, warmup: 1, order: 'interleaved',
    workloads: { dd: { kind: 'dd' }, ab: { kind: 'ab' } },
  });
  let results: RunResults;
  try {
    log(`pinning: one run, ${Object.keys(targets).length} arms × 2 workloads × ${n} samples, interleaved`);
    results = await runScenario({ scenario, resultsDir: scratch.dir, progress: progress(log), signal: benchAbort.signal, command: ['bench', 'pinning'], survey: false });
    checkAborted();
  } finally {
    await scratch.remove();
  }
  const cost = await costs(o.readings ?? 30, log);
  const seconds = (performance.now() - t0) / 1000;
  const failed = results.samples.filter((s) => !s.ok && !s.warmup);
  const pairs: [string, string][] = [['free', 'pinned'], ...(docker ? ([['docker-free', 'docker-pinned']] as [string, string][]) : [])];
  const all = results.samples.filter((s) => !s.warmup);
  const total = summarizeNoise(all);
  const costRows = [
    ['this host (in-process read of /proc)', String(cost.local.length), mmm(figures(cost.local), ms)],
    ['loopback SSH (kept-open shell, `sh` + `cat /proc/[0-9]*/stat`)', typeof cost.ssh === 'string' ? '–' : String(cost.ssh.length), typeof cost.ssh === 'string' ? cost.ssh : mmm(figures(cost.ssh), ms)],
  ];
  return [
    '## Pinning and noise per sample',
    '',
    measuredLine(start, seconds, 'npm run bench -- pinning'),
    '',
    `One real \`runScenario\` (results file discarded): dd (1 MiB × 256, fdatasync) and ab (20 000 requests, c = 32, against nginx) on ` +
      `${Object.keys(targets).length} targets interleaved sample by sample, ${n} samples per arm after one warmup. Pinned arms set ` +
      `\`pin: { workload: "${pin.workload}", client: "${pin.client}" }\`: the workload and its server under \`taskset -c ${pin.workload}\` ` +
      `(\`--cpuset-cpus=${pin.workload}\` for the container), ab's client under \`taskset -c ${pin.client}\`; benchsuite itself is not pinned.` +
      (docker ? '' : ' Docker did not answer: no container arms.') +
      (failed.length ? ` ${failed.length} samples failed (first: ${failed[0]?.error}); the CVs use the successful ones.` : ''),
    '',
    ...(n < 10 ? [`**n = ${n} per arm: a check that this bench runs, not a measurement.** Run it with the default n = 20 on a quiet machine before reading the CVs.`, ''] : []),
    '### Coefficient of variation per arm',
    '',
    table(['workload', 'target', 'pin workload / client', 'n', 'mean', 'CV', 'min / median / max'], armRows(results), ['l', 'l', 'l', 'r', 'r', 'r', 'r']),
    '',
    ...cvRatios(results, pairs).map((l) => `- ${l}`),
    '',
    'A CV from one run of ~20 samples is itself uncertain (its relative standard error is about 1/√(2n) ≈ 16 % at n = 20), so ' +
      'a ratio between 0.7 and 1.4 does not show an effect. On a 2-core machine pinning also takes the scheduler\'s freedom away: ' +
      'the server and the client can no longer use both cores, so pinned throughput may be lower while its spread is smaller or not.',
    '',
    '### Noise attribution of this run',
    '',
    'Per sample, /proc/stat and the CPU time of the benchmark\'s own process trees were read just before and after it ' +
      '(src/util/cpu-noise.ts). "Others" is all busy CPU minus the benchmark\'s own, in percent of one core; a sample is flagged ' +
      `when others used ≥ ${NOISE_THRESHOLDS.otherBusyPctOfCore} % of a core or steal was ≥ ${NOISE_THRESHOLDS.stealPct} % of CPU time. Flagged samples are kept in every statistic.`,
    '',
    table(['workload', 'target', 'with a reading', 'flagged others / steal', 'others (median)', 'own (median)', 'iowait (median)', 'steal (median)'], noiseRows(results), ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r']),
    '',
    total
      ? `Over the run: ${total.flagged} of ${total.n} samples flagged (${total.flaggedForOthers} for others' CPU, ${total.flaggedForSteal} for steal); others used a median ${num(total.medianOtherBusyPct, 1)} % of a core (max ${num(total.maxOtherBusyPct, 1)} %).`
      : 'No sample had a reading.',
    '',
    '### Cost of one CPU-counter reading',
    '',
    'Two readings per sample (before and after). Here they are read in-process (no command started); on an SSH machine one ' +
      'command through the kept-open shell each.',
    '',
    table(['machine', 'n', 'min / median / max'], costRows, ['l', 'r', 'r']),
    '',
  ].join('\n');
}
