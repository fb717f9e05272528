import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAbOutput } from '../../../src/workloads/ab/parse.js';

/** Captured real output of ab (test/fixtures/workloads/ab/). */
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/workloads/ab/${name}`, import.meta.url), 'utf8');

describe('ab output (captured against nginx on 127.0.0.1)', () => {
  it('parses throughput, latency, transfer and percentiles', () => {
    const p = parseAbOutput(fixture('keepalive.txt'));
    expect(p.completeRequests).toBe(2000);
    expect(p.failedRequests).toBe(0);
    expect(p.non2xx).toBe(0);
    expect(p.requestsPerSecond).toBeCloseTo(13817.78, 6);
    expect(p.timePerRequestMs).toBeCloseTo(2.316, 6);
    expect(p.timePerRequestAllMs).toBeCloseTo(0.072, 6);
    expect(p.transferRateKBps).toBeCloseTo(58509.68, 6);
    expect(p.keepAliveRequests).toBe(2000);
    expect(p.percentiles['50']).toBe(2);
    expect(p.percentiles['99']).toBe(9);
    expect(p.percentiles['100']).toBe(15);
  });
  it('parses a run without keep-alive', () => {
    const p = parseAbOutput(fixture('no-keepalive.txt'));
    expect(p.completeRequests).toBe(500);
    expect(p.keepAliveRequests).toBeUndefined();
    expect(p.requestsPerSecond).toBeGreaterThan(0);
  });
  it('counts non-2xx responses', () => {
    const p = parseAbOutput(fixture('non2xx-404.txt'));
    expect(p.non2xx).toBe(200);
    expect(p.failedRequests).toBe(0);
  });
  it('refuses output without a report, naming the missing line', () => {
    expect(() => parseAbOutput(fixture('connection-refused.txt'))).toThrow(/Complete requests/);
  });
});
