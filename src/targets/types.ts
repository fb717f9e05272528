/**
 * The target contract (Target, Environment) lives in src/exec/types.ts, below everything that uses it (workloads,
 * the fingerprint); this module re-exports it for the rest of the code. A new kind of target is one module
 * implementing Target plus one line in the kinds registry (./kinds.ts).
 */
export type { BackgroundProcess, Environment, EnvironmentSpec, ExecOptions, ExecResult, Machine, MachineCheck, Target } from '../exec/types.js';
export { ConnectionError, formatExecFailure } from '../exec/types.js';
