// Every registered workload kind, checked generically: what the registry promises (schema, quick mode,
// validation messages, requirements reaching the workload image, the guest recipe and set-up) holds for each
// kind without naming it, and no file outside a kind's folder names the kind.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IMAGE_BINARIES } from '../../src/image/workload-image.js';
import { InputError } from '../../src/scenario/errors.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { quickScenario } from '../../src/scenario/quick.js';
import { crossFieldIssues } from '../../src/scenario/validate.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { DISABLED_UNITS, GUEST_PACKAGES } from '../../src/vm/recipe.js';
import { createWorkloads, kindChoices, kindOf, WORKLOAD_KINDS } from '../../src/workloads/index.js';
import { standardWorkloads, syntheticResults } from '../../src/report/synthetic.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scenarioWith = (workloads: Record<string, unknown>) =>
  scenarioSchema.parse({ name: 'registry-test', baseline: 'bare', targets: { bare: { label: 'Bare' } }, workloads });

describe.each(WORKLOAD_KINDS.map((k) => [k.kind, k] as const))('kind %s', (name, kind) => {
  it('has defaults for every setting: `kind: <kind>` alone is a valid workload, and passes validation', () => {
    const s = scenarioWith({ w: { kind: name } });
    expect(s.workloads.w?.kind).toBe(name);
    expect(crossFieldIssues(s)).toEqual([]);
  });

  it('refuses an unknown setting, naming it', () => {
    const r = kind.schema.safeParse({ kind: name, noSuchSetting: 1 });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('noSuchSetting');
  });

  it('keeps a quick spec valid under its own schema and rules', () => {
    const s = quickScenario(scenarioWith({ w: { kind: name } }));
    expect(kind.schema.safeParse(s.workloads.w).success).toBe(true);
    expect(crossFieldIssues(s)).toEqual([]);
  });

  it('titles: the default, and with the id when the kind appears twice; one primary metric', () => {
    const [one] = createWorkloads(scenarioWith({ w: { kind: name } }));
    const two = createWorkloads(scenarioWith({ first: { kind: name }, second: { kind: name } }));
    const primary = one!.metrics().filter((m) => m.primary);
    expect(primary).toHaveLength(1);
    expect(primary[0]!.title).toBe(kind.defaultTitle());
    expect(two[1]!.metrics().find((m) => m.primary)!.title).toContain('second');
    expect(two[0]!.metrics().find((m) => m.primary)!.title).not.toBe(two[1]!.metrics().find((m) => m.primary)!.title);
  });

  it('its programs reach the workload image, the guest recipe and set-up', () => {
    expect(kind.requirements.length).toBeGreaterThan(0);
    for (const r of kind.requirements) {
      if (r.where === 'workload') expect(IMAGE_BINARIES).toContain(r.path);
      expect(GUEST_PACKAGES).toContain(r.debian);
      if (r.service) expect(DISABLED_UNITS).toContain(`${r.service}.service`);
    }
  });

  it('is offered by the message for a workload without a valid kind', () => {
    expect(kindChoices()).toContain(`kind: ${name}`);
    let err: unknown;
    try {
      parseScenarioText('name: x\nbaseline: bare\ntargets: {bare: {label: Bare}}\nworkloads: {w: {kind: nosuchkind}}\n', 'x.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(`kind: ${name}`);
  });
});

describe.each(WORKLOAD_KINDS.map((k) => [k.kind, k] as const))('synthetic results of kind %s (report fixtures, the report benchmark)', (name) => {
  const kind = kindOf({ kind: name });
  const results = () =>
    syntheticResults({
      name: 'synthetic',
      runId: '20261201-000000-synthetic-0001',
      startedAt: '2026-12-01T00:00:00.000Z',
      seed: 7,
      baseline: 'a',
      targets: [
        { id: 'a', label: 'A', kind: 'host' },
        { id: 'b', label: 'B', kind: 'docker' },
      ],
      workloads: standardWorkloads({ [name]: { a: 100, b: 90 } }),
      samples: 3,
      warmup: 0,
    });

  it("takes the workload's settings from the kind's schema and its metrics from the kind's Workload", () => {
    const r = results();
    const spec = r.scenario.workloads[name];
    expect(kind.schema.safeParse(spec).success).toBe(true);
    const stated = kind.create(name, kind.schema.parse(spec), kind.defaultTitle()).metrics();
    for (const m of r.metrics) expect(stated).toContainEqual(m);
    expect(r.metrics.filter((m) => m.primary).map((m) => m.metric)).toEqual(stated.filter((m) => m.primary).map((m) => m.metric));
  });

  it('draws samples of the primary metric near the given means, with the same details in every sample', () => {
    const r = results();
    const primary = r.metrics.find((m) => m.primary)!.metric;
    for (const [target, mean] of [['a', 100], ['b', 90]] as const) {
      const own = r.samples.filter((x) => x.target === target);
      expect(own).toHaveLength(3);
      // Draws are mean·(1 + cv·z) with cv ≤ 0.1 here, so within ±50 % for any |z| < 5.
      for (const x of own) expect(Math.abs((x.values[primary] as number) / mean - 1)).toBeLessThan(0.5);
      expect(own.map((x) => JSON.stringify(x.details))).toEqual(Array(3).fill(JSON.stringify(kind.example?.details ?? {})));
    }
  });

  it('refuses a metric the kind does not have, naming the ones it has', () => {
    const w = { id: 'w', kind: name, metrics: [{ metric: 'no_such_metric', mean: { a: 1 }, cv: 0.01 }] };
    expect(() => syntheticResults({ name: 's', runId: 'r', startedAt: '2026-12-01T00:00:00.000Z', seed: 1, baseline: 'a', targets: [{ id: 'a', label: 'A', kind: 'host' }], workloads: [w], samples: 1 })).toThrow(
      new RegExp(`has no metric no_such_metric \\(it has ${kind.create('w', kind.schema.parse({ kind: name }), 'T').metrics()[0]!.metric}`),
    );
  });
});

describe('set-up reads the registry from the build', () => {
  it('scripts/workload-packages.mjs --all lists exactly the kinds\' Debian packages', () => {
    const out = execFileSync('node', [join(ROOT, 'scripts/workload-packages.mjs'), '--all'], { encoding: 'utf8' });
    const expected = new Set(WORKLOAD_KINDS.flatMap((k) => k.requirements.map((r) => r.debian)));
    expect(new Set(out.trim().split('\n'))).toEqual(expected);
  });
});

/** Files that name a kind for a reason outside the workload contract, and why: none now; keep it that way. */
const KNOWN: Record<string, string[]> = {};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('no file outside a kind\'s folder names the kind', () => {
  const files = [...filesUnder(join(ROOT, 'src')), ...filesUnder(join(ROOT, 'scripts')), ...filesUnder(join(ROOT, 'bin'))].map((f) => relative(ROOT, f));
  it.each(WORKLOAD_KINDS.map((k) => [k.kind, k] as const))('%s', (name, kind) => {
    // The kind as a string literal, and the Debian packages only it needs (coreutils also serves the harness).
    const others = new Set(WORKLOAD_KINDS.filter((k) => k !== kind).flatMap((k) => k.requirements.map((r) => r.debian)));
    const packages = kind.requirements.map((r) => r.debian).filter((p) => p !== 'coreutils' && !others.has(p));
    const patterns = [new RegExp(`['"\`]${name}['"\`]`), ...packages.map((p) => new RegExp(`\\b${p.replace(/[.+]/g, '\\$&')}\\b`))];
    const offenders = files.filter((f) => {
      if (f.startsWith(`src/workloads/${name}/`) || f === 'src/workloads/registry.ts') return false;
      if (KNOWN[f]?.includes(name)) return false;
      const text = readFileSync(join(ROOT, f), 'utf8');
      return patterns.some((re) => re.test(text));
    });
    expect(offenders).toEqual([]);
  });
});
