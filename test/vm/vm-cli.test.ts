import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerVmCommands, settingsFromFlags } from '../../src/cli/vm-commands.js';

function program(): { cmd: Command; out: () => string } {
  let out = '';
  const cmd = new Command('benchsuite').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
  registerVmCommands(cmd);
  return { cmd, out: () => out };
}

describe('benchsuite vm commands', () => {
  it.each([['up'], ['status'], ['down'], ['destroy']])('vm %s --help', async (sub) => {
    const { cmd, out } = program();
    await expect(cmd.parseAsync(['vm', sub, '--help'], { from: 'user' })).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
    expect(out()).toMatch(new RegExp(`Usage: benchsuite vm ${sub}`));
  });

  it('vm up --help lists every setting', async () => {
    const { cmd, out } = program();
    await expect(cmd.parseAsync(['vm', 'up', '--help'], { from: 'user' })).rejects.toThrow();
    for (const flag of ['--cpus', '--memory', '--disk-cache', '--accel', '--disk-size']) expect(out()).toContain(flag);
    expect(out()).toMatch(/choices: "auto", "kvm", "tcg"/);
  });

  it('rejects an unknown accelerator before doing anything', async () => {
    const { cmd, out } = program();
    await expect(cmd.parseAsync(['vm', 'up', '--accel', 'hvf'], { from: 'user' })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    expect(out()).toMatch(/Allowed choices are auto, kvm, tcg/);
  });

  it('turns flags into validated settings, only the fields given', () => {
    expect(settingsFromFlags({ cpus: '4', memory: '1024', preload: true })).toEqual({ cpus: 4, memoryMiB: 1024 });
    expect(settingsFromFlags({ accel: 'tcg', diskCache: 'writeback', preload: true })).toEqual({ accel: 'tcg', diskCache: 'writeback' });
    expect(() => settingsFromFlags({ cpus: 'two', preload: true })).toThrow(/cpus must be a whole number/);
    expect(() => settingsFromFlags({ memory: '64', preload: true })).toThrow(/between 512/);
  });
});
