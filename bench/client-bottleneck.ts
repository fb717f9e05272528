/**
 * Client bottleneck: ab is single-threaded, so past some load it measures itself. Against one nginx
 * (benchsuite's generated config, 1 and 2 workers) at several concurrencies, ab runs exactly as
 * benchsuite runs it (`withClientCpu(abArgv(…))` through LocalMachine, parsed by parseAbOutput, CPU
 * share from clientCpuSeconds) next to wrk (multi-threaded) on the same server; the nginx workers' CPU
 * time is read from /proc around each run.
 *
 *   npm run bench -- client
 */
import os from 'node:os';
import { LocalMachine } from '../src/targets/local.js';
import { abSchema } from '../src/scenario/schema.js';
import { abArgv, clientCpuSeconds, CLIENT_SATURATION, withClientCpu } from '../src/workloads/ab.js';
import { parseAbOutput } from '../src/workloads/parse-ab.js';
import { checkAborted, cpuSecondsOf, figures, loadAvg, measuredLine, mmm, num, startNginx, table, type NginxServer } from './common.js';

export interface ClientOptions {
  workers?: number[];
  concurrencies?: number[];
  reps?: number;
  abRequests?: number;
  wrkSeconds?: number;
  log?: (s: string) => void;
}

export interface ClientRun {
  rps: number;
  /** Client CPU seconds / wall seconds (1 = one full core). */
  clientCpu: number;
  /** nginx workers' CPU seconds / wall seconds. */
  serverCpu: number;
}

export interface ClientCell {
  workers: number;
  concurrency: number;
  ab: ClientRun[];
  wrk: ClientRun[];
  wrkThreads: number;
}

export interface ClientResult {
  cells: ClientCell[];
  abRequests: number;
  wrkSeconds: number;
  seconds: number;
  startLoad: string;
  cores: number;
}

function serverCpu(nginx: NginxServer): number {
  return nginx.workers().reduce((a, p) => a + cpuSecondsOf(p), 0);
}

export async function runClientBottleneck(o: ClientOptions = {}): Promise<ClientResult> {
  const workersList = o.workers ?? [1, 2];
  const concurrencies = o.concurrencies ?? [1, 8, 32, 128];
  const reps = o.reps ?? 3;
  const abRequests = o.abRequests ?? 10_000;
  const wrkSeconds = o.wrkSeconds ?? 3;
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const started = performance.now();
  const startLoad = loadAvg();
  const local = new LocalMachine();
  const cells: ClientCell[] = [];
  for (const workers of workersList) {
    const nginx = await startNginx({ workers });
    try {
      for (const concurrency of concurrencies) {
        const wrkThreads = Math.min(2, concurrency);
        const cell: ClientCell = { workers, concurrency, ab: [], wrk: [], wrkThreads };
        const spec = abSchema.parse({ kind: 'ab', requests: abRequests, concurrency, keepAlive: true, responseBytes: 4096 });
        const runAb = async (): Promise<void> => {
          const s0 = serverCpu(nginx);
          const r = await local.exec(withClientCpu(abArgv(spec, nginx.url)), { timeoutMs: 120_000 });
          const s1 = serverCpu(nginx);
          if (r.exitCode !== 0) throw new Error(`ab -c ${concurrency} failed: ${r.stderr.trim().slice(-200)}`);
          const p = parseAbOutput(r.stdout);
          if (p.failedRequests > 0 || p.non2xx > 0) throw new Error(`ab -c ${concurrency}: ${p.failedRequests} failed requests`);
          const cpu = clientCpuSeconds(r.stderr);
          cell.ab.push({ rps: p.requestsPerSecond, clientCpu: cpu !== undefined ? cpu / p.timeTakenSec : NaN, serverCpu: (s1 - s0) / p.timeTakenSec });
        };
        const runWrk = async (): Promise<void> => {
          const s0 = serverCpu(nginx);
          const t0 = performance.now();
          const r = await local.exec(withClientCpu(['wrk', `-t${wrkThreads}`, `-c${concurrency}`, `-d${wrkSeconds}s`, nginx.url]), { timeoutMs: 60_000 });
          const wall = (performance.now() - t0) / 1000;
          const s1 = serverCpu(nginx);
          if (r.exitCode !== 0) throw new Error(`wrk -c ${concurrency} failed: ${(r.stderr || r.stdout).trim().slice(-200)}`);
          const m = /^Requests\/sec:\s+([0-9.]+)/m.exec(r.stdout);
          if (!m) throw new Error('wrk printed no Requests/sec');
          if (/Non-2xx|Socket errors/.test(r.stdout)) throw new Error(`wrk -c ${concurrency}: errors: ${r.stdout.split('\n').filter((l) => /Non-2xx|Socket errors/.test(l)).join('; ')}`);
          const cpu = clientCpuSeconds(r.stderr);
          // wrk runs for its -d; the wall time adds its start-up (milliseconds).
          cell.wrk.push({ rps: Number(m[1]), clientCpu: cpu !== undefined ? cpu / wall : NaN, serverCpu: (s1 - s0) / wall });
        };
        for (let i = 0; i < reps; i++) {
          checkAborted();
          if (i % 2 === 0) {
            await runAb();
            await runWrk();
          } else {
            await runWrk();
            await runAb();
          }
        }
        cells.push(cell);
        const a = figures(cell.ab.map((x) => x.rps));
        const w = figures(cell.wrk.map((x) => x.rps));
        log(`client: workers ${workers}, c ${concurrency}: ab ${a.median.toFixed(0)} req/s (CPU ${(figures(cell.ab.map((x) => x.clientCpu)).median * 100).toFixed(0)} %), wrk ${w.median.toFixed(0)} req/s`);
      }
    } finally {
      await nginx.stop();
    }
  }
  return { cells, abRequests, wrkSeconds, seconds: (performance.now() - started) / 1000, startLoad, cores: os.cpus().length };
}

