// A real OpenSSH server on 127.0.0.1 with a generated host key and user key, for SSH-target tests.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './cli.js';

export interface TestSshd {
  port: number;
  url: string;
  identityFile: string;
  knownHostsFile: string;
  dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

async function waitPort(port: number, up: boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true)); // in use = sshd listening
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (open === up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd port ${port} did not become ${up ? 'ready' : 'free'}`);
}

/** pid and all its descendants, from /proc (sshd's per-connection children outlive the listener otherwise). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export async function startSshd(): Promise<TestSshd> {
  const dir = tempDir('sshd');
  mkdirSync('/run/sshd', { recursive: true });
  const hostKey = join(dir, 'host_ed25519');
  const userKey = join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', userKey]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`));
  const port = await freePort();
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8')}`);
  const home = join(dir, 'home');
  mkdirSync(home);
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      '/usr/sbin/sshd',
      ['-D', '-e', '-f', '/dev/null', '-p', String(port), '-o', 'ListenAddress=127.0.0.1', '-o', `HostKey=${hostKey}`,
        '-o', `AuthorizedKeysFile=${join(dir, 'authorized_keys')}`, '-o', `PidFile=${join(dir, 'sshd.pid')}`, '-o', 'StrictModes=no',
        '-o', 'PermitRootLogin=prohibit-password', '-o', 'MaxSessions=64', '-o', 'MaxStartups=64',
        // The login shell reads ~/.bashrc over SSH; this machine's root .bashrc takes seconds (pyenv init).
        '-o', `SetEnv=HOME=${home}`],
      { stdio: 'ignore' },
    );
    await waitPort(port, true);
  };
  await start();
  return {
    port,
    url: `ssh://root@127.0.0.1:${port}`,
    identityFile: userKey,
    knownHostsFile,
    dir,
    start,
    stop: async () => {
      if (child && child.exitCode === null && child.pid) {
        // Kill open connections too: a stopped server must look like a lost host.
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
      await waitPort(port, false).catch(() => undefined);
    },
  };
}
