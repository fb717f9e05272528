import { describe, expect, it } from 'vitest';
import { DEFAULT_ADAPTIVE_PLAN, decideSampling, summarize } from '../../src/stats/index.js';

/** n values alternating mean·(1 ± d). */
function alternating(mean: number, d: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => mean * (1 + (i % 2 === 0 ? d : -d)));
}

describe('adaptive sampling decision', () => {
  it('exports the default plan 6 / 30 / 1 %', () => {
    expect(DEFAULT_ADAPTIVE_PLAN).toEqual({ min: 6, max: 30, targetHalfWidthPct: 1 });
  });

  it('stops on precision once n ≥ min', () => {
    const d = decideSampling({
      baseline: 'bare',
      samples: { bare: alternating(100, 0.001, 10), docker: alternating(95, 0.001, 10) },
    });
    expect(d.done).toBe(true);
    expect(d.reason).toBe('precision-met');
    expect(d.precisionMet).toBe(true);
    expect(d.projectedRemaining).toBe(0);
    expect(d.n).toBe(10);
    const docker = d.targets.find((t) => t.id === 'docker')!;
    expect(docker.role).toBe('candidate');
    expect(docker.overheadHalfWidthPct!).toBeLessThan(1);
    expect(d.targets.find((t) => t.id === 'bare')!.overheadHalfWidthPct).toBeNull();
  });

  it('does not stop before min even when precise, and projects the rounds up to min', () => {
    const d = decideSampling({
      baseline: 'bare',
      samples: { bare: alternating(100, 0.001, 4), docker: alternating(95, 0.001, 4) },
    });
    expect(d.precisionMet).toBe(true);
    expect(d.done).toBe(false);
    expect(d.reason).toBe('continue');
    expect(d.projectedRemaining).toBe(2);
  });

  it('stops at max with precision not met', () => {
    const d = decideSampling({
      baseline: 'bare',
      samples: { bare: alternating(100, 0.2, 30), kvm: alternating(80, 0.2, 30) },
    });
    expect(d.done).toBe(true);
    expect(d.reason).toBe('max-reached');
    expect(d.precisionMet).toBe(false);
    expect(d.projectedRemaining).toBe(0);
  });

  it('never stops on significance alone', () => {
    // A 50 % drop is overwhelmingly significant but each mean is known only to ±2–3 %.
    const d = decideSampling({
      baseline: 'bare',
      samples: { bare: alternating(100, 0.03, 8), kvm: alternating(50, 0.03, 8) },
    });
    expect(d.done).toBe(false);
    expect(d.reason).toBe('continue');
    expect(d.precisionMet).toBe(false);
  });

  it('requires the overhead interval to be precise, not only each mean', () => {
    // Each mean: half-width ≈ 0.9 % (≤ 1 %); the overhead interval combines both → ≈ 1.2 pp.
    const samples = { bare: alternating(100, 0.0119, 10), docker: alternating(100, 0.0119, 10) };
    const d = decideSampling({ baseline: 'bare', samples });
    for (const t of d.targets) expect(t.halfWidthPct!).toBeLessThanOrEqual(1);
    expect(summarize(samples.bare).relativeHalfWidth! * 100).toBeCloseTo(d.targets[0]!.halfWidthPct!, 12);
    const docker = d.targets.find((t) => t.id === 'docker')!;
    expect(docker.overheadHalfWidthPct!).toBeGreaterThan(1);
    expect(d.precisionMet).toBe(false);
    expect(d.done).toBe(false);
    expect(d.projectedRemaining).toBeGreaterThanOrEqual(1);
  });

  it('projects remaining rounds from the CV: n ≈ (t·cv/target)², capped at max', () => {
    // cv ≈ 2.1 %, target 1 % → roughly (2·2.1)² ≈ 18–20 samples per target for the mean alone, and about
    // twice that for the overhead interval (√2 larger), so capped at max = 30.
    const d = decideSampling({
      baseline: 'bare',
      samples: { bare: alternating(100, 0.02, 8), docker: alternating(97, 0.02, 8) },
    });
    expect(d.done).toBe(false);
    const bare = d.targets.find((t) => t.id === 'bare')!;
    expect(bare.projectedN).toBeGreaterThanOrEqual(17);
    expect(bare.projectedN).toBeLessThanOrEqual(22);
    expect(d.projectedRemaining).toBe(30 - 8);

    const loose = decideSampling({
      baseline: 'bare',
      samples: { bare: alternating(100, 0.02, 8), docker: alternating(97, 0.02, 8) },
      plan: { targetHalfWidthPct: 2, max: 100 },
    });
    // Means are within ±2 % already (≈1.8 %); the overhead interval (≈2.3 pp) needs a few more rounds.
    expect(loose.precisionMet).toBe(false);
    expect(loose.targets.every((t) => t.halfWidthPct! <= 2)).toBe(true);
    expect(loose.projectedRemaining).toBeGreaterThan(0);
    expect(loose.projectedRemaining).toBeLessThan(10);
  });

  it('uses the smallest per-target count as n', () => {
    const d = decideSampling({
      baseline: 'bare',
      samples: { bare: alternating(100, 0.001, 12), docker: alternating(95, 0.001, 5) },
    });
    expect(d.n).toBe(5);
    expect(d.done).toBe(false);
  });

  it('validates input', () => {
    expect(() => decideSampling({ baseline: 'x', samples: { bare: [1, 2] } })).toThrow(RangeError);
    expect(() => decideSampling({ baseline: 'bare', samples: { bare: [1, 2] }, plan: { min: 10, max: 5 } })).toThrow(
      RangeError,
    );
    expect(() =>
      decideSampling({ baseline: 'bare', samples: { bare: [1, 2] }, plan: { targetHalfWidthPct: 0 } }),
    ).toThrow(RangeError);
  });
});

