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
import { LocalMachine } from '../src/exec/local.js';
import { abArgv, abSchema, clientCpuSeconds, CLIENT_SATURATION, parseAbOutput, withClientCpu } from '../src/workloads/ab/index.js';
import { checkAborted, cpuSecondsOf, figures, loadMark, type LoadMark, measuredLine, mmm, num, startNginx, table, type Figures, type NginxServer } from './common.js';

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
  startLoad: LoadMark;
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
  const startLoad = loadMark();
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
  // With n = 3 per cell and this much noise, "different" means the ranges do not overlap.
  lines.push(`With ${r.cells[0]?.ab.length ?? 0} runs per cell, ab and wrk count as different only where their min–max ranges do not overlap.`, '');
  const rps = (runs: ClientRun[]): Figures => figures(runs.map((x) => x.rps));
  for (const w of [...new Set(r.cells.map((c) => c.workers))]) {
    const cells = r.cells.filter((c) => c.workers === w);
    const satAt = cells.find((c) => figures(c.ab.map((x) => x.clientCpu)).median >= CLIENT_SATURATION);
    const behind = cells.filter((c) => rps(c.ab).max < rps(c.wrk).min);
    const ahead = cells.filter((c) => rps(c.ab).min > rps(c.wrk).max);
    const maxAbCpu = Math.max(...cells.map((c) => figures(c.ab.map((x) => x.clientCpu)).median));
    let text = `- ${w} nginx worker${w > 1 ? 's' : ''}: `;
    text += satAt
      ? `ab's median CPU share reaches ${share(CLIENT_SATURATION)} of a core from c = ${satAt.concurrency}: from there ab, not nginx, sets the rate, and benchsuite flags those samples (\`clientSaturated\`, and a note in the results). `
      : `ab's median CPU share stays below ${share(CLIENT_SATURATION)} at every concurrency (highest median: ${share(maxAbCpu)} of a core), so benchsuite flags none of these samples. `;
    const serverBound = cells.filter((c) => figures(c.ab.map((x) => x.serverCpu)).median >= 0.9 * w);
    if (serverBound.length > 0) {
      text += `nginx used at least 90 % of its ${w} worker core${w > 1 ? 's' : ''} during ab at c = ${serverBound.map((c) => c.concurrency).join(', ')}: there the server is the bottleneck, which is what ab should measure. `;
    }
    if (behind.length > 0) text += `wrk gets clearly more requests/s (ranges do not overlap) at c = ${behind.map((c) => c.concurrency).join(', ')}${behind.some((c) => c.concurrency === 1) ? ' (at c = 1 both are latency-bound: one request in flight, and wrk spends less per request)' : ''}. `;
    if (ahead.length > 0) {
      text +=
        `ab is clearly ahead of wrk at c = ${ahead.map((c) => c.concurrency).join(', ')} (nginx CPU during wrk ` +
        `${ahead.map((c) => share(figures(c.wrk.map((x) => x.serverCpu)).median)).join(', ')} vs during ab ` +
        `${ahead.map((c) => share(figures(c.ab.map((x) => x.serverCpu)).median)).join(', ')}): wrk's threads compete with nginx for the ${r.cores} cores. `;
    }
    if (behind.length === 0 && ahead.length === 0) text += 'ab and wrk are indistinguishable at this noise (their ranges overlap at every concurrency). ';
    lines.push(text.trim());
  }
  // ab's CPU cost per request, and the server rate at which it would use 90 % of a core.
  const costs = r.cells.flatMap((c) => c.ab.filter((x) => Number.isFinite(x.clientCpu) && x.rps > 0).map((x) => (x.clientCpu / x.rps) * 1e6));
  const cost = figures(costs);
  const ceiling = (CLIENT_SATURATION * 1e6) / cost.median;
  const satAny = r.cells.some((c) => figures(c.ab.map((x) => x.clientCpu)).median >= CLIENT_SATURATION);
  lines.push(
    `- ab's own CPU cost per request on this CPU: ${mmm(cost, (x) => `${x.toFixed(1)} µs`)} (n = ${cost.n}, min / median / max). ` +
      `So ab reaches ${share(CLIENT_SATURATION)} of a core — and stops measuring the server — at about **${num(ceiling)} req/s** ` +
      `(4 KiB keep-alive responses). ${satAny ? '' : `Nginx never got there on this machine (at most ${num(Math.max(...r.cells.map((c) => rps(c.ab).max)))} req/s): the 2 shared cores, not the client, limit these runs. `}` +
      'A server that can go faster (more cores, a faster CPU, a remote server on a fast link) needs a multi-threaded client such as wrk, or ' +
      'several ab processes, to be measured.',
  );
  lines.push(
    '',
    `On ${r.cores} cores shared by client, server and other tenants, req/s describes the pair (and the neighbours), not nginx alone: ` +
      'for server-bound numbers run the client on other cores or another machine, and read `clientSaturated` in the results before ' +
      'trusting an ab figure.',
    '',
  );
  return lines.join('\n');
}

export async function clientBottleneckBench(o: ClientOptions = {}): Promise<string> {
  return clientBottleneckMarkdown(await runClientBottleneck(o));
}
