/** Run ids (sortable, safe in file and container names) and the git facts a run records. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gitInfo } from '../../src/runner/git.js';
import { newRunId } from '../../src/runner/run-id.js';

describe('newRunId', () => {
  it('UTC stamp, the scenario name lower-cased with every other run of characters a dash, 4 hex digits', () => {
    const at = new Date('2026-11-29T19:30:05.123Z');
    expect(newRunId('KVM vs Docker!', at)).toMatch(/^20261129-193005-kvm-vs-docker--[0-9a-f]{4}$/);
    expect(newRunId('a/b..c', at)).toMatch(/^20261129-193005-a-b-c-[0-9a-f]{4}$/);
  });

  it('keeps at most 40 characters of the name', () => {
    const id = newRunId('x'.repeat(50), new Date('2026-01-02T03:04:05Z'));
    expect(id).toMatch(new RegExp(`^20260102-030405-${'x'.repeat(40)}-[0-9a-f]{4}$`));
  });

  it('two ids in the same second differ', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const ids = new Set(Array.from({ length: 20 }, () => newRunId('s', at)));
    expect(ids.size).toBeGreaterThan(1);
  });
});

describe('gitInfo', () => {
  it('takes the commit and branch from CI variables first', async () => {
    expect(await gitInfo({ GITHUB_SHA: 'abc', GITHUB_HEAD_REF: 'feature', GITHUB_REF_NAME: 'main' })).toEqual({ commit: 'abc', branch: 'feature' });
    // An empty head ref (a push, not a pull request) falls through to the ref name.
    expect(await gitInfo({ GITHUB_SHA: 'abc', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: 'main' })).toEqual({ commit: 'abc', branch: 'main' });
    expect(await gitInfo({ CI_COMMIT_SHA: 'def', CI_COMMIT_REF_NAME: 'dev' })).toEqual({ commit: 'def', branch: 'dev' });
    expect(await gitInfo({ BENCHSUITE_GIT_COMMIT: '123', BENCHSUITE_GIT_BRANCH: 'b' })).toEqual({ commit: '123', branch: 'b' });
    expect(await gitInfo({ BENCHSUITE_GIT_COMMIT: '123' })).toEqual({ commit: '123', branch: undefined });
  });

  it('otherwise asks git in the working directory (this repository)', async () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const branch = execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(await gitInfo({})).toEqual({ commit: head, branch });
    // A CI branch name without a commit variable still wins over git's.
    expect(await gitInfo({ BENCHSUITE_GIT_BRANCH: 'ci-branch' })).toEqual({ commit: head, branch: 'ci-branch' });
  });
});
