/** Run ids (sortable, safe in file and container names) and the git facts a run records. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../src/exec/types.js';
import { gitInfo, type GitRunner } from '../../src/runner/git.js';
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

  // What git answers (captured from git 2.x): exit 128 outside a repository and in one with no commit yet.
  const answer = (exitCode: number, stdout = ''): ExecResult => ({ argv: [], stdout, stderr: exitCode ? 'fatal: not a git repository\n' : '', exitCode, timedOut: false, aborted: false, durationMs: 1 });
  const fakeGit = (answers: Record<string, ExecResult | 'missing'>): { run: GitRunner; asked: string[] } => {
    const asked: string[] = [];
    const run: GitRunner = async (argv) => {
      const key = argv.join(' ');
      asked.push(key);
      const a = answers[key];
      if (a === undefined) throw new Error(`unexpected command ${key}`);
      if (a === 'missing') throw Object.assign(new Error('spawn git ENOENT'), { code: 'ENOENT' });
      return a;
    };
    return { run, asked };
  };

  it('without git installed: no commit, and the CI branch if one is set', async () => {
    const missing = fakeGit({ 'git rev-parse HEAD': 'missing' });
    expect(await gitInfo({}, missing.run)).toBeUndefined();
    expect(await gitInfo({ BENCHSUITE_GIT_BRANCH: 'b' }, missing.run)).toEqual({ branch: 'b' });
    expect(missing.asked).toEqual(['git rev-parse HEAD', 'git rev-parse HEAD']);
  });

  it('outside a repository (git exits 128): no commit, and the CI branch if one is set', async () => {
    const outside = fakeGit({ 'git rev-parse HEAD': answer(128) });
    expect(await gitInfo({}, outside.run)).toBeUndefined();
    expect(await gitInfo({ GITHUB_REF_NAME: 'main' }, outside.run)).toEqual({ branch: 'main' });
    // The branch is not asked for when there is no commit.
    expect(outside.asked).toEqual(['git rev-parse HEAD', 'git rev-parse HEAD']);
  });

  it('a commit whose branch git cannot name: the commit alone (trimmed), never a failed command\'s output', async () => {
    const noBranch = fakeGit({ 'git rev-parse HEAD': answer(0, 'c0ffee\n'), 'git rev-parse --abbrev-ref HEAD': answer(128, 'HEAD\n') });
    expect(await gitInfo({}, noBranch.run)).toEqual({ commit: 'c0ffee', branch: undefined });
    const branchMissing = fakeGit({ 'git rev-parse HEAD': answer(0, 'c0ffee\n'), 'git rev-parse --abbrev-ref HEAD': 'missing' });
    expect(await gitInfo({}, branchMissing.run)).toEqual({ commit: 'c0ffee', branch: undefined });
    const both = fakeGit({ 'git rev-parse HEAD': answer(0, ' c0ffee \n'), 'git rev-parse --abbrev-ref HEAD': answer(0, ' topic \n') });
    expect(await gitInfo({}, both.run)).toEqual({ commit: 'c0ffee', branch: 'topic' });
  });
});
