/**
 * The scenario file's schema: every field, its type, range and default, in one place.
 * Each workload kind's settings live in its own folder (src/workloads/<kind>/); cross-field rules in validate.ts.
 */
import { z } from 'zod';
import { absolutePath, homeOrAbsolutePath, label, prose, safeId } from './fields.js';
import { runArgProblem } from './run-args.js';
import { quoteValue } from '../util/quote.js';
import { CPU_LIST_MESSAGE, CPU_LIST_PATTERN } from '../util/cpu-list.js';
import { WORKLOAD_KINDS } from '../workloads/registry.js';

/** The image benchsuite builds locally when a scenario does not name one (no registry needed). */
export const DEFAULT_IMAGE = 'benchsuite/workload:local';
export const DEFAULT_SCRATCH_ROOT = '/var/tmp/benchsuite';
/** scratchRoot's length cap (the run id, target id and file names are appended to it). */
export const SCRATCH_ROOT_MAX = 128;

const capability = z
  .string()
  .regex(/^(ALL|(CAP_)?[A-Z][A-Z_]{1,30})$/, 'a Linux capability name such as NET_BIND_SERVICE, or ALL');

export const containerSchema = z
  .object({
    image: z
      .string()
      .regex(
        /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
        'a Docker image reference such as nginx:1.27 or registry.example:5000/team/img:tag',
      )
      .max(255, 'at most 255 characters')
      .default(DEFAULT_IMAGE),
    capDrop: z.array(capability).default([]),
    capAdd: z.array(capability).default([]),
    securityOpt: z
      .array(
        z
          .string()
          .max(200, 'at most 200 characters')
          .regex(
            /^(?:no-new-privileges(?:[=:](?:true|false))?|seccomp[=:](?:unconfined|\/[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*)|apparmor[=:][A-Za-z0-9_.-]{1,64}|label[=:](?:disable|nested|(?:user|role|type|level):[A-Za-z0-9_.:,-]{1,64})|systempaths=unconfined)$/,
            'a --security-opt value: no-new-privileges, seccomp=unconfined or seccomp=/abs/profile.json, apparmor=<profile>, label=…, systempaths=unconfined',
          ),
      )
      .default([]),
    network: z.enum(['host', 'bridge']).default('host'),
    storage: z.enum(['overlay', 'volume']).default('volume'),
    user: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$/, 'a user name or uid[:gid]').optional(),
    /** Extra `docker run` options: `--flag=value` items from the allow-list in run-args.ts (docs/scenarios.md). */
    runArgs: z
      .array(
        z.string().superRefine((a, ctx) => {
          const problem = runArgProblem(a);
          if (problem) ctx.addIssue({ code: 'custom', message: `${quoteValue(a)}: ${problem}` });
        }),
      )
      .max(32, 'at most 32 items')
      .default([]),
  })
  .strict();

/** A CPU list; a bare number (YAML `workload: 1`, `--set …pin.workload=1`) is that CPU. */
const cpuList = z.preprocess(
  (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : v),
  z.string().max(200, 'at most 200 characters').regex(CPU_LIST_PATTERN, CPU_LIST_MESSAGE),
);

/** CPU pinning of a target (docs/scenarios.md, "Pinning"): the workload and its server on some CPUs, the client on others. */
export const pinSchema = z
  .object({
    /** Where the workload and its server run: taskset -c on a machine, --cpuset-cpus for a container. */
    workload: cpuList.optional(),
    /** Where a workload's load generator (its client) runs on the machine: taskset -c. */
    client: cpuList.optional(),
  })
  .strict();

export const targetSchema = z
  .object({
    label: label(60),
    /**
     * "local" (this host), "vm" (benchsuite's local guest, see `benchsuite vm`), "auto" (the local guest when this
     * host runs guests with KVM, else this host), or "ssh://user@host[:port]".
     */
    host: z
      .string()
      .max(300, 'at most 300 characters')
      .regex(/^[A-Za-z0-9@:/.[\]_-]*$/, 'local, vm, auto or ssh://user@host[:port]')
      .default('local'),
    /** What the target is meant to be; when the measurement disagrees, reports head its column with what ran. */
    isolation: z.enum(['kvm']).optional(),
    /** SSH private key for ssh:// hosts (the path is recorded; the key never is). */
    identityFile: homeOrAbsolutePath(200).optional(),
    /** known_hosts file for ssh:// hosts (default: the user's own). */
    knownHostsFile: absolutePath(200).optional(),
    container: containerSchema.optional(),
    pin: pinSchema.optional(),
  })
  .strict();

type SchemaOf<K> = K extends { schema: infer S } ? S : never;
type SchemasOf<T extends readonly unknown[]> = { -readonly [I in keyof T]: SchemaOf<T[I]> };
type KindSchemas = SchemasOf<typeof WORKLOAD_KINDS>;
/** One entry of `workloads:` — the union of the registered kinds' schemas (src/workloads/registry.ts). */
export const workloadSchema = z.discriminatedUnion('kind', WORKLOAD_KINDS.map((k) => k.schema) as unknown as KindSchemas);

export const adaptiveSamplesSchema = z
  .object({
    min: z.number().int().min(2).max(10_000).default(6),
    max: z.number().int().min(2).max(10_000).default(30),
    targetHalfWidthPct: z.number().positive().max(100).default(1),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: safeId(),
    description: prose(2000).optional(),
    baseline: safeId(),
    targets: z.record(safeId(), targetSchema),
    workloads: z.record(safeId(), workloadSchema),
    /** A fixed count, or adaptive: keep sampling until precise enough. */
    samples: z.union([z.number().int('a whole number').min(2).max(10_000), adaptiveSamplesSchema]).default(10),
    warmup: z.number().int('a whole number').min(0).max(100).default(1),
    /**
     * Independent blocks per workload (`--repeat`): each prepares the workload afresh (processes, containers,
     * servers), warms up and takes a fixed count of samples; intervals then come from the block means
     * (docs/statistics.md, "Repetitions at two levels"). Omitted: 1, one block as before.
     */
    repeat: z.number().int('a whole number').min(1).max(20).optional(),
    order: z.enum(['interleaved', 'randomized', 'sequential']).default('interleaved'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    confidence: z.number().min(0.5).max(0.999).default(0.95),
    /** Per-sample timeout. */
    timeoutSec: z.number().positive().max(86_400).default(300),
    /** Every scratch file lives under a directory benchsuite creates inside this root. */
    scratchRoot: absolutePath(SCRATCH_ROOT_MAX).default(DEFAULT_SCRATCH_ROOT),
    /** Refuse to start when a target's machine is busier than this (percent of all CPUs over ~1 s before sampling); omitted: warn only. */
    maxBusyCpuPct: z.number().min(0).max(100).optional(),
    /** Overhead (in the worse direction) the candidate may have before a verdict fails. */
    tolerancePct: z.number().min(0).max(1000).optional(),
  })
  .strict();

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type TargetSpec = z.output<typeof targetSchema>;
export type ContainerSpec = z.output<typeof containerSchema>;
export type PinSpec = z.output<typeof pinSchema>;
export type WorkloadSpec = z.output<typeof workloadSchema>;
