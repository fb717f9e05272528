/** README, docs/vm.md and `vm up --help` quote one first-guest-build time (measured 626–694 s here). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { quietProgram } from './parse-only.js';
import type { Command } from 'commander';

const MEASURED = '10–12 minutes';

/** Every "N minutes" / "N–M min" / "several minutes" in a sentence that talks about the first or guest build. */
function buildTimes(text: string): string[] {
  const sentences = text.replace(/\s+/g, ' ').split(/(?<=\.)\s+|\s#\s/);
  return sentences
    .filter((s) => /first.*(build|vm up)|build.*(image|guest)|guest build/i.test(s))
    .flatMap((s) => [...s.matchAll(/(several|\d+(?:\s*[–-]\s*\d+)?)\s*(?:minutes|min)\b/gi)].map((m) => m[0].replace(/\s*min$/, ' minutes').replace(/-/, '–')));
}

function vmUpHelp(): string {
  const { program, out } = quietProgram();
  const vm = program.commands.find((c) => c.name() === 'vm') as Command;
  (vm.commands.find((c) => c.name() === 'up') as Command).outputHelp();
  return out();
}

describe('first guest build time', () => {
  it.each([
    ['README.md', () => readFileSync(join(ROOT, 'README.md'), 'utf8')],
    ['docs/vm.md', () => readFileSync(join(ROOT, 'docs/vm.md'), 'utf8')],
    ['vm up --help', vmUpHelp],
  ])('%s gives the measured time and no other', (_name, read) => {
    const times = buildTimes(read());
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toBe(MEASURED);
  });
});
