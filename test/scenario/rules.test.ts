// Scenario rules checked against expectations worked out by hand: edit distances, "did you mean" thresholds,
// size suffixes, the boundaries of every cross-field rule (just inside passes, just outside is refused with
// the field path), --quick shrinking, and the error texts' file:line:column prefixes.
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, InputError } from '../../src/scenario/errors.js';
import { formatPath, parseScenarioText, parseSet, resolveScenarioPath, SCENARIO_DIR, validateScenarioData } from '../../src/scenario/load.js';
import { QUICK, quickScenario } from '../../src/scenario/quick.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { parseSize } from '../../src/workloads/common/fields.js';
import { scratchRootProblem } from '../../src/scenario/validate.js';

/** A valid scenario with one target and one dd workload, plus extra YAML lines. */
function yaml(extra = '', targets = '  a: {label: A}', workloads = '  w: {kind: dd}'): string {
  return `name: t\nbaseline: a\ntargets:\n${targets}\nworkloads:\n${workloads}\n${extra}`;
}

/** The issues of an invalid scenario (fails the test when the text is valid). */
function issues(text: string): string[] {
  try {
    parseScenarioText(text, 's.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error(`expected the scenario to be refused:\n${text}`);
}

const ok = (text: string): Scenario => parseScenarioText(text, 's.yaml').scenario;

describe('editDistance and didYouMean', () => {
  it('Levenshtein distances worked out by hand', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3); // k→s, e→i, +g
    expect(editDistance('flaw', 'lawn')).toBe(2); // -f, +n
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('host', 'host')).toBe(0);
    expect(editDistance('hots', 'host')).toBe(2); // no transposition: two substitutions
    expect(editDistance('ab', 'ba')).toBe(2);
    expect(editDistance('a', 'b')).toBe(1);
  });

  it('suggests the closest candidate within max(2, ⌊length / 3⌋) edits, case-insensitively', () => {
    expect(didYouMean('hots', ['label', 'host', 'container'])).toBe('host');
    expect(didYouMean('HOST', ['label', 'host'])).toBe('host');
    expect(didYouMean('xyz', ['host'])).toBeUndefined(); // 4 edits > 2
    expect(didYouMean('ab', ['abcd'])).toBe('abcd'); // 2 edits, the floor of 2
    expect(didYouMean('ab', ['abcde'])).toBeUndefined(); // 3 edits
    // Nine letters allow 3 edits, not 4.
    expect(didYouMean('abcdefghi', ['abcdefxyz'])).toBe('abcdefxyz');
    expect(didYouMean('abcdefghi', ['abcdewxyz'])).toBeUndefined();
    // Twelve letters allow 4.
    expect(didYouMean('abcdefghijkl', ['abcdefghwxyz'])).toBe('abcdefghwxyz');
    // The first of equally close candidates wins; a closer later one replaces it.
    expect(didYouMean('cat', ['bat', 'hat'])).toBe('bat');
    expect(didYouMean('cat', ['bag', 'bat'])).toBe('bat');
    expect(didYouMean('cat', [])).toBeUndefined();
  });

  it('InputError carries its message as the single issue unless given a list', () => {
    const e = new InputError('bad');
    expect(e.name).toBe('InputError');
    expect(e.message).toBe('bad');
    expect(e.issues).toEqual(['bad']);
    expect(new InputError('two problems', ['a', 'b']).issues).toEqual(['a', 'b']);
    expect(e).toBeInstanceOf(Error);
  });
});

describe('parseSize', () => {
  it('reads whole numbers with binary K, M and G suffixes', () => {
    expect(parseSize('1')).toBe(1);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('4K')).toBe(4096);
    expect(parseSize('2M')).toBe(2 * 1048576);
    expect(parseSize('1G')).toBe(1073741824);
    expect(parseSize(512)).toBe(512);
  });
  it('anything else is NaN', () => {
    for (const bad of ['1.5M', '4k', 'K', '', ' 1M', '1MB', '-1', '1T']) expect(parseSize(bad), bad).toBeNaN();
  });
});

