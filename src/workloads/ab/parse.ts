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
  /** Percent -> whole ms from the report's "Percentage of the requests served within a certain time". */
  percentiles: Record<string, number>;
  /** Percent (0…100) -> ms with three decimals, from the CSV ab writes with `-e` (empty without it). */
  percentilesMs: Record<string, number>;
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
  const percentilesMs: Record<string, number> = {};
  // ab -e <file> writes "Percentage served,Time in ms" and 101 lines "<percent>,<ms with 3 decimals>"; with
  // -e /dev/stdout they land before or after the report, depending on buffering.
  if (/^Percentage served,Time in ms$/m.test(stdout)) {
    for (const m of stdout.matchAll(/^(\d{1,3}),(\d+\.\d+)$/gm)) percentilesMs[m[1] as string] = Number(m[2]);
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
    percentilesMs,
    keepAliveRequests: num(stdout, /^Keep-Alive requests:\s+(\d+)/m),
    documentLength: num(stdout, /^Document Length:\s+(\d+) bytes/m),
  };
}
