/**
 * wrk against nginx: the same server as the ab kind (src/workloads/common/nginx.ts: generated config, started
 * where the workload runs), with wrk, multi-threaded, on the target's machine. A sample with any socket error
 * or any response wrk counts as an error (status >= 400) is rejected, never averaged.
 */
import type { MetricInfo } from '../types.js';
import { formatExecFailure } from '../../exec/types.js';
import { startStaticServer, type HttpProbe } from '../common/nginx.js';
import { SampleError, type PreparedWorkload, type SampleOutcome, type Workload, type WorkloadContext } from '../types.js';
import { parseWrkOutput, socketErrors, WRK_REPORT_SCRIPT } from './parse.js';
import type { WrkSpec } from './schema.js';

export const WRK_METRIC = 'requests_per_sec';
export const WRK_PERCENTILES = [50, 90, 99] as const;

export function wrkArgv(spec: WrkSpec, script: string, url: string): string[] {
  return ['wrk', `-t${spec.threads}`, `-c${spec.connections}`, `-d${spec.duration}s`, '--latency', '-s', script, url];
}

/** One connection for one second: answers, and with no error? (wrk has no request-count mode.) */
export const wrkProbe: HttpProbe = async (machine, url, signal) => {
  const r = await machine.exec(['wrk', '-t1', '-c1', '-d1s', url], { timeoutMs: 10_000, signal });
  return {
    answered: r.exitCode === 0,
    ok: r.exitCode === 0 && /requests in/.test(r.stdout) && !/Non-2xx|Socket errors/.test(r.stdout),
    last: (r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? '',
  };
};

export class WrkWorkload implements Workload {
  readonly kind = 'wrk';
  constructor(
    readonly id: string,
    readonly spec: WrkSpec,
    private readonly title = spec.title ?? 'HTTP (wrk, Req/s)',
  ) {}

  metrics(): MetricInfo[] {
    const base = { workload: this.id, primary: false };
    return [
      { ...base, metric: WRK_METRIC, title: this.title, unit: 'req/s', higherIsBetter: true, primary: true, positive: true },
      // wrk records latency in whole microseconds; the report script prints them unrounded.
      ...WRK_PERCENTILES.map((q): MetricInfo => ({ ...base, metric: `p${q}_us`, title: `${this.title}: p${q} latency`, unit: 'µs', higherIsBetter: false, resolution: 1 })),
      { ...base, metric: 'transfer_mbps', title: `${this.title}: transfer rate`, unit: 'MB/s', higherIsBetter: true, positive: true },
    ];
  }

  async prepare(ctx: WorkloadContext): Promise<PreparedWorkload> {
    const machine = ctx.target.machine;
    const script = `${ctx.scratchDir}/wrk-${this.id}.lua`;
    await machine.writeFile(script, WRK_REPORT_SCRIPT);
    const { execCtx, url } = await startStaticServer(ctx, this.id, this.spec, wrkProbe);
    const spec = this.spec;
    const argv = (ctx.client ?? ((a: string[]) => a))(wrkArgv(spec, script, url));
    return {
      execCtx,
      async runSample({ timeoutMs, signal }): Promise<SampleOutcome> {
        const r = await machine.exec(argv, { timeoutMs, signal });
        const details: Record<string, unknown> = { url, threads: spec.threads, connections: spec.connections, duration: spec.duration };
        if (r.exitCode !== 0) {
          const alive = await execCtx.alive();
          throw new SampleError(`wrk failed: ${formatExecFailure(r)}${alive ? '' : `; the server is not running: ${(await execCtx.logs()).slice(-300)}`}`, details);
        }
        let p;
        try {
          p = parseWrkOutput(r.stdout);
        } catch (e) {
          throw new SampleError(`could not parse wrk output: ${(e as Error).message}`, details);
        }
        Object.assign(details, p);
        const sock = socketErrors(p);
        if (sock > 0 || p.errors.status > 0 || p.requests === 0) {
          throw new SampleError(
            `rejected: ${sock} socket errors (connect ${p.errors.connect}, read ${p.errors.read}, write ${p.errors.write}, timeout ${p.errors.timeout}) ` +
              `and ${p.errors.status} error responses of ${p.requests} requests`,
            details,
          );
        }
        return {
          values: {
            [WRK_METRIC]: p.requestsPerSecond,
            p50_us: p.latencyUs.p50,
            p90_us: p.latencyUs.p90,
            p99_us: p.latencyUs.p99,
            transfer_mbps: p.bytes / p.durationSec / 1e6,
          },
          details,
        };
      },
      cleanup: () => execCtx.close(),
    };
  }
}
