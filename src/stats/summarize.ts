/** Descriptive summary of one series of measurements. */

import { assertSample, mean as meanOf, median as medianOf, sampleStddev } from './descriptive.js';
import { detectOutliers, type Outlier } from './outliers.js';
import { studentTQuantile } from './student-t.js';
import { assertConfidence, assertResolution, type Interval } from './types.js';

export const DEFAULT_CONFIDENCE = 0.95;

export interface SummarizeOptions {
  /** Confidence level of `ci` (default 0.95). */
  confidence?: number;
  /** Metric direction; when given, the 'slow-first' outlier rule is evaluated as well. */
  higherIsBetter?: boolean;
  /**
   * The metric's quantum in its unit (e.g. 1 for whole milliseconds). The interval of the mean uses
   * max(stddev, resolution/√12) so that a quantized metric with no visible spread still gets an honest width.
   */
  resolution?: number;
}

export interface Summary {
  n: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n − 1 denominator); 0 when n = 1. */
  stddev: number;
  /** Standard error of the mean, stddev / √n; 0 when n = 1. */
  stderr: number;
  /** Coefficient of variation stddev / |mean|; null when n < 2 or mean = 0. */
  cv: number | null;
  min: number;
  max: number;
  confidence: number;
  /**
   * Student-t interval of the mean: mean ± t_{(1+c)/2}(n − 1)·max(stddev, resolution/√12)/√n; null when n < 2.
   */
  ci: Interval | null;
  /** t_{(1+c)/2}(n − 1)·stderr; null when n < 2. */
  halfWidth: number | null;
  /**
   * halfWidth / |mean| (a fraction, not percent). null when n < 2, or when mean = 0 with a non-zero
   * half-width; 0 when the half-width is 0 (all values equal).
   */
  relativeHalfWidth: number | null;
  /** Flagged samples (never removed from the statistics above). */
  outliers: Outlier[];
}

export function summarize(values: readonly number[], options: SummarizeOptions = {}): Summary {
  assertSample(values);
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  assertConfidence(confidence);
  const resolution = options.resolution;
  assertResolution(resolution);
  const n = values.length;
  const mean = meanOf(values);
  const stddev = sampleStddev(values, mean);
  const stderr = stddev / Math.sqrt(n);
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }

  let ci: Interval | null = null;
  let halfWidth: number | null = null;
  let relativeHalfWidth: number | null = null;
  if (n >= 2) {
    const sdForCi = Math.max(stddev, (resolution ?? 0) / Math.sqrt(12));
    halfWidth = studentTQuantile((1 + confidence) / 2, n - 1) * (sdForCi / Math.sqrt(n));
    ci = { low: mean - halfWidth, high: mean + halfWidth };
    if (halfWidth === 0) relativeHalfWidth = 0;
    else if (mean !== 0) relativeHalfWidth = halfWidth / Math.abs(mean);
  }

  const outlierOptions = options.higherIsBetter === undefined ? {} : { higherIsBetter: options.higherIsBetter };
  return {
    n,
    mean,
    median: medianOf(values),
    stddev,
    stderr,
    cv: n >= 2 && mean !== 0 ? stddev / Math.abs(mean) : null,
    min,
    max,
    confidence,
    ci,
    halfWidth,
    relativeHalfWidth,
    outliers: detectOutliers(values, outlierOptions),
  };
}
