// Real fault injection against real runs: interrupts, kill -9, a killed container, a full disk,
// a server that answers non-2xx, hung workloads. Nothing lost, nothing left behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSshd } from '../helpers/sshd.js';
import { alive, containersOf, processesOf, procsOf, readResults, startRun, startedRuns, waitFor, writeScenario } from '../helpers/run-control.js';

/** A 6 MiB tmpfs for the test's scratch root, unmounted and removed after `body`, pass or fail. */
async function withSmallTmpfs(name: string, body: (mnt: string) => Promise<void>): Promise<void> {
  const mnt = `/tmp/bs-${name}-${process.pid}`;
  mkdirSync(mnt, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mnt]);
  try {
    await body(mnt);
  } finally {
    execFileSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  }
}

const SCRATCH = '/var/tmp/benchsuite';

function twoTargets(extra: string, workloads: string): string {
  return `name: reliability
baseline: host
targets:
  host: {label: Host, host: local}
  docker: {label: Docker, host: local, container: {capDrop: [ALL], capAdd: [NET_BIND_SERVICE, SETUID, SETGID]}}
workloads:
${workloads}
${extra}
`;
}

const DD = '  dd: {kind: dd, blockSize: 1M, count: 8}';
const AB = '  ab: {kind: ab, requests: 3000, concurrency: 8}';

function nothingLeft(runId: string): void {
  expect(containersOf(runId)).toEqual([]);
  expect(processesOf(runId)).toEqual([]);
  expect(existsSync(`${SCRATCH}/${runId}`)).toBe(false);
}

