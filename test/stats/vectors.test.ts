import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compare, summarize } from '../../src/stats/index.js';

interface SummaryVector {
  n: number;
  mean: number;
  median: number;
  stddev: number;
  ci: [number, number] | null;
}
interface Vector {
  name: string;
  confidence: number;
  baseline: number[];
  candidate: number[];
  summarizeBaseline: SummaryVector;
  summarizeCandidate: SummaryVector;
  compare: {
    ratio: number;
    differencePct: number;
    ci: [number, number] | null;
    pValue: number;
    df: number;
  };
}

const vectors = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/stats/stats-vectors.json', import.meta.url)), 'utf8'),
) as Vector[];

const REL = 1e-6;
function expectRel(actual: number | null | undefined, expected: number, what: string): void {
  expect(actual, what).toBeTypeOf('number');
  const err = Math.abs((actual as number) - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(err, `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(REL);
}

describe('scipy vectors in test/fixtures/stats (1e-6 relative)', () => {
  it('file has cases, including an unbounded one', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(7);
    expect(vectors.some((v) => v.compare.ci === null)).toBe(true);
  });

  for (const v of vectors) {
    describe(v.name, () => {
      for (const [label, values, expected] of [
        ['baseline', v.baseline, v.summarizeBaseline],
        ['candidate', v.candidate, v.summarizeCandidate],
      ] as const) {
        it(`summarize(${label})`, () => {
          const s = summarize(values, { confidence: v.confidence });
          expect(s.n).toBe(expected.n);
          expect(s.confidence).toBe(v.confidence);
          expectRel(s.mean, expected.mean, 'mean');
          expectRel(s.median, expected.median, 'median');
          expectRel(s.stddev, expected.stddev, 'stddev');
          if (expected.ci === null) {
            expect(s.ci).toBeNull();
          } else {
            expectRel(s.ci?.low, expected.ci[0], 'ci.low');
            expectRel(s.ci?.high, expected.ci[1], 'ci.high');
          }
        });
      }

      it('compare', () => {
        const c = compare(v.baseline, v.candidate, { confidence: v.confidence, positive: false }); // Fieller references
        expectRel(c.ratio, v.compare.ratio, 'ratio');
        expectRel(c.differencePct, v.compare.differencePct, 'differencePct');
        expectRel(c.pValue, v.compare.pValue, 'pValue');
        expectRel(c.df, v.compare.df, 'df');
        if (v.compare.ci === null) {
          expect(c.ci).toBeNull();
          expect(c.ciUnbounded).toBe(true);
          expect(c.ciNullReason).toBe('unbounded');
          expect(c.overheadCi).toBeNull();
        } else {
          expectRel(c.ci?.low, v.compare.ci[0], 'ci.low');
          expectRel(c.ci?.high, v.compare.ci[1], 'ci.high');
          expect(c.ciUnbounded).toBe(false);
        }
      });
    });
  }
});
