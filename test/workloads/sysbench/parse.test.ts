import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSysbenchOutput } from '../../../src/workloads/sysbench/index.js';

/** Captured real output of sysbench 1.0.20 (test/fixtures/workloads/sysbench/README.md). */
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/workloads/sysbench/${name}`, import.meta.url), 'utf8');

describe('sysbench 1.0 reports', () => {
  it('cpu: events per second, events, time, latency', () => {
    const p = parseSysbenchOutput(fixture('sysbench-cpu.txt'));
    expect(p.eventsPerSecond).toBe(853.87);
    expect(p.totalEvents).toBe(880);
    expect(p.totalTimeSec).toBe(1.0283);
    expect(p.threads).toBe(1);
    expect(p.latencyMs).toEqual({ min: 0.22, avg: 1.11, max: 84.16, p95: 1.58 });
    expect(p.mibPerSecond).toBeUndefined();
  });
  it('cpu with two threads', () => {
    const p = parseSysbenchOutput(fixture('sysbench-cpu-2threads.txt'));
    expect(p.threads).toBe(2);
    expect(p.eventsPerSecond).toBe(177.47);
  });
  it('memory: MiB transferred and MiB/sec, operations per second', () => {
    const p = parseSysbenchOutput(fixture('sysbench-memory.txt'));
    expect(p.mibTransferred).toBe(959.42);
    expect(p.mibPerSecond).toBe(948.61);
    expect(p.operationsPerSecond).toBe(971372.9);
    expect(p.totalEvents).toBe(982441);
    expect(p.eventsPerSecond).toBeUndefined();
  });
  it('memory bounded by its total size', () => {
    const p = parseSysbenchOutput(fixture('sysbench-memory-size-bound.txt'));
    expect(p.mibTransferred).toBe(64);
    expect(p.mibPerSecond).toBe(1212.77);
  });
  it('refuses output without a report, quoting sysbench\'s complaint', () => {
    expect(() => parseSysbenchOutput(fixture('sysbench-bad-option.txt'))).toThrow(/total time.*Invalid value for the 'cpu_max_prime' option/);
  });
});