const share = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(0)} %` : '–');

export function clientBottleneckMarkdown(r: ClientResult): string {
  const lines: string[] = ['## Client bottleneck: ab (single-threaded) vs wrk', ''];
  lines.push(measuredLine(r.startLoad, r.seconds, 'npm run bench -- client'), '');
  lines.push(
    `ab runs as benchsuite runs it: \`ab -q -n ${num(r.abRequests)} -c <c> -k\` wrapped in the shell that reads its CPU time from /proc ` +
      '(`details.clientCpuShare` in the results), parsed by `parseAbOutput`. wrk runs on the same server for ' +
      `${r.wrkSeconds} s per run (\`wrk -t<min(2,c)> -c<c> -d${r.wrkSeconds}s\`). The server is nginx with benchsuite's generated config ` +
      '(4 KiB file, keep-alive), 1 or 2 worker processes. CPU shares are CPU seconds per wall second: 100 % is one full core; ' +
      `the machine has ${r.cores}, shared by client, server and whatever else runs. ab and wrk alternate; figures are ` +
      'min / median / max over the runs.',
    '',
  );
  const rows = r.cells.map((c) => {
    const abR = figures(c.ab.map((x) => x.rps));
    const abC = figures(c.ab.map((x) => x.clientCpu));
    const abS = figures(c.ab.map((x) => x.serverCpu));
    const wR = figures(c.wrk.map((x) => x.rps));
    const wC = figures(c.wrk.map((x) => x.clientCpu));
    const wS = figures(c.wrk.map((x) => x.serverCpu));
    const sat = c.ab.filter((x) => x.clientCpu >= CLIENT_SATURATION).length;
    return [
      String(c.workers),
      String(c.concurrency),
      String(abR.n),
      mmm(abR, (x) => num(x)),
      mmm(abC, share),
      sat > 0 ? `**${sat} of ${c.ab.length}**` : `0 of ${c.ab.length}`,
      mmm(abS, share),
      mmm(wR, (x) => num(x)),
      mmm(wC, share),
      mmm(wS, share),
      (abR.median / wR.median).toFixed(2),
    ];
  });
  lines.push(
    table(
      ['nginx workers', 'c', 'n', 'ab req/s', 'ab CPU', 'ab saturated (≥ 90 %)', 'nginx CPU (ab)', 'wrk req/s', 'wrk CPU', 'nginx CPU (wrk)', 'ab / wrk (medians)'],
      rows,
    ),
    '',
  );
  lines.push('Findings:', '');
  for (const w of [...new Set(r.cells.map((c) => c.workers))]) {
    const cells = r.cells.filter((c) => c.workers === w);
    const satAt = cells.find((c) => figures(c.ab.map((x) => x.clientCpu)).median >= CLIENT_SATURATION);
    const behind = cells.filter((c) => figures(c.ab.map((x) => x.rps)).median < 0.9 * figures(c.wrk.map((x) => x.rps)).median);
    const ahead = cells.filter((c) => figures(c.ab.map((x) => x.rps)).median > 1.1 * figures(c.wrk.map((x) => x.rps)).median);
    const maxAbCpu = Math.max(...cells.map((c) => figures(c.ab.map((x) => x.clientCpu)).median));
    let text = `- ${w} worker${w > 1 ? 's' : ''}: `;
    text += satAt
      ? `ab's median CPU share reaches ${share(CLIENT_SATURATION)} of a core from c = ${satAt.concurrency}: from there ab, not nginx, sets the rate, and benchsuite flags those samples (\`clientSaturated\`, and a note in the results). `
      : `ab's median CPU share stays below ${share(CLIENT_SATURATION)} (highest ${share(maxAbCpu)}), so benchsuite does not flag saturation; `;
    if (behind.length > 0) {
      text += `wrk gets more than 10 % more requests/s out of the same server at c = ${behind.map((c) => c.concurrency).join(', ')}: there ab under-measures the server. `;
    }
    if (ahead.length > 0) {
      text += `At c = ${ahead.map((c) => c.concurrency).join(', ')} ab is more than 10 % *ahead* of wrk: wrk's two threads compete with nginx for the ${r.cores} cores, so on this machine a stronger client does not free the server either. `;
    }
    if (behind.length === 0 && ahead.length === 0) text += 'ab and wrk agree within 10 % at every concurrency. ';
    lines.push(text.trim());
  }
  lines.push(
    '',
    `Where ab stops measuring the server here: on ${r.cores} shared cores the client and nginx compete for the same CPUs, so ` +
      'past the point where ab uses about one core (or where client + server use all cores) req/s describes the pair, not nginx. ' +
      'For server-bound numbers run the client on other cores or another machine, keep concurrency at the lowest level that ' +
      'saturates the server, and read `clientSaturated` in the results before trusting an ab figure.',
    '',
  );
  return lines.join('\n');
}

export async function clientBottleneckBench(o: ClientOptions = {}): Promise<string> {
  return clientBottleneckMarkdown(await runClientBottleneck(o));
}
