import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

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

/**
 * Quickest test files first. Stryker stops a mutant's run at the first failing test (bail), so a mutant the
 * quick tests kill never loads the slow files; vitest's own order is the opposite (longest first). Durations
 * are the ones vitest recorded for this project (Stryker's initial run records every file's); a file without
 * one goes by its size.
 */
class QuickestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const cost = (f: TestSpecification): [number, number] => {
      const key = `${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`;
      return [cache.getFileTestResults(key)?.duration ?? 0, cache.getFileStats(key)?.size ?? 0];
    };
    return [...files].sort((a, b) => {
      const [da, sa] = cost(a);
      const [db, sb] = cost(b);
      return da - db || sa - sb;
    });
  }
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
      // A seeded Monte-Carlo check of interval coverage (thousands of simulated runs): 2 s plain, tens of
      // seconds under Stryker's instrumentation, and it reaches nearly every stats mutant, so each surviving one
      // would pay for it. What it checks at the level of single values (quantiles, intervals, the correction
      // factor) the scipy and hand-computed tests in test/stats pin exactly.
      'test/stats/calibration.test.ts',
      // Spins real busy loops on this host for a second per sample (integration, not unit-level): every runner
      // mutant it reaches would pay 4 s. What it checks end to end, the unit tests of the noise arithmetic
      // (test/util/cpu-noise.test.ts) and the runner's fakes check without real processes.
      'test/runner/noise.test.ts',
      // Any test that spawns the CLI, wherever it lives (e.g. test/report/table-brief.test.ts).
      ...cliTests(),
    ],
    testTimeout: 60_000,
    // One module graph per mutant run instead of one per test file: a mutant reached from five test files
    // starts one worker, not five. Safe because Stryker switches mutants at run time and every mutant run
    // starts a fresh worker (module state such as caches never carries from one mutant to the next).
    isolate: false,
    sequence: { sequencer: QuickestFirst },
  },
});
