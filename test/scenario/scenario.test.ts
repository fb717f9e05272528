import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/errors.js';
import { listScenarioFiles, loadScenario, parseScenarioText, parseSet } from '../../src/scenario/load.js';
import { quickScenario, QUICK } from '../../src/scenario/quick.js';
import { DEFAULT_IMAGE } from '../../src/scenario/schema.js';
import { AB_QUICK_MAX_REQUESTS } from '../../src/workloads/ab/index.js';
import { DD_QUICK_MAX_BYTES } from '../../src/workloads/dd/index.js';

describe('shipped scenarios', () => {
  it('all validate', async () => {
    const files = await listScenarioFiles();
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const f of files) await expect(loadScenario(f)).resolves.toBeDefined();
  });

  it('kvm-docker: bare metal baseline, hardened container candidate, labels from the file', async () => {
    const { scenario } = await loadScenario('kvm-docker');
    expect(scenario.baseline).toBe('bare-metal');
    expect(scenario.targets['bare-metal']?.label).toBe('Bare Metal');
    const cand = scenario.targets['kvm-docker'];
    expect(cand?.label).toBe('KVM + Docker');
    expect(cand?.host).toBe('auto'); // the local guest where KVM works, else this host (issue 15)
    expect(cand?.container?.image).toBe(DEFAULT_IMAGE);
    expect(cand?.container?.capDrop).toEqual(['ALL']);
    expect(cand?.container?.capAdd).toEqual(['NET_BIND_SERVICE', 'SETUID', 'SETGID']);
    expect(Object.values(scenario.workloads).map((w) => w.kind).sort()).toEqual(['ab', 'dd']);
  });
});

describe('--set overrides', () => {
  it('points the candidate at an SSH host without editing YAML', async () => {
    const { scenario } = await loadScenario('kvm-docker', ['targets.kvm-docker.host=ssh://bench@vps.example']);
    expect(scenario.targets['kvm-docker']?.host).toBe('ssh://bench@vps.example');
  });
  it('parses values as YAML (numbers, booleans, lists)', () => {
    expect(parseSet('workloads.dd.count=64')).toEqual({ path: ['workloads', 'dd', 'count'], value: 64 });
    expect(parseSet('workloads.ab.keepAlive=false').value).toBe(false);
    expect(parseSet('targets.x.container.capAdd=[SETUID, SETGID]').value).toEqual(['SETUID', 'SETGID']);
  });
  it('validates the overridden value like the file, naming the field', async () => {
    await expect(loadScenario('kvm-docker', ['workloads.dd.count=-1'])).rejects.toThrow(/workloads\.dd\.count/);
    await expect(loadScenario('kvm-docker', ['targets.kvm-docker.hots=local'])).rejects.toThrow(/did you mean "host"/);
  });
  it('refuses a malformed --set', () => {
    expect(() => parseSet('novalue')).toThrow(InputError);
    expect(() => parseSet('a..b=1')).toThrow(/not a field path/);
  });
});

describe('validation errors', () => {
  it('name file, line:column, field path and the expectation, listing every problem', () => {
    const text = 'name: t\nbaseline: a\ntargets:\n  a:\n    label: A\n    host: ftp://x\nworkloads:\n  w:\n    kind: ab\n    requests: 5\n    concurrency: 9\n';
    try {
      parseScenarioText(text, 'x.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const issues = (e as InputError).issues;
      expect(issues).toHaveLength(2);
      expect(issues[0]).toMatch(/^x\.yaml:6:5 targets\.a\.host: "ftp:\/\/x"/);
      expect(issues[1]).toMatch(/^x\.yaml:11:5 workloads\.w\.concurrency: 9 is more than requests/);
    }
  });
  it('fills defaults in one place', () => {
    const { scenario } = parseScenarioText('baseline: a\ntargets: {a: {label: A}}\nworkloads: {d: {kind: dd}}\n', '/tmp/demo.yaml');
    expect(scenario.name).toBe('demo');
    expect(scenario.samples).toBe(10);
    expect(scenario.order).toBe('interleaved');
    expect(scenario.confidence).toBe(0.95);
    expect(scenario.workloads.d).toMatchObject({ blockSize: '1M', count: 256, sync: 'fdatasync', dropCaches: true });
  });
});

describe('--quick', () => {
  it('shrinks sizes and counts but keeps targets and settings', async () => {
    const { scenario } = await loadScenario('kvm-docker');
    const q = quickScenario(scenario);
    expect(q.targets).toEqual(scenario.targets);
    expect(q.samples).toBe(QUICK.samples);
    const dd = q.workloads.dd;
    const ab = q.workloads.ab;
    expect(dd?.kind === 'dd' && dd.count * 1024 * 1024).toBeLessThanOrEqual(DD_QUICK_MAX_BYTES);
    expect(ab?.kind === 'ab' && ab.requests).toBeLessThanOrEqual(AB_QUICK_MAX_REQUESTS);
  });
});