describe('scratchRootProblem', () => {
  it('accepts a directory of its own, also below system directories', () => {
    for (const p of ['/var/tmp/benchsuite', '/tmp/bench', '/srv/scratch/', '/home/me/bench', '/devices', '/process', '/system']) {
      expect(scratchRootProblem(p), p).toBeUndefined();
    }
  });
  // The path alphabet (docs/scenarios.md, docs/reliability.md "Where dd may write"): an absolute path of letters,
  // digits, ".", "_", "-" and "/", at most 128 characters, no "."/".." segments, no "//", no segment starting with "-".
  it('refuses relative paths, characters outside the path alphabet (newlines, NUL, spaces, ":"), "."/".." and "-" segments', () => {
    expect(scratchRootProblem('var/tmp')).toMatch(/absolute path/);
    for (const p of ['/var/tmp/a\nb', '/var/tmp/a\rb', '/var/tmp/a\0b', '/var/tmp/a b', '/var/tmp/a:b', '/var/tmp/a;b']) {
      expect(scratchRootProblem(p), JSON.stringify(p)).toMatch(/^only letters, digits, "\.", "_", "-" and "\/"/);
    }
    expect(scratchRootProblem('/var/tmp/../etc')).toMatch(/"\.\." segments/);
    expect(scratchRootProblem('/var/tmp/./x')).toMatch(/"\." or "\.\." segments/);
    expect(scratchRootProblem('/var/tmp/..x')).toBeUndefined(); // a name that starts with dots is fine
    expect(scratchRootProblem('/var/tmp/-x')).toMatch(/segment may start with "-"/);
    expect(scratchRootProblem('/var/tmp/a-x')).toBeUndefined(); // a "-" inside a name is fine
    // At most 128 characters: "/var/tmp/" is 9.
    expect(scratchRootProblem(`/var/tmp/${'a'.repeat(119)}`)).toBeUndefined();
    expect(scratchRootProblem(`/var/tmp/${'a'.repeat(120)}`)).toMatch(/at most 128 characters/);
  });
  it('refuses anything under /dev, /proc and /sys, including the directories themselves', () => {
    for (const p of ['/dev', '/dev/shm/x', '/proc', '/proc/', '/proc/self', '/sys/', '/sys/fs/cgroup']) {
      expect(scratchRootProblem(p), p).toMatch(/must not be under \/dev, \/proc, \/sys/);
    }
    // A doubled slash no longer gets normalised into /proc: "//" is refused as such.
    expect(scratchRootProblem('//proc//x')).toMatch(/must not contain "\/\/"/);
  });
  it('refuses a system directory itself, also with a trailing slash; "//" and "." segments are refused as such', () => {
    expect(scratchRootProblem('/')).toMatch(/system directory \/ itself/);
    expect(scratchRootProblem('/tmp/')).toMatch(/system directory \/tmp itself/);
    expect(scratchRootProblem('/var/')).toMatch(/system directory \/var itself/);
    expect(scratchRootProblem('/tmp/bench/')).toBeUndefined(); // a directory of its own, trailing slash and all
    expect(scratchRootProblem('//')).toMatch(/must not contain "\/\/"/);
    expect(scratchRootProblem('/var//')).toMatch(/must not contain "\/\/"/);
    expect(scratchRootProblem('/usr/./')).toMatch(/must not contain "\." or "\.\." segments/);
  });
});

