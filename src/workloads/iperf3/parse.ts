/** Parsers for iperf3's `--json` report (TCP) and for the addresses of a network namespace. */
export interface Iperf3Parsed {
  version?: string;
  /** Receiver side (what arrived), bits per second. */
  receivedBitsPerSecond: number;
  /** Sender side, bits per second. */
  sentBitsPerSecond: number;
  /** TCP retransmits reported by the sender (Linux), summed over the streams. */
  retransmits?: number;
  seconds: number;
  streams: number;
  /** Local and remote CPU utilisation, percent (iperf3's cpu_utilization_percent host_total / remote_total). */
  cpuHostPct?: number;
  cpuRemotePct?: number;
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** Returns the parsed report, or throws with iperf3's own error ("unable to connect to server: …"). */
export function parseIperf3Json(stdout: string): Iperf3Parsed {
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error('iperf3 printed no JSON report');
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(stdout.slice(start)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`iperf3's JSON report does not parse: ${(e as Error).message}`);
  }
  if (typeof doc.error === 'string') throw new Error(`iperf3: ${doc.error}`);
  const end = (doc.end ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const sent = end.sum_sent ?? {};
  const received = end.sum_received ?? {};
  const rx = num(received.bits_per_second);
  const tx = num(sent.bits_per_second);
  if (rx === undefined || tx === undefined) throw new Error('iperf3\'s report has no end.sum_received / end.sum_sent (not a TCP test?)');
  const startInfo = (doc.start ?? {}) as Record<string, unknown>;
  const cpu = (end.cpu_utilization_percent ?? {}) as Record<string, unknown>;
  return {
    version: typeof startInfo.version === 'string' ? startInfo.version : undefined,
    receivedBitsPerSecond: rx,
    sentBitsPerSecond: tx,
    retransmits: num(sent.retransmits),
    seconds: num(received.seconds) ?? num(sent.seconds) ?? 0,
    streams: Array.isArray(end.streams) ? end.streams.length : 0,
    cpuHostPct: num(cpu.host_total),
    cpuRemotePct: num(cpu.remote_total),
  };
}

/**
 * The IPv4 addresses a network namespace owns, other than loopback, from its /proc/net/fib_trie (an entry
 * "|-- 172.17.0.2" followed by "/32 host LOCAL"). Works in any Linux container with `cat`.
 */
export function localAddresses(fibTrie: string): string[] {
  const lines = fibTrie.split('\n');
  const out: string[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = /\|--\s+(\d+\.\d+\.\d+\.\d+)\s*$/.exec(lines[i] as string);
    if (m && /\/32 host LOCAL/.test(lines[i + 1] as string) && !(m[1] as string).startsWith('127.')) out.push(m[1] as string);
  }
  return [...new Set(out)];
}
