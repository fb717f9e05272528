import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFioJson } from '../../../src/workloads/fio/index.js';

/** Captured real output of fio 3.33 (test/fixtures/workloads/fio/README.md); expected values read off the files by hand. */
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/workloads/fio/${name}`, import.meta.url), 'utf8');

describe('fio --output-format=json', () => {
  it('random read 4 KiB: bytes/s, IOPS and completion-latency percentiles (ns)', () => {
    const p = parseFioJson(fixture('randread.json'));
    expect(p.version).toBe('fio-3.33');
    expect(p.read.bwBytes).toBe(33859727);
    expect(p.read.iops).toBeCloseTo(8266.535044, 6);
    expect(p.read.ioBytes).toBe(34299904);
    expect(p.read.clatPercentilesNs['50']).toBe(528384);
    expect(p.read.clatPercentilesNs['99']).toBe(36962304);
    expect(p.write.ioBytes).toBe(0);
    expect(p.errors).toEqual([0]);
  });
  it('sequential write and read 1 MiB, random write', () => {
    const w = parseFioJson(fixture('write.json'));
    expect(w.write.bwBytes).toBe(725535138);
    expect(w.write.iops).toBeCloseTo(691.924227, 6);
    expect(w.write.clatPercentilesNs['99']).toBe(126353408);
    const r = parseFioJson(fixture('read.json'));
    expect(r.read.bwBytes).toBe(845179902);
    expect(r.read.clatPercentilesNs['50']).toBe(33816576);
    const rw = parseFioJson(fixture('randwrite.json'));
    expect(rw.write.iops).toBeCloseTo(9509.452736, 6);
    expect(rw.write.clatPercentilesNs['50']).toBe(602112);
  });
  it('two jobs with --group_reporting are one group', () => {
    const p = parseFioJson(fixture('randread-2jobs.json'));
    expect(p.jobs).toBe(1);
    expect(p.read.iops).toBeCloseTo(21645.833333, 6);
  });
  it('skips the note fio prints before the JSON (psync with iodepth > 1)', () => {
    const text = fixture('psync-note.json');
    expect(text.startsWith('note:')).toBe(true);
    const p = parseFioJson(text);
    expect(p.read.bwBytes).toBe(9018565);
    expect(p.read.iops).toBeCloseTo(2201.798202, 6);
  });
  it('reports the job error of a failed run (a directory as the file: errno 21)', () => {
    expect(parseFioJson(fixture('error-isdir.json')).errors).toEqual([21]);
  });
  it('refuses output without a report', () => {
    expect(() => parseFioJson('fio: unrecognized option')).toThrow(/no JSON/);
    expect(() => parseFioJson('{"jobs": []}')).toThrow(/no "jobs"/);
  });
});
