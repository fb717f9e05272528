/**
 * The fingerprint's one shell script (BUNDLE_SCRIPT) ends for any scratch path. A relative path without a slash
 * once made its "nearest existing ancestor" walk loop forever (`${d%/*}` leaves such a path unchanged): an
 * orphaned `sh` spinning a core for over an hour, found during a mutation run that passed `undefined`.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BUNDLE_SCRIPT } from '../../src/env/fingerprint.js';

function scratchOf(dir: string): string {
  const out = execFileSync('sh', ['-c', BUNDLE_SCRIPT, 'sh', 'TOK', dir, 'no'], { encoding: 'utf8', timeout: 20_000, cwd: '/tmp' });
  const m = /\nTOK scratch\n(.*)\n+TOK rc (\d+)\n/.exec(out);
  expect(m, out.slice(-300)).not.toBeNull();
  return `${m?.[1]} rc=${m?.[2]}`;
}

describe('fingerprint script: the scratch directory\'s nearest existing ancestor', () => {
  it('an absolute path that does not exist yet resolves to its deepest existing ancestor', () => {
    expect(scratchOf('/tmp/no-such-dir-bs/a/b')).toBe('/tmp rc=0');
    expect(scratchOf('/')).toBe('/ rc=0');
  });

  it('a path without a slash, or an empty one, ends at / instead of looping', () => {
    expect(scratchOf('undefined')).toBe('/ rc=0');
    expect(scratchOf('')).toBe('/ rc=0');
    expect(scratchOf('rel/ative')).toBe('/ rc=0');
  });
});
