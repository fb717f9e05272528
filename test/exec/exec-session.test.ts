// The shell kept open in a container: exact output framing, exit codes, timeouts, and a dead container.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE } from '../../src/scenario/schema.js';
import { ExecSession } from '../../src/exec/exec-session.js';
import { HOSTILE_ARGS } from '../helpers/hostile-args.js';

let id = '';
let session: ExecSession;
beforeAll(() => {
  execFileSync('node', ['bin/benchsuite.js', 'image', 'build', '--if-missing'], { stdio: 'ignore' });
  id = execFileSync('docker', ['run', '-d', '--label', 'benchsuite.run=exec-session-test', '--cap-drop=ALL', DEFAULT_IMAGE, 'sleep', 'infinity'], { encoding: 'utf8' }).trim();
  session = new ExecSession(['docker', 'exec', '-i', id, 'sh']);
});
afterAll(() => {
  session?.close();
  if (id) execFileSync('docker', ['rm', '-f', id], { stdio: 'ignore' });
});

describe('ExecSession', () => {
  it('passes hostile arguments through intact and keeps stdout and stderr apart', async () => {
    const r = await session.exec(['printf', '%s\\0', ...HOSTILE_ARGS]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGS);
    const e = await session.exec(['sh', '-c', 'printf out; printf err >&2; exit 7']);
    expect(e).toMatchObject({ stdout: 'out', stderr: 'err', exitCode: 7, timedOut: false });
  });

  it('gives commands /dev/null as stdin, so none can swallow the next', async () => {
    const r = await session.exec(['cat']);
    expect(r).toMatchObject({ stdout: '', exitCode: 0 });
    expect((await session.exec(['echo', 'still here'])).stdout).toBe('still here\n');
  });

  it('runs inside the container (its capabilities), and kills a command at its timeout', async () => {
    const caps = await session.exec(['cat', '/proc/self/status']);
    expect(caps.stdout).toMatch(/^CapEff:\s+0+$/m);
    const t = await session.exec(['sleep', '30'], { timeoutMs: 1000 });
    expect(t.timedOut).toBe(true);
    expect(t.exitCode).toBeNull();
    expect((await session.exec(['true'])).exitCode).toBe(0);
  });

  it('returns output exactly (no trailing newline, marker-like text) and reopens a dropped session', async () => {
    const fake = '\n__benchsuite_0123456789abcdef_X:0\n';
    const r = await session.exec(['sh', '-c', 'printf "%s" "$1"; printf "%s" "$1" >&2; printf tail', 'sh', fake]);
    expect(r).toMatchObject({ stdout: `${fake}tail`, stderr: fake, exitCode: 0 });
    const client = session.clientPid as number;
    process.kill(client, 'SIGKILL'); // the docker CLI, not the container
    await new Promise((res) => setTimeout(res, 300));
    expect(await session.exec(['sh', '-c', 'echo back'])).toMatchObject({ stdout: 'back\n', exitCode: 0 });
    expect(session.clientPid).not.toBe(client);
    expect(session.usable).toBe(true);
  });

  it('reports a killed container as an error instead of hanging', async () => {
    execFileSync('docker', ['kill', id], { stdio: 'ignore' });
    const r = await session.exec(['true'], { timeoutMs: 5000 });
    expect(r.exitCode).toBeNull();
    expect(session.usable).toBe(false);
  });
});
