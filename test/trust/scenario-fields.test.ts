// Allow-lists of the scenario schema, checked table-driven from the code's own lists AND against
// expectations written independently here (so shrinking a list, or widening an alphabet, fails a test).
import { describe, expect, it } from 'vitest';
import { parseScenarioText, parseSet } from '../../src/scenario/load.js';
import { RESERVED_RUN_ARGS, RUN_ARG_ALLOW, runArgProblem } from '../../src/scenario/run-args.js';
import { FORBIDDEN_ROOTS, SYSTEM_DIRS, scratchRootProblem } from '../../src/scenario/validate.js';
import { InputError } from '../../src/scenario/errors.js';
import { nginxConfig } from '../../src/workloads/ab/nginx-config.js';
import { newRunId } from '../../src/runner/run-id.js';

const base = (extra = '', target = 'b: {label: B, container: {}}') =>
  `name: t\nbaseline: a\ntargets:\n  a: {label: A}\n  ${target}\nworkloads: {web: {kind: ab}}\n${extra}`;

function refusal(text: string, sets: string[] = []): string {
  try {
    parseScenarioText(text, 'x.yaml', sets);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('runArgs allow-list', () => {
  // Hand-written: one valid example per allowed option. Adding or removing an option must update this table.
  const EXAMPLES: Record<string, string> = {
    '--cpus': '1.5',
    '--cpuset-cpus': '0-1,3',
    '--cpuset-mems': '0',
    '--cpu-shares': '512',
    '--cpu-period': '100000',
    '--cpu-quota': '50000',
    '--memory': '512m',
    '--memory-reservation': '256m',
    '--memory-swap': '-1',
    '--memory-swappiness': '0',
    '--shm-size': '64m',
    '--pids-limit': '100',
    '--blkio-weight': '500',
    '--ulimit': 'nofile=1024:2048',
    '--read-only': 'true',
    '--init': 'false',
    '--oom-score-adj': '-500',
    '--stop-timeout': '5',
    '--tmpfs': '/run:size=64m,mode=1777',
    '--env': 'GOMAXPROCS=2',
    '--hostname': 'bench',
    '--runtime': 'runc',
  };
  it('the allow-list is exactly the documented one', () => {
    expect(Object.keys(RUN_ARG_ALLOW).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });
  it.each(Object.entries(EXAMPLES))('%s=%s is accepted, in the schema too', (flag, value) => {
    expect(runArgProblem(`${flag}=${value}`)).toBeUndefined();
    expect(() => parseScenarioText(base('', `b: {label: B, container: {runArgs: ['${flag}=${value}']}}`), 'x.yaml')).not.toThrow();
  });
  it.each(Object.keys(RUN_ARG_ALLOW))('%s without "=value", or with a value carrying a space or a second option, is refused', (flag) => {
    expect(runArgProblem(flag)).toMatch(/needs a value/);
    expect(runArgProblem(`${flag}=${EXAMPLES[flag]} --privileged`)).toMatch(/the value must be/);
    expect(runArgProblem(`${flag}=${EXAMPLES[flag]};id`)).toMatch(/the value must be/);
  });

  // Hand-written: the options benchsuite sets itself or has a field for (the 13 of the first version, plus mounts and ports).
  const RESERVED_BY_HAND = ['--name', '--label', '-l', '--rm', '-d', '--detach', '--network', '--net', '--cap-add', '--cap-drop', '--security-opt', '-u', '--user', '-v', '--volume', '--mount', '-p', '--publish', '--label-file'];
  it('every hand-listed reserved option is in the code\'s list, and no more', () => {
    expect(Object.keys(RESERVED_RUN_ARGS).sort()).toEqual([...RESERVED_BY_HAND].sort());
  });
  it.each(Object.keys(RESERVED_RUN_ARGS))('reserved %s is refused, in the schema, naming the item', (flag) => {
    expect(runArgProblem(`${flag}=x`)).toMatch(new RegExp(`^${flag} is not allowed`));
    const msg = refusal(base('', `b: {label: B, container: {runArgs: ['--memory=1g', '${flag}=x']}}`));
    expect(msg).toContain('targets.b.container.runArgs.1');
    expect(msg).toContain(`"${flag}=x"`);
  });

  // Hand-written: options that widen privileges, reach the host, or end docker's option list.
  const HOSTILE = [
    '--privileged', '--privileged=true', '--pid=host', '--ipc=host', '--uts=host', '--userns=host', '--cgroupns=host',
    '--device=/dev/sda', '--cidfile=/etc/cron.d/x', '--env-file=/root/.ssh/id_rsa', '--label-file=/x', '--volumes-from=other',
    '--add-host=x:1.2.3.4', '--dns=1.2.3.4', '--entrypoint=sh', '--workdir=/', '--gpus=all', '--oom-kill-disable',
    '--sysctl=kernel.core_pattern=|/x', '--log-driver=syslog', '--restart=always', '--cap-add=ALL', '--security-opt=seccomp=unconfined',
    '--user=0', '-u0', '-uroot', '-v/:/host', '-v', '/:/host', '-e', '-it', 'alpine', 'sh', '', ' ', '--', '-',
    '--label=benchsuite.run=20260101-000000-x-abcd', '--network=host', '--mount=type=bind,src=/,dst=/h',
    '--tmpfs=/x:exec,size=1g;rm', '--tmpfs=/../../etc', '--env=A=$(id)', '--env=LD_PRELOAD=/tmp/x.so x', '--memory=1g x',
    '--hostname=a.b;c', '--runtime=../../bin/sh', '--ulimit=core=-1 --privileged', '--cpus=1\n--privileged',
  ];
  it.each(HOSTILE)('%j is refused', (item) => {
    expect(runArgProblem(item)).toBeDefined();
  });
  it('--env may not name a benchsuite-irrelevant variable with shell text', () => {
    expect(runArgProblem('--env=LD_PRELOAD=/tmp/x.so')).toBeUndefined(); // a path value is plain text, passed as one argv item
    expect(runArgProblem('--env=lower=x')).toMatch(/the value must be/);
  });
});

describe('scratchRoot', () => {
  // Hand-written: every system directory that may not be the root itself, and the trees never used.
  const SYSTEM_BY_HAND = ['/', '/bin', '/boot', '/etc', '/lib', '/lib32', '/lib64', '/sbin', '/usr', '/run', '/var', '/root', '/home', '/tmp'];
  const FORBIDDEN_BY_HAND = ['/dev', '/proc', '/sys'];
  it('the code lists the same directories', () => {
    expect([...SYSTEM_DIRS].sort()).toEqual([...SYSTEM_BY_HAND].sort());
    expect([...FORBIDDEN_ROOTS].sort()).toEqual([...FORBIDDEN_BY_HAND].sort());
  });
  it.each(SYSTEM_DIRS)('system directory %s itself is refused (with or without a trailing slash), in the schema', (d) => {
    expect(scratchRootProblem(d)).toMatch(/system directory/);
    if (d !== '/') expect(scratchRootProblem(`${d}/`)).toMatch(/system directory/);
    expect(refusal(base(`scratchRoot: ${d}`))).toContain('x.yaml:7:1 scratchRoot');
    if (d !== '/') expect(scratchRootProblem(`${d}/benchsuite`)).toBeUndefined();
  });
  it.each(FORBIDDEN_ROOTS)('%s and everything under it is refused', (d) => {
    for (const p of [d, `${d}/`, `${d}/x`, `${d}/block/sda`]) expect(scratchRootProblem(p), p).toMatch(new RegExp(`must not be under`));
  });
  it.each(['relative/dir', './x', '/var/tmp/../../etc', '/var/tmp/./x', '/var//tmp/x', '/var/tmp/-rf', '~/x', '/var/tmp/a b', '/var/tmp/a:b', '/var/tmp/a;b', '/var/tmp/a\nb', `/var/tmp/${'a'.repeat(130)}`])('%j is refused', (p) => {
    expect(scratchRootProblem(p)).toBeDefined();
  });

  it('no character outside the path alphabet reaches nginx.conf (every code point 0-0x2FF and some beyond)', () => {
    const allowed = /^[A-Za-z0-9._-]$/;
    const reference = nginxConfig({ dir: '/r', port: 8080, listenAll: false, workers: 1 });
    const count = (s: string, c: string) => s.split(c).length - 1;
    const probes: string[] = [];
    for (let cp = 0; cp <= 0x2ff; cp++) probes.push(String.fromCodePoint(cp));
    probes.push('\u2028', '\u202e', '\uFEFF', '\u{1F600}', '\uFF1B', '\u037E');
    let accepted = 0;
    for (const c of probes) {
      for (const field of ['scratchRoot', 'target', 'workload', 'name'] as const) {
        const root = field === 'scratchRoot' ? `/var/tmp/bs${c}x` : '/var/tmp/bs';
        const tid = field === 'target' ? `b${c}x` : 'b';
        const wid = field === 'workload' ? `w${c}x` : 'w';
        const name = field === 'name' ? `n${c}x` : 'n';
        const text = `name: ${JSON.stringify(name)}\nbaseline: a\nscratchRoot: ${JSON.stringify(root)}\ntargets:\n  a: {label: A}\n  ${JSON.stringify(tid)}: {label: B}\nworkloads:\n  ${JSON.stringify(wid)}: {kind: ab}\n`;
        let scenario;
        try {
          scenario = parseScenarioText(text, 'x.yaml').scenario;
        } catch (e) {
          expect(e, `${field} ${JSON.stringify(c)}`).toBeInstanceOf(InputError);
          continue;
        }
        accepted++;
        expect(allowed.test(c) || (field === 'scratchRoot' && c === '/'), `${field} accepted ${JSON.stringify(c)}`).toBe(true);
        // Built as the runner and ab build it: <scratchRoot>/<runId>/<target>/http-<workload>.
        const [t] = Object.keys(scenario.targets).filter((k) => k !== 'a');
        const [w] = Object.keys(scenario.workloads);
        const dir = `${scenario.scratchRoot}/${newRunId(scenario.name)}/${t}/http-${w}`;
        const conf = nginxConfig({ dir, port: 8080, listenAll: false, workers: 1 });
        expect(dir).toMatch(/^[A-Za-z0-9._/-]+$/);
        for (const ch of [';', '{', '}', '#', '"', "'", '$', '\n']) expect(count(conf, ch), `${ch} in nginx.conf for ${JSON.stringify(c)}`).toBe(count(reference, ch));
      }
    }
    expect(accepted).toBeGreaterThan(4 * 60); // letters and digits went through: the loop tested something
  });
});

describe('--set values', () => {
  it.each([
    ['samples=12', 12],
    ['tolerancePct=-1.5', -1.5],
    ['confidence=.9', 0.9],
    ['targets.a.host=ssh://bench@vps.example:2222', 'ssh://bench@vps.example:2222'],
    ['description=a # not a comment', 'a # not a comment'],
    ['description=  two  spaces  ', '  two  spaces  '],
    ['description=yes', 'yes'],
    ['description="quoted # kept"', 'quoted # kept'],
    ['x=true', true],
    ['x=~', null],
    ['x=[1, "a # b"]', [1, 'a # b']],
    ['x={k: v}', { k: 'v' }],
  ])('%s → %j', (text, value) => {
    expect(parseSet(text).value).toEqual(value);
  });
  it.each([
    ['description=line1\nline2', /one line of text/],
    ['description=a\rb', /control character/],
    ['description=a\u001b[2Jb', /control character/],
    ['x=[a, b] # c', /"#" comment/],
    ['x=[a, !!js/function b]', /tag/],
    ['x={a: 1, "a": 2}', /not a valid YAML flow value/],
    ['targets.__proto__.label=x', /reserved word/],
    ['targets.constructor.label=x', /reserved word/],
    ['a..b=1', /not a field path/],
    ['=1', /expected path=value/],
    [`description=${'x'.repeat(5000)}`, /at most 4096/],
  ])('%j is refused', (text, pattern) => {
    expect(() => parseSet(text)).toThrow(pattern);
  });
  it('a #-bearing value reaches the scenario whole, and is then validated like the file', () => {
    const { scenario } = parseScenarioText(base(), 'x.yaml', ['description=a # b']);
    expect(scenario.description).toBe('a # b');
    expect(refusal(base(), ['targets.a.label=A # <b>'])).toContain('targets.a.label');
    expect(refusal(base(), ['scratchRoot=/var/tmp/x; include /etc/passwd'])).toContain('scratchRoot');
  });
  it('a multi-line error value is quoted in at most ~100 characters', () => {
    const msg = refusal(base(), [`description=${'<'.repeat(3000)}`]);
    expect(msg.length).toBeLessThan(600);
  });
});

describe('YAML', () => {
  it.each([
    ['keys equal as strings', 'name: t\nbaseline: a\ntargets:\n  1: {label: A}\n  "1": {label: B}\n  a: {label: C}\nworkloads: {w: {kind: ab}}\n', /Map keys must be unique/],
    ['true and "true"', 'name: t\nbaseline: a\ntargets:\n  a: {label: A}\n  true: {label: B}\n  "true": {label: C}\nworkloads: {w: {kind: ab}}\n', /Map keys must be unique/],
    ['an unknown !! tag', base('seed: !!binary aGVsbG8=\n'), /seed: the tag .*binary/],
    ['a local tag', base('description: !x hi\n'), /description: the tag "!x"/],
    ['!!set', base('x: !!set {a, b}\n'), /tag/],
    ['__proto__ as a workload id', 'name: t\nbaseline: a\ntargets: {a: {label: A}}\nworkloads: {__proto__: {kind: ab}}\n', /workloads.__proto__: .*reserved/],
    ['prototype as a target id', 'name: t\nbaseline: a\ntargets: {a: {label: A}, prototype: {label: P}}\nworkloads: {w: {kind: ab}}\n', /targets.prototype: .*reserved/],
  ])('%s is refused with exit-2 InputError', (_name, text, pattern) => {
    expect(refusal(text)).toMatch(pattern);
  });
  it('an alias bomb is refused naming the file', () => {
    const lines = [base().trimEnd(), 'x0: &x0 [a, a, a, a, a, a, a, a, a]'];
    for (let i = 1; i < 7; i++) lines.push(`x${i}: &x${i} [${Array(9).fill(`*x${i - 1}`).join(', ')}]`);
    expect(refusal(lines.join('\n'))).toMatch(/^invalid scenario x\.yaml: .*alias/);
  });
  it('core tags stay usable', () => {
    expect(parseScenarioText(base('samples: !!int "12"\n'), 'x.yaml').scenario.samples).toBe(12);
  });
});