describe('cross-field rules, at their boundaries', () => {
  it('a valid scenario gets its defaults', () => {
    const s = ok(yaml());
    expect(s.samples).toBe(10);
    expect(s.warmup).toBe(1);
    expect(s.scratchRoot).toBe('/var/tmp/benchsuite');
    expect(s.workloads.w).toEqual({ kind: 'dd', blockSize: '1M', count: 256, sync: 'fdatasync', dropCaches: true });
  });

  it('empty targets and workloads are refused, each naming its field', () => {
    const got = issues('name: t\nbaseline: a\ntargets: {}\nworkloads: {}\n');
    expect(got).toHaveLength(2);
    expect(got[0]).toBe('s.yaml:3:1 targets: at least one target is needed');
    expect(got[1]).toMatch(/^s\.yaml:4:1 workloads: at least one workload is needed \(kind: .*\bdd\b.*\)$/);
  });

  it('a baseline that names no target lists the targets and suggests the closest', () => {
    expect(issues(yaml().replace('baseline: a', 'baseline: bare')).join('\n')).toBe('s.yaml:2:1 baseline: names no target; targets are: a');
    const text = 'name: t\nbaseline: bare-metl\ntargets:\n  bare-metal: {label: B}\n  docker: {label: D}\nworkloads:\n  w: {kind: dd}\n';
    expect(issues(text)).toEqual(['s.yaml:2:1 baseline: names no target — did you mean "bare-metal"?; targets are: bare-metal, docker']);
  });

  it('labels must differ, ignoring case', () => {
    expect(issues(yaml('', '  a: {label: Docker}\n  b: {label: docker}'))).toEqual([
      's.yaml:5:7 targets.b.label: "docker" is also the label of target a; labels become table columns and must differ',
    ]);
    expect(ok(yaml('', '  a: {label: Docker}\n  b: {label: Docker 2}')).targets.b?.label).toBe('Docker 2');
  });

  it('hosts: local, vm and ssh:// URLs pass; anything else names the field', () => {
    for (const host of ['local', 'vm', 'ssh://bench@127.0.0.1:2222']) expect(ok(yaml('', `  a: {label: A, host: "${host}"}`)).targets.a?.host).toBe(host);
    const got = issues(yaml('', '  a: {label: A, host: "ftp://x"}'));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^s\.yaml:4:17 targets\.a\.host: "ftp:\/\/x": .*; use local, vm \(the local guest\), .*ssh:\/\/user@host\[:port\]$/);
  });

  // docs/scenarios.md: identityFile is "ssh only", and like knownHostsFile "an absolute path (identityFile also
  // ~/…) of the path alphabet, ≤ 200 characters". The alphabet has no newline, NUL, space or ":".
  it('identityFile: only for ssh:// hosts, absolute or ~/, of the path alphabet, at most 200 characters', () => {
    const ssh = 'host: "ssh://u@127.0.0.1"';
    const id = (v: string): string => yaml('', `  a: {label: A, ${ssh}, identityFile: "${v}"}`);
    expect(ok(id('/k')).targets.a?.identityFile).toBe('/k');
    expect(ok(id('~/.ssh/id_ed25519')).targets.a?.identityFile).toBe('~/.ssh/id_ed25519');
    expect(issues(yaml('', '  a: {label: A, identityFile: /k}'))).toEqual([
      's.yaml:4:17 targets.a.identityFile: only applies to ssh:// hosts; remove it or set host to ssh://user@host',
    ]);
    for (const v of ['k', '.ssh/id', '~k', '~user/k']) expect(issues(id(v)), v).toEqual([expect.stringMatching(/ targets\.a\.identityFile: must be an absolute path .*\(or ~\/…\)$/)]);
    for (const v of ['/k\\nx', '/k\\rx', '/k\\0x', '/k x', '/k:x', '~/k;x']) {
      expect(issues(id(v)), v).toEqual([expect.stringMatching(/ targets\.a\.identityFile: only letters, digits, "\.", "_", "-" and "\/"/)]);
    }
    expect(issues(id('/a/../k'))[0]).toMatch(/targets\.a\.identityFile: must not contain "\." or "\.\." segments/);
    expect(issues(id('/-k'))[0]).toMatch(/targets\.a\.identityFile: no path segment may start with "-"/);
    expect(ok(id(`/${'k'.repeat(199)}`)).targets.a?.identityFile).toHaveLength(200);
    expect(issues(id(`/${'k'.repeat(200)}`))).toEqual([expect.stringMatching(/ targets\.a\.identityFile: at most 200 characters/)]);
    expect(ok(id(`~/${'k'.repeat(198)}`)).targets.a?.identityFile).toHaveLength(200);
  });
  it('identityFile: a ~/… value of 201 characters is refused like any other (docs: ≤ 200 characters)', () => {
    const id = `~/${'k'.repeat(199)}`;
    expect(id).toHaveLength(201);
    expect(issues(yaml('', `  a: {label: A, host: "ssh://u@127.0.0.1", identityFile: "${id}"}`))).toEqual([
      expect.stringMatching(/ targets\.a\.identityFile: at most 200 characters/),
    ]);
  });

  it('knownHostsFile: absolute, of the path alphabet, at most 200 characters', () => {
    const kh = (v: string): string => yaml('', `  a: {label: A, host: "ssh://u@127.0.0.1", knownHostsFile: "${v}"}`);
    expect(ok(kh('/kh')).targets.a?.knownHostsFile).toBe('/kh');
    for (const v of ['kh', '~/kh']) expect(issues(kh(v)), v).toEqual([expect.stringMatching(/ targets\.a\.knownHostsFile: must be an absolute path/)]);
    for (const v of ['/k\\rh', '/k\\nh', '/k h', '/k:h']) {
      expect(issues(kh(v)), v).toEqual([expect.stringMatching(/ targets\.a\.knownHostsFile: only letters, digits, "\.", "_", "-" and "\/"/)]);
    }
    expect(issues(kh('/etc//kh'))[0]).toMatch(/targets\.a\.knownHostsFile: must not contain "\/\/"/);
    expect(ok(kh(`/${'k'.repeat(199)}`)).targets.a?.knownHostsFile).toHaveLength(200);
    expect(issues(kh(`/${'k'.repeat(200)}`))).toEqual([expect.stringMatching(/ targets\.a\.knownHostsFile: at most 200 characters$/)]);
  });

  // docs/scenarios.md "Container runArgs": every item is one --flag=value from the allow-list, with that flag's value
  // pattern, at most 32 items; a flag benchsuite sets itself or has a field for is refused with or without =value,
  // naming the field to use; a bare word, a short option, a flag without =value or off the list is refused too.
  it('runArgs: allow-listed --flag=value items pass; reserved flags (with or without =value), split values, bare words and other flags are refused with their index', () => {
    const t = (args: string[]): string => yaml('', `  a: {label: A, container: {runArgs: [${args.map((a) => JSON.stringify(a)).join(', ')}]}}`);
    const good = ['--memory=1g', '--cpus=2', '--cpus=1.5', '--memory-swappiness=100', '--blkio-weight=10', '--oom-score-adj=-1000', '--read-only=true', '--env=FOO=bar', '--ulimit=nofile=1024:2048', '--pids-limit=-1'];
    expect(ok(t(good)).targets.a?.container?.runArgs).toEqual(good);
    const bad = ['--memory=1g', '--network=none', '--network', '-u', '0', '-u0', '--cpus', '2', '--networkx', '--privileged', '--label=benchsuite.run=x', '--memory-swappiness=101', '--blkio-weight=9', '--oom-score-adj=-1001', '--memory=1g --privileged', '--read-only', '--env=foo=1'];
    const got = issues(t(bad));
    const esc = (text: string): string => text.replace(/[.*+?^$()|[\]{}\\]/g, '\\$&');
    // Each issue: file:line:column, the item's index, the item quoted, why.
    const at = (i: number, why: string): RegExp => new RegExp(`^s\\.yaml:4:\\d+ targets\\.a\\.container\\.runArgs\\.${i}: ${esc(JSON.stringify(bad[i]))}: ${why}`);
    expect(got).toEqual([
      expect.stringMatching(at(1, '--network is not allowed: use container\\.network$')),
      expect.stringMatching(at(2, '--network is not allowed: use container\\.network$')),
      expect.stringMatching(at(3, '-u is not allowed: use container\\.user$')),
      expect.stringMatching(at(4, 'a bare word ends docker\'s options')),
      expect.stringMatching(at(5, '-u0 is not allowed: use container\\.user$')),
      expect.stringMatching(at(6, '--cpus needs a value in the same item: --cpus=<')),
      expect.stringMatching(at(7, 'a bare word ends docker\'s options')),
      expect.stringMatching(at(8, '--networkx is not on the runArgs allow-list')),
      expect.stringMatching(at(9, '--privileged is not on the runArgs allow-list')),
      expect.stringMatching(at(10, '--label is not allowed: .*run id')),
      expect.stringMatching(at(11, '--memory-swappiness: the value must be 0-100$')),
      expect.stringMatching(at(12, '--blkio-weight: the value must be 10-1000$')),
      expect.stringMatching(at(13, '--oom-score-adj: the value must be -1000 to 1000$')),
      expect.stringMatching(at(14, '--memory: the value must be a size')),
      expect.stringMatching(at(15, '--read-only needs a value in the same item')),
      expect.stringMatching(at(16, '--env: the value must be NAME=value')),
    ]);
    // At most 32 items.
    expect(ok(t(Array<string>(32).fill('--cpus=1'))).targets.a?.container?.runArgs).toHaveLength(32);
    expect(issues(t(Array<string>(33).fill('--cpus=1')))).toEqual([expect.stringMatching(/ targets\.a\.container\.runArgs: at most 32 items/)]);
  });

  it('ab: concurrency may equal requests, not exceed it', () => {
    expect(ok(yaml('', undefined, '  w: {kind: ab, requests: 8, concurrency: 8}')).workloads.w).toMatchObject({ requests: 8, concurrency: 8 });
    expect(issues(yaml('', undefined, '  w: {kind: ab, requests: 8, concurrency: 9}'))).toEqual([
      's.yaml:6:30 workloads.w.concurrency: 9 is more than requests (8); ab needs concurrency <= requests',
    ]);
  });

  it('ab: a path with ".." segments or "//" is refused; dots inside names are fine', () => {
    expect(ok(yaml('', undefined, '  w: {kind: ab, path: /a..b/c.html}')).workloads.w).toMatchObject({ path: '/a..b/c.html' });
    for (const p of ['/../etc', '/a/..', '//x', '/a//b']) {
      expect(issues(yaml('', undefined, `  w: {kind: ab, path: "${p}"}`))[0], p).toMatch(/workloads\.w\.path: must not contain "\.\." segments or "\/\/"/);
    }
  });

  it('dd: block size up to 1G, a multiple of 512 with O_DIRECT, at most 64 GiB per sample', () => {
    expect(ok(yaml('', undefined, '  w: {kind: dd, blockSize: 1G, count: 64}')).workloads.w).toMatchObject({ blockSize: '1G', count: 64 }); // exactly 64 GiB
    expect(issues(yaml('', undefined, '  w: {kind: dd, blockSize: 1G, count: 65}'))).toEqual([
      `s.yaml:6:32 workloads.w.count: blockSize × count is ${65 * 1024 ** 3} bytes; at most 64 GiB per sample`,
    ]);
    expect(issues(yaml('', undefined, '  w: {kind: dd, blockSize: 1025M, count: 1}'))[0]).toMatch(/workloads\.w\.blockSize: at most 1G$/);
    expect(ok(yaml('', undefined, '  w: {kind: dd, blockSize: 1024M, count: 1}')).workloads.w).toMatchObject({ blockSize: '1024M' });
    expect(ok(yaml('', undefined, '  w: {kind: dd, blockSize: 1536, sync: direct}')).workloads.w).toMatchObject({ blockSize: 1536 });
    expect(issues(yaml('', undefined, '  w: {kind: dd, blockSize: 1000, sync: direct}'))[0]).toMatch(/workloads\.w\.blockSize: with sync: direct the block size must be a multiple of 512/);
    expect(ok(yaml('', undefined, '  w: {kind: dd, blockSize: 1000, sync: none}')).workloads.w).toMatchObject({ blockSize: 1000 });
  });

  it('adaptive samples: min may equal max, not exceed it', () => {
    expect(ok(yaml('samples: {min: 5, max: 5}\n')).samples).toEqual({ min: 5, max: 5, targetHalfWidthPct: 1 });
    expect(issues(yaml('samples: {min: 6, max: 5}\n'))).toEqual(['s.yaml:7:11 samples.min: min (6) is more than max (5)']);
  });

  it('scratchRoot problems name the field', () => {
    expect(issues(yaml('scratchRoot: /proc/x\n'))).toEqual(['s.yaml:7:1 scratchRoot: must not be under /dev, /proc, /sys (devices and kernel interfaces)']);
  });

  // scratchRoot's alphabet is now a schema rule (a relative path fails before the cross-field rules run), so the
  // cross-field case uses a scratchRoot that passes the alphabet but names a system directory.
  it('every problem is listed, in one error', () => {
    const got = issues(yaml('scratchRoot: /tmp\nsamples: {min: 9, max: 3}\n', '  a: {label: A}\n  b: {label: a}', '  w: {kind: ab, requests: 1, concurrency: 2}'));
    expect(got.map((g) => g.split(': ')[0]?.split(' ')[1])).toEqual(['targets.b.label', 'workloads.w.concurrency', 'scratchRoot', 'samples.min']);
    // Schema problems, too, come all together.
    const schema = issues(yaml('scratchRoot: relative\nwarmup: 101\n', '  a: {label: A, knownHostsFile: kh, container: {runArgs: [--cpus, "2"]}}'));
    expect(schema.map((g) => g.split(': ')[0]?.split(' ')[1]).sort()).toEqual(
      ['scratchRoot', 'targets.a.container.runArgs.0', 'targets.a.container.runArgs.1', 'targets.a.knownHostsFile', 'warmup'],
    );
  });
});

