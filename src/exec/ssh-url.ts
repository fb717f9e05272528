/** Parsing of `ssh://user@host[:port]` target addresses. */
export interface SshAddress {
  user: string;
  host: string;
  port: number;
}

const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/** Returns the address, or a string saying what is wrong. */
export function parseSshUrl(text: string): SshAddress | string {
  const m = /^ssh:\/\/([^@/\s]+)@(\[[^\]]+\]|[^:/\s]+)(?::([0-9]+))?\/?$/.exec(text);
  if (!m) return 'expected ssh://user@host[:port]';
  const [, user = '', rawHost = '', rawPort] = m;
  if (!USER.test(user)) return `"${user}" is not a valid user name`;
  let host = rawHost;
  if (host.startsWith('[')) {
    host = host.slice(1, -1);
    if (!IPV6.test(host)) return `"${host}" is not a valid IPv6 address`;
  } else if (!HOSTNAME.test(host)) return `"${host}" is not a valid host name or IPv4 address`;
  const port = rawPort === undefined ? 22 : Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${rawPort} is outside 1-65535`;
  return { user, host, port };
}

export function formatSshUrl(a: SshAddress): string {
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  return `ssh://${a.user}@${host}${a.port === 22 ? '' : `:${a.port}`}`;
}
