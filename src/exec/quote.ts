/**
 * The one place that turns an argv array into a remote command line for OpenSSH, which always hands the
 * remote side a single string for its login shell. POSIX single quotes pass every byte through except NUL;
 * a single quote inside is written as '\''. Values are never interpolated into shell syntax anywhere else.
 */
export function quoteArg(arg: string): string {
  if (arg.includes('\0')) throw new Error(`cannot pass a NUL byte in an argument over SSH: ${JSON.stringify(arg)}`);
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function quoteCommandLine(argv: string[]): string {
  if (argv.length === 0) throw new Error('quoteCommandLine: empty argv');
  return argv.map(quoteArg).join(' ');
}