describe('SIGINT and --resume', () => {
  it.each([
    ['during dd samples', 'dd', 3],
    ['during ab samples (servers up)', 'ab', 2],
  ])('SIGINT %s: exit 130, every finished sample kept, nothing left; --resume completes', async (_, workload, after) => {
    const file = writeScenario(twoTargets('samples: 6\nwarmup: 1', `${DD}\n${AB}`));
    const run = startRun([file]);
    await waitFor(`${after} ${workload} samples`, () => run.samples().filter((s) => s.workload === workload).length >= after);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    const runId = run.runId() as string;
    const results = readResults(run);
    expect(results.status).toBe('interrupted');
    const logged = run.samples();
    expect(results.samples.length).toBe(logged.length);
    expect(results.samples.map((s) => s.seq)).toEqual(logged.map((s) => s.seq));
    expect(r.stdout).toContain('Kernel Security'); // the table of what was collected
    nothingLeft(runId);

    const resumed = await runCli(['run', '--resume', runId, '--results-dir', run.resultsDir, '--reports-dir', run.reportsDir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const final = readResults(run);
    expect(final.status).toBe('completed');
    for (const t of ['host', 'docker']) {
      for (const w of ['dd', 'ab']) {
        const n = final.samples.filter((s) => s.target === t && s.workload === w && !s.warmup && s.ok).length;
        expect(n, `${t}/${w}`).toBe(6);
      }
    }
    // The samples from before the interrupt are still there, unchanged.
    for (const s of logged) expect(final.samples.find((x) => x.seq === s.seq)).toEqual(s);
    nothingLeft(runId);
  }, 240_000);

  it('refuses --resume of a malformed or unknown run id with exit 2', async () => {
    const r = await runCli(['run', '--resume', 'not-a-run-id']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a run id/);
    const u = await runCli(['run', '--resume', '20200101-000000-nothing-0000', '--results-dir', '/tmp']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--resume 20200101-000000-nothing-0000/);
  });
});

describe('SIGTERM, the second Ctrl-C, a signal inside a sample', () => {
  it('SIGTERM: exit 130, the table of the samples collected so far, nothing left behind', async () => {
    const file = writeScenario(twoTargets('samples: 6\nwarmup: 0', DD));
    const run = startRun([file]);
    await waitFor('3 dd samples', () => run.samples().length >= 3);
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/SIGTERM: stopping the running sample/);
    const runId = run.runId() as string;
    const results = readResults(run);
    expect(results.status).toBe('interrupted');
    const logged = run.samples();
    expect(logged.length).toBeGreaterThanOrEqual(3);
    expect(logged.length).toBeLessThan(12);
    expect(results.samples.map((s) => s.seq)).toEqual(logged.map((s) => s.seq));
    // The table of what was collected, with both targets' rows, and how to continue.
    expect(r.stdout).toContain('Kernel Security');
    expect(r.stdout).toMatch(/Host/);
    expect(r.stdout).toMatch(/Docker/);
    expect(r.stdout).toContain(`benchsuite run --resume ${runId}`);
    nothingLeft(runId);
  }, 240_000);

  // dd writing 6.4 GB with O_DIRECT in 64 KiB blocks: tens of seconds or more here, so a signal sent while it
  // runs lands inside the sample. The per-sample timeout (120 s) is only a backstop.
  const LONG_DD = '  dd: {kind: dd, blockSize: 64K, count: 100000, sync: direct, dropCaches: false}';
  const ONE_TARGET = (extra: string): string => `name: long-dd
baseline: host
targets:
  host: {label: Host, host: local}
workloads:
${LONG_DD}
samples: 2
warmup: 0
timeoutSec: 120
${extra}
`;

  it('a SIGINT that lands while dd is running aborts that sample at once: dd killed, no sample recorded', async () => {
    const run = startRun([writeScenario(ONE_TARGET(''))]);
    let dd: number[] = [];
    await waitFor('the dd of the first sample in /proc', () => {
      const id = run.runId();
      dd = id ? procsOf(id, 'dd') : [];
      return dd.length > 0;
    });
    await new Promise((r) => setTimeout(r, 500)); // well inside the sample
    expect(dd.every(alive), 'dd still running when the signal is sent').toBe(true);
    expect(run.samples()).toEqual([]);
    const t0 = Date.now();
    run.child.kill('SIGINT');
    const r = await run.done;
    const tookMs = Date.now() - t0;
    expect(r.code, r.stderr).toBe(130);
    // Promptly: killing dd, removing its file and writing the reports, not waiting for 6.4 GB to be written.
    expect(tookMs).toBeLessThan(15_000);
    for (const pid of dd) expect(alive(pid), `dd ${pid} after the run exited`).toBe(false);
    const runId = run.runId() as string;
    const results = readResults(run);
    expect(results.status).toBe('interrupted');
    // The aborted sample is not a finished one: neither a value nor a failure is recorded for it.
    expect(results.samples).toEqual([]);
    expect(run.samples()).toEqual([]);
    nothingLeft(runId);
  }, 240_000);

  it('a second SIGINT forces the exit at once: 130, no graceful table, dd killed; clean removes what is left', async () => {
    const run = startRun([writeScenario(ONE_TARGET(''))]);
    let dd: number[] = [];
    await waitFor('the dd of the first sample in /proc', () => {
      const id = run.runId();
      dd = id ? procsOf(id, 'dd') : [];
      return dd.length > 0;
    });
    const t0 = Date.now();
    // The second signal goes the moment the first one is acknowledged ("again to force" on stderr), while the
    // graceful path (kill dd, final save, table) is still under way: a fixed delay let an idle machine finish it first.
    let second = false;
    run.child.stderr?.on('data', (d: Buffer) => {
      if (!second && /again to force/.test(String(d))) {
        second = true;
        run.child.kill('SIGINT');
      }
    });
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(second).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.stderr).toMatch(/again to force/);
    // The graceful path (final save, table, reports) did not run: the second signal cut it short.
    expect(r.stdout).not.toContain('Kernel Security');
    expect(r.stdout).not.toContain('--resume');
    const runId = run.runId() as string;
    expect(readResults(run).status).toBe('running'); // still parses: every write is a rename
    for (const pid of dd) expect(alive(pid), `dd ${pid} after the forced exit`).toBe(false);
    expect(procsOf(runId, 'dd')).toEqual([]);
    const c = await runCli(['clean', '--run', runId]);
    expect(c.code, c.stderr).toBe(0);
    nothingLeft(runId);
  }, 240_000);
});

describe('--resume of a run whose environment changed', () => {
  it('is refused with exit 2, naming the changed field, before any sample is taken', async () => {
    const file = writeScenario(twoTargets('samples: 6\nwarmup: 0', DD));
    const run = startRun([file]);
    await waitFor('2 dd samples', () => run.samples().length >= 2);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    const runId = run.runId() as string;
    // Doctor the results file: the host's kernel is not the one the samples were taken on.
    const path = `${run.resultsDir}/${runId}.json`;
    const doctored = JSON.parse(readFileSync(path, 'utf8')) as { targets: { id: string; fingerprint: { kernelRelease?: string } }[] };
    const host = doctored.targets.find((t) => t.id === 'host');
    expect(host?.fingerprint.kernelRelease).toBeTruthy();
    host!.fingerprint.kernelRelease = '0.0.0-doctored';
    writeFileSync(path, JSON.stringify(doctored, null, 2));
    const before = run.samples().length;

    const resumed = await runCli(['run', '--resume', runId, '--results-dir', run.resultsDir, '--reports-dir', run.reportsDir]);
    expect(resumed.code, resumed.stderr).toBe(2);
    expect(resumed.stderr).toMatch(/kernelRelease/);
    expect(resumed.stderr).toContain('0.0.0-doctored');
    expect(resumed.stderr).toMatch(/target host/);
    expect(resumed.stderr).toMatch(/new run/);
    expect(run.samples().length).toBe(before); // nothing sampled on the changed environment
    nothingLeft(runId);
  }, 240_000);
});

