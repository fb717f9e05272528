// The hostile corpus: every file is refused with exit 2, naming its field, and nothing runs on any target.
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

const dir = join(ROOT, 'test/fixtures/hostile');
const expectations = JSON.parse(readFileSync(join(dir, 'expectations.json'), 'utf8')) as Record<string, string[]>;
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

// Every program benchsuite could start on a target is shadowed by a spy that records the call.
const spyDir = tempDir('spy');
const spyLog = join(spyDir, 'calls.log');
for (const prog of ['docker', 'dd', 'ab', 'ssh', 'nginx', 'rm', 'mkdir', 'tee', 'sync', 'ps', 'ls', 'cat', 'id', 'chown']) {
  const p = join(spyDir, prog);
  writeFileSync(p, `#!/bin/sh\necho "${prog} $*" >> '${spyLog}'\nexit 1\n`);
  chmodSync(p, 0o755);
}

describe('hostile scenario corpus', () => {
  it('has at least 55 files, each with an expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(55);
    for (const f of files) expect(expectations[f], f).toBeDefined();
  });

  it.concurrent.each(files)('%s is refused with exit 2, its field named, nothing executed', async (file) => {
    const results = tempDir('hostile-results');
    const r = await runCli(['run', join(dir, file), '--quick', '--results-dir', results, '--reports-dir', results], {
      env: { PATH: `${spyDir}:${process.env.PATH}` },
    });
    expect(r.code, r.stderr).toBe(2);
    for (const needle of expectations[file] ?? []) expect(r.stderr).toContain(needle);
    expect(r.stderr).toContain(file);
    // An offending value is quoted in at most ~100 characters (a 200,000-character description is not echoed).
    expect(r.stderr.length).toBeLessThan(8000);
    expect(existsSync(spyLog) ? readFileSync(spyLog, 'utf8') : '').toBe('');
    expect(readdirSync(results)).toEqual([]);
  });
});
