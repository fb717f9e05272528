/**
 * Orchestration overhead per sample: what benchsuite spends around a sample that is not the workload —
 * starting the command (locally, in the shell kept open in the long-lived container, in the shell kept open on an
 * SSH host, in a container on that host), then parsing its output and appending the sample to the fsynced results log. Measured
 * round-robin (one repetition of every method per round), so all methods see the same background load.
 * Alternatives benchsuite avoids are measured the same way: one ssh call per command, a new SSH connection
 * and a new container per sample.
 *
 *   npm run bench -- overhead
 */
import { DEFAULT_IMAGE, containerSchema } from '../src/scenario/schema.js';
import { ResultsStore } from '../src/results/store.js';
import type { Sample } from '../src/results/model.js';
import { DockerTarget } from '../src/targets/docker.js';
import { LocalMachine } from '../src/exec/local.js';
import { runProcess } from '../src/exec/process.js';
import { SshMachine } from '../src/exec/ssh.js';
import type { ExecContext, ExecResult } from '../src/exec/types.js';
import { spawn } from 'node:child_process';
import { abArgv, abSchema, clientCpuSeconds, CLIENT_SATURATION, parseAbOutput, withClientCpu } from '../src/workloads/ab/index.js';
import { parseDdOutput } from '../src/workloads/dd/index.js';
import {
  BENCH_RUN_ID, benchAbort, checkAborted, figures, loadMark, type LoadMark, measuredLine, mmm, ms, num, onCleanup, removeBenchContainers, scratchDir,
  startNginx, startSshd, table, type Figures,
} from './common.js';

export interface OverheadOptions {
  reps?: number;
  /** Repetitions against an sshd whose session sources root's slow ~/.bashrc (0 to skip). */
  slowRcReps?: number;
  log?: (s: string) => void;
}

export interface MethodResult {
  id: string;
  label: string;
  command: string;
  /** Target for the median of the total, ms (undefined: an alternative, shown for comparison). */
  targetMs?: number;
  execMs: number[];
  /** Parse + append (fsync) for the same repetition; empty for the alternatives. */
  recordMs: number[];
}

export interface OverheadResult {
  methods: MethodResult[];
  firstSshMs: number;
  parseAbMs: number[];
  parseDdMs: number[];
  appendMs: number[];
  slowRc: number[];
  seconds: number;
  startLoad: LoadMark;
  reps: number;
}

/**
 * What benchsuite could do instead of one `docker exec` per command: one `docker exec -i <id> sh` kept open,
 * commands written to its stdin. The commands still run inside the container (its namespaces, cgroup,
 * capabilities and seccomp profile), without a docker CLI start and an API round trip each.
 */
function shellSession(argv: string[]): { run: (cmd: string) => Promise<ExecResult>; close: () => Promise<void> } {
  const [file, ...args] = argv as [string, ...string[]];
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let waiter: (() => void) | undefined;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    waiter?.();
  });
  child.stderr.on('data', () => undefined);
  const MARK = '__BENCH_DONE__';
  return {
    run: (cmd: string) =>
      new Promise<ExecResult>((resolve, reject) => {
        const t0 = performance.now();
        const timer = setTimeout(() => reject(new Error('shell session: no answer in 30 s')), 30_000);
        waiter = () => {
          const m = new RegExp(`${MARK} (\\d+)\\n`).exec(out);
          if (!m) return;
          clearTimeout(timer);
          waiter = undefined;
          const stdout = out.slice(0, m.index);
          out = out.slice(m.index + m[0].length);
          resolve({ argv: [cmd], stdout, stderr: '', exitCode: Number(m[1]), timedOut: false, aborted: false, durationMs: performance.now() - t0 });
        };
        child.stdin.write(`${cmd}; echo ${MARK} $?\n`);
      }),
    close: async () => {
      child.stdin.end();
      const gone = new Promise((r) => child.once('exit', r));
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      await gone;
    },
  };
}

function ensureOk(r: ExecResult, what: string): void {
  if (r.exitCode !== 0) throw new Error(`${what} exited with ${r.exitCode}: ${(r.stderr || r.stdout).trim().slice(-200)}`);
}

