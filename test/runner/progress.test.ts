/**
 * Progress output: in a CI log (not a terminal) one plain line per sample with the ETA written out; quiet
 * prints nothing; on a terminal a bar that a log line interrupts. Expected lines are written by hand.
 */
import { describe, expect, it } from 'vitest';
import { createProgress, type ProgressEvent } from '../../src/runner/progress.js';

function stream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const s = {
    isTTY,
    columns: 100,
    write: (c: string | Uint8Array) => chunks.push(String(c)) > 0,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => s,
    removeListener: () => s,
    text: () => chunks.join(''),
  };
  return s as unknown as NodeJS.WriteStream & { text: () => string };
}

const event = (over: Partial<ProgressEvent>): ProgressEvent => ({
  done: 3, total: 10, workload: 'dd', target: 'docker', round: 0, warmup: false, text: '512 MB/s', etaSec: 42, ...over,
});

describe('plain lines (not a terminal)', () => {
  it('one line per sample: counts, workload · target, round (1-based), text, ETA', () => {
    const s = stream(false);
    const p = createProgress(s);
    p.update(event({}));
    p.update(event({ done: 4, round: 4, etaSec: 59.4 }));
    p.update(event({ warmup: true, etaSec: 60 }));
    p.update(event({ etaSec: 3725 })); // 62 min 5 s
    p.update(event({ etaSec: 119.6 })); // rounds to 120 s: two whole minutes, never "1m60s"
    p.update(event({ etaSec: 59.6 })); // rounds to 60 s
    p.update(event({ etaSec: null }));
    p.update(event({ etaSec: Infinity }));
    p.log('note: something');
    p.stop();
    expect(s.text().split('\n')).toEqual([
      '[3/10] dd · docker · round 1 · 512 MB/s · ETA 42s',
      '[4/10] dd · docker · round 5 · 512 MB/s · ETA 59s',
      '[3/10] dd · docker (warmup) · 512 MB/s · ETA 1m00s',
      '[3/10] dd · docker · round 1 · 512 MB/s · ETA 62m05s',
      '[3/10] dd · docker · round 1 · 512 MB/s · ETA 2m00s',
      '[3/10] dd · docker · round 1 · 512 MB/s · ETA 1m00s',
      '[3/10] dd · docker · round 1 · 512 MB/s · ETA ?',
      '[3/10] dd · docker · round 1 · 512 MB/s · ETA ?',
      'note: something',
      '',
    ]);
  });

  it('adaptive sampling adds the projected rounds, singular for one', () => {
    const s = stream(false);
    const p = createProgress(s);
    p.update(event({ projectedRounds: 1 }));
    p.update(event({ projectedRounds: 7 }));
    p.update(event({ projectedRounds: 0 }));
    expect(s.text().split('\n')).toEqual([
      '[3/10] dd · docker · round 1 · 512 MB/s · ETA 42s (adaptive: ~1 more round projected)',
      '[3/10] dd · docker · round 1 · 512 MB/s · ETA 42s (adaptive: ~7 more rounds projected)',
      '[3/10] dd · docker · round 1 · 512 MB/s · ETA 42s (adaptive: ~0 more rounds projected)',
      '',
    ]);
  });
});

describe('quiet', () => {
  it('writes nothing, on a terminal or not', () => {
    for (const tty of [false, true]) {
      const s = stream(tty);
      const p = createProgress(s, true);
      p.update(event({}));
      p.log('x');
      p.stop();
      expect(s.text()).toBe('');
    }
  });
});

describe('terminal', () => {
  it('draws a bar with the counts, the sample and the ETA; a log line is written whole', () => {
    const s = stream(true);
    const p = createProgress(s);
    p.update(event({ projectedRounds: 2 }));
    p.update(event({ done: 5, total: 12 }));
    p.log('target B cannot run');
    p.update(event({ done: 6, total: 12 }));
    p.stop();
    const text = s.text();
    expect(text).toContain('3/10 · dd · docker: 512 MB/s · ETA 42s (adaptive: ~2 more rounds projected)');
    expect(text).toContain('5/12 · dd · docker: 512 MB/s · ETA 42s');
    expect(text).toContain('target B cannot run\n');
    // Restarted after the log line, with the new total.
    expect(text.indexOf('6/12')).toBeGreaterThan(text.indexOf('target B cannot run'));
  });
});
