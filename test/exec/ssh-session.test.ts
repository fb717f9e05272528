// The persistent remote shell of an SSH machine, against a real sshd on 127.0.0.1: framing with hostile output,
// exit codes, timeouts and aborts that kill the remote process group, and sessions that drop and come back.
import { describe, expect, it } from 'vitest';
import { SshMachine } from '../../src/exec/ssh.js';
import { ConnectionError } from '../../src/exec/types.js';
import { withLoopbackSshMachine, type TestSshd } from '../helpers/sshd.js';
import { HOSTILE_ARGS } from '../helpers/hostile-args.js';

let m: SshMachine;
let sshd: TestSshd;
withLoopbackSshMachine((machine, server) => {
  m = machine;
  sshd = server;
});

const opts = { timeoutMs: 20_000 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const session = () => m.openSessions[0]!;
/** Remote processes whose command line contains `tag` (through a separate ssh call, not the session under test). */
async function remoteProcs(tag: string): Promise<string[]> {
  const ps = await m.execOnce(['ps', '-eo', 'pid=,args='], { timeoutMs: 15_000 });
  return ps.stdout.split('\n').filter((l) => l.includes(tag));
}

describe('SshMachine kept-open shell: framing', () => {
  it('runs commands in one kept-open session, hostile arguments intact', async () => {
    const r = await m.exec(['printf', '%s\\0', ...HOSTILE_ARGS], opts);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGS);
    const pid = session().clientPid;
    expect(pid).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect((await m.exec(['true'], opts)).exitCode).toBe(0);
    expect(session().clientPid).toBe(pid);
    expect(m.openSessions).toHaveLength(1);
  });

  it('returns output exactly: no trailing newline, marker-like text, control bytes, a large multi-byte output', async () => {
    expect(await m.exec(['printf', 'no newline'], opts)).toMatchObject({ stdout: 'no newline', stderr: '', exitCode: 0 });
    expect((await m.exec(['printf', ''], opts)).stdout).toBe('');
    expect((await m.exec(['printf', '\\n\\n'], opts)).stdout).toBe('\n\n');
    const fake = '\n__benchsuite_0123456789abcdef_X:0\n__benchsuite_0123456789abcdef_E\n';
    const f = await m.exec(['sh', '-c', 'printf "%s" "$1"; printf "%s" "$1" >&2; exit 3', 'sh', fake], opts);
    expect(f).toMatchObject({ stdout: fake, stderr: fake, exitCode: 3 });
    const ctl = await m.exec(['printf', 'a\\000b\\001\\033[0m\\r\\177\\tz'], opts);
    expect(ctl.stdout).toBe('a\0b\x01\x1b[0m\r\x7f\tz');
    // 300,000 bytes of two-byte characters: many pipe chunks, some split inside a character.
    const big = await m.exec(['sh', '-c', 'i=0; while [ $i -lt 1500 ]; do printf "%s" "$1"; i=$((i+1)); done', 'sh', 'ü'.repeat(100)], { timeoutMs: 60_000 });
    expect(big.stdout.length).toBe(150_000);
    expect(big.stdout).toBe('ü'.repeat(150_000));
  });

  it('keeps stdout and stderr apart, stderr interleaved with output and without a newline', async () => {
    const r = await m.exec(['sh', '-c', 'printf out1; printf err1 >&2; printf out2; printf err2 >&2; exit 7'], opts);
    expect(r).toMatchObject({ stdout: 'out1out2', stderr: 'err1err2', exitCode: 7, timedOut: false, aborted: false });
  });

  it('reports exit codes, 127 for a missing program, and gives commands an empty stdin', async () => {
    expect((await m.exec(['sh', '-c', 'exit 0'], opts)).exitCode).toBe(0);
    expect((await m.exec(['sh', '-c', 'exit 255'], opts)).exitCode).toBe(255);
    expect((await m.exec(['no-such-program-benchsuite'], opts)).exitCode).toBe(127);
    expect(await m.exec(['cat'], opts)).toMatchObject({ stdout: '', exitCode: 0 });
    expect((await m.exec(['echo', 'still here'], opts)).stdout).toBe('still here\n');
  });

  it('runs concurrent commands side by side (a second shell, then one ssh call each)', async () => {
    const t0 = performance.now();
    const rs = await Promise.all([1, 2, 3].map(() => m.exec(['sleep', '1'], opts)));
    expect(rs.map((r) => r.exitCode)).toEqual([0, 0, 0]);
    expect(performance.now() - t0).toBeLessThan(2500);
    expect(m.openSessions.length).toBe(2);
  });
});

