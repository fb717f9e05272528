/**
 * What a bad scenario file is told, in process (the CLI's exit code 2 for the same inputs is test/cli and
 * test/trust): each problem on its own line as `file:line:col field: what is wrong`. Positions are counted
 * by hand in the YAML below (1-based line and column of the offending key or value).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/errors.js';
import { parseScenarioText } from '../../src/scenario/load.js';

// Six lines; anything appended starts on line 7.
const BASE = 'name: t\nbaseline: a\ntargets:\n  a: {label: A}\nworkloads:\n  w: {kind: dd}\n';

function issuesOf(text: string): { message: string; issues: string[] } {
  try {
    parseScenarioText(text, 'f.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return { message: (e as InputError).message, issues: [...(e as InputError).issues] };
  }
  throw new Error('the scenario was accepted');
}

describe('scenario problems, one line each with file, position and field', () => {
  it('an unknown top-level field: where the mapping starts, a suggestion, and every allowed field', () => {
    const { message, issues } = issuesOf(`${BASE}sampels: 3\n`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^f\.yaml:1:1 \(top level\): unknown field "sampels" — did you mean "samples"\? \(allowed: name, description, baseline, targets, workloads, samples, /);
    expect(message).toBe(`invalid scenario f.yaml:\n  ${issues[0]}`);
  });

  it('a missing field is "missing", with the type expected', () => {
    const { issues } = issuesOf('name: t\ntargets:\n  a: {label: A}\nworkloads:\n  w: {kind: dd}\n');
    expect(issues).toEqual(['f.yaml:1:1 baseline: missing; expected string']);
  });

  it('a value out of a list names the choices and what was given (line 7, the key)', () => {
    expect(issuesOf(`${BASE}order: sideways\n`).issues).toEqual(['f.yaml:7:1 order: expected one of "interleaved", "randomized", "sequential", got "sideways"']);
  });

  it('a number out of range says the bound and what was given', () => {
    expect(issuesOf(`${BASE}samples: 1\n`).issues).toEqual(['f.yaml:7:1 samples: Too small: expected number to be >=2; got 1']);
  });

  it('an unknown workload kind lists every kind there is (line 6, column 7: the kind key inside the flow map)', () => {
    const [issue] = issuesOf(BASE.replace('kind: dd', 'kind: nope')).issues;
    expect(issue).toMatch(/^f\.yaml:6:7 workloads\.w\.kind: /);
    expect(issue).toMatch(/; a workload needs kind: ab, kind: dd, kind: fio, kind: wrk, kind: iperf3 or kind: sysbench$/);
  });

  it('a target id with a space is not a valid id (line 4, column 3: the quoted key)', () => {
    const [issue] = issuesOf(BASE.replace('  a: {label: A}', '  "a b": {label: A}')).issues;
    expect(issue).toMatch(/^f\.yaml:4:3 targets\.a b: "a b" is not a valid id: an id of letters, digits/);
  });

  it('several problems: every one, in the order of the schema, on its own line', () => {
    const { message, issues } = issuesOf(`${BASE}order: sideways\nsamples: 1\n`);
    expect(issues).toEqual([
      'f.yaml:8:1 samples: Too small: expected number to be >=2; got 1',
      'f.yaml:7:1 order: expected one of "interleaved", "randomized", "sequential", got "sideways"',
    ]);
    expect(message).toBe(`invalid scenario f.yaml:\n  ${issues.join('\n  ')}`);
  });
});

describe('YAML-level problems', () => {
  it('broken YAML: position first, and the parser\'s own "at line …, column …" left off', () => {
    const { message, issues } = issuesOf('name: t\nbaseline: [unclosed\n');
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) {
      expect(i).toMatch(/^f\.yaml:\d+:\d+ \S/);
      expect(i).not.toMatch(/ at line \d+, column \d+:?$/);
      expect(i).not.toContain('\n');
    }
    expect(message).toBe(`invalid YAML in f.yaml:\n  ${issues.join('\n  ')}`);
  });

  it('a custom tag is refused at its value (line 7, column 21)', () => {
    const { message, issues } = issuesOf(`${BASE}seed: !!js/function 1\n`);
    expect(issues).toEqual(['f.yaml:7:21 seed: the tag "tag:yaml.org,2002:js/function" is not allowed (only plain YAML values: strings, numbers, booleans, null, lists, maps)']);
    expect(message).toBe(`invalid scenario f.yaml:\n  ${issues[0]}`);
  });

  it('a document that is not a mapping says what a scenario is', () => {
    expect(issuesOf('- a\n- b\n').message).toBe('f.yaml: a scenario is a YAML mapping (name:, baseline:, targets:, workloads:)');
  });

  it('without a name, the file name (less .yaml or .yml) is the scenario\'s name', () => {
    const noName = BASE.replace('name: t\n', '');
    expect(parseScenarioText(noName, '/x/my-host.yaml').scenario.name).toBe('my-host');
    expect(parseScenarioText(noName, '/x/other.yml').scenario.name).toBe('other');
  });
});
