/** Reading Linux's /proc/<pid>/stat, here and as text that came from another machine. */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * The fields after the command name, which may itself contain spaces and parentheses:
 * [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime (ticks of 1/100 s).
 */
export function procStatFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
}

/** Fields of a local process's stat, or undefined when it is gone. */
export function readProcStat(pid: number): string[] | undefined {
  try {
    return procStatFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A local process's descendants (children first walked depth-first). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const ppid = Number(readProcStat(Number(d))?.[1]);
    if (Number.isFinite(ppid)) children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}