describe('schema messages', () => {
  it('an unknown field suggests the closest and lists the allowed ones', () => {
    expect(issues(yaml('', '  a: {label: A, hots: local}'))).toEqual([
      's.yaml:4:3 targets.a: unknown field "hots" — did you mean "host"? (allowed: label, host, isolation, identityFile, knownHostsFile, container, pin)',
    ]);
    expect(issues(yaml('', undefined, '  w: {kind: dd, cuont: 3}'))[0]).toMatch(/workloads\.w: unknown field "cuont" — did you mean "count"\? \(allowed: kind, title, blockSize, count, sync, dropCaches\)$/);
    expect(issues(yaml('', undefined, '  w: {kind: ab, zzzzzzzz: 3}'))[0]).toMatch(/unknown field "zzzzzzzz" \(allowed: kind, title, requests, concurrency, keepAlive, path, responseBytes, serverWorkers, port\)$/);
  });
  it('a missing field, a wrong type, a value outside an enum, a number out of range', () => {
    expect(issues('name: t\ntargets:\n  a: {label: A}\nworkloads:\n  w: {kind: dd}\n')).toEqual(['s.yaml:1:1 baseline: missing; expected string']); // no such key: the document's start
    expect(issues(yaml('warmup: "two"\n'))[0]).toBe('s.yaml:7:1 warmup: expected number, got "two"');
    expect(issues(yaml('order: shuffled\n'))[0]).toBe('s.yaml:7:1 order: expected one of "interleaved", "randomized", "sequential", got "shuffled"');
    expect(issues(yaml('warmup: 101\n'))[0]).toMatch(/^s\.yaml:7:1 warmup: .*; got 101$/);
    expect(issues(yaml('', undefined, '  w: {kind: fioo}'))[0]).toMatch(/workloads\.w(\.kind)?: .*a workload needs kind: .*\bdd\b.*\bfio\b/);
  });
  it('formatPath joins with dots and names the top level', () => {
    expect(formatPath([])).toBe('(top level)');
    expect(formatPath(['targets', 'a', 'container', 'runArgs', 0])).toBe('targets.a.container.runArgs.0');
  });
  it('validateScenarioData without a locator prints the file and the path only', () => {
    expect(() => validateScenarioData({ name: 't', baseline: 'a', targets: {}, workloads: { w: { kind: 'dd' } } }, 'f.yaml')).toThrow(
      'invalid scenario f.yaml:\n  f.yaml targets: at least one target is needed',
    );
  });
});

