// @ts-check
// Mutation testing: `npm run mutation`. See docs/testing.md for how to read the result and which surviving
// mutants are accepted. Unit-level tests only (vitest.mutation.config.ts): no Docker, no sshd, no CLI process.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/stats/**/*.ts',
    'src/results/**/*.ts',
    'src/runner/**/*.ts',
    'src/report/**/*.ts',
    'src/scenario/**/*.ts',
    // Seeded fake results for the report benchmark and fixtures (bench/report-hotpaths.ts): a generator of test
    // data, not behaviour the product has; no unit test runs it, so every mutant in it would be "no coverage".
    '!src/report/synthetic.ts',
  ],
  // Each mutant runs only the tests that reached it.
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants) would need the whole suite per mutant: skipped, counted as "ignored".
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20_000,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
