import { describe, expect, it } from 'vitest';
import {
  CAPABILITY_NAMES,
  DOCKER_DEFAULT_CAPABILITIES,
  capabilityNumber,
  decodeCapabilityMask,
  dockerCapabilitySet,
  encodeCapabilityMask,
  formatCapabilityMask,
  normalizeCapabilityName,
  parseCapabilityMask,
} from '../../src/env/capabilities.js';

describe('capability table', () => {
  it('has the 41 capabilities 0..40 at their kernel numbers', () => {
    expect(CAPABILITY_NAMES).toHaveLength(41);
    expect(capabilityNumber('CAP_CHOWN')).toBe(0);
    expect(capabilityNumber('net_bind_service')).toBe(10);
    expect(capabilityNumber('NET_ADMIN')).toBe(12);
    expect(capabilityNumber('SYS_ADMIN')).toBe(21);
    expect(capabilityNumber('SETFCAP')).toBe(31);
    expect(capabilityNumber('BPF')).toBe(39);
    expect(capabilityNumber('CHECKPOINT_RESTORE')).toBe(40);
    expect(capabilityNumber('NOT_A_CAP')).toBeUndefined();
    expect(new Set(CAPABILITY_NAMES).size).toBe(41);
  });

  it('normalizes names', () => {
    expect(normalizeCapabilityName(' cap_sys_admin ')).toBe('SYS_ADMIN');
    expect(normalizeCapabilityName('NET_RAW')).toBe('NET_RAW');
  });
});

describe('decoding masks', () => {
  it('decodes the hardened set (--cap-drop=ALL + NET_BIND_SERVICE, SETUID, SETGID) to exactly those three', () => {
    // CapEff captured from `docker run --cap-drop=ALL --cap-add=NET_BIND_SERVICE --cap-add=SETUID --cap-add=SETGID`.
    const d = decodeCapabilityMask('00000000000004c0');
    expect(d.names.sort()).toEqual(['NET_BIND_SERVICE', 'SETGID', 'SETUID']);
    expect(d.unknownBits).toEqual([]);
  });

  it("decodes Docker's default mask to its 14 default capabilities", () => {
    const d = decodeCapabilityMask('00000000a80425fb');
    expect(d.names.sort()).toEqual([...DOCKER_DEFAULT_CAPABILITIES].sort());
  });

  it('decodes a full root mask with one capability missing (bit 24, SYS_RESOURCE) as captured on this host', () => {
    const d = decodeCapabilityMask('000001fffeffffff');
    expect(d.names).toHaveLength(40);
    expect(d.names).not.toContain('SYS_RESOURCE');
    expect(d.names).toContain('CHECKPOINT_RESTORE');
  });

  it('reports bits above the table instead of dropping them', () => {
    const d = decodeCapabilityMask(0x60000000001n);
    expect(d.names).toEqual(['CHOWN']);
    expect(d.unknownBits).toEqual([41, 42]);
  });

  it('decodes zero to nothing and refuses garbage', () => {
    expect(decodeCapabilityMask('0000000000000000').names).toEqual([]);
    expect(parseCapabilityMask('xyz')).toBeNull();
    expect(parseCapabilityMask('0x4c0')).toBe(0x4c0n);
    expect(() => decodeCapabilityMask('not hex')).toThrow(/not a capability mask/);
  });
});

describe('encoding', () => {
  it('round-trips through the /proc format', () => {
    const m = encodeCapabilityMask(['NET_BIND_SERVICE', 'CAP_SETUID', 'setgid']);
    expect(formatCapabilityMask(m)).toBe('00000000000004c0');
    expect(formatCapabilityMask(encodeCapabilityMask(DOCKER_DEFAULT_CAPABILITIES))).toBe('00000000a80425fb');
    expect(decodeCapabilityMask(encodeCapabilityMask(CAPABILITY_NAMES)).names).toEqual([...CAPABILITY_NAMES]);
  });

  it('throws on an unknown name', () => {
    expect(() => encodeCapabilityMask(['NET_BIND_SERVICE', 'FLY'])).toThrow(/unknown capability FLY/);
  });
});

describe('dockerCapabilitySet', () => {
  it('applies drops to the default list, then adds', () => {
    expect(dockerCapabilitySet(['ALL'], ['NET_BIND_SERVICE', 'SETUID', 'SETGID'])).toEqual(['SETGID', 'SETUID', 'NET_BIND_SERVICE']);
    expect(dockerCapabilitySet([], [])).toEqual(decodeCapabilityMask('00000000a80425fb').names);
    expect(dockerCapabilitySet(['NET_RAW'], ['CAP_SYS_ADMIN'])).toContain('SYS_ADMIN');
    expect(dockerCapabilitySet(['NET_RAW'], [])).not.toContain('NET_RAW');
    expect(dockerCapabilitySet([], ['ALL'])).toHaveLength(41);
  });
});