describe('SshMachine kept-open shell: timeouts, aborts, dropped sessions', () => {
  it('kills the remote process group at the timeout and keeps the session', async () => {
    const before = session().clientPid;
    const t0 = performance.now();
    const r = await m.exec(['sh', '-c', 'sleep 41.51 & sleep 41.51; wait'], { timeoutMs: 1500 });
    expect(r).toMatchObject({ timedOut: true, aborted: false, exitCode: null });
    expect(performance.now() - t0).toBeLessThan(5000);
    await sleep(300);
    expect(await remoteProcs('sleep 41.51')).toEqual([]);
    expect((await m.exec(['true'], opts)).exitCode).toBe(0);
    expect(session().clientPid).toBe(before);
  });

  it('kills the remote process group on abort', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 700);
    const t0 = performance.now();
    const r = await m.exec(['sh', '-c', 'sleep 41.52 & sleep 41.52; wait'], { timeoutMs: 30_000, signal: ac.signal });
    expect(r).toMatchObject({ aborted: true, timedOut: false, exitCode: null });
    expect(performance.now() - t0).toBeLessThan(5000);
    await sleep(300);
    expect(await remoteProcs('sleep 41.52')).toEqual([]);
    const pre = new AbortController();
    pre.abort();
    expect(await m.exec(['true'], { signal: pre.signal })).toMatchObject({ aborted: true, exitCode: null });
  });

  it('reconnects transparently when the ssh client is killed between commands', async () => {
    const pid = session().clientPid as number;
    process.kill(pid, 'SIGKILL');
    await sleep(200);
    const r = await m.exec(['echo', 'back'], opts);
    expect(r).toMatchObject({ stdout: 'back\n', exitCode: 0 });
    expect(session().clientPid).not.toBe(pid);
  });

  it('reconnects transparently when the remote shell is killed between commands', async () => {
    const shellPid = (await m.exec(['sh', '-c', 'echo $PPID'], opts)).stdout.trim();
    expect(shellPid).toMatch(/^\d+$/);
    const k = await m.execOnce(['kill', '-KILL', shellPid], opts);
    expect(k.exitCode, k.stderr).toBe(0);
    await sleep(300);
    const r = await m.exec(['sh', '-c', 'echo $PPID'], opts);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).not.toBe(shellPid);
  });

  it('a session dropped during a command: a ConnectionError, the remote command killed, the next command fine', async () => {
    const running = m.exec(['sh', '-c', 'sleep 41.53 & sleep 41.53; wait'], { timeoutMs: 30_000 });
    await sleep(800);
    expect(await remoteProcs('sleep 41.53')).not.toEqual([]);
    process.kill(session().clientPid as number, 'SIGKILL');
    await expect(running).rejects.toBeInstanceOf(ConnectionError);
    await sleep(500);
    expect(await remoteProcs('sleep 41.53')).toEqual([]);
    expect((await m.exec(['echo', 'ok'], opts)).stdout).toBe('ok\n');
  });

  it('close() stops a server it spawned whose stop() never ran: nothing outlives the connection', async () => {
    const other = new SshMachine(sshd.url, { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });
    const bg = await other.spawn(['sleep', '42.71']);
    expect(await bg.running()).toBe(true);
    expect(await remoteProcs('sleep 42.71')).not.toEqual([]);
    await other.close(); // no bg.stop()
    await sleep(300);
    expect(await remoteProcs('sleep 42.71')).toEqual([]);
  });

  it('reports an unreachable host as a ConnectionError, and works again when it is back', async () => {
    await sshd.stop();
    await expect(m.exec(['true'], { timeoutMs: 10_000 })).rejects.toBeInstanceOf(ConnectionError);
    await sshd.start();
    const r = await m.exec(['echo', 'again'], opts);
    expect(r).toMatchObject({ stdout: 'again\n', exitCode: 0 });
  });
});
