/** Types shared across the statistics modules. */

/** A closed interval [low, high]. */
export interface Interval {
  low: number;
  high: number;
}

/** Throws unless 0 < confidence < 1. */
export function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be strictly between 0 and 1, got ${confidence}`);
  }
}

/** Throws unless the measurement resolution is absent or a finite number ≥ 0. */
export function assertResolution(resolution: number | undefined): void {
  if (resolution !== undefined && !(resolution >= 0 && Number.isFinite(resolution))) {
    throw new RangeError(`resolution must be a finite number ≥ 0, got ${resolution}`);
  }
}
