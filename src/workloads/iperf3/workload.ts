/**
 * iperf3 TCP throughput. The server runs where the workload runs (on the host, or as the container's main
 * process); the client runs on the target's machine. On a bridge network the client connects to the
 * container's own address, so the bridge (veth, NAT-free routing through docker0) is in the path; with host
 * networking both ends use 127.0.0.1. Only loopback and the run's own container are ever addressed.
 */
import type { MetricInfo } from '../types.js';
import { formatExecFailure, type Machine } from '../../exec/types.js';
import { SampleError, type PreparedWorkload, type SampleOutcome, type Workload, type WorkloadContext } from '../types.js';
import { localAddresses, parseIperf3Json } from './parse.js';
import { LOOPBACK_V4, type Iperf3Spec } from './schema.js';

export const IPERF3_METRIC = 'throughput_gbps';
const READY_TIMEOUT_MS = 20_000;

export function iperf3ServerArgv(port: number, listenAll: boolean): string[] {
  return ['iperf3', '-s', '-p', String(port), ...(listenAll ? [] : ['-B', '127.0.0.1'])];
}

export function iperf3ClientArgv(spec: Iperf3Spec, address: string, port: number): string[] {
  if (!LOOPBACK_V4.test(address) && !/^\d+\.\d+\.\d+\.\d+$/.test(address)) throw new Error(`not an IPv4 address: ${address}`);
  return ['iperf3', '-c', address, '-p', String(port), '-t', String(spec.duration), '-P', String(spec.streams), '-O', String(spec.omit), '--json'];
}

/** Ports handed out in this process: two servers of one run must never share one. */
const handedOut = new Set<string>();

async function pickPort(machine: Machine, fixed?: number): Promise<number> {
  if (fixed) return fixed;
  for (let i = 0; i < 20; i++) {
    const port = await machine.candidatePort();
    const key = `${machine.address}:${port}`;
    if (handedOut.has(key)) continue;
    handedOut.add(key);
    return port;
  }
  throw new Error(`no free port found on ${machine.address}`);
}

export class Iperf3Workload implements Workload {
  readonly kind = 'iperf3';
  constructor(
    readonly id: string,
    readonly spec: Iperf3Spec,
    private readonly title = spec.title ?? 'TCP Throughput (iperf3)',
  ) {}

  metrics(): MetricInfo[] {
    return [
      { workload: this.id, metric: IPERF3_METRIC, title: this.title, unit: 'Gbit/s', higherIsBetter: true, primary: true, positive: true },
      // A count per sample, often 0 on loopback.
      { workload: this.id, metric: 'retransmits', title: `${this.title}: TCP retransmits`, unit: 'count', higherIsBetter: false, primary: false, resolution: 1 },
    ];
  }

  async prepare(ctx: WorkloadContext): Promise<PreparedWorkload> {
    const { target } = ctx;
    const machine = target.machine;
    const bridge = target.network === 'bridge';
    const spec = this.spec;
    let lastError = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await pickPort(machine, spec.port);
      const execCtx = await target.open(
        { workload: this.id, mounts: [], scratchDir: ctx.scratchDir, mainProcess: iperf3ServerArgv(port, bridge), ports: [port] },
        ctx.signal,
      );
      let address = spec.address === 'auto' ? '127.0.0.1' : spec.address;
      if (spec.address === 'auto' && bridge) {
        // The container's own address, read inside it: the run's own container, nothing else.
        const fib = await execCtx.exec(['cat', '/proc/net/fib_trie'], { timeoutMs: 30_000 });
        const own = localAddresses(fib.stdout);
        if (fib.exitCode !== 0 || own.length === 0) {
          await execCtx.close();
          throw new Error(`target ${target.id}: cannot read the container's address (${formatExecFailure(fib)}); set address: 127.0.0.1 to go through the published port`);
        }
        address = own[0] as string;
      }
      const ready = await waitReady(machine, address, port, execCtx.alive, ctx.signal);
      if (ready === true) {
        const argv = (ctx.client ?? ((a: string[]) => a))(iperf3ClientArgv(spec, address, port));
        return {
          execCtx,
          async runSample({ timeoutMs, signal }): Promise<SampleOutcome> {
            const r = await machine.exec(argv, { timeoutMs, signal });
            const details: Record<string, unknown> = { address, port, duration: spec.duration, streams: spec.streams, omit: spec.omit };
            let p;
            try {
              p = parseIperf3Json(r.stdout);
            } catch (e) {
              const alive = await execCtx.alive();
              throw new SampleError(`${(e as Error).message}${r.exitCode !== 0 ? ` (${formatExecFailure(r)})` : ''}${alive ? '' : '; the server is not running'}`, details);
            }
            Object.assign(details, p);
            if (r.exitCode !== 0) throw new SampleError(`iperf3 failed: ${formatExecFailure(r)}`, details);
            if (!(p.receivedBitsPerSecond > 0)) throw new SampleError(`iperf3 received nothing in ${p.seconds} s`, details);
            const values: Record<string, number> = { [IPERF3_METRIC]: p.receivedBitsPerSecond / 1e9 };
            if (p.retransmits !== undefined) values.retransmits = p.retransmits;
            return { values, details };
          },
          cleanup: () => execCtx.close(),
        };
      }
      lastError = `${ready}; server output: ${(await execCtx.logs()).slice(-500)}`;
      await execCtx.close();
      if (spec.port || !/in use|bind/i.test(lastError)) break;
    }
    throw new Error(`target ${target.id}: the iperf3 server did not become ready: ${lastError}`);
  }
}

/** A one-kilobyte test against the server: it answers, and it is still ours afterwards. */
async function waitReady(machine: Machine, address: string, port: number, alive: () => Promise<boolean>, signal?: AbortSignal): Promise<true | string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    if (signal?.aborted) return 'interrupted';
    if (!(await alive())) return `the server exited (${last})`;
    const r = await machine.exec(['iperf3', '-c', address, '-p', String(port), '-n', '1K', '--connect-timeout', '2000'], { timeoutMs: 10_000, signal });
    if (r.exitCode === 0 && /iperf Done/.test(r.stdout) && (await alive())) return true;
    last = (r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? '';
    await new Promise((res) => setTimeout(res, 200));
  }
  return `not ready after ${READY_TIMEOUT_MS / 1000} s (${last})`;
}
