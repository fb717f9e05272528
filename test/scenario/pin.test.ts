// targets.<id>.pin: CPU lists by allow-list, ranges forwards, client apart from the workload, and CPUs the machine
// has — each bad value exits 2 naming targets.<id>.pin.<field>, before anything runs.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCpuList, allowedCpus } from '../../src/util/cpu-list.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('parseCpuList', () => {
  it('expands lists and ranges as taskset does, and says what is wrong otherwise', () => {
    expect(parseCpuList('1')).toEqual([1]);
    expect(parseCpuList('0,2-4,3')).toEqual([0, 2, 3, 4]);
    expect(parseCpuList('3-1')).toBe('the range 3-1 runs backwards; write 1-3');
    expect(parseCpuList('1;reboot')).toMatch(/is not a CPU list/);
    expect(parseCpuList('0-99999')).toMatch(/beyond 4095/);
    expect(allowedCpus('Name:\tcat\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t1\n')).toBe('0-1');
  });
});

function scenarioFile(pin: string): string {
  const dir = tempDir('pin');
  const file = join(dir, 'pin.yaml');
  writeFileSync(
    file,
    ['name: pin', 'baseline: bare', 'samples: 2', 'warmup: 0', 'targets:', '  bare:', '    label: Bare', `    pin: ${pin}`, 'workloads:', '  dd:', '    kind: dd', '    count: 1', '    sync: none', ''].join('\n'),
  );
  return file;
}

describe('bad pins exit 2 naming the field, before anything runs', () => {
  it.each([
    ['{ workload: "1;rm -rf /" }', 'targets.bare.pin.workload', /CPU list/],
    ['{ workload: "2-1" }', 'targets.bare.pin.workload', /runs backwards/],
    ['{ workload: "0-1", client: "1" }', 'targets.bare.pin.client', /shares CPU 1 with pin.workload/],
    ['{ workload: 4000 }', 'targets.bare.pin.workload', /CPU 4000 is not available on local \(its CPUs: [0-9,-]+\)/],
    ['{ cpus: "1" }', 'targets.bare.pin', /cpus/],
  ])('pin %s', async (pin, field, why) => {
    const results = tempDir('pin-results');
    const r = await runCli(['run', scenarioFile(pin), '--results-dir', results], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(field);
    expect(r.stderr).toMatch(why);
    // No results file: nothing was sampled.
    expect(existsSync(results) ? readdirSync(results).filter((f) => f.endsWith('.json')) : []).toEqual([]);
  }, 90_000);
});
