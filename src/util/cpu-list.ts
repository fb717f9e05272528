/**
 * CPU lists as taskset -c, --cpuset-cpus and /proc/<pid>/status (Cpus_allowed_list) write them: "0", "1-3",
 * "0,2-3". The pattern is the allow-list for the scenario's pin settings; parsing is pure.
 */
export const CPU_LIST_PATTERN = /^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$/;
export const CPU_LIST_MESSAGE = 'a CPU list such as 1, 0-1 or 0,2-3 (as taskset -c takes it)';
/** The highest CPU number accepted in a list (far above any machine; keeps expansions small). */
export const MAX_CPU = 4095;

/** The CPUs of a list, sorted and unique; a string saying what is wrong otherwise. */
export function parseCpuList(s: string): number[] | string {
  if (!CPU_LIST_PATTERN.test(s)) return `"${s.slice(0, 40)}" is not ${CPU_LIST_MESSAGE}`;
  const out = new Set<number>();
  for (const part of s.split(',')) {
    const [a, b = a] = part.split('-').map(Number) as [number, number?];
    if (a > MAX_CPU || (b as number) > MAX_CPU) return `CPU ${Math.max(a, b as number)} is beyond ${MAX_CPU}`;
    if ((b as number) < a) return `the range ${part} runs backwards; write ${b}-${a}`;
    for (let c = a; c <= (b as number); c++) out.add(c);
  }
  return [...out].sort((x, y) => x - y);
}

/** The Cpus_allowed_list line of /proc/<pid>/status text, as written there; undefined when absent. */
export function allowedCpus(status: string): string | undefined {
  return /^Cpus_allowed_list:\s*(\S+)\s*$/m.exec(status)?.[1];
}
