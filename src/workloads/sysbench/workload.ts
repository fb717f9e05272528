/**
 * sysbench where the workload runs: `cpu` (prime numbers up to a fixed limit, events per second) or `memory`
 * (block writes or reads, MiB/s). Both are time-bound; the same binary runs on bare metal and in the container.
 */
import type { MetricInfo } from '../types.js';
import { formatExecFailure } from '../../exec/types.js';
import { parseSize } from '../common/fields.js';
import { SampleError, type PreparedWorkload, type SampleOutcome, type Workload, type WorkloadContext } from '../types.js';
import { parseSysbenchOutput } from './parse.js';
import type { SysbenchSpec } from './schema.js';

export function sysbenchArgv(spec: SysbenchSpec): string[] {
  const common = [`--threads=${spec.threads}`, `--time=${spec.duration}`];
  if (spec.test === 'cpu') return ['sysbench', 'cpu', `--cpu-max-prime=${spec.cpuMaxPrime}`, ...common, 'run'];
  return [
    'sysbench', 'memory',
    `--memory-block-size=${parseSize(spec.memoryBlockSize)}`,
    `--memory-total-size=${parseSize(spec.memoryTotalSize)}`,
    `--memory-oper=${spec.memoryOper}`,
    `--memory-access-mode=${spec.memoryAccessMode}`,
    ...common, 'run',
  ];
}

export const SYSBENCH_METRICS = { cpu: 'events_per_sec', memory: 'mib_per_sec' } as const;

export class SysbenchWorkload implements Workload {
  readonly kind = 'sysbench';
  constructor(
    readonly id: string,
    readonly spec: SysbenchSpec,
    private readonly title = spec.title ?? (spec.test === 'cpu' ? 'CPU (sysbench)' : 'Memory (sysbench)'),
  ) {}

  metrics(): MetricInfo[] {
    const base = { workload: this.id, title: this.title, higherIsBetter: true, primary: true, positive: true };
    const latency: MetricInfo = { workload: this.id, metric: 'latency_avg_ms', title: `${this.title}: latency per event`, unit: 'ms', higherIsBetter: false, primary: false, resolution: 0.01 };
    return this.spec.test === 'cpu'
      ? [{ ...base, metric: SYSBENCH_METRICS.cpu, unit: 'events/s' }, latency]
      : [{ ...base, metric: SYSBENCH_METRICS.memory, unit: 'MiB/s' }];
  }

  async prepare(ctx: WorkloadContext): Promise<PreparedWorkload> {
    const execCtx = await ctx.target.open({ workload: this.id, mounts: [], scratchDir: ctx.scratchDir }, ctx.signal);
    const spec = this.spec;
    const argv = sysbenchArgv(spec);
    return {
      execCtx,
      async runSample({ timeoutMs, signal }): Promise<SampleOutcome> {
        const r = await execCtx.exec(argv, { timeoutMs, signal });
        const details: Record<string, unknown> = { test: spec.test, threads: spec.threads, duration: spec.duration };
        if (r.exitCode !== 0) throw new SampleError(`sysbench failed: ${formatExecFailure(r)}`, details);
        let p;
        try {
          p = parseSysbenchOutput(r.stdout);
        } catch (e) {
          throw new SampleError(`could not parse sysbench output: ${(e as Error).message}`, details);
        }
        Object.assign(details, p);
        if (p.totalEvents === 0) throw new SampleError('sysbench ran no events', details);
        if (spec.test === 'cpu') {
          if (p.eventsPerSecond === undefined) throw new SampleError('sysbench cpu printed no "events per second"', details);
          const values: Record<string, number> = { [SYSBENCH_METRICS.cpu]: p.eventsPerSecond };
          if (p.latencyMs.avg !== undefined) values.latency_avg_ms = p.latencyMs.avg;
          return { values, details };
        }
        if (p.mibPerSecond === undefined) throw new SampleError('sysbench memory printed no "MiB transferred" line', details);
        return { values: { [SYSBENCH_METRICS.memory]: p.mibPerSecond }, details };
      },
      cleanup: () => execCtx.close(),
    };
  }
}
