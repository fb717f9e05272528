/** Parser for sysbench 1.0's cpu and memory reports. */
export interface SysbenchParsed {
  threads?: number;
  totalTimeSec: number;
  totalEvents: number;
  /** cpu: "events per second". */
  eventsPerSecond?: number;
  /** memory: "<n> MiB transferred (<rate> MiB/sec)". */
  mibTransferred?: number;
  mibPerSecond?: number;
  /** memory: "Total operations: <n> (<rate> per second)". */
  operationsPerSecond?: number;
  latencyMs: { min?: number; avg?: number; max?: number; p95?: number };
}

function num(text: string, re: RegExp): number | undefined {
  const m = re.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Returns the parsed report, or throws naming the missing line (e.g. when sysbench refused an option). */
export function parseSysbenchOutput(stdout: string): SysbenchParsed {
  const need = (label: string, re: RegExp): number => {
    const v = num(stdout, re);
    if (v === undefined || !Number.isFinite(v)) {
      const why = stdout.split('\n').find((l) => /invalid|unknown|error|fatal/i.test(l));
      throw new Error(`sysbench output has no "${label}" line${why ? `: ${why.trim()}` : ''}`);
    }
    return v;
  };
  const transferred = /^([0-9.]+) MiB transferred \(([0-9.]+) MiB\/sec\)$/m.exec(stdout);
  return {
    threads: num(stdout, /^Number of threads:\s+(\d+)/m),
    totalTimeSec: need('total time', /^\s+total time:\s+([0-9.]+)s$/m),
    totalEvents: need('total number of events', /^\s+total number of events:\s+(\d+)$/m),
    eventsPerSecond: num(stdout, /^\s+events per second:\s+([0-9.]+)$/m),
    mibTransferred: transferred ? Number(transferred[1]) : undefined,
    mibPerSecond: transferred ? Number(transferred[2]) : undefined,
    operationsPerSecond: num(stdout, /^Total operations:\s+\d+\s+\(\s*([0-9.]+) per second\)$/m),
    latencyMs: {
      min: num(stdout, /^\s+min:\s+([0-9.]+)$/m),
      avg: num(stdout, /^\s+avg:\s+([0-9.]+)$/m),
      max: num(stdout, /^\s+max:\s+([0-9.]+)$/m),
      p95: num(stdout, /^\s+95th percentile:\s+([0-9.]+)$/m),
    },
  };
}
