import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fullRecords, parseDdOutput } from '../../../src/workloads/dd/parse.js';

/** Captured real output of dd (test/fixtures/workloads/dd/). */
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/workloads/dd/${name}`, import.meta.url), 'utf8');

describe('dd output (captured from GNU coreutils and busybox here)', () => {
  it('reads exact bytes and seconds from GNU dd, not the two-digit rate', () => {
    const p = parseDdOutput(fixture('gnu-fdatasync.txt'));
    expect(p.bytes).toBe(67108864);
    expect(p.seconds).toBeCloseTo(0.333724, 9);
    expect(p.recordsOut).toBe('64+0');
  });
  it('handles the singular "1 byte copied" form', () => {
    const p = parseDdOutput(fixture('gnu-one-byte.txt'));
    expect(p.bytes).toBe(1);
    expect(p.seconds).toBeCloseTo(0.00028395, 12);
  });
  it('reads busybox dd, which prints only records', () => {
    const p = parseDdOutput(fixture('busybox.txt'));
    expect(p.bytes).toBeUndefined();
    expect(fullRecords(p.recordsOut)).toBe(16);
  });
  it('sees a short write on a full disk', () => {
    const p = parseDdOutput(fixture('gnu-disk-full.txt'));
    expect(p.bytes).toBe(4194304);
    expect(fullRecords(p.recordsOut)).toBe(4);
  });
  it('parses the busybox format that reports size', () => {
    const p = parseDdOutput('16+0 records in\n16+0 records out\n16777216 bytes (16.0MB) copied, 0.021934 seconds, 729.4MB/s\n');
    expect(p.bytes).toBe(16777216);
    expect(p.seconds).toBeCloseTo(0.021934, 9);
  });
});