describe('three failed samples in a row', () => {
  it('stop that workload on that target with a note, and the run exits 1', async () => {
    await withSmallTmpfs('tmpfs3', async (mnt) => {
      const file = writeScenario(`name: three-failures
baseline: host
targets:
  host: {label: Host, host: local}
workloads:
  dd: {kind: dd, blockSize: 1M, count: 16, dropCaches: false}
samples: 8
warmup: 0
scratchRoot: ${mnt}/scratch
`);
      const run = startRun([file]);
      const r = await run.done;
      expect(r.code, r.stderr).toBe(1);
      const results = readResults(run);
      // Eight were planned; the third failure in a row ends it.
      expect(results.samples.length).toBe(3);
      for (const s of results.samples) {
        expect(s.ok).toBe(false);
        expect(s.error).toMatch(/No space left on device|wrote \d+ of/);
      }
      expect(results.notes.some((n) => /dd · host: stopped after 3 consecutive failed samples/.test(n)), results.notes.join('\n')).toBe(true);
      expect(r.stderr).toMatch(/stopped after 3 consecutive failed samples/);
      expect(results.status).toBe('failed');
    });
  }, 240_000);
});

describe('kill -9 and clean', () => {
  it('leaves a results file that parses with every finished sample; clean removes the leftovers', async () => {
    const file = writeScenario(twoTargets('samples: 20\nwarmup: 0', AB));
    const run = startRun([file]);
    await waitFor('3 ab samples', () => run.samples().length >= 3);
    run.child.kill('SIGKILL');
    await run.done;
    const runId = run.runId() as string;
    const results = readResults(run); // parses: written by rename
    expect(results.runId).toBe(runId);
    expect(results.status).toBe('running');
    const logged = run.samples();
    expect(logged.length).toBeGreaterThanOrEqual(3);
    // The report loader merges the append log: nothing finished is lost.
    const { loadResults } = await import('../../src/report/load.js');
    const merged = await loadResults(`${run.resultsDir}/${runId}.json`);
    expect(merged.samples.length).toBe(logged.length);

    // The killed run left its servers, container and scratch directory: run warns, clean removes them.
    expect(containersOf(runId).length).toBeGreaterThan(0);
    const tiny = writeScenario('name: tiny\nbaseline: a\ntargets: {a: {label: A}}\nworkloads: {dd: {kind: dd, count: 1, dropCaches: false}}\nsamples: 2\nwarmup: 0\n');
    const warn = await runCli(['run', tiny, '--results-dir', run.resultsDir, '--no-reports']);
    expect(warn.code, warn.stderr).toBe(0);
    expect(warn.stderr).toMatch(/warning: a killed run left [1-9]\d* container/);
    const c = await runCli(['clean', '--run', runId]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/removed 1 container/);
    nothingLeft(runId);
  }, 240_000);
});

