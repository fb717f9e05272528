import { describe, expect, it } from 'vitest';
import { kernelCommandLine, parseQemuVersion, qemuArgv } from '../../src/vm/qemu.js';
import { cmdlineUsesDisk, qemuEscape } from '../../src/vm/proc.js';
import { DEFAULT_SETTINGS, vmPaths } from '../../src/vm/settings.js';

const paths = vmPaths('/cache/vm');

function optionValue(argv: string[], flag: string): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (a === flag && argv[i + 1] !== undefined) out.push(argv[i + 1] as string);
  });
  return out;
}

describe('qemu command line', () => {
  it('TCG: emulated CPU, virtio disk and NIC, SSH forwarded from 127.0.0.1 only, detached with a pidfile', () => {
    const argv = qemuArgv({ accelerator: 'tcg', settings: DEFAULT_SETTINGS, paths, sshPort: 40022 });
    expect(argv[0]).toBe('qemu-system-x86_64');
    expect(optionValue(argv, '-accel')).toEqual(['tcg,thread=multi']);
    expect(optionValue(argv, '-cpu')).toEqual(['max']);
    expect(optionValue(argv, '-smp')).toEqual(['2']);
    expect(optionValue(argv, '-m')).toEqual(['2048M']);
    expect(optionValue(argv, '-drive')).toEqual(['file=/cache/vm/image/disk.img,if=virtio,format=raw,cache=none']);
    expect(optionValue(argv, '-netdev')).toEqual(['user,id=n0,hostfwd=tcp:127.0.0.1:40022-:22']);
    expect(optionValue(argv, '-device')).toContain('virtio-net-pci,netdev=n0');
    expect(optionValue(argv, '-kernel')).toEqual(['/cache/vm/image/vmlinuz']);
    expect(optionValue(argv, '-initrd')).toEqual(['/cache/vm/image/initrd.img']);
    expect(optionValue(argv, '-append')[0]).toMatch(/^root=\/dev\/vda rw .*console=ttyS0/);
    expect(optionValue(argv, '-serial')).toEqual(['file:/cache/vm/serial.log']);
    expect(optionValue(argv, '-display')).toEqual(['none']);
    expect(optionValue(argv, '-pidfile')).toEqual(['/cache/vm/qemu.pid']);
    expect(optionValue(argv, '-qmp')).toEqual(['unix:/cache/vm/qmp.sock,server=on,wait=off']);
    expect(argv).toContain('-daemonize');
    expect(argv).toContain('-no-reboot');
    // Every hostfwd binds 127.0.0.1, never all interfaces.
    expect(argv.join(' ')).not.toMatch(/hostfwd=tcp::|hostfwd=tcp:0\.0\.0\.0/);
  });

  it('KVM: host CPU model; settings are passed through', () => {
    const argv = qemuArgv({ accelerator: 'kvm', settings: { cpus: 4, memoryMiB: 4096, diskCache: 'writeback' }, paths, sshPort: 2222, qmp: false });
    expect(optionValue(argv, '-accel')).toEqual(['kvm']);
    expect(optionValue(argv, '-cpu')).toEqual(['host']);
    expect(optionValue(argv, '-smp')).toEqual(['4']);
    expect(optionValue(argv, '-m')).toEqual(['4096M']);
    expect(optionValue(argv, '-drive')[0]).toMatch(/cache=writeback$/);
    expect(argv).not.toContain('-qmp');
  });

  it('doubles commas in paths (qemu option syntax) and rejects bad ports', () => {
    const p = vmPaths('/tmp/a,b');
    const argv = qemuArgv({ accelerator: 'tcg', settings: DEFAULT_SETTINGS, paths: p, sshPort: 1234 });
    expect(optionValue(argv, '-drive')[0]).toBe('file=/tmp/a,,b/image/disk.img,if=virtio,format=raw,cache=none');
    expect(qemuEscape('x,y,z')).toBe('x,,y,,z');
    expect(() => qemuArgv({ accelerator: 'tcg', settings: DEFAULT_SETTINGS, paths, sshPort: 0 })).toThrow(/port/);
  });

  it('recognizes its own qemu processes by disk path', () => {
    const argv = qemuArgv({ accelerator: 'tcg', settings: DEFAULT_SETTINGS, paths, sshPort: 40022 });
    argv[0] = '/usr/bin/qemu-system-x86_64';
    expect(cmdlineUsesDisk(argv, paths.disk)).toBe(true);
    expect(cmdlineUsesDisk(argv, '/cache/vm/image/disk.im')).toBe(false);
    expect(cmdlineUsesDisk(['/usr/bin/vim', `file=${paths.disk},`], paths.disk)).toBe(false);
  });

  it('kernel command line ends qemu on a guest panic', () => {
    expect(kernelCommandLine()).toMatch(/panic=-1/);
  });

  it('parses qemu --version', () => {
    expect(parseQemuVersion('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright (c) 2003-2022')).toBe(
      '7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)',
    );
    expect(parseQemuVersion('QEMU emulator version 8.2.2\n')).toBe('8.2.2');
    expect(parseQemuVersion('garbage')).toBeUndefined();
  });
});
