/**
 * A host reached with the system OpenSSH client. One multiplexed master connection per machine
 * (ControlMaster/ControlPersist), and on it a persistent remote shell (ExecSession, process-group mode) that takes
 * one command at a time: a command pays a write to a pipe, not an ssh client start, a channel open and a login shell.
 * Commands with stdin input, and commands issued while the kept-open shells are busy, use one ssh call each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecSession } from './exec-session.js';
import { DOCKERD_FIX } from './local.js';
import { runProcess } from './process.js';
import { quoteCommandLine } from './quote.js';
import { formatSshUrl, parseSshUrl, type SshAddress } from './ssh-url.js';
import { CPU_COUNTERS_SCRIPT, parseCpuCounters, type CpuCounters } from '../util/cpu-noise.js';
import { ConnectionError, type BackgroundProcess, type ExecOptions, type ExecResult, type Machine, type MachineCheck } from './types.js';

export interface SshOptions {
  identityFile?: string;
  knownHostsFile?: string;
  /** Default accept-new: first contact records the key, a changed key is refused. */
  strictHostKeyChecking?: 'yes' | 'accept-new' | 'no';
  connectTimeoutSec?: number;
}

const PID_MARK = 'BENCHSUITE_REMOTE_PID=';
/** Addresses (as formatSshUrl prints them) whose host key must already be known: StrictHostKeyChecking=yes (fleet hosts). */
export const STRICT_HOST_KEYS = new Set<string>();

/** Kept-open remote shells per machine; a command finding them all busy uses its own ssh call. */
const SESSIONS_PER_MACHINE = 2;

export class SshMachine implements Machine {
  readonly kind = 'ssh' as const;
  readonly isThisHost = false;
  readonly address: string;
  private readonly addr: SshAddress;
  private readonly controlDir: string;
  private readonly sessions: ExecSession[] = [];
  /**
   * Servers started with spawn() and still running, group leader → log file: their trees are the benchmark's own
   * CPU, and close() stops what stop() did not.
   */
  private readonly spawned = new Map<number, string>();

  constructor(url: string, private readonly options: SshOptions = {}) {
    const parsed = parseSshUrl(url);
    if (typeof parsed === 'string') throw new Error(`invalid SSH address ${url}: ${parsed}`);
    this.addr = parsed;
    this.address = formatSshUrl(parsed);
    // ControlPath must be short (sun_path is 108 bytes): a private directory in /tmp.
    this.controlDir = mkdtempSync(join(tmpdir(), 'bs-ssh-'));
  }

  /** The ssh client's argv up to (not including) the remote command. */
  sshArgv(): string[] {
    const o = this.options;
    const argv = [
      'ssh',
      '-p', String(this.addr.port),
      '-o', 'BatchMode=yes',
      '-o', `StrictHostKeyChecking=${STRICT_HOST_KEYS.has(this.address) ? 'yes' : (o.strictHostKeyChecking ?? 'accept-new')}`,
      '-o', `ConnectTimeout=${o.connectTimeoutSec ?? 10}`,
      '-o', 'ServerAliveInterval=5',
      '-o', 'ServerAliveCountMax=3',
      '-o', 'ControlMaster=auto',
      '-o', `ControlPath=${this.controlDir}/cm-%C`,
      '-o', 'ControlPersist=60',
      '-o', 'LogLevel=ERROR',
    ];
    if (o.identityFile) argv.push('-i', o.identityFile, '-o', 'IdentitiesOnly=yes');
    if (o.knownHostsFile) argv.push('-o', `UserKnownHostsFile=${o.knownHostsFile}`);
    argv.push('-l', this.addr.user, '--', this.addr.host);
    return argv;
  }

  /** A random high port: whether it is free is checked on the machine by the caller. */
  async candidatePort(): Promise<number> {
    return 20_000 + Math.floor(Math.random() * 40_000);
  }

