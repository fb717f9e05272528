/**
 * `container.runArgs`: extra `docker run` options, each one argv item of the form `--flag=value`, where the
 * flag is on the allow-list below and the value matches that flag's own pattern. Anything else — a bare word
 * (which would end docker's options and replace the image and command), a short option, a flag that widens
 * privileges or reaches outside the container (--privileged, --pid=host, -v/--mount, --device, --cidfile,
 * --env-file, --label-file…), or a flag benchsuite sets itself — is refused, naming the item.
 * There is no wider escape hatch. docs/scenarios.md lists the same table.
 */

export interface RunArgRule {
  /** What the value may be, as shown in error messages and docs. */
  value: string;
  pattern: RegExp;
  /** What the option does (docs). */
  purpose: string;
}

const SIZE = /^[1-9][0-9]{0,11}[bkmgBKMG]?$/;
const CPU_LIST = /^[0-9]{1,4}(?:-[0-9]{1,4})?(?:,[0-9]{1,4}(?:-[0-9]{1,4})?){0,63}$/;
const INT = /^(?:0|[1-9][0-9]{0,9})$/;
const ULIMITS = 'core|cpu|data|fsize|locks|memlock|msgqueue|nice|nofile|nproc|rss|rtprio|rttime|sigpending|stack';

/** The allowed `--flag=value` options and their value patterns. */
export const RUN_ARG_ALLOW: Readonly<Record<string, RunArgRule>> = {
  '--cpus': { value: 'a decimal number of CPUs, e.g. 1.5', pattern: /^(?:[0-9]{1,3})(?:\.[0-9]{1,3})?$/, purpose: 'CPU quota' },
  '--cpuset-cpus': { value: 'a CPU list such as 0-3 or 0,2', pattern: CPU_LIST, purpose: 'pin to CPUs' },
  '--cpuset-mems': { value: 'a NUMA node list such as 0 or 0-1', pattern: CPU_LIST, purpose: 'pin to memory nodes' },
  '--cpu-shares': { value: 'a whole number', pattern: INT, purpose: 'relative CPU weight' },
  '--cpu-period': { value: 'microseconds, a whole number', pattern: INT, purpose: 'CFS period' },
  '--cpu-quota': { value: 'microseconds, a whole number', pattern: INT, purpose: 'CFS quota' },
  '--memory': { value: 'a size such as 512m or 2g', pattern: SIZE, purpose: 'memory limit' },
  '--memory-reservation': { value: 'a size such as 256m', pattern: SIZE, purpose: 'soft memory limit' },
  '--memory-swap': { value: 'a size such as 1g, or -1', pattern: /^(?:-1|[1-9][0-9]{0,11}[bkmgBKMG]?)$/, purpose: 'memory + swap limit' },
  '--memory-swappiness': { value: '0-100', pattern: /^(?:100|[1-9]?[0-9])$/, purpose: 'swappiness' },
  '--shm-size': { value: 'a size such as 64m', pattern: SIZE, purpose: '/dev/shm size' },
  '--pids-limit': { value: 'a whole number, or -1', pattern: /^(?:-1|[1-9][0-9]{0,9})$/, purpose: 'process limit' },
  '--blkio-weight': { value: '10-1000', pattern: /^(?:1000|[1-9][0-9]{1,2})$/, purpose: 'relative block I/O weight' },
  '--ulimit': { value: `name=soft[:hard] with name one of ${ULIMITS.replace(/\|/g, ', ')}`, pattern: new RegExp(`^(?:${ULIMITS})=(?:-1|[0-9]{1,12})(?::(?:-1|[0-9]{1,12}))?$`), purpose: 'resource limit' },
  '--read-only': { value: 'true or false', pattern: /^(?:true|false)$/, purpose: 'read-only root filesystem' },
  '--init': { value: 'true or false', pattern: /^(?:true|false)$/, purpose: 'run an init as PID 1' },
  '--oom-score-adj': { value: '-1000 to 1000', pattern: /^(?:-?(?:1000|[1-9]?[0-9]{1,2}))$/, purpose: 'OOM killer preference' },
  '--stop-timeout': { value: 'seconds, a whole number', pattern: INT, purpose: 'stop grace period' },
  '--tmpfs': {
    value: 'a path inside the container, optionally :size=64m,mode=1777 (letters, digits, . _ - / only)',
    pattern: /^\/[A-Za-z0-9._-]{1,64}(?:\/[A-Za-z0-9._-]{1,64}){0,7}(?::(?:size=[1-9][0-9]{0,11}[kmg]?|mode=[0-7]{3,4}|noexec|nosuid|nodev|exec|rw|ro)(?:,(?:size=[1-9][0-9]{0,11}[kmg]?|mode=[0-7]{3,4}|noexec|nosuid|nodev|exec|rw|ro)){0,5})?$/,
    purpose: 'an in-memory filesystem inside the container',
  },
  '--env': { value: 'NAME=value, NAME in [A-Z_][A-Z0-9_]*, value of letters, digits and . _ - : / , +', pattern: /^[A-Z_][A-Z0-9_]{0,63}=[A-Za-z0-9._:/,+-]{0,200}$/, purpose: 'an environment variable for the workload' },
  '--hostname': { value: 'a host name label', pattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, purpose: 'container host name' },
  '--runtime': { value: 'a runtime name configured in the daemon, e.g. runc or runsc', pattern: /^[a-z][a-z0-9_-]{0,31}$/, purpose: 'OCI runtime (e.g. gVisor)' },
};