describe('target faults: recorded error, the other targets continue, exit 1', () => {
  it('docker kill of the workload container mid-run', async () => {
    const file = writeScenario(twoTargets('samples: 12\nwarmup: 0', AB));
    const run = startRun([file]);
    await waitFor('2 docker samples', () => run.samples().filter((s) => s.target === 'docker').length >= 2);
    const runId = run.runId() as string;
    for (const c of containersOf(runId)) execFileSync('docker', ['kill', c], { stdio: 'ignore' });
    const r = await run.done;
    expect(r.code, r.stderr).toBe(1);
    const results = readResults(run);
    const failed = results.samples.filter((s) => s.target === 'docker' && !s.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.error).toMatch(/ab failed|server/);
    expect(results.samples.filter((s) => s.target === 'host' && s.ok).length).toBe(12);
    expect(results.status).toBe('failed');
    nothingLeft(runId);
  }, 240_000);

  it('dd into a small tmpfs that fills up: short writes are errors, never averaged', async () => {
    await withSmallTmpfs('tmpfs', async (mnt) => {
      const file = writeScenario(twoTargets(`samples: 2\nwarmup: 0\nscratchRoot: ${mnt}/scratch`, `  dd: {kind: dd, blockSize: 1M, count: 16, dropCaches: false}\n${AB}`));
      const run = startRun([file]);
      const r = await run.done;
      expect(r.code, r.stderr).toBe(1);
      const results = readResults(run);
      const dd = results.samples.filter((s) => s.workload === 'dd');
      expect(dd.length).toBeGreaterThan(0);
      for (const s of dd) {
        expect(s.ok).toBe(false);
        expect(s.error).toMatch(/No space left on device|wrote \d+ of/);
      }
      expect(results.summaries.find((s) => s.metric === 'write_mbps' && s.target === 'host')?.n).toBe(0);
      expect(results.samples.filter((s) => s.workload === 'ab' && s.ok).length).toBe(4);
      expect(execFileSync('ls', ['-A', `${mnt}/scratch`], { encoding: 'utf8' }).trim()).toBe('');
    });
  }, 240_000);

  it('a server that starts answering 500: samples rejected, recorded with the counts', async () => {
    const file = writeScenario(twoTargets('samples: 6\nwarmup: 0', AB));
    const run = startRun([file]);
    await waitFor('first ab sample', () => run.samples().length >= 1);
    const runId = run.runId() as string;
    // Reconfigure the running bare-metal nginx to fail every request, and reload it (SIGHUP).
    const dir = `${SCRATCH}/${runId}/host/http-ab`;
    const conf = readFileSync(`${dir}/nginx.conf`, 'utf8');
    writeFileSync(`${dir}/nginx.conf`, conf.replace(/location \/ \{\s*\}/, 'location / { return 500; }'));
    process.kill(Number(readFileSync(`${dir}/nginx.pid`, 'utf8').trim()), 'SIGHUP');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(1);
    const results = readResults(run);
    const rejected = results.samples.filter((s) => s.target === 'host' && !s.ok);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]?.error).toMatch(/non-2xx/);
    expect(rejected[0]?.details?.non2xx).toBeGreaterThan(0);
    expect(results.samples.filter((s) => s.target === 'docker' && s.ok).length).toBe(6);
    expect(results.summaries.find((s) => s.target === 'host' && s.metric === 'requests_per_sec')?.failed).toBe(rejected.length);
    nothingLeft(runId);
  }, 240_000);

  it('a hung dd is killed at the per-sample timeout, on the host and in a container', async () => {
    const file = writeScenario(twoTargets('samples: 2\nwarmup: 0\ntimeoutSec: 2', '  dd: {kind: dd, blockSize: 1M, count: 40000, sync: direct, dropCaches: false}'));
    const run = startRun([file]);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(1);
    const results = readResults(run);
    for (const t of ['host', 'docker']) {
      const s = results.samples.filter((x) => x.target === t);
      expect(s.length).toBe(2);
      for (const x of s) {
        expect(x.ok).toBe(false);
        expect(x.error).toMatch(/timed out/);
        expect(x.durationMs).toBeLessThan(30_000);
      }
    }
    nothingLeft(results.runId);
  }, 240_000);
});

describe('an SSH host lost mid-run', () => {
  it('records the connection errors after bounded retries, keeps the local target going, exits 1', async () => {
    const sshd = await startSshd();
    try {
      const file = writeScenario(`name: lost-ssh
baseline: host
targets:
  host: {label: Host, host: local}
  remote: {label: Remote, host: "${sshd.url}", identityFile: ${sshd.identityFile}, knownHostsFile: ${sshd.knownHostsFile}}
workloads:
  dd: {kind: dd, blockSize: 1M, count: 4, dropCaches: false}
samples: 8
warmup: 0
`);
      const run = startRun([file]);
      await waitFor('2 remote samples', () => run.samples().filter((s) => s.target === 'remote').length >= 2);
      await sshd.stop();
      const r = await run.done;
      expect(r.code, r.stderr).toBe(1);
      const results = readResults(run);
      const failed = results.samples.filter((s) => s.target === 'remote' && !s.ok);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0]?.error).toMatch(/SSH (session )?to ssh:\/\/root@127\.0\.0\.1/);
      expect(failed[0]?.attempts).toBe(3);
      expect(results.samples.filter((s) => s.target === 'host' && s.ok).length).toBe(8);
      expect(existsSync(`${SCRATCH}/${results.runId}/host`)).toBe(false);
    } finally {
      await sshd.stop();
    }
  }, 240_000);
});

afterAll(() => {
  // Belt and braces for a failed assertion above: never leave this file's containers running (only the runs
  // started here: other suites may have runs of their own on this engine), and fail if any were left.
  const left = [...startedRuns].flatMap((id) => containersOf(id));
  for (const c of left) execFileSync('docker', ['rm', '-f', c], { stdio: 'ignore' });
  expect(left, 'containers left behind by the runs of this file').toEqual([]);
});
