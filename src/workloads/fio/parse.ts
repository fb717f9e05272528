/** Parser for fio's `--output-format=json` (fio 3.x), one job or several reported as a group. */
export interface FioDirection {
  /** Bytes per second (fio's bw_bytes). */
  bwBytes: number;
  iops: number;
  ioBytes: number;
  /** Completion latency percentiles in ns (fio's clat_ns.percentile), keyed "50", "99"… */
  clatPercentilesNs: Record<string, number>;
  clatMeanNs: number;
  /** Milliseconds the direction ran. */
  runtimeMs: number;
}

export interface FioParsed {
  version: string;
  /** Summed over jobs (with --group_reporting fio already reports one). */
  read: FioDirection;
  write: FioDirection;
  /** fio's error code per job (0 = none). */
  errors: number[];
  jobs: number;
}

const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

function direction(job: Record<string, unknown>, key: 'read' | 'write'): FioDirection {
  const d = (job[key] ?? {}) as Record<string, unknown>;
  const clat = (d.clat_ns ?? {}) as Record<string, unknown>;
  const pct: Record<string, number> = {};
  for (const [k, v] of Object.entries((clat.percentile ?? {}) as Record<string, unknown>)) pct[String(Number(k))] = num(v);
  return { bwBytes: num(d.bw_bytes), iops: num(d.iops), ioBytes: num(d.io_bytes), clatPercentilesNs: pct, clatMeanNs: num(clat.mean), runtimeMs: num(d.runtime) };
}

/**
 * Returns the parsed report, or throws saying what is missing. fio may print notes ("note: both iodepth >= 1
 * and synchronous I/O engine are selected…") before the JSON on stdout: parsing starts at the first "{".
 */
export function parseFioJson(stdout: string): FioParsed {
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error('fio printed no JSON report');
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(stdout.slice(start)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`fio's JSON report does not parse: ${(e as Error).message}`);
  }
  const jobs = doc.jobs;
  if (!Array.isArray(jobs) || jobs.length === 0) throw new Error('fio\'s JSON report has no "jobs"');
  const parts = jobs.map((j) => j as Record<string, unknown>);
  const sum = (key: 'read' | 'write'): FioDirection => {
    const ds = parts.map((j) => direction(j, key));
    if (ds.length === 1) return ds[0] as FioDirection;
    // Without group reporting: throughput adds up; latency percentiles of the busiest job stand for the group.
    const busiest = ds.reduce((a, b) => (b.ioBytes > a.ioBytes ? b : a));
    return {
      bwBytes: ds.reduce((a, b) => a + b.bwBytes, 0),
      iops: ds.reduce((a, b) => a + b.iops, 0),
      ioBytes: ds.reduce((a, b) => a + b.ioBytes, 0),
      clatPercentilesNs: busiest.clatPercentilesNs,
      clatMeanNs: busiest.clatMeanNs,
      runtimeMs: Math.max(...ds.map((d) => d.runtimeMs)),
    };
  };
  return {
    version: String(doc['fio version'] ?? ''),
    read: sum('read'),
    write: sum('write'),
    errors: parts.map((j) => num(j.error)),
    jobs: parts.length,
  };
}
