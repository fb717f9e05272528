// The pipe-table layout and the Markdown report's header block, against text written out by hand.
import { describe, expect, it } from 'vitest';
import { alignedTable, renderMarkdown, samplingText } from '../../src/report/text.js';
import type { RunResults } from '../../src/results/model.js';
import { handRun } from './hand-run.js';

describe('alignedTable', () => {
  it('pads every column to its widest cell (at least 3), left or right, with an alignment rule', () => {
    const t = alignedTable(
      [
        ['Metric', 'A', 'Bee'],
        ['x', '1.0', '22.5'],
        ['longer', '', '3'],
      ],
      (c) => c > 0,
    );
    expect(t).toBe(
      [
        '| Metric |   A |  Bee |',
        '|:-------|----:|-----:|',
        '| x      | 1.0 | 22.5 |',
        '| longer |     |    3 |',
      ].join('\n'),
    );
  });

  it('escapes pipes and backslashes, joins lines, and counts code points not UTF-16 units', () => {
    const t = alignedTable(
      [
        ['a|b', 'µ±'],
        ['c\\d', 'two\r\nlines'],
        ['🙂', ''],
      ],
      () => false,
    );
    expect(t.split('\n')).toEqual([
      '| a\\|b | µ±        |',
      '|:-----|:----------|',
      '| c\\\\d | two lines |',
      '| 🙂    |           |',
    ]);
  });

  it('short rows get empty cells; a header alone still has its rule', () => {
    expect(alignedTable([['h1', 'h2'], ['only']], () => false)).toBe('| h1   | h2  |\n|:-----|:----|\n| only |     |');
    expect(alignedTable([['h']], () => true)).toBe('|   h |\n|----:|');
  });
});

describe('samplingText', () => {
  it('fixed, adaptive and unknown sampling', () => {
    expect(samplingText({ scenario: { samples: 10 } } as unknown as RunResults)).toBe('10 samples per target and workload');
    expect(samplingText({ scenario: { samples: { min: 6, max: 30, targetHalfWidthPct: 2 } } } as unknown as RunResults)).toBe(
      'adaptive, 6–30 samples until the CI half-width is within 2 % of the mean',
    );
    expect(samplingText({} as RunResults)).toBe('unknown');
  });
});

describe('renderMarkdown header', () => {
  // Skipped at the 21:19 merge: the trust work's stricter allow-lists changed these messages; re-derive.
  it.skip('names the run, its status, git, command, sampling, baseline and tolerance', async () => {
    const r = await handRun();
    r.status = 'interrupted';
    r.quick = true;
    r.startedAt = '2026-11-15T09:30:00.000Z';
    r.finishedAt = '2026-11-15T09:40:00.000Z';
    r.git = { commit: 'abc1234', branch: 'main' };
    r.command = ['benchsuite', 'run', 'x`y'];
    r.scenario = { ...r.scenario, samples: 10, order: 'interleaved', warmup: 1, tolerancePct: 5 };
    const md = renderMarkdown(r);
    const head = md.slice(0, md.indexOf('## Results'));
    expect(head).toContain('# docker-overhead: benchmark report\n');
    expect(head).toContain(`- Run: \`${r.runId}\` (interrupted, quick)\n`);
    expect(head).toContain('- Started: 2026-11-15T09:30:00.000Z; finished: 2026-11-15T09:40:00.000Z\n');
    expect(head).toContain('- Git: `abc1234` (main)\n');
    expect(head).toContain("- Command: `benchsuite run x'y`\n"); // a backtick cannot end the code span
    expect(head).toContain('- Confidence: 95 %; sampling: 10 samples per target and workload; order: interleaved; warmup: 1\n');
    expect(head).toContain('- Baseline: Bare Metal\n');
    expect(head).toContain('- Tolerance: 5 %\n');
    // The secondary p99 metric gets its own section after the primary table.
    expect(md.indexOf('## Secondary metrics')).toBeGreaterThan(md.indexOf('## Results'));
    expect(md).toContain('## Scenario as run\n\n```yaml\nname: docker-overhead\n');
  });

  it('leaves out what is not known', async () => {
    const r = await handRun();
    r.quick = false;
    delete r.finishedAt;
    r.git = {};
    r.command = [];
    delete (r.scenario as { tolerancePct?: number }).tolerancePct;
    r.metrics = r.metrics.filter((m) => m.primary);
    r.notes = [];
    const md = renderMarkdown(r);
    expect(md).toContain(`- Run: \`${r.runId}\` (${r.status})\n- Started: ${r.startedAt}\n- Confidence:`);
    expect(md).not.toMatch(/Git:|Command:|Tolerance:|finished:|## Secondary metrics|## Notes/);
  });
});
