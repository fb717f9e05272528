/**
 * Shared pieces of the performance benches: descriptive figures (always min / median / max with n),
 * Markdown helpers, machine facts, a cleanup registry (so an interrupted bench leaves no server,
 * container, sshd or scratch file behind) and the servers the benches need (nginx with benchsuite's
 * generated config, a throw-away sshd on 127.0.0.1).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { quantileSorted } from '../src/stats/index.js';
import { spawnBackground } from '../src/exec/process.js';
import type { BackgroundProcess } from '../src/exec/types.js';
import { freeLocalPort } from '../src/util/net.js';
import { descendants, readProcStat } from '../src/util/proc.js';
import { startLoopbackSshd, type LoopbackSshd } from '../support/loopback-sshd.js';
import { NGINX_TEMP_DIRS, nginxArgv, nginxConfig } from '../src/workloads/ab/index.js';

// ---------------------------------------------------------------------------------------------
// Figures

export interface Figures {
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
  /** stddev / mean; NaN when n < 2. */
  cv: number;
}

export function figures(values: readonly number[]): Figures {
  if (values.length === 0) return { n: 0, min: NaN, q1: NaN, median: NaN, q3: NaN, max: NaN, mean: NaN, cv: NaN };
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return {
    n,
    min: s[0] as number,
    q1: quantileSorted(s, 0.25),
    median: quantileSorted(s, 0.5),
    q3: quantileSorted(s, 0.75),
    max: s[n - 1] as number,
    mean,
    cv: mean !== 0 ? sd / Math.abs(mean) : NaN,
  };
}

/**
 * Distribution-free confidence interval of the median from order statistics: [x_(k), x_(n−k+1)] with the
 * largest k such that P(Binomial(n, ½) ≤ k − 1) ≤ (1 − confidence)/2. null when n is too small.
 */
export function medianInterval(values: readonly number[], confidence = 0.95): { low: number; high: number; level: number } | null {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const alpha = (1 - confidence) / 2;
  // cdf[j] = P(B ≤ j)
  let p = 0.5 ** n;
  let cdf = p;
  let k = 0;
  for (let j = 0; j < n; j++) {
    if (cdf <= alpha) k = j + 1;
    else break;
    p = (p * (n - j)) / (j + 1);
    cdf += p;
  }
  if (k < 1) return null;
  // Exact coverage 1 − 2·P(B ≤ k − 1).
  let tail = 0;
  let q = 0.5 ** n;
  for (let j = 0; j < k; j++) {
    tail += q;
    q = (q * (n - j)) / (j + 1);
  }
  return { low: s[k - 1] as number, high: s[n - k] as number, level: 1 - 2 * tail };
}

// ---------------------------------------------------------------------------------------------
// Formatting

export function num(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).replace(/,/g, '\u202f');
}

export function ms(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x < 1) return `${(x * 1000).toFixed(0)} µs`;
  if (x < 10) return `${x.toFixed(2)} ms`;
  if (x < 1000) return `${x.toFixed(1)} ms`;
  return `${(x / 1000).toFixed(2)} s`;
}

export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : '–';
}

/** "min / median / max" of a series. */
export function mmm(f: Figures, fmt: (x: number) => string): string {
  if (f.n === 0) return '–';
  return `${fmt(f.min)} / ${fmt(f.median)} / ${fmt(f.max)}`;
}

export function table(head: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const a = align ?? head.map((_, i) => (i === 0 ? 'l' : 'r'));
  return [
    `| ${head.join(' | ')} |`,
    `|${a.map((x) => (x === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function loadAvg(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

/** Aggregate CPU ticks from /proc/stat: [busy, total]. */
function cpuTicks(): [number, number] {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0); // idle + iowait
    return [total - idle, total];
  } catch {
    return [NaN, NaN];
  }
}

/** Where a section started: load average and CPU tick counters. */
export interface LoadMark {
  load: string;
  ticks: [number, number];
}

export function loadMark(): LoadMark {
  return { load: loadAvg(), ticks: cpuTicks() };
}

/** One line saying when and under what load a section was measured. */
export function measuredLine(start: LoadMark, seconds: number, reproduce: string): string {
  const [b1, t1] = cpuTicks();
  const busy = (b1 - start.ticks[0]) / (t1 - start.ticks[1]);
  return (
    `Measured ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC in ${seconds.toFixed(0)} s on ${os.cpus().length} cores; ` +
    `load average (1/5/15 min) ${start.load} before, ${loadAvg()} after; the CPUs were ${Number.isFinite(busy) ? `${(busy * 100).toFixed(0)} %` : '?'} busy ` +
    `over the section (every process, this bench included). Reproduce: \`${reproduce}\`.`
  );
}

// ---------------------------------------------------------------------------------------------
// Machine facts

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  docker: string;
  disk: string;
}

export function machineInfo(): MachineInfo {
  let docker = 'not reachable';
  try {
    docker = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000 }).trim();
  } catch {
    /* not running */
  }
  let disk = 'unknown';
  try {
    const df = execFileSync('df', ['-PT', '/var/tmp'], { encoding: 'utf8', timeout: 10_000 }).trim().split('\n')[1]?.split(/\s+/);
    if (df) disk = `${df[0]} (${df[1]})`;
  } catch {
    /* no df */
  }
  return {
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    docker,
    disk,
  };
}

// ---------------------------------------------------------------------------------------------
// Cleanup registry: every bench registers what it starts; run.ts runs what is left on exit or SIGINT.

