/**
 * Apache Bench against nginx. The server runs where the workload runs (on the host, or as the
 * container's main process, with the same generated config); `ab`, the client, runs on the target's
 * machine and talks to 127.0.0.1. A sample with any failed or non-2xx request is rejected, never averaged.
 */
import type { MetricInfo, Sample } from '../types.js';
import { formatExecFailure } from '../../exec/types.js';
import { procStatFields } from '../../util/proc.js';
import { SampleError, type PreparedWorkload, type SampleOutcome, type Workload, type WorkloadContext } from '../types.js';
import { startStaticServer, type HttpProbe } from '../common/nginx.js';
import { parseAbOutput } from './parse.js';
import type { AbSpec } from './schema.js';

export const AB_METRIC = 'requests_per_sec';
/** Latency percentiles recorded per sample (from ab's -e CSV, in ms with three decimals). */
export const AB_PERCENTILES = [50, 90, 99] as const;

/**
 * `-e <file>`: ab writes its percentiles as CSV, in ms with three decimals (the report's own table has whole
 * ms). A file, not /dev/stdout: opening that fails (ENXIO) when stdout is a socket.
 */
export function abArgv(spec: AbSpec, url: string, csvFile?: string): string[] {
  return ['ab', '-q', '-n', String(spec.requests), '-c', String(spec.concurrency), ...(spec.keepAlive ? ['-k'] : []), ...(csvFile ? ['-e', csvFile] : []), url];
}

/**
 * ab is single-threaded: when it uses a whole core, it measures itself, not the server. A fixed wrapper
 * (arguments passed positionally, never interpolated) prints the shell's /proc stat after ab exits: its
 * cutime/cstime fields are ab's CPU time, the same on this host, over SSH and in any Linux guest.
 */
export const CLIENT_CPU_MARK = 'BENCHSUITE_CLIENT_STAT ';
export function withClientCpu(argv: string[]): string[] {
  return ['sh', '-c', `"$@"; rc=$?; printf '${CLIENT_CPU_MARK}%s\\n' "$(cat /proc/$$/stat)" >&2; exit $rc`, 'sh', ...argv];
}

/** ab's CPU seconds from the wrapper's output (clock ticks of 1/100 s, Linux's USER_HZ). */
export function clientCpuSeconds(stderr: string): number | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith(CLIENT_CPU_MARK));
  if (!line) return undefined;
  const fields = procStatFields(line.slice(CLIENT_CPU_MARK.length));
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / 100 : undefined;
}

/** A sample whose client used at least this share of one core is flagged: the client may be the bottleneck. */
export const CLIENT_SATURATION = 0.9;

