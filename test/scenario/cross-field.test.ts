/**
 * crossFieldIssues on its own: the second line of defence behind the schema (paths that reach ssh and
 * scratch directories), called here with values the schema would already have refused.
 */
import { describe, expect, it } from 'vitest';
import { scenarioSchema, type Scenario } from '../../src/scenario/schema.js';
import { crossFieldIssues, scratchRootProblem } from '../../src/scenario/validate.js';

function scenario(target: Record<string, unknown>): Scenario {
  const s = scenarioSchema.parse({ name: 'x', baseline: 'a', targets: { a: { label: 'A', host: 'ssh://bench@127.0.0.1:2222' } }, workloads: { w: { kind: 'dd' } } });
  Object.assign(s.targets.a as object, target);
  return s;
}
const messages = (s: Scenario) => crossFieldIssues(s).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('ssh key and known-hosts paths', () => {
  it('identityFile must be absolute or under ~/, without newlines or NUL', () => {
    expect(messages(scenario({ identityFile: '/keys/id' }))).toEqual([]);
    expect(messages(scenario({ identityFile: '~/.ssh/id' }))).toEqual([]);
    expect(messages(scenario({ identityFile: 'keys/id' }))).toEqual(['targets.a.identityFile: must be an absolute path (or ~/…) to a private key file']);
    expect(messages(scenario({ identityFile: '~x/id' }))).toEqual(['targets.a.identityFile: must be an absolute path (or ~/…) to a private key file']);
    expect(messages(scenario({ identityFile: '/keys/a\nb' }))).toEqual(['targets.a.identityFile: must not contain newlines or NUL bytes']);
    expect(messages(scenario({ identityFile: '/keys/a\0b' }))).toEqual(['targets.a.identityFile: must not contain newlines or NUL bytes']);
  });

  it('knownHostsFile must be absolute, without newlines', () => {
    expect(messages(scenario({ knownHostsFile: '/etc/kh' }))).toEqual([]);
    expect(messages(scenario({ knownHostsFile: 'kh' }))).toEqual(['targets.a.knownHostsFile: must be an absolute path without newlines']);
    expect(messages(scenario({ knownHostsFile: '/etc/k\rh' }))).toEqual(['targets.a.knownHostsFile: must be an absolute path without newlines']);
  });
});

describe('scratchRootProblem', () => {
  it('a relative root is refused with the fix', () => {
    expect(scratchRootProblem('var/tmp/x')).toBe('must be an absolute path, e.g. /var/tmp/benchsuite');
  });
});
