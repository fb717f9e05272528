import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localAddresses, parseIperf3Json } from '../../../src/workloads/iperf3/index.js';

/** Captured real output of iperf 3.12 on 127.0.0.1 (test/fixtures/workloads/iperf3/README.md). */
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/workloads/iperf3/${name}`, import.meta.url), 'utf8');

describe('iperf3 --json', () => {
  it('one stream: received and sent bits/s, retransmits', () => {
    const p = parseIperf3Json(fixture('iperf3-tcp.json'));
    expect(p.receivedBitsPerSecond).toBeCloseTo(3225562498.009618, 3);
    expect(p.sentBitsPerSecond).toBeCloseTo(3278089504.058106, 3);
    expect(p.retransmits).toBe(5);
    expect(p.streams).toBe(1);
    expect(p.version).toBe('iperf 3.12');
  });
  it('two streams are summed by iperf3', () => {
    const p = parseIperf3Json(fixture('iperf3-tcp-2streams.json'));
    expect(p.receivedBitsPerSecond).toBeCloseTo(2149228249.3243275, 3);
    expect(p.retransmits).toBe(34);
    expect(p.streams).toBe(2);
  });
  it('a refused connection is an error, with iperf3\'s message (it exits 0 with --json)', () => {
    expect(() => parseIperf3Json(fixture('iperf3-refused.json'))).toThrow('iperf3: unable to connect to server: Connection refused');
  });
});

describe('the addresses of a container\'s network namespace (/proc/net/fib_trie)', () => {
  it('is the container\'s own bridge address, without loopback', () => {
    expect(localAddresses(fixture('container-fib_trie.txt'))).toEqual(['172.17.0.2']);
  });
});
