/**
 * wrk's report. benchsuite runs wrk with a fixed Lua script whose `done` hook prints wrk's own statistics as
 * one JSON line after the usual report: exact counts, error counters and latency percentiles in whole
 * microseconds (wrk records latency in µs; its printed "Latency Distribution" rounds to three digits).
 */
export const WRK_MARK = 'BENCHSUITE_WRK ';

/** The script (fixed text; no value from a scenario reaches it). */
export const WRK_REPORT_SCRIPT = `-- benchsuite: wrk's own statistics as one JSON line (latency in microseconds, as wrk records it).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${WRK_MARK}{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"lat_mean_us":%.3f,"lat_stdev_us":%.3f,"lat_max_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
`;

export interface WrkParsed {
  requests: number;
  durationSec: number;
  bytes: number;
  requestsPerSecond: number;
  /** Socket errors (connect, read, write, timeout) and responses with status >= 400 (wrk's "Non-2xx or 3xx"). */
  errors: { connect: number; read: number; write: number; timeout: number; status: number };
  latencyUs: { mean: number; stdev: number; max: number; p50: number; p90: number; p99: number };
  /** wrk's own printed "Requests/sec:" (rounded to two decimals), for cross-checks. */
  printedRequestsPerSec?: number;
}

export function socketErrors(p: WrkParsed): number {
  return p.errors.connect + p.errors.read + p.errors.write + p.errors.timeout;
}

/** Returns the parsed report, or throws saying what is missing. */
export function parseWrkOutput(stdout: string): WrkParsed {
  const line = stdout.split('\n').find((l) => l.startsWith(WRK_MARK));
  if (!line) {
    const first = stdout.trim().split('\n')[0] ?? '';
    throw new Error(`wrk printed no ${WRK_MARK.trim()} line (its report script did not run)${first ? `: ${first.slice(0, 200)}` : ''}`);
  }
  const j = JSON.parse(line.slice(WRK_MARK.length)) as Record<string, number>;
  const n = (k: string): number => {
    const v = j[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`wrk's report has no "${k}"`);
    return v;
  };
  const durationSec = n('duration_us') / 1e6;
  const printed = /^Requests\/sec:\s+([0-9.]+)/m.exec(stdout);
  return {
    requests: n('requests'),
    durationSec,
    bytes: n('bytes'),
    requestsPerSecond: durationSec > 0 ? n('requests') / durationSec : 0,
    errors: { connect: n('connect'), read: n('read'), write: n('write'), timeout: n('timeout'), status: n('status') },
    latencyUs: { mean: n('lat_mean_us'), stdev: n('lat_stdev_us'), max: n('lat_max_us'), p50: n('p50_us'), p90: n('p90_us'), p99: n('p99_us') },
    printedRequestsPerSec: printed ? Number(printed[1]) : undefined,
  };
}
