// `clean` acts only on what carries benchsuite's marks. The machine is a recording fake (a unit test of the
// selection logic: which containers, servers and directories are chosen from what docker/ps/ls report);
// the refusals of --run and --scratch-root are also checked end to end in hostile-inputs.test.ts.
import { describe, expect, it } from 'vitest';
import { checkCleanInputs, findLeftovers } from '../../src/runner/clean.js';
import { InputError } from '../../src/scenario/errors.js';
import type { ExecResult, Machine } from '../../src/exec/types.js';

const A = '20261201-100000-web-aaaa';
const B = '20261201-110000-web-bbbb';
const ROOT = '/var/tmp/bs-clean';

function fakeMachine(): Machine & { calls: string[][] } {
  const calls: string[][] = [];
  const ok = (stdout: string, exitCode = 0): ExecResult => ({ argv: [], exitCode, stdout, stderr: '', durationMs: 0, timedOut: false }) as unknown as ExecResult;
  const markers: Record<string, string> = {
    [`${ROOT}/${A}/.benchsuite-scratch`]: `${A}\n`,
    [`${ROOT}/${B}/.benchsuite-scratch`]: `${B}\n`,
    // A directory named like a run whose marker names another run: not benchsuite's mark for it.
    [`${ROOT}/20261201-120000-web-cccc/.benchsuite-scratch`]: `${A}\n`,
  };
  return {
    address: 'local',
    kind: 'local',
    isThisHost: true,
    candidatePort: async () => 0,
    doctorChecks: async () => [],
    dockerStartHint: () => '',
    calls,
    async exec(argv: string[]) {
      calls.push(argv);
      if (argv[0] === 'docker') {
        return ok(
          [
            `0123456789ab ${A}`,
            `0123456789ac ${B}`,
            '0123456789ad ', // label with an empty value
            '0123456789ae ../../x', // label that is not a run id
          ].join('\n'),
        );
      }
      if (argv[0] === 'ls') return ok([A, B, '20261201-120000-web-cccc', 'not-a-run', '..', 'home'].join('\n'));
      if (argv[0] === 'cat') {
        const m = markers[argv[1] as string];
        return m === undefined ? ok('', 1) : ok(m);
      }
      if (argv[0] === 'ps') {
        return ok(
          [
            `  101   101 nginx: master process nginx -e stderr -p ${ROOT}/${A}/t/http-web -c ${ROOT}/${A}/t/http-web/nginx.conf -g daemon off;`,
            `  102   102 nginx: master process nginx -e stderr -p ${ROOT}/${B}/t/http-web -c ${ROOT}/${B}/t/http-web/nginx.conf -g daemon off;`,
            // Prefix-matching tricks: same leading text, other directory; ".." out of the marked dir; unmarked dir.
            `  103   103 nginx: master process nginx -p ${ROOT}/${A}x/t -c ${ROOT}/${A}/t/nginx.conf`,
            `  104   104 nginx: master process nginx -p ${ROOT}/${A}/../../../srv/www`,
            `  105   105 nginx: master process nginx -p ${ROOT}/20261201-120000-web-cccc/t`,
            `  106   106 /usr/sbin/nginx -c /etc/nginx/nginx.conf`,
            `  107     1 nginx: master process nginx -p ${ROOT}/${A}/t`, // process group 1 is never signalled
            `  108   108 sleep 1000 -p ${ROOT}/${A}/t`,
          ].join('\n'),
        );
      }
      return ok('', 1);
    },
    async spawn() {
      throw new Error('not used');
    },
    async writeFile() {
      throw new Error('not used');
    },
    async close() {},
  };
}

describe('clean', () => {
  it('with --run, only that run\'s labelled containers, its marked directory and the servers inside it', async () => {
    const m = fakeMachine();
    const l = await findLeftovers(m, ROOT, A);
    expect(l.containers).toEqual([{ id: '0123456789ab', run: A }]);
    expect(l.scratchDirs).toEqual([`${ROOT}/${A}`]);
    expect(l.servers.map((s) => s.pid)).toEqual([101]);
    expect(m.calls.find((c) => c[0] === 'docker')).toContain(`label=benchsuite.run=${A}`);
  });
  it('without --run, every run that carries the marks, nothing else', async () => {
    const l = await findLeftovers(fakeMachine(), ROOT);
    expect(l.containers.map((c) => c.run)).toEqual([A, B]);
    expect(l.scratchDirs).toEqual([`${ROOT}/${A}`, `${ROOT}/${B}`]);
    expect(l.servers.map((s) => s.pid)).toEqual([101, 102]);
  });
  it.each(['', '..', '../../x', 'x', `${A}/..`, `${A} `, `${A}\n`])('--run %j is refused before any command', async (id) => {
    const m = fakeMachine();
    await expect(findLeftovers(m, ROOT, id)).rejects.toBeInstanceOf(InputError);
    expect(m.calls).toEqual([]);
  });
  it.each(['/', '/etc', '/var/tmp/a;b', 'relative', '/proc/x', '/var/tmp/../../etc'])('--scratch-root %j is refused', (root) => {
    expect(() => checkCleanInputs(root)).toThrow(InputError);
  });
});