export async function runOverhead(o: OverheadOptions = {}): Promise<OverheadResult> {
  const reps = o.reps ?? 30;
  const slowRcReps = o.slowRcReps ?? 3;
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const started = performance.now();
  const startLoad = loadMark();
  const local = new LocalMachine();
  const scratch = scratchDir('overhead');
  const signal = benchAbort.signal;
  let execCtx: ExecContext | undefined;
  let ssh: SshMachine | undefined;
  const stops: (() => Promise<void>)[] = [];
  try {
    // Real tool output to parse: one ab run against benchsuite's nginx config, one small dd.
    const nginx = await startNginx({ workers: 1 });
    stops.push(nginx.stop);
    const abSpec = abSchema.parse({ kind: 'ab', requests: 2000, concurrency: 8 });
    const abOut = await local.exec(withClientCpu(abArgv(abSpec, nginx.url)), { timeoutMs: 60_000 });
    ensureOk(abOut, 'ab');
    await nginx.stop();
    const ddOut = await local.exec(['dd', 'if=/dev/zero', `of=${scratch.dir}/dd.bin`, 'bs=1M', 'count=8'], { timeoutMs: 60_000 });
    ensureOk(ddOut, 'dd');
    const store = new ResultsStore(`${scratch.dir}/results`, BENCH_RUN_ID);
    stops.push(async () => store.close());
    let seq = 0;
    /** What the runner does after a sample's process exits: parse, build the Sample, append + fsync. */
    const record = (): { parseMs: number; appendMs: number } => {
      const t0 = performance.now();
      const p = parseAbOutput(abOut.stdout);
      const cpu = clientCpuSeconds(abOut.stderr) ?? 0;
      const details: Record<string, unknown> = { ...p, clientCpuSeconds: cpu, clientCpuShare: cpu / p.timeTakenSec, clientSaturated: cpu / p.timeTakenSec >= CLIENT_SATURATION };
      const sample: Sample = {
        seq: seq++, target: 'overhead', workload: 'ab', round: seq, warmup: false, ok: true, startedAt: new Date().toISOString(), durationMs: 0,
        values: { requests_per_sec: p.requestsPerSecond, time_per_request_ms: p.timePerRequestMs, transfer_kbps: p.transferRateKBps }, details, attempts: 1,
      };
      const t1 = performance.now();
      store.appendSample(sample);
      const t2 = performance.now();
      return { parseMs: t1 - t0, appendMs: t2 - t1 };
    };

    // Docker: the long-lived container benchsuite execs into, with the image it builds itself.
    log('overhead: starting a container and an sshd');
    const docker = new DockerTarget('overhead', 'Docker', local, containerSchema.parse({}), BENCH_RUN_ID, log);
    await docker.prepare(signal);
    stops.push(async () => removeBenchContainers());
    execCtx = await docker.open({ workload: 'overhead', mounts: [], scratchDir: scratch.dir }, signal);
    const dockerCtx = execCtx;
    stops.push(() => dockerCtx.close());
    const session = shellSession(['docker', 'exec', '-i', dockerCtx.containerId as string, 'sh']);
    stops.push(onCleanup('docker exec session', () => session.close()));

    // SSH: benchsuite's SshMachine (ControlMaster=auto) against a throw-away sshd on 127.0.0.1.
    const sshd = await startSshd();
    stops.push(sshd.stop);
    ssh = new SshMachine(sshd.url, { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });
    const sshM = ssh;
    const closeSsh = onCleanup('ssh master', () => sshM.close());
    stops.push(closeSsh);
    const tFirst = performance.now();
    ensureOk(await ssh.exec(['true'], { timeoutMs: 30_000 }), 'first ssh');
    const firstSshMs = performance.now() - tFirst;
    // Same options, but no multiplexing: a full handshake and authentication per command.
    const noMux = ssh.sshArgv().flatMap((a) => {
      if (a.startsWith('ControlMaster=')) return ['ControlMaster=no'];
      if (a.startsWith('ControlPath=')) return ['ControlPath=none'];
      if (a.startsWith('ControlPersist=')) return ['ControlPersist=no'];
      return [a];
    });

    // Docker on the SSH machine: the container's shell kept open on the remote side (`docker exec -i … sh` through ssh).
    const sshDocker = new DockerTarget('overhead-ssh', 'Docker over SSH', sshM, containerSchema.parse({}), BENCH_RUN_ID, log);
    await sshDocker.prepare(signal);
    const sshDockerCtx = await sshDocker.open({ workload: 'overhead-ssh', mounts: [], scratchDir: scratch.dir }, signal);
    stops.push(() => sshDockerCtx.close());

    const methods: (MethodResult & { run: () => Promise<ExecResult>; records: boolean })[] = [
      { id: 'local', label: 'local process (`LocalMachine.exec`)', command: 'true', targetMs: 50, execMs: [], recordMs: [], records: true, run: () => local.exec(['true'], { timeoutMs: 30_000 }) },
      { id: 'docker-exec', label: 'into the long-lived container (`DockerTarget` execCtx.exec: one `sh` kept open in it)', command: 'sleep 0 (the image has no `true`)', targetMs: 50, execMs: [], recordMs: [], records: true, run: () => dockerCtx.exec(['sleep', '0'], { timeoutMs: 30_000 }) },
      { id: 'ssh-mux', label: 'SSH, the kept-open remote shell (`SshMachine.exec`)', command: 'true', targetMs: 15, execMs: [], recordMs: [], records: true, run: () => sshM.exec(['true'], { timeoutMs: 30_000 }) },
      { id: 'ssh-docker', label: 'Docker over SSH (`DockerTarget` execCtx.exec: the container\'s `sh` kept open on the remote side)', command: 'sleep 0', targetMs: 50, execMs: [], recordMs: [], records: true, run: () => sshDockerCtx.exec(['sleep', '0'], { timeoutMs: 30_000 }) },
      { id: 'ssh-call', label: 'alternative: one multiplexed ssh call per sample (`SshMachine.execOnce`, ControlMaster=auto)', command: 'true', execMs: [], recordMs: [], records: false, run: () => sshM.execOnce(['true'], { timeoutMs: 30_000 }) },
      { id: 'ssh-docker-call', label: 'alternative: a `docker exec` per sample over one multiplexed ssh call each', command: 'sleep 0', execMs: [], recordMs: [], records: false, run: () => sshM.execOnce(['docker', 'exec', sshDockerCtx.containerId as string, 'sleep', '0'], { timeoutMs: 30_000 }) },
      { id: 'docker-cli', label: 'reference: the docker CLI alone (`docker --version`, no daemon call)', command: '–', execMs: [], recordMs: [], records: false, run: () => local.exec(['docker', '--version'], { timeoutMs: 30_000 }) },
      { id: 'ssh-cli', label: 'reference: the ssh client alone (`ssh -V`, no connection)', command: '–', execMs: [], recordMs: [], records: false, run: () => local.exec(['ssh', '-V'], { timeoutMs: 30_000 }) },
      { id: 'docker-session', label: 'reference: a bare `docker exec -i … sh` session (this bench\'s own, no framing)', command: 'sleep 0', execMs: [], recordMs: [], records: false, run: () => session.run('sleep 0') },
      { id: 'docker-exec-per-sample', label: 'alternative: a new `docker exec` per sample', command: 'sleep 0', execMs: [], recordMs: [], records: false, run: () => local.exec(['docker', 'exec', dockerCtx.containerId as string, 'sleep', '0'], { timeoutMs: 30_000 }) },
      { id: 'ssh-new', label: 'alternative: a new SSH connection per sample (ControlPath=none)', command: 'true', execMs: [], recordMs: [], records: false, run: () => runProcess([...noMux, 'true'], { timeoutMs: 30_000 }) },
      { id: 'docker-run', label: 'alternative: a new container per sample (`docker run --rm`)', command: 'sleep 0', execMs: [], recordMs: [], records: false, run: () => local.exec(['docker', 'run', '--rm', '--network=host', '--label', `benchsuite.run=${BENCH_RUN_ID}`, DEFAULT_IMAGE, 'sleep', '0'], { timeoutMs: 60_000 }) },
    ];
    // Two uncounted rounds (page cache, docker's and sshd's first-call paths), then `reps` counted ones.
    for (let round = -2; round < reps; round++) {
      checkAborted();
      for (const m of methods) {
        const t0 = performance.now();
        const r = await m.run();
        const dt = performance.now() - t0;
        ensureOk(r, m.id);
        const rec = m.records ? record() : undefined;
        if (round >= 0) {
          m.execMs.push(dt);
          if (rec) m.recordMs.push(rec.parseMs + rec.appendMs);
        }
      }
      if (round >= 0 && (round + 1) % 10 === 0) log(`overhead: round ${round + 1}/${reps}`);
    }

    // Parsing and appending alone, many times (sub-millisecond: a longer series is cheap).
    const parseAbMs: number[] = [];
    const parseDdMs: number[] = [];
    const appendMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      parseDdOutput(ddOut.stderr);
      parseDdMs.push(performance.now() - t0);
      const r = record();
      parseAbMs.push(r.parseMs);
      appendMs.push(r.appendMs);
    }

    // The cost of a slow login-shell rc: sshd without HOME redirected, so bash sources root's ~/.bashrc.
    const slowRc: number[] = [];
    if (slowRcReps > 0) {
      log(`overhead: ${slowRcReps + 1} commands over SSH with root's own ~/.bashrc (seconds each)`);
      const slow = await startSshd({ cleanHome: false });
      const slowM = new SshMachine(slow.url, { identityFile: slow.identityFile, knownHostsFile: slow.knownHostsFile });
      const closeSlow = onCleanup('ssh master (slow rc)', () => slowM.close());
      try {
        ensureOk(await slowM.exec(['true'], { timeoutMs: 60_000 }), 'ssh (slow rc)');
        for (let i = 0; i < slowRcReps; i++) {
          checkAborted();
          const t0 = performance.now();
          ensureOk(await slowM.execOnce(['true'], { timeoutMs: 60_000 }), 'ssh (slow rc)');
          slowRc.push(performance.now() - t0);
        }
      } finally {
        await closeSlow();
        await slow.stop();
      }
    }

    return {
      methods: methods.map(({ run: _run, records: _records, ...m }) => m),
      firstSshMs,
      parseAbMs,
      parseDdMs,
      appendMs,
      slowRc,
      seconds: (performance.now() - started) / 1000,
      startLoad,
      reps,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await scratch.remove();
  }
}

