import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWrkOutput, socketErrors, WRK_REPORT_SCRIPT } from '../../../src/workloads/wrk/index.js';

/** Captured real output of wrk 4.1.0 with benchsuite's report script (test/fixtures/workloads/wrk/README.md). */
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/workloads/wrk/${name}`, import.meta.url), 'utf8');

describe('wrk with the report script', () => {
  it('parses counts, exact µs percentiles and req/s from the JSON line', () => {
    const p = parseWrkOutput(fixture('wrk-script.txt'));
    expect(p.requests).toBe(3097);
    expect(p.durationSec).toBeCloseTo(1.042367, 9);
    expect(p.bytes).toBe(13428592);
    // 3097 / 1.042367 s = 2971.12 req/s, as wrk itself printed it.
    expect(p.requestsPerSecond).toBeCloseTo(2971.12, 2);
    expect(p.printedRequestsPerSec).toBe(2971.12);
    expect(p.latencyUs).toEqual({ mean: 6464.245, stdev: 6482.24, max: 42165, p50: 5354, p90: 15300, p99: 29465 });
    expect(socketErrors(p)).toBe(0);
    expect(p.errors.status).toBe(0);
  });
  it('counts error responses (a 404 path): "Non-2xx or 3xx responses: 1695"', () => {
    const p = parseWrkOutput(fixture('wrk-script-404.txt'));
    expect(p.errors.status).toBe(1695);
    expect(p.requests).toBe(1695);
  });
  it('refuses output without the report line (connection refused, no script)', () => {
    expect(() => parseWrkOutput(fixture('wrk-script-refused.txt'))).toThrow(/unable to connect/);
    expect(() => parseWrkOutput(fixture('wrk-latency.txt'))).toThrow(/BENCHSUITE_WRK/);
  });
  it('the script captured with is the one benchsuite writes', () => {
    expect(readFileSync(new URL('../../fixtures/workloads/wrk/report.lua', import.meta.url), 'utf8')).toBe(WRK_REPORT_SCRIPT);
  });
});
