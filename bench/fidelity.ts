/**
 * Fidelity: does benchsuite measure what the same command measures when run by hand? dd and ab are run
 * through the real code path (LocalMachine → DirectTarget → DdWorkload / AbWorkload, prepared once,
 * runSample per sample) and by a plain shell / child_process, in interleaved pairs against the same
 * scratch directory and the same nginx. The figure is the per-pair ratio benchsuite / plain.
 *
 *   npm run bench -- fidelity
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { compare } from '../src/stats/index.js';
import { DirectTarget } from '../src/targets/direct.js';
import { LocalMachine } from '../src/exec/local.js';
import { abArgv, abSchema, AbWorkload } from '../src/workloads/ab/index.js';
import { ddArgv, ddSchema, DdWorkload } from '../src/workloads/dd/index.js';
import { fio, fioArgv } from '../src/workloads/fio/index.js';
import { iperf3, iperf3ClientArgv } from '../src/workloads/iperf3/index.js';
import { sysbench, sysbenchArgv } from '../src/workloads/sysbench/index.js';
import { wrk } from '../src/workloads/wrk/index.js';
import type { PreparedWorkload } from '../src/workloads/types.js';
import {
  BENCH_RUN_ID, benchAbort, checkAborted, figures, loadMark, type LoadMark, measuredLine, medianInterval, mmm, ms, num, onCleanup, scratchDir, table,
  type Figures,
} from './common.js';

const execFileP = promisify(execFile);

export interface FidelityOptions {
  pairs?: number;
  ddMiB?: number;
  abRequests?: number;
  abConcurrency?: number;
  /** Pairs for fio, wrk, iperf3 and sysbench (1 s runs each). */
  newKindPairs?: number;
  log?: (s: string) => void;
}

export interface FidelitySeries {
  workload: string;
  command: string;
  unit: string;
  tolerance: number;
  benchsuite: number[];
  plain: number[];
  ratios: number[];
  /** Wall time of one sample minus the workload's own timing (ms). */
  benchsuiteOutsideMs: number[];
  plainOutsideMs: number[];
  /** ab only: the client's CPU share of one core per benchsuite sample. */
  clientCpuShare: number[];
}

export interface FidelityResult {
  series: FidelitySeries[];
  seconds: number;
  startLoad: LoadMark;
}

const DD_RE = /^(\d+) bytes? (?:\([^)]*\) )?copied, ([0-9.eE+-]+) s,/m;
const AB_RPS_RE = /^Requests per second:\s+([0-9.]+)/m;
const AB_TIME_RE = /^Time taken for tests:\s+([0-9.]+) seconds/m;

/** dd run by a plain shell, caches dropped the same way; MB/s from dd's own bytes and seconds. */
async function plainDd(argv: string[], file: string): Promise<{ mbps: number; seconds: number; wallMs: number }> {
  if (!argv.every((a) => /^[A-Za-z0-9_=/.,-]+$/.test(a))) throw new Error(`unexpected characters in ${argv.join(' ')}`);
  const script = `sync; echo 3 > /proc/sys/vm/drop_caches; ${argv.join(' ')}; rc=$?; rm -f ${file}; exit $rc`;
  const t0 = performance.now();
  const r = await execFileP('sh', ['-c', script], { encoding: 'utf8', timeout: 120_000 });
  const wallMs = performance.now() - t0;
  const m = DD_RE.exec(r.stderr);
  if (!m) throw new Error(`plain dd: no result line in ${JSON.stringify(r.stderr.slice(-200))}`);
  const seconds = Number(m[2]);
  return { mbps: Number(m[1]) / seconds / 1e6, seconds, wallMs };
}