export function overheadMarkdown(r: OverheadResult): string {
  const lines: string[] = ['## Orchestration overhead per sample', ''];
  lines.push(measuredLine(r.startLoad, r.seconds, 'npm run bench -- overhead'), '');
  lines.push(
    'What benchsuite spends around one sample that is not the workload: starting a trivial command where the workload would run, ' +
      'then what the runner does after it exits — parse the tool\'s output (a real ab report), build the sample and append it to ' +
      'the results log with `fsync` (`ResultsStore.appendSample`). The methods are measured round-robin, ' +
      `${r.reps} counted rounds after 2 uncounted ones, so they share the same background load. The SSH target is a throw-away ` +
      'sshd on 127.0.0.1 (same machine: no network latency, only SSH\'s own cost). Times in ms, min / median / max.',
    '',
  );
  const rows = r.methods.map((m) => {
    const ex = figures(m.execMs);
    const rec = figures(m.recordMs);
    const total = figures(m.execMs.map((x, i) => x + (m.recordMs[i] ?? 0)));
    let result = 'for comparison';
    if (m.targetMs !== undefined) {
      result = total.median <= m.targetMs ? (total.max <= m.targetMs ? 'met (every rep)' : `met (median; max ${ms(total.max)})`) : '**not met**';
    }
    return [
      m.label,
      String(ex.n),
      mmm(ex, ms),
      m.recordMs.length ? mmm(rec, ms) : '–',
      mmm(total, ms),
      m.targetMs !== undefined ? `≤ ${m.targetMs} ms` : '–',
      result,
    ];
  });
  lines.push(table(['method', 'n', 'start command', 'parse + append (fsync)', 'total', 'target (median)', 'result'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'l']), '');

  const get = (id: string): Figures => figures(r.methods.find((m) => m.id === id)?.execMs ?? []);
  const mux = get('ssh-mux');
  const fresh = get('ssh-new');
  const dexec = get('docker-exec');
  const drun = get('docker-run');
  const pa = figures(r.parseAbMs);
  const pd = figures(r.parseDdMs);
  const ap = figures(r.appendMs);
  const cli = get('docker-cli');
  const sess = get('docker-session');
  const local = get('local');
  const perSample = get('docker-exec-per-sample');
  if (dexec.n > 0 && perSample.n > 0) {
    lines.push(
      `- Docker: benchsuite keeps one \`docker exec -i <container> sh\` open per container and writes each command to it ` +
        `(framed by a random end marker carrying the exit status; stdin /dev/null; \`timeout\` inside the container): ` +
        `${ms(dexec.median)} median per command, still inside the container (its namespaces, cgroup, capabilities and seccomp profile). ` +
        `A new \`docker exec\` per sample would cost ${ms(perSample.median)}, of which starting the docker CLI binary alone is ` +
        `${ms(cli.median)} (\`docker --version\`, no daemon call); the rest is the CLI → dockerd → containerd → runc round trip. ` +
        `A bare session without framing costs ${ms(sess.median)} (${ms(local.median)} for a local process start).`,
    );
  }
  const sshCli = get('ssh-cli');
  const sshCall = get('ssh-call');
  const sshDocker = get('ssh-docker');
  const sshDockerCall = get('ssh-docker-call');
  if (mux.n > 0 && sshCall.n > 0) {
    lines.push(
      `- SSH: benchsuite keeps one remote \`sh\` open per machine (one \`ssh … 'exec sh'\` session on the multiplexed connection) ` +
        'and writes each command to it, framed like the container shell; each command runs in its own process group (`setsid`), ' +
        'which a timeout or an interrupt kills through a second channel, and a dropped session is reopened for the next command. ' +
        `${ms(mux.median)} median per command, against ${ms(sshCall.median)} for one multiplexed ssh call per command ` +
        `(×${(sshCall.median / mux.median).toFixed(1)}), of which starting the ssh client binary alone is ${ms(sshCli.median)} (\`ssh -V\`); ` +
        'the rest of a call is opening a channel on the master connection and sshd starting the login shell (bash, with an empty HOME: no rc files). ' +
        (mux.median > 15 ? 'The median is over the 15 ms target here (measured with the CPUs busy, see above). ' : '') +
        'Commands with stdin input, and commands issued while the kept-open shells (two per machine) are busy, still use one call each.',
    );
  }
  if (sshDocker.n > 0 && sshDockerCall.n > 0) {
    lines.push(
      `- Docker over SSH: the container's \`docker exec -i … sh\` runs on the remote side, kept open through the master connection: ` +
        `${ms(sshDocker.median)} median per command, against ${ms(sshDockerCall.median)} for a \`docker exec\` per command over one ssh call each ` +
        `(×${(sshDockerCall.median / sshDocker.median).toFixed(1)}).`,
    );
  }
  lines.push(
    `- The first SSH command, which opens the master connection, took ${ms(r.firstSshMs)} (n = 1); every later one reuses it.`,
    `- A new SSH connection per sample would cost ${ms(fresh.median)} median instead of ${ms(mux.median)} through the kept-open shell ` +
      `(×${(fresh.median / mux.median).toFixed(1)}); a new container per sample ${ms(drun.median)} instead of ${ms(dexec.median)} for ` +
      `the container's kept-open shell (×${(drun.median / dexec.median).toFixed(1)}) — and would put container start-up next to every sample.`,
    `- Parsing alone (n = ${pa.n}): ab report ${mmm(pa, ms)}, dd output ${mmm(pd, ms)}; appending one sample with fsync ${mmm(ap, ms)}. ` +
      'The fsync dominates and varies with the shared disk.',
  );
  if (r.slowRc.length > 0) {
    const s = figures(r.slowRc);
    lines.push(
      `- **A slow login-shell rc is paid on every ssh call.** OpenSSH runs each command through the user's login shell, and bash ` +
        `sources ~/.bashrc for commands started by sshd. Against an sshd that leaves HOME at root's own (whose .bashrc here runs ` +
        `slow initialisation), one multiplexed ssh call of \`true\` took ${mmm(s, ms)} (n = ${s.n}) instead of ${ms(get('ssh-call').median)}. ` +
        'The kept-open shell pays it once per session (and again after a reconnection); one-off calls (commands with stdin input, ' +
        'overflow) pay it every time. Keep the rc of the benchmark user on a remote host minimal (or return early for non-interactive shells); the bench and the tests give the ' +
        'session an empty HOME (`sshd -o SetEnv=HOME=<dir>`).',
    );
  }
  lines.push(
    '',
    `All of this is outside the measured interval (dd and ab time themselves), and small next to a sample of about a second: ` +
      `the SSH total is ${num((figures(r.methods.find((m) => m.id === 'ssh-mux')!.execMs).median / 1000) * 100, 1)} % of a 1 s sample.`,
    '',
  );
  return lines.join('\n');
}

export async function overheadBench(o: OverheadOptions = {}): Promise<string> {
  return overheadMarkdown(await runOverhead(o));
}