describe('adaptive sampling always terminates (issue 11)', () => {
  const noisy = (n: number): number[] => alternating(100, 0.2, n);
  for (const k of [0, 1, 2]) {
    it(`a candidate with ${k} value(s) cannot keep the baseline sampling past max`, () => {
      const d = decideSampling({ baseline: 'bare', samples: { bare: noisy(30), kvm: noisy(k) } });
      expect(d.done).toBe(true);
      expect(d.reason).toBe('max-reached');
      expect(d.precisionMet).toBe(false);
      expect(d.n).toBe(k);
      expect(d.nMax).toBe(30);
      expect(d.projectedRemaining).toBe(0);
    });
  }

  it('a baseline with no values does not block either', () => {
    const d = decideSampling({ baseline: 'bare', samples: { bare: [], kvm: noisy(30) } });
    expect(d.reason).toBe('max-reached');
  });

  it('below max it continues, and projects no further than max − nMax', () => {
    const d = decideSampling({ baseline: 'bare', samples: { bare: noisy(28), kvm: noisy(1) } });
    expect(d.done).toBe(false);
    expect(d.projectedRemaining).toBeLessThanOrEqual(2);
    expect(d.projectedRemaining).toBeGreaterThanOrEqual(1);
    const at29 = decideSampling({ baseline: 'bare', samples: { bare: noisy(29), kvm: noisy(29) } });
    expect(at29.done).toBe(false);
    expect(at29.projectedRemaining).toBe(1);
  });

  it('precision needs every target at min: a precise baseline with a starved candidate is not "met"', () => {
    const d = decideSampling({ baseline: 'bare', samples: { bare: alternating(100, 0.001, 10), kvm: [95] } });
    expect(d.precisionMet).toBe(false);
    expect(d.reason).toBe('continue');
  });

  it('a constant quantized metric never looks precise when its resolution is known', () => {
    const ones = Array.from({ length: 10 }, () => 1);
    expect(decideSampling({ baseline: 'bare', samples: { bare: ones } }).precisionMet).toBe(true);
    const d = decideSampling({ baseline: 'bare', samples: { bare: ones }, resolution: 1 });
    expect(d.precisionMet).toBe(false);
  });
});
