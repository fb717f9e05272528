import { describe, expect, it, vi } from 'vitest';
import { etaText, withTicker } from '../../src/vm/proc.js';

describe('first guest build progress: the ETA', () => {
  it('counts down from the expectation, then says it is taking longer', () => {
    expect(etaText(260_000, 300_000)).toBe('about 40 s left of ~300 s expected');
    expect(etaText(0, 560_000)).toBe('about 560 s left of ~560 s expected');
    expect(etaText(300_000, 300_000)).toBe('longer than the ~300 s expected');
    expect(etaText(420_000, 300_000)).toBe('longer than the ~300 s expected');
  });

  it('says nothing without an expectation', () => {
    expect(etaText(10_000)).toBe('');
    expect(etaText(10_000, 0)).toBe('');
    expect(etaText(10_000, Number.NaN)).toBe('');
  });

  it('the ticker lines carry the elapsed time and the ETA', async () => {
    vi.useFakeTimers();
    try {
      const lines: string[] = [];
      let finish!: () => void;
      const work = new Promise<void>((r) => (finish = r));
      const done = withTicker((m) => lines.push(m), 'running debootstrap', work, 20_000, 100_000);
      await vi.advanceTimersByTimeAsync(60_000);
      finish();
      await done;
      expect(lines).toEqual([
        '… still running debootstrap (20 s; about 80 s left of ~100 s expected)',
        '… still running debootstrap (40 s; about 60 s left of ~100 s expected)',
        '… still running debootstrap (60 s; about 40 s left of ~100 s expected)',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