/** ab started directly (no wrapper shell), its report read with a regex of our own. */
async function plainAb(argv: string[]): Promise<{ rps: number; seconds: number; wallMs: number }> {
  const [file, ...args] = argv as [string, ...string[]];
  const t0 = performance.now();
  const r = await execFileP(file, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
  const wallMs = performance.now() - t0;
  const rps = AB_RPS_RE.exec(r.stdout);
  const t = AB_TIME_RE.exec(r.stdout);
  if (!rps || !t) throw new Error('plain ab: no "Requests per second" line');
  if (!/^Failed requests:\s+0$/m.test(r.stdout)) throw new Error('plain ab: failed requests');
  return { rps: Number(rps[1]), seconds: Number(t[1]), wallMs };
}

export async function runFidelity(o: FidelityOptions = {}): Promise<FidelityResult> {
  const pairs = o.pairs ?? 20;
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const started = performance.now();
  const startLoad = loadMark();
  const machine = new LocalMachine();
  const target = new DirectTarget('bare-metal', 'Bare Metal', machine);
  const scratch = scratchDir('fidelity');
  const series: FidelitySeries[] = [];
  const signal = benchAbort.signal;
  try {
    // ---- dd
    const ddSpec = ddSchema.parse({ kind: 'dd', blockSize: '1M', count: o.ddMiB ?? 128, sync: 'fdatasync', dropCaches: true });
    const dd = await new DdWorkload('dd', ddSpec).prepare({ runId: BENCH_RUN_ID, target, scratchDir: scratch.dir, signal, log });
    const ddPlainFile = `${scratch.dir}/plain-dd.bin`;
    const ddCommand = ddArgv(ddSpec, ddPlainFile);
    const ddSeries: FidelitySeries = {
      workload: 'dd',
      command: `${ddArgv(ddSpec, '<scratch>/<file>').join(' ')} (page cache dropped before each run)`,
      unit: 'MB/s',
      tolerance: 0.01,
      benchsuite: [], plain: [], ratios: [], benchsuiteOutsideMs: [], plainOutsideMs: [], clientCpuShare: [],
    };
    try {
      await pairLoop(pairs, 'dd', log, async (seq) => {
        const t0 = performance.now();
        const out = await dd.runSample({ seq, timeoutMs: 120_000, signal });
        const wall = performance.now() - t0;
        const v = out.values.write_mbps as number;
        return { value: v, outsideMs: wall - Number(out.details.seconds) * 1000 };
      }, async () => {
        const p = await plainDd(ddCommand, ddPlainFile);
        return { value: p.mbps, outsideMs: p.wallMs - p.seconds * 1000 };
      }, ddSeries);
    } finally {
      await dd.cleanup();
    }
    series.push(ddSeries);
    checkAborted();

    // ---- ab: one nginx (benchsuite's generated config, started by AbWorkload), both clients against it
    const abSpec = abSchema.parse({ kind: 'ab', requests: o.abRequests ?? 20_000, concurrency: o.abConcurrency ?? 32, keepAlive: true, responseBytes: 4096 });
    const ab = await new AbWorkload('ab', abSpec).prepare({ runId: BENCH_RUN_ID, target, scratchDir: scratch.dir, signal, log });
    const stopAb = onCleanup('fidelity nginx', () => ab.cleanup());
    try {
      const first = await ab.runSample({ seq: 0, timeoutMs: 120_000, signal });
      const url = String(first.details.url);
      const argv = abArgv(abSpec, url);
      const abSeries: FidelitySeries = {
        workload: 'ab',
        command: abArgv(abSpec, 'http://127.0.0.1:<port>/').join(' ') + ' (4 KiB file, nginx 1 worker)',
        unit: 'req/s',
        tolerance: 0.03,
        benchsuite: [], plain: [], ratios: [], benchsuiteOutsideMs: [], plainOutsideMs: [], clientCpuShare: [],
      };
      await pairLoop(pairs, 'ab', log, async (seq) => {
        const t0 = performance.now();
        const out = await ab.runSample({ seq, timeoutMs: 120_000, signal });
        const wall = performance.now() - t0;
        if (typeof out.details.clientCpuShare === 'number') abSeries.clientCpuShare.push(out.details.clientCpuShare);
        return { value: out.values.requests_per_sec as number, outsideMs: wall - Number(out.details.timeTakenSec) * 1000 };
      }, async () => {
        const p = await plainAb(argv);
        return { value: p.rps, outsideMs: p.wallMs - p.seconds * 1000 };
      }, abSeries);
      series.push(abSeries);
    } finally {
      await stopAb();
    }
    checkAborted();
    series.push(...(await newKinds(o.newKindPairs ?? 10, target, scratch.dir, log, signal)));
  } finally {
    await scratch.remove();
  }
  return { series, seconds: (performance.now() - started) / 1000, startLoad };
}

/** A program started directly (no shell), its output read by the bench's own parsing. */
async function plainRun(argv: string[]): Promise<{ stdout: string; wallMs: number }> {
  const [file, ...args] = argv as [string, ...string[]];
  const t0 = performance.now();
  const r = await execFileP(file, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
  return { stdout: r.stdout, wallMs: performance.now() - t0 };
}

const emptySeries = (workload: string, command: string, unit: string, tolerance: number): FidelitySeries => ({
  workload, command, unit, tolerance, benchsuite: [], plain: [], ratios: [], benchsuiteOutsideMs: [], plainOutsideMs: [], clientCpuShare: [],
});

/**
 * The kinds added after dd and ab, each through its WorkloadKind on a direct target vs the same argv by hand:
 * sysbench cpu (events/s), fio randread (IOPS, its own file), wrk and iperf3 against the server benchsuite
 * started (req/s, Gbit/s). Runs of 1 s; the outside time is the wall time minus the tool's own duration.
 */
async function newKinds(pairs: number, target: DirectTarget, dir: string, log: (s: string) => void, signal: AbortSignal): Promise<FidelitySeries[]> {
  const out: FidelitySeries[] = [];
  const ctx = { runId: BENCH_RUN_ID, target, scratchDir: dir, signal, log };
  const run = async (
    name: string, command: string, unit: string, prepared: PreparedWorkload, metric: string, toolMs: (d: Record<string, unknown>) => number,
    plain: () => Promise<{ value: number; outsideMs: number }>,
  ): Promise<void> => {
    const series = emptySeries(name, command, unit, 0.03);
    await pairLoop(pairs, name, log, async (seq) => {
      const t0 = performance.now();
      const r = await prepared.runSample({ seq, timeoutMs: 120_000, signal });
      return { value: r.values[metric] as number, outsideMs: performance.now() - t0 - toolMs(r.details) };
    }, plain, series);
    out.push(series);
  };

  // sysbench cpu
  const sbSpec = sysbench.schema.parse({ kind: 'sysbench', test: 'cpu', duration: 1 });
  const sb = await sysbench.create('sysbench', sbSpec, 'sysbench').prepare(ctx);
  try {
    await run('sysbench cpu', sysbenchArgv(sbSpec).join(' '), 'events/s', sb, 'events_per_sec', (d) => Number(d.totalTimeSec) * 1000, async () => {
      const p = await plainRun(sysbenchArgv(sbSpec));
      const v = /events per second:\s+([0-9.]+)/.exec(p.stdout);
      const t = /total time:\s+([0-9.]+)s/.exec(p.stdout);
      if (!v || !t) throw new Error('plain sysbench: no "events per second"');
      return { value: Number(v[1]), outsideMs: p.wallMs - Number(t[1]) * 1000 };
    });
  } finally {
    await sb.cleanup();
  }
  checkAborted();

  // fio randread 4 KiB, QD 32, direct, on a file of its own
  const fioSpec = fio.schema.parse({ kind: 'fio', rw: 'randread', size: '64M', runtime: 1 });
  const fp = await fio.create('fio', fioSpec, 'fio').prepare(ctx);
  try {
    const plainFile = `${dir}/plain-fio.bin`;
    await run('fio randread', fioArgv(fioSpec, '<scratch>/<file>').join(' '), 'IOPS', fp, 'iops', (d) => Number(d.runtimeMs), async () => {
      const p = await plainRun(fioArgv(fioSpec, plainFile));
      const j = JSON.parse(p.stdout.slice(p.stdout.indexOf('{'))) as { jobs: { read: { iops: number; runtime: number } }[] };
      const job = j.jobs[0] as { read: { iops: number; runtime: number } };
      return { value: job.read.iops, outsideMs: p.wallMs - job.read.runtime };
    });
  } finally {
    await fp.cleanup();
  }
  checkAborted();

  // wrk against the nginx benchsuite started; by hand without the report script, its printed Requests/sec
  const wrkSpec = wrk.schema.parse({ kind: 'wrk', threads: 2, connections: 32, duration: 1 });
  const wp = await wrk.create('wrk', wrkSpec, 'wrk').prepare(ctx);
  try {
    const first = await wp.runSample({ seq: 0, timeoutMs: 120_000, signal });
    const url = String(first.details.url);
    const argv = ['wrk', '-t2', '-c32', '-d1s', url];
    await run('wrk', 'wrk -t2 -c32 -d1s --latency -s <report.lua> http://127.0.0.1:<port>/ (4 KiB file, nginx 1 worker)', 'req/s', wp, 'requests_per_sec', (d) => Number(d.durationSec) * 1000, async () => {
      const p = await plainRun(argv);
      const v = /^Requests\/sec:\s+([0-9.]+)/m.exec(p.stdout);
      if (!v || /Non-2xx|Socket errors/.test(p.stdout)) throw new Error('plain wrk: no clean Requests/sec');
      return { value: Number(v[1]), outsideMs: p.wallMs - 1000 };
    });
  } finally {
    await wp.cleanup();
  }
  checkAborted();

  // iperf3 against the server benchsuite started on 127.0.0.1
  const ipSpec = iperf3.schema.parse({ kind: 'iperf3', duration: 1 });
  const ip = await iperf3.create('iperf3', ipSpec, 'iperf3').prepare(ctx);
  try {
    const first = await ip.runSample({ seq: 0, timeoutMs: 120_000, signal });
    const argv = iperf3ClientArgv(ipSpec, String(first.details.address), Number(first.details.port));
    await run('iperf3', iperf3ClientArgv(ipSpec, '127.0.0.1', 0).join(' ').replace(' -p 0', ' -p <port>'), 'Gbit/s', ip, 'throughput_gbps', (d) => Number(d.seconds) * 1000, async () => {
      const p = await plainRun(argv);
      const j = JSON.parse(p.stdout) as { end: { sum_received: { bits_per_second: number; seconds: number } } };
      return { value: j.end.sum_received.bits_per_second / 1e9, outsideMs: p.wallMs - j.end.sum_received.seconds * 1000 };
    });
  } finally {
    await ip.cleanup();
  }
  return out;
}

type One = () => Promise<{ value: number; outsideMs: number }>;

/**
 * One warm-up pair (not counted), then `pairs` pairs; the side that goes first alternates, so a drift or
 * the after-effect of the previous run (dirty pages, a warm cache) does not favour one side.
 */
async function pairLoop(
  pairs: number,
  name: string,
  log: (s: string) => void,
  bs: (seq: number) => ReturnType<One>,
  plain: One,
  into: FidelitySeries,
): Promise<void> {
  let seq = 1;
  await bs(seq++);
  await plain();
  for (let i = 0; i < pairs; i++) {
    checkAborted();
    let a: { value: number; outsideMs: number };
    let b: { value: number; outsideMs: number };
    if (i % 2 === 0) {
      a = await bs(seq++);
      b = await plain();
    } else {
      b = await plain();
      a = await bs(seq++);
    }
    into.benchsuite.push(a.value);
    into.plain.push(b.value);
    into.ratios.push(a.value / b.value);
    into.benchsuiteOutsideMs.push(a.outsideMs);
    into.plainOutsideMs.push(b.outsideMs);
    log(`fidelity ${name}: pair ${i + 1}/${pairs}: benchsuite ${a.value.toFixed(0)}, plain ${b.value.toFixed(0)} ${into.unit}`);
  }
}

/**
 * Pairs needed for the median ratio's 95 % interval to reach ±tol at the observed spread: normal
 * approximation of the median's standard error (1.2533·σ/√n), σ estimated robustly as IQR / 1.349.
 */
function pairsNeeded(ratios: number[], tol: number): number {
  const f = figures(ratios);
  const sigma = (f.q3 - f.q1) / 1.349;
  return Math.max(ratios.length, Math.ceil(((1.96 * 1.2533 * sigma) / tol) ** 2));
}

/** Ratio of means benchsuite / plain with the Fieller interval from benchsuite's own compare(). */
function ratioOfMeans(s: FidelitySeries): string {
  const c = compare(s.plain, s.benchsuite, { higherIsBetter: true });
  const r = 1 + c.differencePct / 100;
  return c.ci ? `${r.toFixed(3)} (${(1 + c.ci.low / 100).toFixed(3)}–${(1 + c.ci.high / 100).toFixed(3)})` : `${r.toFixed(3)} (unbounded)`;
}

export function fidelityMarkdown(r: FidelityResult): string {
  const lines: string[] = ['## Fidelity: benchsuite vs the same command by hand', ''];
  lines.push(measuredLine(r.startLoad, r.seconds, 'npm run bench -- fidelity'), '');
  lines.push(
    'The same command is run on this host by benchsuite\'s own code path (`LocalMachine` → `DirectTarget` → `DdWorkload` / ' +
      '`AbWorkload`, prepared once, `runSample` per sample) and by hand (`sh -c \'dd …\'`; `ab` started directly with ' +
      '`child_process`, its report read by an independent regex), in interleaved pairs whose first side alternates, after one ' +
      'uncounted warm-up pair. Both clients hit the same nginx (benchsuite\'s generated config, started once) and write into the ' +
      'same scratch directory under /var/tmp. The figure is the ratio benchsuite / plain **per pair**; 1.00 means benchsuite ' +
      'neither adds to nor takes from what the tool measures.',
    '',
  );
  const rows = r.series.map((s) => {
    const ratio = figures(s.ratios);
    const ci = medianInterval(s.ratios);
    const inTol = (x: number): boolean => Math.abs(x - 1) <= s.tolerance + 1e-12;
    const met = inTol(ratio.median);
    const shown = ci && inTol(ci.low) && inTol(ci.high);
    return [
      s.workload,
      `\`${s.command}\``,
      String(ratio.n),
      mmm(figures(s.benchsuite), (x) => num(x)),
      mmm(figures(s.plain), (x) => num(x)),
      `${ratio.min.toFixed(3)} / **${ratio.median.toFixed(3)}** / ${ratio.max.toFixed(3)}`,
      `${ratio.q1.toFixed(3)}–${ratio.q3.toFixed(3)}`,
      ci ? `${ci.low.toFixed(3)}–${ci.high.toFixed(3)} (${(ci.level * 100).toFixed(1)} %)` : '–',
      ratioOfMeans(s),
      `1.00 ± ${s.tolerance.toFixed(2)}`,
      met ? (shown ? 'met (interval inside)' : 'median inside, interval not') : '**not met**',
    ];
  });
  lines.push(
    table(
      ['workload', 'command', 'pairs', `benchsuite min / median / max`, 'plain min / median / max', 'ratio min / median / max', 'ratio IQR', 'median ratio: distribution-free CI', 'ratio of means (Fieller 95 % CI)', 'target', 'result'],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
  );
  lines.push(
    'Units: dd MB/s (10⁶ bytes/s from dd\'s exact bytes and seconds), ab and wrk requests/s, sysbench events/s, fio IOPS, iperf3 Gbit/s ' +
      '(the new kinds: runs of 1 s, by hand without benchsuite\'s wrappers — wrk without the report script, its printed Requests/sec). The target is judged on the median of the ' +
      'per-pair ratios; the interval beside it (order statistics, exact level shown) says whether the data *show* agreement to ' +
      'that precision. The ratio of means with its Fieller interval is what benchsuite itself would report for this A/A comparison.',
    '',
  );

  for (const s of r.series) {
    const ratio = figures(s.ratios);
    const bsCv = figures(s.benchsuite).cv;
    const plCv = figures(s.plain).cv;
    const ci = medianInterval(s.ratios);
    const met = Math.abs(ratio.median - 1) <= s.tolerance;
    const shown = ci !== null && Math.abs(ci.low - 1) <= s.tolerance && Math.abs(ci.high - 1) <= s.tolerance;
    let text =
      `- **${s.workload}**: median ratio ${ratio.median.toFixed(3)} over ${ratio.n} pairs (target 1.00 ± ${s.tolerance.toFixed(2)}); ` +
      `CV of a single run ${(bsCv * 100).toFixed(1)} % (benchsuite) and ${(plCv * 100).toFixed(1)} % (plain). `;
    if (met && shown) text += 'Met: even the interval of the median lies inside the target.';
    else if (met) {
      text +=
        `The median is inside the target, but at this noise its 95 % interval (${ci ? `${ci.low.toFixed(3)}–${ci.high.toFixed(3)}` : 'n/a'}) ` +
        `is wider than ±${s.tolerance.toFixed(2)}, so the data cannot *show* agreement to that precision; ` +
        `about ${num(pairsNeeded(s.ratios, s.tolerance))} pairs would be needed at this spread.`;
    } else {
      text +=
        `Not met. The spread of single runs (not a systematic offset: benchsuite runs the same argv, and ${s.workload.split(' ')[0]} ` +
        `times itself) decides the median ratio at this n; its 95 % interval is ${ci ? `${ci.low.toFixed(3)}–${ci.high.toFixed(3)}` : 'n/a'}` +
        `${ci && ci.low <= 1 && ci.high >= 1 ? ', which contains 1.00' : ''}. About ${num(pairsNeeded(s.ratios, s.tolerance))} pairs would be ` +
        'needed to resolve ±' + s.tolerance.toFixed(2) + ' at this spread.';
    }
    if (s.workload === 'dd' && !(met && shown)) {
      text +=
        ' dd with `conv=fdatasync` measures this VM\'s virtual disk and every other tenant writing to it: on this shared 2-core ' +
        'machine one run\'s throughput varies by tens of percent from the next. What would fix it: a quiet, dedicated machine (no ' +
        'neighbours, a local disk), a larger file so each run averages over more of the noise, and more pairs.';
    }
    if (s.workload === 'ab' && s.clientCpuShare.length > 0) {
      text += ` ab's CPU share of one core during the benchsuite samples: ${mmm(figures(s.clientCpuShare), (x) => `${(x * 100).toFixed(0)} %`)} (min / median / max).`;
    }
    lines.push(text);
  }
  lines.push('');
  lines.push(
    'Wall time of one sample outside the tool\'s own timing (process start-up, output parsing and, for dd, `sync`, dropping the ' +
      'page cache and removing the file; min / median / max):',
    '',
  );
  lines.push(
    table(
      ['workload', 'n', 'benchsuite', 'plain', 'difference of medians'],
      r.series.map((s) => {
        const b: Figures = figures(s.benchsuiteOutsideMs);
        const p: Figures = figures(s.plainOutsideMs);
        return [s.workload, String(b.n), mmm(b, ms), mmm(p, ms), ms(b.median - p.median)];
      }),
    ),
    '',
    'This time is outside the measured interval (dd and ab time themselves), so it costs wall time, not accuracy. benchsuite runs ' +
      '`sync`, the cache drop and `rm` as separate processes where the plain loop uses one shell, and wraps ab in a shell that ' +
      'reads ab\'s CPU time from /proc afterwards.',
    '',
  );
  return lines.join('\n');
}

export async function fidelityBench(o: FidelityOptions = {}): Promise<string> {
  return fidelityMarkdown(await runFidelity(o));
}
