/** The runner fakes' one shortcut: a replayed fingerprint bundle gives the same fingerprint as a real read. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFingerprint } from '../../src/env/fingerprint.js';
import { LocalMachine } from '../../src/exec/local.js';
import type { ExecOptions } from '../../src/exec/types.js';
import { FakeTarget, ScratchMachine } from './fakes.js';

describe('FakeTarget', () => {
  it('a replayed fingerprint equals one read for real on this host, scratch directory included', async () => {
    const fake = new FakeTarget('A');
    const first = mkdtempSync(join(tmpdir(), 'bs-fakes-'));
    const second = mkdtempSync(join(tmpdir(), 'bs-fakes-'));
    const fp = async (dir: string) => {
      const env = await fake.open({ workload: 'w', mounts: [], scratchDir: dir });
      return collectFingerprint({ target: fake, execCtx: env, scratchDir: dir });
    };
    await fp(first); // read for real (or already replayed by an earlier test: either way the next is replayed)
    const replayed = await fp(second);
    const machine = new LocalMachine();
    const real = await collectFingerprint({
      target: fake,
      execCtx: { exec: (a: string[], o?: ExecOptions) => machine.exec(a, o) },
      scratchDir: second,
    });
    const { collectedAt: _a, collectMs: _b, ...r } = replayed;
    const { collectedAt: _c, collectMs: _d, ...e } = real;
    expect(r).toEqual(e);
    expect(JSON.stringify(r.scratch)).toContain(second);
  });
});

describe('ScratchMachine', () => {
  it('answers the scratch commands with the exit codes and output of the real ones', async () => {
    const real = new LocalMachine();
    const fake = new ScratchMachine();
    for (const m of [real, fake]) {
      const root = mkdtempSync(join(tmpdir(), 'bs-scratchm-'));
      const nested = join(root, 'a', 'b');
      const outcome = async (argv: string[]) => {
        const r = await m.exec(argv);
        return [r.exitCode === 0, r.stdout];
      };
      expect(await outcome(['mkdir', '-p', '-m', '0755', nested])).toEqual([true, '']);
      expect(await outcome(['mkdir', '-p', '-m', '0755', nested])).toEqual([true, '']); // -p: exists is fine
      expect(await outcome(['mkdir', '-m', '0755', nested])).toEqual([false, '']); // without -p it is not
      expect(await outcome(['mkdir', '-m', '0755', join(root, 'x', 'y')])).toEqual([false, '']); // nor a missing parent
      writeFileSync(join(nested, 'marker'), 'run-1\n');
      expect(await outcome(['cat', join(nested, 'marker')])).toEqual([true, 'run-1\n']);
      expect(await outcome(['cat', join(nested, 'missing')])).toEqual([false, '']);
      expect(await outcome(['rm', '-rf', '--one-file-system', join(root, 'a')])).toEqual([true, '']);
      expect(existsSync(join(root, 'a'))).toBe(false);
      expect(await outcome(['rm', '-rf', '--one-file-system', join(root, 'a')])).toEqual([true, '']); // -f: absent is fine
    }
  });
});
