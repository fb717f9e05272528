/**
 * fio on one file inside the run's scratch directory: sequential write/read or random write/read for a fixed
 * time, MB/s, IOPS and completion-latency percentiles from fio's JSON report. The file is laid out by fio on
 * the first sample, reused by the next ones (a read test needs it) and removed when the workload is done.
 */
import type { MetricInfo } from '../types.js';
import { formatExecFailure } from '../../exec/types.js';
import { parseSize } from '../common/fields.js';
import { SampleError, type PreparedWorkload, type SampleOutcome, type Workload, type WorkloadContext } from '../types.js';
import { parseFioJson } from './parse.js';
import type { FioSpec } from './schema.js';

/** Block size when the scenario names none: 1 MiB sequential, 4 KiB random. */
export function fioBlockSize(spec: FioSpec): number {
  return parseSize(spec.blockSize ?? (spec.rw.startsWith('rand') ? '4K' : '1M'));
}

export const isRandom = (spec: FioSpec): boolean => spec.rw.startsWith('rand');
export const isWrite = (spec: FioSpec): boolean => spec.rw.endsWith('write');

export function fioArgv(spec: FioSpec, file: string): string[] {
  return [
    'fio',
    '--name=benchsuite',
    `--filename=${file}`,
    `--rw=${spec.rw}`,
    `--bs=${fioBlockSize(spec)}`,
    `--size=${parseSize(spec.size)}`,
    `--runtime=${spec.runtime}`,
    '--time_based',
    `--ioengine=${spec.ioengine}`,
    `--direct=${spec.direct ? 1 : 0}`,
    `--iodepth=${spec.iodepth}`,
    `--numjobs=${spec.numjobs}`,
    '--group_reporting',
    '--output-format=json',
  ];
}

export const FIO_METRICS = { mbps: 'mbps', iops: 'iops', p50: 'lat_p50_us', p99: 'lat_p99_us' } as const;

export class FioWorkload implements Workload {
  readonly kind = 'fio';
  constructor(
    readonly id: string,
    readonly spec: FioSpec,
    private readonly title = spec.title ?? 'Disk I/O (fio)',
  ) {}

  metrics(): MetricInfo[] {
    const random = isRandom(this.spec);
    const m = (metric: string, title: string, unit: string, higherIsBetter: boolean, primary: boolean): MetricInfo => ({
      workload: this.id,
      metric,
      title,
      unit,
      higherIsBetter,
      primary,
      positive: true,
    });
    // Random I/O is judged by IOPS, sequential by throughput; the other figure is recorded beside it.
    return [
      m(FIO_METRICS.iops, random ? this.title : `${this.title}: IOPS`, 'IOPS', true, random),
      m(FIO_METRICS.mbps, random ? `${this.title}: MB/s` : this.title, 'MB/s', true, !random),
      m(FIO_METRICS.p50, `${this.title}: p50 latency`, 'µs', false, false),
      m(FIO_METRICS.p99, `${this.title}: p99 latency`, 'µs', false, false),
    ];
  }

  async prepare(ctx: WorkloadContext): Promise<PreparedWorkload> {
    const execCtx = await ctx.target.open({ workload: this.id, mounts: [], scratchDir: ctx.scratchDir }, ctx.signal);
    const spec = this.spec;
    const file = `${execCtx.scratchDir}/fio-${this.id}.bin`;
    const argv = fioArgv(spec, file);
    return {
      execCtx,
      async runSample({ timeoutMs, signal }): Promise<SampleOutcome> {
        const r = await execCtx.exec(argv, { timeoutMs, signal });
        const details: Record<string, unknown> = { rw: spec.rw, blockSize: fioBlockSize(spec), size: parseSize(spec.size), ioengine: spec.ioengine, direct: spec.direct, iodepth: spec.iodepth, numjobs: spec.numjobs };
        if (r.exitCode !== 0) {
          // fio names the cause on a line of its own ("fio: pid=0, err=21/file:filesetup.c:150, func=unlink, error=Is a directory").
          const cause = r.stderr.split('\n').find((l) => l.startsWith('fio: '));
          throw new SampleError(`fio failed: ${cause ?? formatExecFailure(r)}`, details);
        }
        let p;
        try {
          p = parseFioJson(r.stdout);
        } catch (e) {
          throw new SampleError(`could not parse fio output: ${(e as Error).message}`, details);
        }
        const d = isWrite(spec) ? p.write : p.read;
        Object.assign(details, { fioVersion: p.version, ioBytes: d.ioBytes, runtimeMs: d.runtimeMs, clatMeanUs: d.clatMeanNs / 1000 });
        if (p.errors.some((e) => e !== 0)) throw new SampleError(`fio reported error ${p.errors.find((e) => e !== 0)} (errno) for the job`, details);
        if (!(d.ioBytes > 0) || !(d.iops > 0)) throw new SampleError(`fio did no ${isWrite(spec) ? 'writes' : 'reads'} (${d.ioBytes} bytes)`, details);
        const values: Record<string, number> = { [FIO_METRICS.mbps]: d.bwBytes / 1e6, [FIO_METRICS.iops]: d.iops };
        if (d.clatPercentilesNs['50'] !== undefined) values[FIO_METRICS.p50] = d.clatPercentilesNs['50'] / 1000;
        if (d.clatPercentilesNs['99'] !== undefined) values[FIO_METRICS.p99] = d.clatPercentilesNs['99'] / 1000;
        return { values, details };
      },
      async cleanup() {
        await execCtx.exec(['rm', '-f', file], { timeoutMs: 60_000 }).catch(() => undefined);
        await execCtx.close();
      },
    };
  }
}