describe('YAML and files', () => {
  it('a YAML syntax error and a duplicate key point at the line', () => {
    expect(issues('name: t\nname: u\n')[0]).toMatch(/^s\.yaml:2:1 Map keys must be unique/);
    expect(() => parseScenarioText('name: [t\n', 's.yaml')).toThrow(/^invalid YAML in s\.yaml:/);
  });
  it('a scenario must be a mapping', () => {
    expect(() => parseScenarioText('- a\n- b\n', 's.yaml')).toThrow('s.yaml: a scenario is a YAML mapping (name:, baseline:, targets:, workloads:)');
    expect(() => parseScenarioText('', 's.yaml')).toThrow(/a scenario is a YAML mapping/);
  });
  it('the name defaults to the file name without .yaml or .yml', () => {
    const text = yaml().replace('name: t\n', '');
    expect(parseScenarioText(text, '/x/my-bench.yaml').scenario.name).toBe('my-bench');
    expect(parseScenarioText(text, '/x/other.yml').scenario.name).toBe('other');
  });
  it('resolves shipped names, paths and .yaml/.yml files; an unknown name says what to give', () => {
    expect(resolveScenarioPath('kvm-docker')).toBe(`${SCENARIO_DIR}/kvm-docker.yaml`);
    expect(resolveScenarioPath('/abs/x.yaml')).toBe('/abs/x.yaml');
    expect(resolveScenarioPath('rel.yml')).toBe(`${process.cwd()}/rel.yml`);
    expect(resolveScenarioPath('dir/x')).toBe(`${process.cwd()}/dir/x`);
    expect(() => resolveScenarioPath('no-such-scenario')).toThrow(
      'no scenario named "no-such-scenario": give a path to a .yaml file, or one of the shipped scenarios (benchsuite list)',
    );
  });
});

