import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fullRecords, parseDdOutput } from '../../src/workloads/parse-dd.js';
import { parseAbOutput } from '../../src/workloads/parse-ab.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/outputs/${name}`, import.meta.url), 'utf8');

describe('dd output (captured from GNU coreutils and busybox here)', () => {
  it('reads exact bytes and seconds from GNU dd, not the two-digit rate', () => {
    const p = parseDdOutput(fixture('dd-gnu-fdatasync.txt'));
    expect(p.bytes).toBe(67108864);
    expect(p.seconds).toBeCloseTo(0.333724, 9);
    expect(p.recordsOut).toBe('64+0');
  });
  it('handles the singular "1 byte copied" form', () => {
    const p = parseDdOutput(fixture('dd-gnu-one-byte.txt'));
    expect(p.bytes).toBe(1);
    expect(p.seconds).toBeCloseTo(0.00028395, 12);
  });
  it('reads busybox dd, which prints only records', () => {
    const p = parseDdOutput(fixture('dd-busybox.txt'));
    expect(p.bytes).toBeUndefined();
    expect(fullRecords(p.recordsOut)).toBe(16);
  });
  it('sees a short write on a full disk', () => {
    const p = parseDdOutput(fixture('dd-gnu-disk-full.txt'));
    expect(p.bytes).toBe(4194304);
    expect(fullRecords(p.recordsOut)).toBe(4);
  });
  it('parses the busybox format that reports size', () => {
    const p = parseDdOutput('16+0 records in\n16+0 records out\n16777216 bytes (16.0MB) copied, 0.021934 seconds, 729.4MB/s\n');
    expect(p.bytes).toBe(16777216);
    expect(p.seconds).toBeCloseTo(0.021934, 9);
  });
});

describe('ab output (captured against nginx on 127.0.0.1)', () => {
  it('parses throughput, latency, transfer and percentiles', () => {
    const p = parseAbOutput(fixture('ab-keepalive.txt'));
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
    const p = parseAbOutput(fixture('ab-no-keepalive.txt'));
    expect(p.completeRequests).toBe(500);
    expect(p.keepAliveRequests).toBeUndefined();
    expect(p.requestsPerSecond).toBeGreaterThan(0);
  });
  it('counts non-2xx responses', () => {
    const p = parseAbOutput(fixture('ab-non2xx-404.txt'));
    expect(p.non2xx).toBe(200);
    expect(p.failedRequests).toBe(0);
  });
  it('refuses output without a report, naming the missing line', () => {
    expect(() => parseAbOutput(fixture('ab-connection-refused.txt'))).toThrow(/Complete requests/);
  });
});