/** ab's one-request probe of a URL, for finding a free port and waiting until the server answers. */
export const abProbe: HttpProbe = async (machine, url, signal) => {
  const r = await machine.exec(['ab', '-n', '1', '-c', '1', url], { timeoutMs: 5000, signal });
  return {
    answered: r.exitCode === 0,
    ok: r.exitCode === 0 && /^Failed requests:\s+0$/m.test(r.stdout) && !/^Non-2xx/m.test(r.stdout),
    last: (r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? '',
  };
};

export class AbWorkload implements Workload {
  readonly kind = 'ab';
  constructor(
    readonly id: string,
    readonly spec: AbSpec,
    private readonly title = spec.title ?? 'Apache Bench (Req/s)',
  ) {}

  metrics(): MetricInfo[] {
    const m = (metric: string, title: string, unit: string, higherIsBetter: boolean, more: Partial<MetricInfo> = {}): MetricInfo => ({
      workload: this.id,
      metric,
      title,
      unit,
      higherIsBetter,
      primary: false,
      ...more,
    });
    return [
      m(AB_METRIC, this.title, 'req/s', true, { primary: true, positive: true }),
      m('time_per_request_ms', `${this.title}: time per request`, 'ms', false, { positive: true }),
      // From ab's -e CSV: microsecond steps (the report's own table rounds to whole milliseconds).
      ...AB_PERCENTILES.map((q) => m(`p${q}_ms`, `${this.title}: p${q} latency`, 'ms', false, { resolution: 0.001 })),
      m('transfer_kbps', `${this.title}: transfer rate`, 'KB/s', true, { positive: true }),
    ];
  }

  notes(samples: Sample[]): string[] {
    const measured = samples.filter((s) => s.details?.clientSaturated !== undefined);
    const saturated = measured.filter((s) => s.details?.clientSaturated === true).length;
    return saturated > 0
      ? [`the ab client used ≥ 90 % of a core in ${saturated} of ${measured.length} samples — there the client, not the server, may set the rate`]
      : [];
  }

  async prepare(ctx: WorkloadContext): Promise<PreparedWorkload> {
    const machine = ctx.target.machine;
    const { execCtx, url } = await startStaticServer(ctx, this.id, this.spec, abProbe);
    const spec = this.spec;
    const csv = `${ctx.scratchDir}/ab-${this.id}-percentiles.csv`;
    // The client on the target's machine, wrapped as the target says (e.g. pinned to the client's CPUs).
    const client = ctx.client ?? ((a: string[]) => a);
    return {
      execCtx,
      async runSample({ timeoutMs, signal }): Promise<SampleOutcome> {
        const r = await machine.exec(withClientCpu(client(abArgv(spec, url, csv))), { timeoutMs, signal });
        if (r.exitCode === 0) {
          // The CSV joins the report, where the parser finds its lines; removed so a stale one is never read.
          const c = await machine.exec(['sh', '-c', 'cat -- "$1" && rm -f -- "$1"', 'sh', csv], { timeoutMs: 30_000, signal });
          if (c.exitCode === 0) r.stdout += `\n${c.stdout}`;
        }
        const details: Record<string, unknown> = { url, requests: spec.requests, concurrency: spec.concurrency, keepAlive: spec.keepAlive };
        if (r.exitCode !== 0) {
          const alive = await execCtx.alive();
          throw new SampleError(`ab failed: ${formatExecFailure(r)}${alive ? '' : `; the server is not running: ${(await execCtx.logs()).slice(-300)}`}`, details);
        }
        let p;
        try {
          p = parseAbOutput(r.stdout);
        } catch (e) {
          throw new SampleError(`could not parse ab output: ${(e as Error).message}`, details);
        }
        Object.assign(details, p);
        const cpu = clientCpuSeconds(r.stderr);
        if (cpu !== undefined && p.timeTakenSec > 0) {
          details.clientCpuSeconds = cpu;
          details.clientCpuShare = cpu / p.timeTakenSec;
          details.clientSaturated = cpu / p.timeTakenSec >= CLIENT_SATURATION;
        }
        if (p.failedRequests > 0 || p.non2xx > 0 || p.completeRequests < spec.requests) {
          throw new SampleError(
            `rejected: ${p.failedRequests} failed and ${p.non2xx} non-2xx of ${p.completeRequests} completed requests (asked ${spec.requests})`,
            details,
          );
        }
        const values: Record<string, number> = {
          [AB_METRIC]: p.requestsPerSecond,
          time_per_request_ms: p.timePerRequestMs,
          transfer_kbps: p.transferRateKBps,
        };
        // The percentiles ab writes with -e (to 0.001 ms); the whole-ms table only when the CSV is missing.
        const pct = Object.keys(p.percentilesMs).length > 0 ? p.percentilesMs : p.percentiles;
        details.percentilesFrom = pct === p.percentilesMs ? 'ab -e (0.001 ms)' : 'ab report table (whole ms)';
        for (const q of AB_PERCENTILES) if (pct[String(q)] !== undefined) values[`p${q}_ms`] = pct[String(q)] as number;
        return { values, details };
      },
      cleanup: () => execCtx.close(),
    };
  }
}
