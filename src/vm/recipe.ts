/**
 * What goes into the guest disk, as data: the Debian suite and packages, the mirror (taken from
 * this host's APT configuration, never guessed), and the files written into the root filesystem.
 * Everything here is pure so it can be tested without building anything.
 */
import { createHash } from 'node:crypto';
import { debianPackages, requirements } from '../workloads/index.js';

export const SUITE = 'bookworm';
export const GUEST_HOSTNAME = 'benchsuite-guest';
export const ROOT_LABEL = 'benchsuite-root';
/** Bump when the build steps change, so cached guest disks built by older code are rebuilt. */
export const RECIPE_VERSION = 1;

/** The packages of every workload kind's programs (src/workloads/registry.ts); the manifest records their versions. */
export const WORKLOAD_PACKAGES: readonly string[] = debianPackages();

export const GUEST_PACKAGES = [
  'systemd-sysv',
  'udev',
  'dbus',
  'kmod',
  'procps',
  'netbase',
  'openssh-server',
  'docker.io',
  // Debian's kernel enables AppArmor, and dockerd then refuses to start containers without
  // apparmor_parser (docker.io recommends it): the guest runs Docker as a stock Debian host does.
  'apparmor',
  'linux-image-amd64',
  // The programs of every workload kind, for direct targets in the guest.
  ...WORKLOAD_PACKAGES,
  'coreutils',
  'iproute2',
  'ca-certificates',
].filter((p, i, all) => all.indexOf(p) === i);

/** Periodic jobs that would add noise to a benchmark; masked in the guest. */
export const MASKED_UNITS = [
  'apt-daily.timer',
  'apt-daily-upgrade.timer',
  'dpkg-db-backup.timer',
  'e2scrub_all.timer',
  'fstrim.timer',
  'logrotate.timer',
  'man-db.timer',
] as const;
/** Installed but not started at boot: benchsuite starts its own nginx with its own config. */
export const DISABLED_UNITS: readonly string[] = [...new Set(requirements().flatMap((r) => (r.service ? [`${r.service}.service`] : [])))];
export const ENABLED_UNITS = ['systemd-networkd.service', 'ssh.service', 'containerd.service', 'docker.service'] as const;

/** Identifies the recipe: a guest disk whose manifest has another id is rebuilt. */
export function recipeId(): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: RECIPE_VERSION, suite: SUITE, packages: GUEST_PACKAGES, masked: MASKED_UNITS }))
    .digest('hex')
    .slice(0, 12);
}

/**
 * The Debian mirror for `suite`, from deb822 `.sources` text (Types/URIs/Suites stanzas) or
 * one-line `sources.list` text. Returns undefined when no stanza carries the suite.
 */
export function debianMirrorFrom(text: string, suite: string = SUITE): string | undefined {
  // deb822: stanzas separated by blank lines.
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last = '';
    for (const line of stanza.split('\n')) {
      if (/^\s*#/.test(line)) continue;
      const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
      if (m?.[1]) {
        last = m[1].toLowerCase();
        fields.set(last, (m[2] ?? '').trim());
      } else if (/^\s+\S/.test(line) && last) fields.set(last, `${fields.get(last) ?? ''} ${line.trim()}`);
    }
    const types = (fields.get('types') ?? '').split(/\s+/);
    const suites = (fields.get('suites') ?? '').split(/\s+/);
    const enabled = (fields.get('enabled') ?? 'yes').toLowerCase() !== 'no';
    if (enabled && types.includes('deb') && suites.includes(suite)) {
      const uri = (fields.get('uris') ?? '').split(/\s+/).find((u) => /^https?:\/\//.test(u));
      if (uri) return uri.replace(/\/+$/, '');
    }
  }
  // One-line format: deb [options] URI suite components…
  for (const line of text.split('\n')) {
    const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(https?:\/\/\S+)\s+(\S+)\s/.exec(line);
    if (m?.[1] && m[2] === suite) return m[1].replace(/\/+$/, '');
  }
  return undefined;
}

/** The guest's files, relative to its root. */
export function guestFiles(opts: { authorizedKey: string }): { path: string; content: string; mode: number }[] {
  return [
    { path: 'etc/hostname', content: `${GUEST_HOSTNAME}\n`, mode: 0o644 },
    {
      path: 'etc/hosts',
      content: `127.0.0.1\tlocalhost\n127.0.1.1\t${GUEST_HOSTNAME}\n::1\tlocalhost ip6-localhost ip6-loopback\n`,
      mode: 0o644,
    },
    { path: 'etc/fstab', content: `LABEL=${ROOT_LABEL}\t/\text4\trw,errors=remount-ro\t0\t1\n`, mode: 0o644 },
    // qemu user networking: DHCP from 10.0.2.2, DNS at 10.0.2.3.
    {
      path: 'etc/systemd/network/20-virtio.network',
      content: '[Match]\nName=en* eth*\n\n[Network]\nDHCP=ipv4\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n',
      mode: 0o644,
    },
    { path: 'etc/resolv.conf', content: 'nameserver 10.0.2.3\n', mode: 0o644 },
    // Do not hold up docker.service (which wants network-online.target) for long.
    {
      path: 'etc/systemd/system/systemd-networkd-wait-online.service.d/benchsuite.conf',
      content: '[Service]\nExecStart=\nExecStart=/lib/systemd/systemd-networkd-wait-online --any --timeout=30\n',
      mode: 0o644,
    },
    {
      path: 'etc/ssh/sshd_config.d/benchsuite.conf',
      content: [
        '# benchsuite guest: root logs in with the generated key only.',
        'HostKey /etc/ssh/ssh_host_ed25519_key',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UseDNS no',
        'MaxSessions 64',
        'MaxStartups 64:30:128',
        '',
      ].join('\n'),
      mode: 0o644,
    },
    { path: 'root/.ssh/authorized_keys', content: `${opts.authorizedKey.trim()}\n`, mode: 0o600 },
    // An empty machine-id: systemd generates one on first boot, so every built disk is distinct.
    { path: 'etc/machine-id', content: '', mode: 0o444 },
    { path: 'etc/benchsuite-guest', content: `recipe ${recipeId()}\n`, mode: 0o644 },
  ];
}

/**
 * A known_hosts line for the guest's fixed host key, valid for any forwarded port on 127.0.0.1
 * (the port changes per boot; the key does not).
 */
export function knownHostsLine(hostKeyPub: string): string {
  const [type, key] = hostKeyPub.trim().split(/\s+/);
  if (!type || !key) throw new Error('malformed host public key');
  return `[127.0.0.1]:* ${type} ${key}\n`;
}