describe('--set', () => {
  // docs/scenarios.md "--set": one line, typed literally — a whole or decimal number, true/false, null/~, a […]/{…}
  // flow value, a "…"/'…' quoted string; anything else is exactly the text after the first "=" (# and spaces kept).
  it('types the value literally and otherwise keeps exactly the text after the first =, # and spaces included', () => {
    expect(parseSet('a.b=')).toEqual({ path: ['a', 'b'], value: '' });
    expect(parseSet('a=null').value).toBeNull();
    expect(parseSet('a=~').value).toBeNull();
    expect(parseSet('a=64').value).toBe(64);
    expect(parseSet('a=-3').value).toBe(-3);
    expect(parseSet('a=1.5').value).toBe(1.5);
    expect(parseSet('a=false').value).toBe(false);
    expect(parseSet('a=[SETUID, 2]').value).toEqual(['SETUID', 2]);
    expect(parseSet('a={b: 1}').value).toEqual({ b: 1 });
    expect(parseSet('a="x #y"').value).toBe('x #y');
    expect(parseSet("a='1'").value).toBe('1');
    // Anything else: the text itself, never folded, cut or read as YAML.
    expect(parseSet('a=x=y').value).toBe('x=y');
    expect(parseSet('a=ssh://u@h:22').value).toBe('ssh://u@h:22');
    expect(parseSet('a=x #y').value).toBe('x #y'); // "#" is not a comment
    expect(parseSet('a= x  y ').value).toBe(' x  y ');
    for (const text of ['True', 'yes', 'off', '0x10', 'Null']) expect(parseSet(`a=${text}`).value, text).toBe(text);
    expect(parseSet('a_b-c.D9=1').path).toEqual(['a_b-c', 'D9']);
  });
  // Refused, naming the flag and the path: a second line or a control character; a "#" comment inside a flow value;
  // a value that starts as a flow list or quoted string but does not parse as one. (It used to fall back to the text;
  // now a leading [ { " ' means a flow value, and like a "#" inside one, a value that is not clean is refused.)
  it('refuses a value of more than one line, a comment inside a flow value and a broken flow value, saying what to do', () => {
    expect(() => parseSet('a.b=x\ny')).toThrow(/^--set a\.b: the value "x\\ny" contains a newline or control character; a --set value is one line/);
    expect(() => parseSet('a=x\ry')).toThrow(/one line/);
    expect(() => parseSet('a=x\u0007')).toThrow(/control character/);
    expect(() => parseSet('a=[x, #y]')).toThrow(/^--set a: .*"#" comment.*; quote the item that holds the "#"$/);
    expect(() => parseSet('a=[1, 2')).toThrow(/^--set a: "\[1, 2" is not a valid YAML flow value .*; quote it/);
    expect(() => parseSet('a="abc')).toThrow(/^--set a: .* is not a valid YAML flow value/);
  });
  it('refuses a missing path or name, naming the flag and showing an example', () => {
    expect(() => parseSet('=1')).toThrow('--set "=1": expected path=value, e.g. --set targets.kvm-docker.host=ssh://bench@vps.example');
    expect(() => parseSet('a.=1')).toThrow('--set "a.=1": "a." is not a field path (dot-separated names, e.g. workloads.dd.count)');
    expect(() => parseSet('a b=1')).toThrow(/"a b" is not a field path/);
    expect(() => parseSet('.a=1')).toThrow(/not a field path/);
    expect(() => parseSet('a;b=1')).toThrow(/"a;b" is not a field path/);
    for (const word of ['__proto__', 'constructor', 'prototype']) {
      expect(() => parseSet(`targets.${word}.label=x`), word).toThrow(`--set "targets.${word}.label": "${word}" is a reserved word, not a field or id`);
    }
  });
  it('applies to the parsed file before validation', () => {
    const s = parseScenarioText(yaml(), 's.yaml', ['workloads.w.count=4', 'targets.a.label=Alpha']).scenario;
    expect(s.workloads.w).toMatchObject({ count: 4 });
    expect(s.targets.a?.label).toBe('Alpha');
  });
});

