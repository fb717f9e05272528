/**
 * dd disk write: a fixed-size sequential write with fdatasync (default), O_DIRECT or no sync, into the
 * run's scratch directory; the file is removed after every sample. MB/s is decimal (10^6 bytes/s, as dd
 * prints it), computed from dd's exact bytes and seconds rather than its two-digit rate.
 */
import type { MetricInfo } from '../types.js';
import { formatExecFailure } from '../../exec/types.js';
import { parseSize } from '../common/fields.js';
import { SampleError, type PreparedWorkload, type SampleOutcome, type Workload, type WorkloadContext } from '../types.js';
import { fullRecords, parseDdOutput } from './parse.js';
import type { DdSpec } from './schema.js';

export const DD_METRIC = 'write_mbps';

export function ddArgv(spec: DdSpec, file: string): string[] {
  const argv = ['dd', 'if=/dev/zero', `of=${file}`, `bs=${parseSize(spec.blockSize)}`, `count=${spec.count}`];
  if (spec.sync === 'fdatasync') argv.push('conv=fdatasync');
  if (spec.sync === 'direct') argv.push('oflag=direct');
  return argv;
}

export class DdWorkload implements Workload {
  readonly kind = 'dd';
  constructor(
    readonly id: string,
    readonly spec: DdSpec,
    private readonly title = spec.title ?? 'Disk Write (dd)',
  ) {}

  metrics(): MetricInfo[] {
    return [{ workload: this.id, metric: DD_METRIC, title: this.title, unit: 'MB/s', higherIsBetter: true, primary: true, positive: true }];
  }

  async prepare(ctx: WorkloadContext): Promise<PreparedWorkload> {
    const { target } = ctx;
    const execCtx = await target.open({ workload: this.id, mounts: [], scratchDir: ctx.scratchDir }, ctx.signal);
    const spec = this.spec;
    const expectedBytes = parseSize(spec.blockSize) * spec.count;
    const id = this.id;
    return {
      execCtx,
      async runSample({ seq, timeoutMs, signal }): Promise<SampleOutcome> {
        const details: Record<string, unknown> = { sync: spec.sync, blockSize: parseSize(spec.blockSize), count: spec.count };
        if (spec.dropCaches) details.droppedCaches = await dropCaches(target.machine, signal);
        const file = `${execCtx.scratchDir}/dd-${id}-${seq}.bin`;
        const r = await execCtx.exec(ddArgv(spec, file), { timeoutMs, signal });
        // Remove the file whatever happened: it is ours, and a full disk must not stay full.
        await execCtx.exec(['rm', '-f', file], { timeoutMs: 60_000 }).catch(() => undefined);
        const parsed = parseDdOutput(r.stderr);
        Object.assign(details, parsed, { wallSeconds: r.durationMs / 1000 });
        if (r.exitCode !== 0) {
          // dd names the cause on its own line ("dd: error writing …: No space left on device").
          const cause = r.stderr.split('\n').find((l) => l.startsWith('dd: '));
          throw new SampleError(`dd failed: ${cause ?? formatExecFailure(r)}`, details);
        }
        let bytes = parsed.bytes;
        let seconds = parsed.seconds;
        if (bytes === undefined || seconds === undefined) {
          // A dd that prints only records (some busybox builds): bytes from full records, time from the wall clock.
          const records = fullRecords(parsed.recordsOut);
          if (records === undefined) throw new SampleError(`could not parse dd output: ${r.stderr.trim().slice(0, 200)}`, details);
          bytes = records * parseSize(spec.blockSize);
          seconds = r.durationMs / 1000;
          details.secondsFrom = 'wall clock (dd printed no timing)';
        }
        if (bytes < expectedBytes) throw new SampleError(`dd wrote ${bytes} of ${expectedBytes} bytes`, details);
        if (!(seconds > 0)) throw new SampleError(`dd reported ${seconds} s`, details);
        return { values: { [DD_METRIC]: bytes / seconds / 1e6 }, details };
      },
      cleanup: () => execCtx.close(),
    };
  }
}

/** Drop the page cache on the machine (the host kernel's, also for containers); records whether it could. */
export async function dropCaches(machine: WorkloadContext['target']['machine'], signal?: AbortSignal): Promise<boolean | string> {
  await machine.exec(['sync'], { timeoutMs: 120_000, signal });
  const r = await machine.exec(['tee', '/proc/sys/vm/drop_caches'], { input: '3\n', timeoutMs: 60_000, signal });
  return r.exitCode === 0 ? true : `not permitted: ${r.stderr.trim().split('\n')[0] ?? ''}`;
}
