/** The commit and branch of the code under test: CI variables first, else the git work tree here. */
import { runProcess } from '../exec/process.js';
import type { ExecResult } from '../exec/types.js';

/** Runs one git command; rejects when git cannot be started. A seam for tests (no git, not a repository). */
export type GitRunner = (argv: string[]) => Promise<ExecResult>;

const runGit: GitRunner = (argv) => runProcess(argv, { timeoutMs: 5000 });

export async function gitInfo(env: NodeJS.ProcessEnv = process.env, run: GitRunner = runGit): Promise<{ commit?: string; branch?: string } | undefined> {
  const commit = env.GITHUB_SHA ?? env.CI_COMMIT_SHA ?? env.BENCHSUITE_GIT_COMMIT;
  const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || env.BENCHSUITE_GIT_BRANCH;
  if (commit) return { commit, branch };
  const c = await run(['git', 'rev-parse', 'HEAD']).catch(() => undefined);
  if (!c || c.exitCode !== 0) return branch ? { branch } : undefined;
  const b = await run(['git', 'rev-parse', '--abbrev-ref', 'HEAD']).catch(() => undefined);
  return { commit: c.stdout.trim(), branch: branch ?? (b?.exitCode === 0 ? b.stdout.trim() : undefined) };
}
