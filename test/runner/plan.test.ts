/** The plan step: sample counts, the seed's precedence, and the results skeleton a run starts from (or resumes). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initialResults, planOf, plannedPerTarget, seedFor } from '../../src/runner/plan.js';
import type { RunResults } from '../../src/results/model.js';
import { scenarioWith, tempDir } from './fakes.js';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('plan', () => {
  it('a fixed count, or the adaptive bounds; at most max per target', () => {
    const fixed = planOf(scenarioWith({ samples: 7 }, tempDir('plan')));
    expect(fixed).toEqual({ fixed: 7 });
    expect(plannedPerTarget(fixed)).toBe(7);
    const adaptive = planOf(scenarioWith({ samples: { min: 4, max: 9, targetHalfWidthPct: 2 } }, tempDir('plan')));
    expect('adaptive' in adaptive && adaptive.adaptive).toMatchObject({ min: 4, max: 9, targetHalfWidthPct: 2 });
    expect(plannedPerTarget(adaptive)).toBe(9);
  });

  it('the seed: the resumed run\'s, else --seed, else the scenario\'s, else a fresh 31-bit integer', () => {
    const s = scenarioWith({ seed: 3 }, tempDir('plan'));
    const resumed = { scenario: { ...s, seed: 1 } } as RunResults;
    expect(seedFor(s, resumed, 2)).toBe(1);
    expect(seedFor(s, undefined, 2)).toBe(2);
    expect(seedFor(s, undefined, undefined)).toBe(3);
    const none = scenarioWith({}, tempDir('plan'));
    const fresh = Array.from({ length: 20 }, () => seedFor(none, undefined, undefined));
    for (const f of fresh) {
      expect(Number.isInteger(f)).toBe(true);
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(2 ** 31);
    }
    // 20 draws below 2^20 each would have probability (2^-11)^20: a fresh seed uses the whole range.
    expect(fresh.some((f) => f >= 2 ** 20)).toBe(true);
  });

  it('a fresh skeleton: running, this tool and version, the scenario with its seed, nothing measured yet', () => {
    const s = scenarioWith({ confidence: 0.9 }, tempDir('plan'));
    const before = Date.now();
    const r = initialResults({ runId: 'r1', scenario: s, seed: 11, metrics: [] });
    expect(r.tool).toEqual({ name: 'benchsuite', version });
    expect(r.status).toBe('running');
    expect(r.runId).toBe('r1');
    expect(r.scenario.seed).toBe(11);
    expect(r.confidence).toBe(0.9);
    expect(r.baseline).toBe('A');
    expect(r.command).toEqual([]);
    expect(r.quick).toBe(false);
    expect([r.targets, r.samples, r.summaries, r.comparisons, r.notes]).toEqual([[], [], [], [], []]);
    expect(Date.parse(r.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(initialResults({ runId: 'r2', scenario: s, seed: 1, metrics: [], command: ['run', 'x'], quick: true })).toMatchObject({ command: ['run', 'x'], quick: true });
  });

  it('a resumed run keeps everything it had, is running again, and notes when it resumed', () => {
    const s = scenarioWith({}, tempDir('plan'));
    const old = { ...initialResults({ runId: 'r3', scenario: s, seed: 5, metrics: [] }), status: 'interrupted', notes: ['first note'] } as RunResults;
    const r = initialResults({ runId: 'ignored', scenario: s, seed: 99, metrics: [] }, old);
    expect(r.runId).toBe('r3');
    expect(r.status).toBe('running');
    expect(r.scenario.seed).toBe(5);
    expect(r.notes).toHaveLength(2);
    expect(r.notes[0]).toBe('first note');
    expect(r.notes[1]).toMatch(/^resumed at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
