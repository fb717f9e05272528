/**
 * Linux capability sets as the kernel prints them in /proc/<pid>/status (CapEff, CapPrm, CapBnd…):
 * a hexadecimal mask, bit n = capability n. Names are written the way Docker's --cap-add/--cap-drop take
 * them (NET_BIND_SERVICE, without the CAP_ prefix); parsing accepts either form.
 */

/** Capability names by number (include/uapi/linux/capability.h, 0..40 as of Linux 5.9+). */
export const CAPABILITY_NAMES: readonly string[] = [
  'CHOWN', // 0
  'DAC_OVERRIDE', // 1
  'DAC_READ_SEARCH', // 2
  'FOWNER', // 3
  'FSETID', // 4
  'KILL', // 5
  'SETGID', // 6
  'SETUID', // 7
  'SETPCAP', // 8
  'LINUX_IMMUTABLE', // 9
  'NET_BIND_SERVICE', // 10
  'NET_BROADCAST', // 11
  'NET_ADMIN', // 12
  'NET_RAW', // 13
  'IPC_LOCK', // 14
  'IPC_OWNER', // 15
  'SYS_MODULE', // 16
  'SYS_RAWIO', // 17
  'SYS_CHROOT', // 18
  'SYS_PTRACE', // 19
  'SYS_PACCT', // 20
  'SYS_ADMIN', // 21
  'SYS_BOOT', // 22
  'SYS_NICE', // 23
  'SYS_RESOURCE', // 24
  'SYS_TIME', // 25
  'SYS_TTY_CONFIG', // 26
  'MKNOD', // 27
  'LEASE', // 28
  'AUDIT_WRITE', // 29
  'AUDIT_CONTROL', // 30
  'SETFCAP', // 31
  'MAC_OVERRIDE', // 32
  'MAC_ADMIN', // 33
  'SYSLOG', // 34
  'WAKE_ALARM', // 35
  'BLOCK_SUSPEND', // 36
  'AUDIT_READ', // 37
  'PERFMON', // 38
  'BPF', // 39
  'CHECKPOINT_RESTORE', // 40
];

export const LAST_CAPABILITY = CAPABILITY_NAMES.length - 1;

/**
 * The capabilities Docker (Moby) grants a non-privileged container unless told otherwise
 * (the engine's default capability list, unchanged from 1.x through 27.x).
 */
export const DOCKER_DEFAULT_CAPABILITIES: readonly string[] = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
];

/** "cap_net_admin", "CAP_NET_ADMIN" or "net_admin" -> "NET_ADMIN". */
export function normalizeCapabilityName(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, '');
}

export function capabilityNumber(name: string): number | undefined {
  const i = CAPABILITY_NAMES.indexOf(normalizeCapabilityName(name));
  return i < 0 ? undefined : i;
}

/** Parse a mask as /proc prints it ("00000000a80425fb", optionally with 0x). Returns null when it is not hex. */
export function parseCapabilityMask(text: string): bigint | null {
  const t = text.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{1,32}$/.test(t)) return null;
  return BigInt(`0x${t}`);
}

export interface DecodedCapabilities {
  /** Known capability names, in bit order. */
  names: string[];
  /** Set bits above the last capability this table knows (a newer kernel); reported, never dropped. */
  unknownBits: number[];
}

export function decodeCapabilityMask(mask: bigint | string): DecodedCapabilities {
  const m = typeof mask === 'string' ? parseCapabilityMask(mask) : mask;
  if (m === null) throw new Error(`not a capability mask: ${JSON.stringify(mask)}`);
  const names: string[] = [];
  const unknownBits: number[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if ((m >> BigInt(bit)) & 1n) {
      const name = CAPABILITY_NAMES[bit];
      if (name) names.push(name);
      else unknownBits.push(bit);
    }
  }
  return { names, unknownBits };
}

/** Names (with or without CAP_) -> mask. Throws on a name the table does not know. */
export function encodeCapabilityMask(names: Iterable<string>): bigint {
  let m = 0n;
  for (const n of names) {
    const bit = capabilityNumber(n);
    if (bit === undefined) throw new Error(`unknown capability ${n}`);
    m |= 1n << BigInt(bit);
  }
  return m;
}

/** 16 hex digits, as /proc prints a mask. */
export function formatCapabilityMask(mask: bigint): string {
  return mask.toString(16).padStart(16, '0');
}

/**
 * The capability set `docker run` gives a non-privileged container for the given --cap-drop / --cap-add
 * (Docker applies drops to its default list, then adds; ALL means every capability the table knows).
 * Names come back normalized and in bit order.
 */
export function dockerCapabilitySet(capDrop: readonly string[], capAdd: readonly string[]): string[] {
  const drop = new Set(capDrop.map(normalizeCapabilityName));
  const add = new Set(capAdd.map(normalizeCapabilityName));
  const set = new Set<string>(drop.has('ALL') ? [] : DOCKER_DEFAULT_CAPABILITIES.filter((c) => !drop.has(c)));
  if (add.has('ALL')) CAPABILITY_NAMES.forEach((c) => set.add(c));
  for (const c of add) if (c !== 'ALL') set.add(c);
  return sortCapabilities([...set]);
}

/** Bit order; names the table does not know go last, alphabetically. */
export function sortCapabilities(names: string[]): string[] {
  const key = (n: string): number => capabilityNumber(n) ?? 1000;
  return [...names].map(normalizeCapabilityName).sort((a, b) => key(a) - key(b) || a.localeCompare(b));
}
