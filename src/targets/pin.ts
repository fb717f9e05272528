/**
 * CPU pinning as a target applies it (scenario targets.<id>.pin, lists allow-listed by the schema): `taskset -c`
 * before a command on a machine, `--cpuset-cpus` for a container. Workloads never look at it: a workload with a
 * client wraps the client's argv with the context's `client` wrapper, which is this prefix.
 */
import type { PinSpec } from '../scenario/schema.js';

export function tasksetPrefix(cpus: string | undefined): string[] {
  return cpus ? ['taskset', '-c', cpus] : [];
}

/** The client (load generator) prefix of a target pinned with `pin`. */
export function clientPrefix(pin: PinSpec | undefined): string[] {
  return tasksetPrefix(pin?.client);
}
