/**
 * Rules for the tests themselves. One so far: the unit-level tests (the mutation set, vitest.mutation.config.ts)
 * never run the code under test while vitest collects a file, i.e. in a describe body. Work done there belongs to
 * no test, so StrykerJS's per-test coverage cannot see it: the tests that check that work are never rerun for a
 * mutant in it, and the mutant "survives" however good the assertions are (found in analyze.test.ts, where
 * removing the "without outliers" comparison survived). Compute inside each test instead (docs/testing.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const UNIT_DIRS = ['test/stats', 'test/results', 'test/runner', 'test/scenario', 'test/report', 'test/trust'];

/** Functions a test file imports from src/ (type-only imports left out). */
function srcImports(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/^import (?!type )\{([^}]*)\} from '[^']*\/src\/[^']*';/gm)) {
    for (const part of (m[1] as string).split(',')) {
      const name = part.trim().replace(/^type\s+\w+$/, '').split(/\s+as\s+/).pop()?.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

/** Lines of describe bodies (before their first test or hook) that call an imported src/ function right away. */
export function collectionTimeCalls(source: string): string[] {
  const names = srcImports(source);
  if (!names.length) return [];
  const call = new RegExp(`\\b(${names.map((n) => n.replace(/[$]/g, '\\$')).join('|')})\\(`);
  const lines = source.split('\n');
  const found: string[] = [];
  lines.forEach((line, i) => {
    if (!/\bdescribe(\.each\(.*\))?\(/.test(line)) return;
    // Depth of braces inside the describe body: deeper lines are the bodies of helpers, run only when called.
    let depth = 0;
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j] as string;
      if (depth === 0 && /^\s*(it|test|describe|beforeAll|beforeEach|afterAll|afterEach)\b/.test(l)) break;
      const m = call.exec(l);
      // A call after an arrow is deferred (a helper the tests call), not run at collection.
      if (depth === 0 && m && !l.slice(0, m.index).includes('=>')) found.push(`${j + 1}: ${l.trim()}`);
      depth += (l.match(/\{/g) ?? []).length - (l.match(/\}/g) ?? []).length;
      if (depth < 0) break; // the describe body ended
    }
  });
  return found;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('testing rules', () => {
  it('finds code under test run in a describe body, and not in a deferred helper (the check itself)', () => {
    const bad = [
      "import { analyze } from '../../src/results/analyze.js';",
      "describe('x', () => {",
      '  const out = analyze(input);',
      '  const later = () => analyze(input);',
      '  const helper = (r) => {',
      '    const model = analyze(r);',
      '    return model;',
      '  };',
      "  it('y', () => {",
      '    expect(analyze(input)).toBeDefined();',
      '  });',
      '});',
    ].join('\n');
    expect(collectionTimeCalls(bad)).toEqual(['3: const out = analyze(input);']);
    expect(collectionTimeCalls(bad.replace("import { analyze }", 'import type { analyze }'))).toEqual([]);
  });

  it('no unit-level test runs the code under test while its file is collected', () => {
    const offences = UNIT_DIRS.flatMap((d) => testFiles(d)).flatMap((f) => collectionTimeCalls(readFileSync(f, 'utf8')).map((l) => `${f}:${l}`));
    expect(offences).toEqual([]);
  });
});
