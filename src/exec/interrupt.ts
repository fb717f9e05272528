/**
 * Ctrl-C and SIGTERM for a command that runs things: the first signal aborts (the running sample or step
 * stops and cleans up), a second kills every process group benchsuite started and exits 130 at once.
 * One implementation for `run`, a fleet run and the `vm` commands.
 */
import { killAllChildren } from './process.js';

export interface InterruptTrap {
  /** Aborted by the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Stop listening (call in a finally). */
  release(): void;
}

export function trapInterrupts(onFirst: (sig: NodeJS.Signals) => void): InterruptTrap {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      onFirst(sig);
      controller.abort();
    } else {
      killAllChildren();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
