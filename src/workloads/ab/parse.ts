/** Parser for Apache Bench's report. */
export interface AbParsed {
  completeRequests: number;
  failedRequests: number;
  non2xx: number;
  requestsPerSecond: number;
  /** "Time per request" (mean), ms. */
  timePerRequestMs: number;
  /** "Time per request" (mean, across all concurrent requests), ms. */
  timePerRequestAllMs: number;
  transferRateKBps: number;
  timeTakenSec: number;
  /** Percent -> ms from "Percentage of the requests served within a certain time". */
  percentiles: Record<string, number>;
  keepAliveRequests?: number;
  documentLength?: number;
}

function num(text: string, re: RegExp): number | undefined {
  const m = re.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Returns the parsed report, or throws naming the field that is missing. */
export function parseAbOutput(stdout: string): AbParsed {
  const need = (label: string, re: RegExp): number => {
    const v = num(stdout, re);
    if (v === undefined || !Number.isFinite(v)) throw new Error(`ab output has no "${label}" line`);
    return v;
  };
  const percentiles: Record<string, number> = {};
  for (const m of stdout.matchAll(/^\s+(\d+)%\s+(\d+)(?: \(longest request\))?$/gm)) {
    percentiles[m[1] as string] = Number(m[2]);
  }
  return {
    completeRequests: need('Complete requests', /^Complete requests:\s+(\d+)/m),
    failedRequests: need('Failed requests', /^Failed requests:\s+(\d+)/m),
    non2xx: num(stdout, /^Non-2xx responses:\s+(\d+)/m) ?? 0,
    requestsPerSecond: need('Requests per second', /^Requests per second:\s+([0-9.]+)/m),
    timePerRequestMs: need('Time per request', /^Time per request:\s+([0-9.]+) \[ms\] \(mean\)$/m),
    timePerRequestAllMs: need('Time per request (across all)', /^Time per request:\s+([0-9.]+) \[ms\] \(mean, across all concurrent requests\)/m),
    transferRateKBps: need('Transfer rate', /^Transfer rate:\s+([0-9.]+) \[Kbytes\/sec\] received/m),
    timeTakenSec: need('Time taken for tests', /^Time taken for tests:\s+([0-9.]+) seconds/m),
    percentiles,
    keepAliveRequests: num(stdout, /^Keep-Alive requests:\s+(\d+)/m),
    documentLength: num(stdout, /^Document Length:\s+(\d+) bytes/m),
  };
}
