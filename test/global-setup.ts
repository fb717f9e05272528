// Runs once before the suite. `npm test` runs scripts/setup.sh first (pretest), which installs and starts
// what the tests drive (dockerd, ab, nginx, sshd binaries, the workload image) and builds dist/ for the CLI.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

function newestTs(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestTs(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return newest;
}

export default function setup(): void {
  const entry = 'dist/src/cli/main.js';
  if (!existsSync(entry) || statSync(entry).mtimeMs < newestTs('src')) {
    // Tests that spawn the CLI run the compiled code: keep it current with the sources under test.
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  }
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore' });
  } catch {
    throw new Error('dockerd is not reachable: run the suite with `npm test` (its pretest step starts dockerd), or `npm run setup` first');
  }
}
