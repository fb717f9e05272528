// CPU counters over SSH (a real sshd on 127.0.0.1, so the "remote" /proc is this host's): read through the kept-open
// shell, whose children — the sample's commands — are the benchmark's own CPU; a loop outside that tree is not.
// The loops' CPU is measured independently: the wrapper's cutime, or the loop's own /proc/<pid>/stat.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SshMachine } from '../../src/exec/ssh.js';
import { noiseBetween } from '../../src/util/cpu-noise.js';
import { procStatFields } from '../../src/util/proc.js';
import { withLoopbackSshMachine } from '../helpers/sshd.js';

let m: SshMachine;
withLoopbackSshMachine((machine) => (m = machine));

const ticksOf = (stat: string, fields: number[]): number => fields.reduce((s, i) => s + Number(procStatFields(stat)[i]), 0);

describe('Machine.cpuCounters over SSH, for real', () => {
  it('counts a command run through the session as own CPU', async () => {
    const a = await m.cpuCounters([]);
    // The wrapper prints its own stat after the loop: its cutime + cstime are the loop's CPU ticks.
    const r = await m.exec(['sh', '-c', 'timeout 1 sh -c "while :; do :; done"; cat /proc/$$/stat'], { timeoutMs: 30_000 });
    const b = await m.cpuCounters([]);
    const loop = ticksOf(r.stdout, [13, 14]);
    expect(loop, 'the loop ran').toBeGreaterThan(20);
    expect(a?.cpus).toBe(cpus().length);
    expect((b?.ownTicks ?? 0) - (a?.ownTicks ?? 0)).toBeGreaterThanOrEqual(loop - 2);
    expect(noiseBetween(a!, b!)?.ownBusyPct).toBeGreaterThan(0);
  }, 60_000);

  it('leaves a loop outside the session\'s tree to "others"', async () => {
    const pid = Number(execFileSync('sh', ['-c', "sh -c 'while :; do :; done' >/dev/null 2>&1 & echo $!"], { encoding: 'utf8' }).trim());
    try {
      const stat0 = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const a = await m.cpuCounters([]);
      await new Promise((r) => setTimeout(r, 1000));
      const b = await m.cpuCounters([]);
      const loop = ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8'), [11, 12]) - ticksOf(stat0, [11, 12]);
      expect(loop).toBeGreaterThan(20);
      expect((b?.ownTicks ?? 0) - (a?.ownTicks ?? 0)).toBeLessThan(loop / 2);
      // …and with its pid named as an own root, it is own.
      const a2 = await m.cpuCounters([pid]);
      await new Promise((r) => setTimeout(r, 500));
      const b2 = await m.cpuCounters([pid]);
      expect((b2?.ownTicks ?? 0) - (a2?.ownTicks ?? 0)).toBeGreaterThan(10);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  }, 60_000);
});
