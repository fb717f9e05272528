/** Public surface of the statistics engine. */

export type { Interval } from './types.js';
export { summarize, DEFAULT_CONFIDENCE } from './summarize.js';
export type { Summary, SummarizeOptions } from './summarize.js';
export {
  compare,
  describeCiNull,
  fiellerRatioInterval,
  logDeltaRatioInterval,
  welchSatterthwaite,
  welchTTest,
  verdictFor,
  toOverhead,
  toOverheadInterval,
  groupStats,
  VERDICT_MIN_N,
} from './compare.js';
export type {
  Comparison,
  CompareOptions,
  BootstrapComparison,
  CiNullReason,
  FiellerResult,
  GroupStats,
  IntervalMethod,
  LogDeltaResult,
  Verdict,
  WelchResult,
} from './compare.js';
export { mannWhitney, mannWhitneyExactSf, MWU_EXACT_MAX_TOTAL } from './mann-whitney.js';
export type { MannWhitneyMethod, MannWhitneyOptions, MannWhitneyResult } from './mann-whitney.js';
export { bootstrapDifferencePct, DEFAULT_BOOTSTRAP_RESAMPLES, DEFAULT_BOOTSTRAP_SEED } from './bootstrap.js';
export type { BootstrapDifference, BootstrapOptions } from './bootstrap.js';
export {
  detectOutliers,
  tukeyOutliers,
  tukeyFences,
  madOutliers,
  slowFirstOutlier,
  withoutOutliers,
  OUTLIER_MIN_N,
  SLOW_FIRST_MIN_N,
  MAD_SCALE,
  MAD_CUTOFF,
} from './outliers.js';
export type { Outlier, OutlierRule, TukeyFences, DetectOutliersOptions } from './outliers.js';
export { decideSampling, DEFAULT_ADAPTIVE_PLAN, STOPPED_ALPHA_FACTOR, stoppedConfidence } from './adaptive.js';
export type { AdaptiveDecision, AdaptiveInput, AdaptivePlan, AdaptiveReason, AdaptiveTargetStatus } from './adaptive.js';
export { studentTCdf, studentTSf, studentTPdf, studentTQuantile, studentTTwoSidedP } from './student-t.js';
export { normalCdf, normalSf, normalQuantile } from './special.js';
export { createRng } from './random.js';
export type { Rng } from './random.js';
export { mean, median, sampleStddev, sampleVariance, quantileSorted } from './descriptive.js';
export { twoLevelSummary, levelPlan } from './levels.js';
export type { TwoLevelSummary, TwoLevelOptions, RepetitionCosts, LevelPlan } from './levels.js';
export {
  pairedInterval,
  choosePaired,
  describePairedReason,
  lag1Autocorrelation,
  lag1Bound,
  pearson,
  correlationPValue,
  PAIRED_MIN_PAIRS,
  PAIRED_CHECK_ALPHA,
} from './paired.js';
export type { PairedChoice, PairedInterval, PairedMethod, PairedOptions, PairedReason } from './paired.js';
