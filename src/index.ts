/** benchsuite's library entry: the statistics engine, the results model, and the runner. */
export * from './stats/index.js';
export type {
  RunResults,
  Sample,
  SummaryRecord,
  ComparisonRecord,
  TargetRecord,
  MetricInfo,
  Fingerprint,
  Unknown,
  Known,
} from './results/model.js';
export { SCHEMA_VERSION } from './results/model.js';
export { runScenario, type RunOptions } from './runner/run.js';
export { loadScenario, parseScenarioText } from './scenario/load.js';
export type { Scenario } from './scenario/schema.js';
export { InputError } from './scenario/errors.js';
