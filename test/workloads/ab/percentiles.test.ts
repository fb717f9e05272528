import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { abArgv, AbWorkload, parseAbOutput } from '../../../src/workloads/ab/index.js';
import { ab } from '../../../src/workloads/ab/index.js';

/** Captured real output of ab 2.3 with `-e <file>`, the file appended to the report as benchsuite does (test/fixtures/workloads/ab/README.md). */
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/workloads/ab/${name}`, import.meta.url), 'utf8');

describe('ab percentiles with sub-millisecond resolution (-e CSV)', () => {
  it('reads the CSV lines after the report: ms with three decimals where the table says whole ms', () => {
    const p = parseAbOutput(fixture('keepalive-csv.txt'));
    expect(p.completeRequests).toBe(2000);
    expect(p.percentiles['50']).toBe(1);
    expect(p.percentiles['99']).toBe(35);
    expect(Object.keys(p.percentilesMs)).toHaveLength(101);
    expect(p.percentilesMs['0']).toBe(0.115);
    expect(p.percentilesMs['50']).toBe(0.572);
    expect(p.percentilesMs['90']).toBe(4.645);
    expect(p.percentilesMs['99']).toBe(35.175);
    expect(p.percentilesMs['100']).toBe(56.478);
  });
  it('a report without -e has no CSV percentiles; a non-2xx run still has them', () => {
    expect(parseAbOutput(fixture('keepalive.txt')).percentilesMs).toEqual({});
    const p = parseAbOutput(fixture('non2xx-404-csv.txt'));
    expect(p.non2xx).toBe(500);
    expect(Object.keys(p.percentilesMs)).toHaveLength(101);
  });
  it('asks ab for the CSV, and declares a 0.001 ms resolution for its percentiles', () => {
    const spec = ab.schema.parse({ kind: 'ab' });
    expect(abArgv(spec, 'http://127.0.0.1:1/', '/s/p.csv')).toEqual(expect.arrayContaining(['-e', '/s/p.csv']));
    const m = new AbWorkload('web', spec).metrics().filter((x) => /^p\d+_ms$/.test(x.metric));
    expect(m.map((x) => x.metric)).toEqual(['p50_ms', 'p90_ms', 'p99_ms']);
    expect(m.every((x) => x.resolution === 0.001)).toBe(true);
  });
});
