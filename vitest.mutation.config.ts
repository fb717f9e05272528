import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The unit-level tests only: no Docker, no sshd, no spawned CLI, no browser. Used by `npm run mutation`
// (stryker.config.mjs), which runs these tests once per mutant, so everything here must be fast and
// must not touch a target. test/global-setup.ts is left out on purpose (it builds dist/ and needs dockerd).
export const UNIT_TESTS = [
  'test/stats/**/*.test.ts',
  'test/results/**/*.test.ts',
  'test/runner/**/*.test.ts',
  'test/scenario/**/*.test.ts',
  'test/report/**/*.test.ts',
  // The trust tests that use fakes (not hostile-inputs.test.ts, which spawns the CLI).
  'test/trust/clean.test.ts',
  'test/trust/escape.test.ts',
  'test/trust/scenario-fields.test.ts',
];

function vectorsReadOutside(): boolean {
  const f = 'test/stats/vectors.test.ts';
  return existsSync(f) && readFileSync(f, 'utf8').includes('../shared/');
}

/** Test files under test/ that spawn the CLI (they import test/helpers/cli.js): never unit-level. */
function cliTests(dir = 'test'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return cliTests(p);
    return e.name.endsWith('.test.ts') && /helpers\/cli\.js'/.test(readFileSync(p, 'utf8')) ? [p] : [];
  });
}

// MUTATION_TESTS=glob,glob narrows the tests for a quick look at one folder (scores are then a lower bound:
// tests left out might have killed more mutants). `npm run mutation` uses all of UNIT_TESTS.
const only = process.env.MUTATION_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: only?.length ? only : UNIT_TESTS,
    exclude: [
      // Drives headless Chromium: seconds per run and nothing it checks is reachable by mutants the other
      // report tests do not already reach.
      'test/report/html.test.ts',
      // Left out only while it still reads ../shared (outside the repository, absent in Stryker's sandbox).
      ...(vectorsReadOutside() ? ['test/stats/vectors.test.ts'] : []),
      // Any test that spawns the CLI, wherever it lives (e.g. test/report/table-brief.test.ts).
      ...cliTests(),
    ],
    testTimeout: 60_000,
  },
});