  async doctorChecks(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<MachineCheck[]> {
    let r: ExecResult;
    try {
      r = await this.execOnce(['true'], { timeoutMs: options.timeoutMs ?? 30_000, signal: options.signal });
    } catch (e) {
      r = { argv: ['true'], stdout: '', stderr: (e as Error).message, exitCode: 255, timedOut: false, aborted: false, durationMs: 0 };
    }
    const ok = r.exitCode === 0;
    const port = this.addr.port === 22 ? '' : ` -p ${this.addr.port}`;
    const login = `${this.addr.user}@${this.addr.host.includes(':') ? `[${this.addr.host}]` : this.addr.host}`;
    const first = (r.stderr || r.stdout).trim().split('\n')[0] ?? '';
    return [
      {
        name: 'reachable',
        ok,
        required: true,
        detail: ok ? `${this.address} answers over SSH (${Math.round(r.durationMs)} ms)` : `${this.address}: ${first || `exit ${r.exitCode}`}`,
        fix: `check \`ssh -o BatchMode=yes${port} ${login} true\` works (install your key there: ssh-copy-id${port} ${login})`,
      },
    ];
  }

  dockerStartHint(): string {
    return `on ${this.address}: systemctl start docker (or ${DOCKERD_FIX})`;
  }

  /** Local argv that runs argv on this machine with pipes kept open (e.g. a container's shell for an ExecSession). */
  sessionArgv(argv: string[]): string[] {
    return [...this.sshArgv(), quoteCommandLine(argv)];
  }

  private idleSession(): ExecSession | undefined {
    const idle = this.sessions.find((s) => !s.busy);
    if (idle || this.sessions.length >= SESSIONS_PER_MACHINE) return idle;
    const s = new ExecSession({
      argv: this.sessionArgv(['exec', 'sh']),
      mode: 'process-group',
      killGroup: async (pid) => {
        await runProcess([...this.sshArgv(), `kill -KILL -${pid} ${pid} 2>/dev/null; true`], { timeoutMs: 15_000 });
      },
      failure: (message) => new ConnectionError(message),
      what: `the SSH session to ${this.address}`,
    });
    this.sessions.push(s);
    return s;
  }

  /** The kept-open remote shells (for tests and benches). */
  get openSessions(): readonly ExecSession[] {
    return this.sessions;
  }

  async exec(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (options.input === undefined) {
      const session = this.idleSession();
      if (session) return session.exec(argv, options);
    }
    return this.execOnce(argv, options);
  }

  /** One ssh call for one command (commands with stdin input; overflow when every kept-open shell is busy). */
  async execOnce(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    // The remote shell reports its pid, then becomes the command: sshd made it a session leader,
    // so killing that process group on timeout or interrupt ends the remote tree too.
    const remote = `echo ${PID_MARK}$$ >&2; exec ${quoteCommandLine(argv)}`;
    let remotePid: string | undefined;
    const killRemote = async (): Promise<void> => {
      if (remotePid) await runProcess([...this.sshArgv(), `kill -KILL -${remotePid}`], { timeoutMs: 10_000 });
    };
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer =
      options.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, options.timeoutMs)
        : undefined;
    // Learn the pid as soon as it is printed: run ssh, and on abort kill the remote group first.
    const resultPromise = runProcess([...this.sshArgv(), remote], { input: options.input, signal: controller.signal });
    controller.signal.addEventListener('abort', () => void 0, { once: true });
    let r: ExecResult;
    try {
      r = await resultPromise;
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
    const m = new RegExp(`${PID_MARK}(\\d+)\\n?`).exec(r.stderr);
    if (m) remotePid = m[1];
    if (controller.signal.aborted) await killRemote().catch(() => undefined);
    const stderr = r.stderr.replace(new RegExp(`${PID_MARK}\\d+\\n?`), '');
    if (!m && r.exitCode === 255 && !controller.signal.aborted) {
      throw new ConnectionError(`SSH to ${this.address} failed: ${stderr.trim() || 'connection error (exit 255)'}`);
    }
    return {
      ...r,
      argv,
      stderr,
      timedOut,
      aborted: r.aborted && !timedOut,
      exitCode: controller.signal.aborted ? null : r.exitCode,
    };
  }

  /** Through the kept-open shell (one round trip): the shell itself is the own root the script reports. */
  async cpuCounters(ownPids: readonly number[], options: { signal?: AbortSignal } = {}): Promise<CpuCounters | undefined> {
    const r = await this.exec(['sh', '-c', CPU_COUNTERS_SCRIPT], { timeoutMs: 15_000, signal: options.signal });
    return r.exitCode === 0 ? parseCpuCounters(r.stdout, [...this.spawned.keys(), ...ownPids]) : undefined;
  }

  async spawn(argv: string[]): Promise<BackgroundProcess> {
    // Detached on the remote side with nohup; the pid is kept so stop() can kill the group.
    const logFile = `/tmp/benchsuite-bg-${process.pid}-${Date.now()}.log`;
    const line = `setsid ${quoteCommandLine(argv)} >${logFile} 2>&1 </dev/null & echo $!`;
    const r = await runProcess([...this.sshArgv(), line], { timeoutMs: 30_000 });
    const pid = r.stdout.trim();
    if (r.exitCode !== 0 || !/^\d+$/.test(pid)) {
      if (r.exitCode === 255) throw new ConnectionError(`SSH to ${this.address} failed: ${r.stderr.trim()}`);
      throw new Error(`could not start ${argv[0]} on ${this.address}: ${r.stderr.trim()}`);
    }
    this.spawned.set(Number(pid), logFile);
    let lastLog = '';
    const running = async (): Promise<boolean> => {
      const c = await this.exec(['kill', '-0', pid], { timeoutMs: 15_000 });
      return c.exitCode === 0;
    };
    return {
      description: `${argv.join(' ')} on ${this.address}`,
      running,
      output: () => lastLog,
      stop: async () => {
        // The log is best effort; the kill must happen even when reading it fails.
        lastLog = await this.exec(['tail', '-c', '4096', logFile], { timeoutMs: 15_000 }).then((l) => l.stdout, () => lastLog);
        await this.killGroup(pid, logFile);
        this.spawned.delete(Number(pid));
      },
    };
  }

  async writeFile(path: string, content: string | Buffer): Promise<void> {
    const dir = path.replace(/\/[^/]*$/, '') || '/';
    const r = await this.exec(['sh', '-c', 'mkdir -p "$1" && cat > "$2" && chmod 0644 "$2"', 'sh', dir, path], {
      input: content,
      timeoutMs: 60_000,
    });
    if (r.exitCode !== 0) throw new Error(`could not write ${path} on ${this.address}: ${r.stderr.trim()}`);
  }

  /** TERM, then KILL, the remote process group `pid` leads; removes its log. */
  private async killGroup(pid: string, logFile: string): Promise<void> {
    await this.exec(
      ['sh', '-c', 'kill -TERM "-$1" 2>/dev/null; sleep 0.5; kill -KILL "-$1" 2>/dev/null; rm -f "$2"; true', 'sh', pid, logFile],
      { timeoutMs: 15_000 },
    );
  }

  async close(): Promise<void> {
    // A server whose stop() never ran (or failed) must not outlive the connection that started it.
    for (const [pid, logFile] of [...this.spawned]) {
      await this.killGroup(String(pid), logFile).catch(() => undefined);
      this.spawned.delete(pid);
    }
    for (const s of this.sessions.splice(0)) s.close();
    await runProcess(['ssh', '-o', `ControlPath=${this.controlDir}/cm-%C`, '-O', 'exit', '-p', String(this.addr.port), '-l', this.addr.user, this.addr.host], {
      timeoutMs: 5000,
    });
    rmSync(this.controlDir, { recursive: true, force: true });
  }
}
