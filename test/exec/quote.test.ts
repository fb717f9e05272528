import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteArg, quoteCommandLine } from '../../src/exec/quote.js';
import { formatSshUrl, parseSshUrl } from '../../src/exec/ssh-url.js';
import { HOSTILE_ARGS } from '../helpers/hostile-args.js';


describe('quoteCommandLine (the one remote command line builder)', () => {
  it('leaves safe words alone and quotes the rest', () => {
    expect(quoteArg('dd')).toBe('dd');
    expect(quoteArg('of=/var/tmp/x')).toBe('of=/var/tmp/x');
    expect(quoteArg('a b')).toBe("'a b'");
    expect(quoteArg("it's")).toBe("'it'\\''s'");
    expect(quoteArg('')).toBe("''");
  });
  it('round-trips every hostile argument through a real POSIX shell', () => {
    const line = quoteCommandLine(['printf', '%s\\0', ...HOSTILE_ARGS]);
    const out = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGS);
  });
  it('refuses NUL bytes', () => {
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
  });
});

describe('ssh:// addresses', () => {
  it('parses user, host and port', () => {
    expect(parseSshUrl('ssh://bench@vps.example')).toEqual({ user: 'bench', host: 'vps.example', port: 22 });
    expect(parseSshUrl('ssh://root@127.0.0.1:2222')).toEqual({ user: 'root', host: '127.0.0.1', port: 2222 });
    expect(parseSshUrl('ssh://me@[::1]:22')).toEqual({ user: 'me', host: '::1', port: 22 });
    expect(formatSshUrl({ user: 'root', host: '127.0.0.1', port: 2222 })).toBe('ssh://root@127.0.0.1:2222');
  });
  it.each([
    ['bench@vps.example', /ssh:\/\/user@host/],
    ['ssh://vps.example', /ssh:\/\/user@host/],
    ['ssh://bench@vps.example:99999', /outside 1-65535/],
    ['ssh://-oProxyCommand=x@host', /not a valid user/],
    ['ssh://bench@-oProxyCommand=x', /not a valid host/],
    ['ssh://bench@host;rm', /not a valid host/],
  ])('refuses %s', (url, why) => {
    const r = parseSshUrl(url);
    expect(typeof r).toBe('string');
    expect(r).toMatch(why);
  });
});
