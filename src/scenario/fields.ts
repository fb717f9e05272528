/**
 * The allow-list field builders of the scenario schema. They live in src/util/fields.ts (a leaf folder) so that
 * workload settings (src/workloads/<kind>/) can import them without a scenario ↔ workloads folder cycle.
 */
export * from '../util/fields.js';
