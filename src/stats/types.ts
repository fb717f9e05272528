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
