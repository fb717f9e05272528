import { describe, expect, it } from 'vitest';
import { pickKernel } from '../../src/vm/disk.js';
import { GUEST_PACKAGES, MASKED_UNITS, debianMirrorFrom, guestFiles, knownHostsLine, recipeId } from '../../src/vm/recipe.js';

const DEB822 = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
`;

describe('Debian mirror from the host APT sources', () => {
  it('takes the URIs of the stanza that carries the suite (deb822)', () => {
    expect(debianMirrorFrom(DEB822)).toBe('http://deb.debian.org/debian');
  });

  it('skips disabled and deb-src stanzas and stanzas for other suites', () => {
    const text = `Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n\nTypes: deb\nURIs: http://off.example/debian\nSuites: bookworm\nEnabled: no\n\nTypes: deb\nURIs: http://mirror.example/debian/\nSuites: bookworm\n`;
    expect(debianMirrorFrom(text)).toBe('http://mirror.example/debian');
    expect(debianMirrorFrom(DEB822, 'trixie')).toBeUndefined();
  });

  it('reads one-line sources.list entries too, never inventing a source', () => {
    expect(debianMirrorFrom('# comment\ndeb [arch=amd64] http://ftp.example.org/debian bookworm main\n')).toBe('http://ftp.example.org/debian');
    expect(debianMirrorFrom('deb http://archive.ubuntu.com/ubuntu noble main\n')).toBeUndefined();
    expect(debianMirrorFrom('')).toBeUndefined();
  });
});

describe('guest recipe', () => {
  it('has the packages the workloads need', () => {
    for (const p of ['systemd-sysv', 'openssh-server', 'docker.io', 'linux-image-amd64', 'nginx-light', 'apache2-utils', 'coreutils', 'iproute2', 'ca-certificates']) {
      expect(GUEST_PACKAGES).toContain(p);
    }
    expect(MASKED_UNITS).toContain('apt-daily.timer');
    expect(recipeId()).toMatch(/^[0-9a-f]{12}$/);
  });

  it('writes hostname, fstab, DHCP networking, key-only root SSH and the authorized key', () => {
    const files = new Map(guestFiles({ authorizedKey: 'ssh-ed25519 AAAAkey benchsuite\n' }).map((f) => [f.path, f]));
    expect(files.get('etc/hostname')?.content).toBe('benchsuite-guest\n');
    expect(files.get('etc/fstab')?.content).toMatch(/^LABEL=benchsuite-root\t\/\text4/);
    expect(files.get('etc/systemd/network/20-virtio.network')?.content).toMatch(/DHCP=ipv4/);
    const sshd = files.get('etc/ssh/sshd_config.d/benchsuite.conf')?.content ?? '';
    expect(sshd).toMatch(/PermitRootLogin prohibit-password/);
    expect(sshd).toMatch(/PasswordAuthentication no/);
    expect(files.get('root/.ssh/authorized_keys')).toMatchObject({ content: 'ssh-ed25519 AAAAkey benchsuite\n', mode: 0o600 });
  });

  it('known_hosts pins the host key for any forwarded port on 127.0.0.1', () => {
    expect(knownHostsLine('ssh-ed25519 AAAAC3Nza host\n')).toBe('[127.0.0.1]:* ssh-ed25519 AAAAC3Nza\n');
    expect(() => knownHostsLine('')).toThrow();
  });

  it('picks the newest kernel that has an initrd', () => {
    expect(
      pickKernel(['config-6.1.0-9-amd64', 'vmlinuz-6.1.0-9-amd64', 'initrd.img-6.1.0-9-amd64', 'vmlinuz-6.1.0-37-amd64', 'initrd.img-6.1.0-37-amd64', 'vmlinuz-6.2.0-1-amd64']),
    ).toEqual({ kernel: 'vmlinuz-6.1.0-37-amd64', initrd: 'initrd.img-6.1.0-37-amd64', version: '6.1.0-37-amd64' });
    expect(pickKernel(['System.map'])).toBeUndefined();
  });
});
