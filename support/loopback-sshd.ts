/**
 * A real OpenSSH server on 127.0.0.1 (or another loopback address) with fresh host and user keys, for the SSH-target tests and the benches
 * (development support; not part of the CLI). By default the session's HOME is an empty directory: bash
 * sources ~/.bashrc for every command sshd runs, and root's rc on the development machine takes seconds.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLocalPort } from '../src/util/net.js';
import { descendants } from '../src/util/proc.js';

export interface LoopbackSshd {
  /** The loopback address it listens on. */
  address: string;
  port: number;
  url: string;
  identityFile: string;
  knownHostsFile: string;
  dir: string;
  /** (Re)start the server on the same port and keys. */
  start(): Promise<void>;
  /** Stop the server and every open connection (a stopped server must look like a lost host). */
  stop(): Promise<void>;
  /** stop() and remove the keys and files. */
  dispose(): Promise<void>;
}

function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitListening(port: number, up: boolean, child?: ChildProcess, ms = 10_000, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await listening(port, host)) === up) return;
    if (up && child && child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd on ${host}:${port} did not become ${up ? 'ready' : 'free'}`);
}

export interface LoopbackSshdOptions {
  cleanHome?: boolean;
  prefix?: string;
  /** Listen on this loopback address (default 127.0.0.1); any of 127.0.0.0/8 works without configuration. */
  address?: string;
  /** Listen on this port (default: a free one). */
  port?: number;
}

export async function startLoopbackSshd(o: LoopbackSshdOptions = {}): Promise<LoopbackSshd> {
  const address = o.address ?? '127.0.0.1';
  if (!/^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(address)) throw new Error(`loopback sshd: ${address} is not a 127.0.0.0/8 address`);
  const dir = mkdtempSync(join(tmpdir(), `${o.prefix ?? 'bs-sshd'}-`));
  mkdirSync('/run/sshd', { recursive: true });
  const hostKey = join(dir, 'host_ed25519');
  const userKey = join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'benchsuite-loopback', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'benchsuite-loopback', '-f', userKey]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`));
  const home = join(dir, 'home');
  mkdirSync(home);
  const port = o.port ?? (await freeLocalPort());
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, `[${address}]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8')}`);
  const args = [
    '-D', '-e', '-f', '/dev/null', '-p', String(port),
    '-o', `ListenAddress=${address}`,
    '-o', `HostKey=${hostKey}`,
    '-o', `AuthorizedKeysFile=${join(dir, 'authorized_keys')}`,
    '-o', `PidFile=${join(dir, 'sshd.pid')}`,
    '-o', 'StrictModes=no',
    '-o', 'PermitRootLogin=prohibit-password',
    '-o', 'MaxSessions=100',
    '-o', 'MaxStartups=100',
  ];
  if (o.cleanHome !== false) args.push('-o', `SetEnv=HOME=${home}`);

  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn('/usr/sbin/sshd', args, { stdio: 'ignore' });
    await waitListening(port, true, child, 10_000, address);
  };
  const stop = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null && child.pid) {
      for (const p of descendants(child.pid)) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await waitListening(port, false, undefined, 10_000, address).catch(() => undefined);
  };
  await start();
  return {
    port,
    address,
    url: `ssh://root@${address}:${port}`,
    identityFile: userKey,
    knownHostsFile,
    dir,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
