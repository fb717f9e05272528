/**
 * Apache Bench against nginx. The server runs where the workload runs (on the host, or as the
 * container's main process, with the same generated config); `ab`, the client, runs on the target's
 * machine and talks to 127.0.0.1. A sample with any failed or non-2xx request is rejected, never averaged.
 */
import type { MetricInfo, Sample } from '../../results/model.js';
import { formatExecFailure, type Machine } from '../../targets/types.js';
import { freeLocalPort } from '../../util/net.js';
import { procStatFields } from '../../util/proc.js';
import { SampleError, type PreparedWorkload, type SampleOutcome, type Workload, type WorkloadContext } from '../types.js';
import { NGINX_TEMP_DIRS, nginxArgv, nginxConfig } from './nginx-config.js';
import { parseAbOutput } from './parse.js';
import type { AbSpec } from './schema.js';

export const AB_METRIC = 'requests_per_sec';
const READY_TIMEOUT_MS = 20_000;

export function abArgv(spec: AbSpec, url: string): string[] {
  return ['ab', '-q', '-n', String(spec.requests), '-c', String(spec.concurrency), ...(spec.keepAlive ? ['-k'] : []), url];
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

export { freeLocalPort };

/** Ports handed out in this process: two servers of one run must never share one. */
const handedOut = new Set<string>();

/**
 * A port nobody answers on. Checked by trying it with ab itself, so the readiness probe that follows can
 * only be answered by the server benchsuite starts there (with host networking, a server that failed to
 * bind would otherwise let another target's server answer in its place).
 */
async function pickPort(machine: Machine, fixed?: number): Promise<number> {
  if (fixed) return fixed;
  for (let i = 0; i < 20; i++) {
    const port = machine.kind === 'local' ? await freeLocalPort() : 20_000 + Math.floor(Math.random() * 40_000);
    const key = `${machine.address}:${port}`;
    if (handedOut.has(key)) continue;
    const probe = await machine.exec(['ab', '-n', '1', '-c', '1', `http://127.0.0.1:${port}/`], { timeoutMs: 5000 });
    if (probe.exitCode === 0) continue; // something answers there already
    handedOut.add(key);
    return port;
  }
  throw new Error(`no free port found on ${machine.address}`);
}

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
      // ab prints its percentiles in whole milliseconds (a fast server's p50 is 0 or 1 in every sample).
      m('p50_ms', `${this.title}: p50 latency`, 'ms', false, { resolution: 1 }),
      m('p99_ms', `${this.title}: p99 latency`, 'ms', false, { resolution: 1 }),
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
    const { target } = ctx;
    const machine = target.machine;
    const dir = `${ctx.scratchDir}/http-${this.id}`;
    // In a network namespace of its own, the server listens on all its addresses (published on 127.0.0.1).
    const bridge = target.network === 'bridge';
    const isRoot = (await machine.exec(['id', '-u'], { timeoutMs: 30_000 })).stdout.trim() === '0';
    const docPath = this.spec.path.endsWith('/') ? `${this.spec.path}index.html` : this.spec.path;
    await machine.writeFile(`${dir}/www${docPath}`, Buffer.alloc(this.spec.responseBytes, 'x'));
    const tempDirs = NGINX_TEMP_DIRS.map((d) => `${dir}/tmp/${d}`);
    const mk = await machine.exec(['mkdir', '-p', ...tempDirs], { timeoutMs: 30_000 });
    if (mk.exitCode !== 0) throw new Error(`target ${target.id}: ${formatExecFailure(mk)}`);
    // Workers drop to nobody; the temp dirs are theirs already, so a container without CAP_CHOWN can start.
    if (isRoot) await machine.exec(['chown', '65534:65534', ...tempDirs], { timeoutMs: 30_000 });

    let lastError = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await pickPort(machine, this.spec.port);
      const config = nginxConfig({ dir, port, listenAll: Boolean(bridge), workers: this.spec.serverWorkers, user: isRoot ? { name: 'nobody', group: 'nogroup' } : undefined });
      await machine.writeFile(`${dir}/nginx.conf`, config);
      const env = await target.open(
        { workload: this.id, mounts: [{ path: dir, readOnly: false }], scratchDir: ctx.scratchDir, mainProcess: nginxArgv(dir), ports: [port] },
        ctx.signal,
      );
      const url = `http://127.0.0.1:${port}${this.spec.path}`;
      const ready = await waitReady(machine, url, env.alive, ctx.signal);
      if (ready !== true) {
        lastError = `${ready}; server output: ${(await env.logs()).slice(-500)}`;
        await env.close();
        if (this.spec.port || !/in use|bind/i.test(lastError)) break;
        continue;
      }
      const spec = this.spec;
      return {
        env,
        async runSample({ timeoutMs, signal }): Promise<SampleOutcome> {
          const r = await machine.exec(withClientCpu(abArgv(spec, url)), { timeoutMs, signal });
          const details: Record<string, unknown> = { url, requests: spec.requests, concurrency: spec.concurrency, keepAlive: spec.keepAlive };
          if (r.exitCode !== 0) {
            const alive = await env.alive();
            throw new SampleError(`ab failed: ${formatExecFailure(r)}${alive ? '' : `; the server is not running: ${(await env.logs()).slice(-300)}`}`, details);
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
          if (p.percentiles['50'] !== undefined) values.p50_ms = p.percentiles['50'];
          if (p.percentiles['99'] !== undefined) values.p99_ms = p.percentiles['99'];
          return { values, details };
        },
        cleanup: () => env.close(),
      };
    }
    throw new Error(`target ${target.id}: the HTTP server did not become ready: ${lastError}`);
  }
}

async function waitReady(machine: Machine, url: string, alive: () => Promise<boolean>, signal?: AbortSignal): Promise<true | string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    if (signal?.aborted) return 'interrupted';
    if (!(await alive())) return `the server exited (${last})`;
    const r = await machine.exec(['ab', '-n', '1', '-c', '1', url], { timeoutMs: 5000, signal });
    // Ready only if it answers and is still ours afterwards (a server that failed to bind exits at once).
    if (r.exitCode === 0 && /^Failed requests:\s+0$/m.test(r.stdout) && !/^Non-2xx/m.test(r.stdout) && (await alive())) return true;
    last = (r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? '';
    await new Promise((res) => setTimeout(res, 100));
  }
  return `not ready after ${READY_TIMEOUT_MS / 1000} s (${last})`;
}
