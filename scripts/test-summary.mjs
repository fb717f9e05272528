// Prints "N passed, N failed[, N skipped]" from vitest's JSON report (the line CI reads).
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that failed to load counts as a failure even when it declared no tests.
  const brokenFiles = (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0).length;
  const failed = (r.numFailedTests ?? 0) + brokenFiles;
  console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
} catch (e) {
  console.log(`no test report at ${file} (${e.message})`);
  console.log('0 passed, 1 failed');
}
