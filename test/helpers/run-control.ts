// Drive a real `benchsuite run` in the background and inject faults at chosen moments.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, tempDir } from './cli.js';
import type { RunResults, Sample } from '../../src/results/model.js';

export interface BackgroundRun {
  child: ChildProcess;
  resultsDir: string;
  reportsDir: string;
  runId: () => string | undefined;
  samples: () => Sample[];
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Run ids of every run started through startRun in this test process (afterAll cleans up only these). */
export const startedRuns = new Set<string>();

export function startRun(args: string[], env: NodeJS.ProcessEnv = {}): BackgroundRun {
  const resultsDir = tempDir('rel-results');
  const reportsDir = tempDir('rel-reports');
  const child = spawn(process.execPath, [BIN, 'run', ...args, '--results-dir', resultsDir, '--reports-dir', reportsDir], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  const runId = (): string | undefined => {
    const id = /, run (\S+) →/.exec(stderr)?.[1];
    if (id) startedRuns.add(id);
    return id;
  };
  child.stderr?.on('data', () => runId());
  const samples = (): Sample[] => {
    const id = runId();
    if (!id) return [];
    const log = join(resultsDir, `${id}.samples.jsonl`);
    if (!existsSync(log)) return [];
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Sample];
        } catch {
          return [];
        }
      });
  };
  return { child, resultsDir, reportsDir, runId, samples, done };
}

export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function readResults(run: BackgroundRun): RunResults {
  const id = run.runId();
  const files = readdirSync(run.resultsDir).filter((f) => f.endsWith('.json'));
  const file = id ? `${id}.json` : (files[0] as string);
  return JSON.parse(readFileSync(join(run.resultsDir, file), 'utf8')) as RunResults;
}

export function containersOf(runId: string): string[] {
  return execFileSync('docker', ['ps', '-aq', '--filter', `label=benchsuite.run=${runId}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Processes whose command line mentions the run (servers, dd into its scratch dir). */
export function processesOf(runId: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(runId) && !l.includes('ps -eo'));
}

export function writeScenario(text: string): string {
  const file = join(tempDir('scenario'), 'scenario.yaml');
  writeFileSync(file, text);
  return file;
}

/**
 * Processes whose argv[0] is `name` (basename) and whose command line mentions the run, read from /proc
 * (containers' processes are visible there too). Returns their pids.
 */
export function procsOf(runId: string, name: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue; // exited meanwhile
    }
    const first = argv[0]?.split('/').pop();
    if (first === name && argv.some((a) => a.includes(runId))) out.push(Number(e));
  }
  return out;
}

/** True while the process exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