describe('--quick', () => {
  it('shrinks each workload to at most 32 MiB / 2000 requests and the run to 3 samples', () => {
    const s = ok(
      yaml(
        'samples: 20\nwarmup: 3\ntimeoutSec: 600\n',
        undefined,
        '  big: {kind: dd, blockSize: 1M, count: 256}\n  small: {kind: dd, blockSize: 1M, count: 8}\n  huge: {kind: dd, blockSize: 64M, count: 4}\n  k: {kind: dd, blockSize: 4K, count: 100000}\n  ab: {kind: ab, requests: 30000, concurrency: 32}\n  ab2: {kind: ab, requests: 5000, concurrency: 3000}\n  ab3: {kind: ab, requests: 100, concurrency: 100}',
      ),
    );
    const q = quickScenario(s);
    expect(q.workloads.big).toMatchObject({ count: 32 }); // 32 MiB / 1 MiB
    expect(q.workloads.small).toMatchObject({ count: 8 }); // already smaller
    expect(q.workloads.huge).toMatchObject({ count: 1 }); // one block, even above 32 MiB
    expect(q.workloads.k).toMatchObject({ count: 8192 }); // 32 MiB / 4 KiB
    expect(q.workloads.ab).toMatchObject({ requests: 2000, concurrency: 32 });
    expect(q.workloads.ab2).toMatchObject({ requests: 2000, concurrency: 2000 }); // concurrency <= requests
    expect(q.workloads.ab3).toMatchObject({ requests: 100, concurrency: 100 });
    expect([q.samples, q.warmup, q.timeoutSec]).toEqual([3, 1, 60]);
    expect(s.workloads.big).toMatchObject({ count: 256 }); // the input is left alone
    expect(QUICK).toEqual({ samples: 3, warmup: 1, timeoutSec: 60 });
  });
  it('keeps a smaller warmup and timeout', () => {
    const q = quickScenario(ok(yaml('warmup: 0\ntimeoutSec: 5\n')));
    expect([q.warmup, q.timeoutSec]).toEqual([0, 5]);
  });
});
