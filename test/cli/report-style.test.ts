/** `benchsuite report --style`: an unknown style is refused by the CLI's parser (exit 2, the allowed choices named). */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture, tmp } from '../report/helpers.js';

describe('report --style', () => {
  it('an unknown --style exits 2', async () => {
    const r = await runCli(['report', fixture('two-targets.json'), '--style', 'fancy', '--out', tmp('bad-style')], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--style <style>' argument 'fancy' is invalid. Allowed choices are detailed, brief/);
  });
});