const cleanups = new Map<number, { what: string; fn: () => Promise<void> | void }>();
let nextCleanup = 0;

/** Register a cleanup; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(what: string, fn: () => Promise<void> | void): () => Promise<void> {
  const id = nextCleanup++;
  cleanups.set(id, { what, fn });
  return async () => {
    const c = cleanups.get(id);
    if (!c) return;
    cleanups.delete(id);
    await c.fn();
  };
}

/** Run every registered cleanup, newest first; errors are reported, not thrown. */
export async function runAllCleanups(log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<void> {
  const pending = [...cleanups.entries()].reverse();
  cleanups.clear();
  for (const [, c] of pending) {
    try {
      await c.fn();
    } catch (e) {
      log(`cleanup of ${c.what} failed: ${(e as Error).message}`);
    }
  }
}

/** Aborted on SIGINT/SIGTERM; benches pass it to runScenario and check it between repetitions. */
export const benchAbort = new AbortController();

export function checkAborted(): void {
  if (benchAbort.signal.aborted) throw new Error('interrupted');
}

/** A scratch directory (mode 0755, so nginx workers running as nobody can read it) removed on cleanup. */
export function scratchDir(name: string): { dir: string; remove: () => Promise<void> } {
  mkdirSync('/var/tmp', { recursive: true });
  const dir = mkdtempSync(`/var/tmp/benchsuite-bench-${name}-`);
  execFileSync('chmod', ['0755', dir]);
  const remove = onCleanup(`scratch ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return { dir, remove };
}

/** A label value unique to this bench process, for docker containers it starts. */
export const BENCH_RUN_ID = `bench-${process.pid}-${Date.now().toString(36)}`;

export const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));

// ---------------------------------------------------------------------------------------------
// Processes

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
export function cpuSecondsOf(pid: number): number {
  const f = readProcStat(pid);
  return f ? (Number(f[11]) + Number(f[12])) / 100 : 0; // utime, stime in USER_HZ (100)
}

function killTree(pid: number | undefined): void {
  if (!pid) return;
  for (const p of [...descendants(pid), pid]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

// ---------------------------------------------------------------------------------------------
// nginx with benchsuite's generated config

export interface NginxServer {
  url: string;
  port: number;
  /** The nginx master pid. */
  pid: number;
  /** Worker pids (children of the master). */
  workers(): number[];
  stop(): Promise<void>;
}

/** nginx on 127.0.0.1 with nginxConfig(), workers as nobody when root, as AbWorkload runs it. */
export async function startNginx(o: { workers: number; responseBytes?: number }): Promise<NginxServer> {
  const scratch = scratchDir('nginx');
  const dir = join(scratch.dir, 'http');
  const isRoot = process.getuid?.() === 0;
  mkdirSync(join(dir, 'www'), { recursive: true, mode: 0o755 });
  writeFileSync(join(dir, 'www', 'index.html'), Buffer.alloc(o.responseBytes ?? 4096, 'x'), { mode: 0o644 });
  for (const d of NGINX_TEMP_DIRS) {
    mkdirSync(join(dir, 'tmp', d), { recursive: true });
    if (isRoot) chownSync(join(dir, 'tmp', d), 65534, 65534);
  }
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLocalPort();
    writeFileSync(
      join(dir, 'nginx.conf'),
      nginxConfig({ dir, port, listenAll: false, workers: o.workers, user: isRoot ? { name: 'nobody', group: 'nogroup' } : undefined }),
    );
    const bg: BackgroundProcess = spawnBackground(nginxArgv(dir), 'nginx (bench)');
    const stopBg = onCleanup('nginx', () => bg.stop());
    const url = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + 15_000;
    let ready = false;
    while (Date.now() < deadline && (await bg.running())) {
      try {
        const out = execFileSync('ab', ['-n', '1', '-c', '1', url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
        if (/^Failed requests:\s+0$/m.test(out)) {
          ready = true;
          break;
        }
      } catch {
        /* not yet */
      }
      await sleep(100);
    }
    if (!ready) {
      lastError = bg.output().slice(-300);
      await stopBg();
      continue;
    }
    const master = findMaster(dir);
    return {
      url,
      port,
      pid: master,
      workers: () => descendants(master),
      stop: async () => {
        await stopBg();
        await scratch.remove();
      },
    };
  }
  await scratch.remove();
  throw new Error(`nginx did not start: ${lastError}`);
}

function findMaster(dir: string): number {
  const pidFile = join(dir, 'nginx.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
  if (!Number.isInteger(pid)) throw new Error(`nginx wrote no pid file in ${dir}`);
  return pid;
}

// ---------------------------------------------------------------------------------------------
// A throw-away sshd on 127.0.0.1

export type BenchSshd = LoopbackSshd;

/** The loopback sshd the tests use too, stopped and removed by the bench's cleanup (also on Ctrl-C). */
export async function startSshd(o: { cleanHome?: boolean } = {}): Promise<BenchSshd> {
  const sshd = await startLoopbackSshd({ ...o, prefix: 'bs-bench-sshd' });
  const dispose = onCleanup('sshd', () => sshd.dispose());
  return { ...sshd, stop: dispose };
}

/** Remove every container this bench process labelled (a last resort; DockerTarget closes its own). */
export function removeBenchContainers(): void {
  try {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=benchsuite.run=${BENCH_RUN_ID}`], { encoding: 'utf8', timeout: 30_000 })
      .split('\n')
      .filter(Boolean);
    if (ids.length > 0) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    /* docker not reachable */
  }
}