/**
 * Options benchsuite sets itself (or has a dedicated field for); named in the refusal so the fix is clear.
 * Every other option not on RUN_ARG_ALLOW is refused as well.
 */
export const RESERVED_RUN_ARGS: Readonly<Record<string, string>> = {
  '--name': 'benchsuite names the container after the run',
  '--label': 'benchsuite labels the container with the run id (clean relies on it)',
  '-l': 'benchsuite labels the container with the run id (clean relies on it)',
  '--label-file': 'benchsuite labels the container with the run id (clean relies on it)',
  '--rm': 'benchsuite removes the container itself',
  '-d': 'benchsuite starts the container detached',
  '--detach': 'benchsuite starts the container detached',
  '--network': 'use container.network',
  '--net': 'use container.network',
  '--cap-add': 'use container.capAdd',
  '--cap-drop': 'use container.capDrop',
  '--security-opt': 'use container.securityOpt',
  '-u': 'use container.user',
  '--user': 'use container.user',
  '-v': 'benchsuite mounts the run\'s scratch directory itself; host paths are never mounted',
  '--volume': 'benchsuite mounts the run\'s scratch directory itself; host paths are never mounted',
  '--mount': 'benchsuite mounts the run\'s scratch directory itself; host paths are never mounted',
  '-p': 'benchsuite publishes the server port on 127.0.0.1 itself',
  '--publish': 'benchsuite publishes the server port on 127.0.0.1 itself',
};

/** Returns why `item` is not an acceptable runArgs item, or undefined when it is. */
export function runArgProblem(item: string): string | undefined {
  const m = /^(--?[A-Za-z0-9][A-Za-z0-9-]*)(?:=([\s\S]*))?$/.exec(item);
  if (!m) {
    return item.startsWith('-')
      ? 'not an option of the form --flag=value'
      : 'a bare word ends docker\'s options (it would replace the image and command); every item must be --flag=value';
  }
  const flag = m[1] as string;
  const value = m[2];
  const short = /^-[A-Za-z]/.test(flag) && !flag.startsWith('--') ? flag.slice(0, 2) : undefined;
  const reserved = RESERVED_RUN_ARGS[flag] ?? (short ? RESERVED_RUN_ARGS[short] : undefined);
  if (reserved) return `${flag} is not allowed: ${reserved}`;
  const rule = RUN_ARG_ALLOW[flag];
  if (!rule) return `${flag} is not on the runArgs allow-list (${Object.keys(RUN_ARG_ALLOW).join(', ')}); see docs/scenarios.md`;
  if (value === undefined) return `${flag} needs a value in the same item: ${flag}=<${rule.value}>`;
  if (!rule.pattern.test(value)) return `${flag}: the value must be ${rule.value}`;
  if (/(?:^|\/)\.\.?(?:\/|:|$)/.test(value)) return `${flag}: the value must not contain "." or ".." path segments`;
  return undefined;
}
