/** Bad samples are refused with a message that names the sample and the offending value. */
import { describe, expect, it } from 'vitest';
import { compare, summarize } from '../../src/stats/index.js';

describe('sample checks', () => {
  it('an empty sample names itself', () => {
    expect(() => summarize([])).toThrow('values: need at least one value');
    expect(() => compare([], [1, 2])).toThrow('baseline: need at least one value');
    expect(() => compare([1, 2], [])).toThrow('candidate: need at least one value');
  });

  it('a value that is not a finite number is named by its position', () => {
    expect(() => summarize([1, 2, Infinity])).toThrow('values[2] is not a finite number: Infinity');
    expect(() => compare([1, Number.NaN], [1, 2])).toThrow('baseline[1] is not a finite number: NaN');
    expect(() => compare([1, 2], ['3' as unknown as number])).toThrow('candidate[0] is not a finite number: 3');
  });
});
