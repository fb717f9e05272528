// doctor warns (never fails) before a run on a busy machine: the load check over ~1 s of /proc, through the
// machine contract. Unit cases on hand-made survey records; one real case with a busy loop on this host.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { doctor, loadCheck } from '../../src/doctor/index.js';
import type { MachineLoadRecord } from '../../src/results/model.js';
import { scenarioSchema } from '../../src/scenario/schema.js';

const rec = (o: Partial<MachineLoadRecord>): MachineLoadRecord => ({
  machine: 'local', targets: [], cores: 2, loadAverage: [0.5, 0.4, 0.3], cpuBusyPct: 5, busy: [], guests: [], servers: [], quiet: true, warnings: [], ...o,
});

describe('loadCheck', () => {
  it('is quiet below 25 % of a core: 5 % of 2 cores is 10 % of one', () => {
    const c = loadCheck(rec({}), 'local');
    expect(c).toMatchObject({ name: 'load', ok: true, required: false });
    expect(c.detail).toBe('local is quiet: 10 % of a core busy over 1 s on 2 cores, load average 0.5 0.4 0.3');
  });

  it('warns at 25 % of a core and names the busiest processes: 12.5 % of 2 cores', () => {
    const c = loadCheck(rec({ cpuBusyPct: 12.5, busy: [{ pid: 42, name: 'make', cpuPct: 24 }], warnings: ['CPU 12.5 % busy…'] }), 'local');
    expect(c.ok).toBe(false);
    expect(c.required).toBe(false);
    expect(c.detail).toBe('local is busy: 25 % of a core busy over 1 s on 2 cores, load average 0.5 0.4 0.3; busiest: make (pid 42) 24 %');
    expect(c.fix).toMatch(/flagged/);
  });

  it('warns when the survey failed, and on a leftover guest or server whatever the CPU', () => {
    expect(loadCheck(rec({ cpuBusyPct: null, error: 'no /proc' }), 'ssh://u@h:22')).toMatchObject({ ok: false, required: false, detail: 'could not read the load of ssh://u@h:22: no /proc' });
    const left = loadCheck(rec({ warnings: ['1 benchsuite server(s) of another run still run here (pid 7)'] }), 'local');
    expect(left.ok).toBe(false);
    expect(left.detail).toContain('pid 7');
  });
});

describe('doctor on a busy machine, for real', () => {
  it('warns with the busy loop among the busiest processes, and the scenario can still run', async () => {
    const pid = Number(execFileSync('sh', ['-c', "sh -c 'while :; do :; done' >/dev/null 2>&1 & echo $!"], { encoding: 'utf8' }).trim());
    try {
      const s = scenarioSchema.parse({ name: 'x', baseline: 'bare', targets: { bare: { label: 'Bare' } }, workloads: { dd: { kind: 'dd', count: 1 } } });
      const r = await doctor(s);
      const load = r.checks.find((c) => c.name === 'load');
      expect(load?.ok).toBe(false);
      expect(load?.required).toBe(false);
      expect(load?.detail).toMatch(/is busy: /);
      expect(load?.detail).toContain(`sh (pid ${pid})`);
      // A warning: doctor's verdict depends on the required checks only.
      expect(r.ok).toBe(r.checks.filter((c) => c.required).every((c) => c.ok));
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  }, 120_000);
});

describe('doctor on a pinned target', () => {
  it('checks that taskset runs on the machine', async () => {
    const s = scenarioSchema.parse({ name: 'x', baseline: 'bare', targets: { bare: { label: 'Bare', pin: { workload: '1', client: '0' } } }, workloads: { dd: { kind: 'dd', count: 1 } } });
    const r = await doctor(s);
    const ts = r.checks.find((c) => c.name === 'taskset');
    expect(ts).toMatchObject({ ok: true, required: true });
    expect(ts?.detail).toMatch(/taskset from util-linux/);
    const plain = await doctor(scenarioSchema.parse({ name: 'x', baseline: 'bare', targets: { bare: { label: 'Bare' } }, workloads: { dd: { kind: 'dd', count: 1 } } }));
    expect(plain.checks.find((c) => c.name === 'taskset')).toBeUndefined();
  }, 120_000);
});
