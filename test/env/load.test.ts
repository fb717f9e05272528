/**
 * The load survey: parsing captured /proc text (figures worked by hand from the fixture's numbers), the
 * assessment (benchsuite's guests and servers, a busy CPU), and one real survey of this host.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assessLoad, cpuTimes, parseCmdlines, parseProbe, surveyLoad } from '../../src/env/load.js';
import { LocalMachine } from '../../src/exec/local.js';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../fixtures/load', name), 'utf8');

describe('parseProbe on a capture from this 2-core host while it was loaded', () => {
  const facts = parseProbe(fixture('host-busy.probe.txt'), 'TOKEN');
  it('CPU busy: Δuser 179 + Δsystem 54 ticks, Δidle 0, Δiowait 0 → 100 %', () => {
    expect(facts.cpuBusyPct).toBe(100);
    expect(facts.cores).toBe(2);
    expect(facts.loadAverage).toEqual([18.25, 19.75, 17.79]);
  });
  it('per process: node pid 31038 used 29 ticks in 5281.59 − 5280.41 = 1.18 s → 24.58 % of a core', () => {
    const p = facts.processes.find((x) => x.pid === 31038);
    expect(p?.name).toBe('node');
    expect(p?.cpuPct).toBeCloseTo(24.576, 2);
    // Sorted busiest first: nothing used more than 29 ticks.
    expect(facts.processes[0]?.cpuPct).toBeCloseTo(24.576, 2);
  });
});

describe('cpuTimes', () => {
  it('counts idle and iowait as idle, everything else up to steal as busy', () => {
    const a = cpuTimes('cpu  1000 0 500 8000 500 0 0 0 0 0\ncpu0 1 2 3 4\ncpu1 1 2 3 4\nintr 5');
    expect(a).toEqual({ busy: 1500, total: 10000, cores: 2 });
    // guest columns (9, 10) are already inside user: not added again.
    expect(cpuTimes('cpu  10 0 0 90 0 0 0 0 50 50\ncpu0 x')?.total).toBe(100);
  });
});

/** A hand-made probe: Δ = user 100, system 50, idle 300, iowait 50 → 150 of 500 ticks busy = 30 %. */
const TOKEN = 'T';
const probe = [
  '', 'T procs1', '4242 (qemu-system-x86) S 1 1 1 0 -1 0 0 0 0 0 1000 200 0 0', '77 (nginx) S 1 77 77 0 -1 0 0 0 0 0 5 5 0 0',
  'T uptime1', '100.00 150.00', 'T cpu1', 'cpu  1000 0 500 8000 500 0 0 0 0 0', 'cpu0 0', 'cpu1 0',
  'T procs2', '4242 (qemu-system-x86) S 1 1 1 0 -1 0 0 0 0 0 1100 218 0 0', '77 (nginx) S 1 77 77 0 -1 0 0 0 0 0 5 5 0 0',
  'T uptime2', '101.00 151.00', 'T cpu2', 'cpu  1100 0 550 8300 550 0 0 0 0 0', 'cpu0 0', 'cpu1 0',
  'T loadavg', '1.50 0.80 0.40 2/300 999', 'T end', '',
].join('\n');
const cmdlines = [
  '', 'T 4242', ['/usr/bin/qemu-system-x86_64', '-name', 'benchsuite-guest', '-accel', 'tcg,thread=multi', '-smp', '2'].join('\0') + '\0',
  'T 77', ['nginx: master process nginx', '-c', '/var/tmp/benchsuite/20261202-101500-layers-ab12/docker/w/nginx.conf'].join('\0') + '\0',
  'T end', '',
].join('\n');

describe('assessLoad', () => {
  const facts = parseProbe(probe, TOKEN);
  const argv = parseCmdlines(cmdlines, TOKEN);
  it('reads the hand-made probe: 30 % busy, qemu 118 ticks in 1 s = 118 % of a core', () => {
    expect(facts.cpuBusyPct).toBeCloseTo(30, 10);
    expect(facts.processes.find((p) => p.pid === 4242)?.cpuPct).toBeCloseTo(118, 10);
    expect(argv.get(4242)?.slice(1, 3)).toEqual(['-name', 'benchsuite-guest']);
  });
  it("names benchsuite's TCG guest and a leftover server, and is not quiet", () => {
    const r = assessLoad('local', ['bare', 'docker'], facts, argv);
    expect(r.guests).toEqual([{ pid: 4242, accelerator: 'tcg', cpuPct: 118 }]);
    expect(r.servers.map((s) => s.pid)).toEqual([77]);
    expect(r.quiet).toBe(false);
    expect(r.warnings[0]).toBe("benchsuite's guest runs here (qemu pid 4242, TCG, 118 % of a core); `benchsuite vm down` stops it");
    expect(r.warnings[1]).toContain('1 benchsuite server(s) of another run');
    expect(r.warnings[2]).toBe('CPU 30 % busy over 1 s on 2 cores, load average 1.5 0.8 0.4; busiest: qemu-system-x86 (pid 4242) 118 %');
  });
  it("the run's own guest is reported but is not foreign load; 30 % is below a 40 % limit", () => {
    const r = assessLoad('local', ['kvm'], facts, new Map([[4242, argv.get(4242) as string[]]]), { ownGuestPid: 4242, warnAbovePct: 40 });
    expect(r.warnings).toEqual(["benchsuite's guest runs here (qemu pid 4242, TCG, 118 % of a core) (this run uses it)"]);
    expect(r.quiet).toBe(true);
  });
});

describe('surveyLoad on this host (real /proc through LocalMachine.exec)', () => {
  it('reports cores, load average and busy CPU, and finds a qemu-named guest process that burns CPU', { timeout: 30_000 }, async () => {
    // A stand-in for a TCG guest: a copy of sh named qemu-system-x86_64 with the guest's -name, spinning.
    const dir = mkdtempSync(join(tmpdir(), 'bs-load-'));
    const fake = join(dir, 'qemu-system-x86_64');
    copyFileSync('/bin/sh', fake);
    const child = spawn(fake, ['-c', 'while :; do :; done', 'qemu', '-name', 'benchsuite-guest', '-accel', 'tcg'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const r = await surveyLoad(new LocalMachine(), ['bare']);
      expect(r.error).toBeUndefined();
      expect(r.cores).toBe(cpus().length);
      expect(r.cpuBusyPct).toBeGreaterThan(0);
      expect(r.cpuBusyPct).toBeLessThanOrEqual(100);
      expect(r.loadAverage?.length).toBe(3);
      const g = r.guests.find((x) => x.pid === child.pid);
      expect(g?.accelerator).toBe('tcg');
      expect(g?.cpuPct).toBeGreaterThan(1);
      expect(r.quiet).toBe(false);
      expect(r.warnings.some((w) => w.includes(`qemu pid ${child.pid}, TCG`))).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
