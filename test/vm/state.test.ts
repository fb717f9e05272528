import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/vm/settings.js';
import { acquireLock, parseState, readState, writeState, type VmState } from '../../src/vm/state.js';

const dir = mkdtempSync(join(tmpdir(), 'bs-vm-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const running: VmState = {
  version: 1,
  settings: DEFAULT_SETTINGS,
  kvmProbe: { result: 'hangs', detail: 'no SSH within 90 s', checkedAt: '2025-01-01T00:00:00Z', qemuVersion: '7.2.22', hostKernel: '6.1' },
  running: {
    pid: 1234,
    port: 40022,
    accelerator: 'tcg',
    qemuVersion: '7.2.22',
    settings: DEFAULT_SETTINGS,
    startedAt: '2025-01-01T00:00:00Z',
    imagePath: '/c/image/disk.img',
    guestKernel: '6.1.0-37-amd64',
  },
};

describe('VM state file', () => {
  it('missing or empty: the empty state, no complaint', () => {
    expect(parseState(undefined)).toEqual({ state: { version: 1 } });
    expect(parseState('  \n')).toEqual({ state: { version: 1 } });
  });

  it('round-trips through the file', async () => {
    const p = join(dir, 'state.json');
    await writeState(p, running);
    expect(JSON.parse(readFileSync(p, 'utf8'))).toEqual(running);
    expect((await readState(p)).state).toEqual(running);
  });

  it('corrupt or foreign content is ignored with a note, never trusted', () => {
    const bad = parseState('{"version":1,"running":{"pid":"1234"}}');
    expect(bad.state).toEqual({ version: 1 });
    expect(bad.problem).toMatch(/expected shape/);
    const notJson = parseState('{oops');
    expect(notJson.problem).toMatch(/not JSON/);
    expect(parseState('{"version":2}').problem).toBeDefined();
    expect(parseState(JSON.stringify({ ...running, extra: 1 })).problem).toBeDefined();
  });

  it('rejects an invalid state on write', async () => {
    await expect(writeState(join(dir, 'x.json'), { version: 1, running: { ...running.running!, port: 70000 } })).rejects.toThrow();
  });
});

describe('VM lock', () => {
  it('is exclusive: a second taker waits until the first releases', async () => {
    const p = join(dir, 'lock1');
    const release = await acquireLock(p);
    let second = false;
    const waiting = acquireLock(p).then((r) => {
      second = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 700));
    expect(second).toBe(false);
    await release();
    const release2 = await waiting;
    expect(second).toBe(true);
    await release2();
  });

  it('takes over a lock whose owner is gone', async () => {
    const p = join(dir, 'lock2');
    writeFileSync(p, '999999999 0 stale\n');
    const release = await acquireLock(p, { timeoutMs: 5000 });
    expect(readFileSync(p, 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    await release();
  });

  it('gives up after its timeout and honours abort', async () => {
    const p = join(dir, 'lock3');
    const release = await acquireLock(p);
    await expect(acquireLock(p, { timeoutMs: 600 })).rejects.toThrow(/timed out/);
    const ac = new AbortController();
    const pending = acquireLock(p, { signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toThrow();
    await release();
  });
});
