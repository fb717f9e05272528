/**
 * Output directories named on the command line (--results-dir, --reports-dir, --out): created one level
 * at a time, never with a recursive mkdir (Node's recursive mkdir loops forever under /proc), and
 * checked for writing before anything runs. Problems are input errors naming the flag (exit 2).
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';

/** Kernel interfaces and devices: never a place for results. */
const REFUSED_ROOTS = ['/proc', '/sys', '/dev'];

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/** Make sure `dir` exists and is writable; throws InputError naming `flag` and the fix. Returns the absolute path. */
export function ensureOutputDir(dir: string, flag: string): string {
  const abs = resolve(dir);
  const fix = `choose a directory you can write to, e.g. ${flag} ${flag === '--results-dir' ? 'results' : 'reports'}`;
  if (/[\0\n\r]/.test(dir)) throw new InputError(`${flag}: the path contains a newline or NUL byte; ${fix}`);
  if (REFUSED_ROOTS.some((r) => abs === r || abs.startsWith(`${r}/`))) {
    throw new InputError(`${flag} ${dir}: ${abs} is under ${REFUSED_ROOTS.join(', ')} (kernel interfaces and devices); ${fix}`);
  }
  // Walk up to the deepest existing ancestor, then create the missing levels one by one.
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    let st;
    try {
      st = statSync(cur);
    } catch (e) {
      const c = code(e);
      if (c !== 'ENOENT') throw new InputError(`${flag} ${dir}: cannot inspect ${cur} (${c}); ${fix}`);
      missing.unshift(cur);
      const up = dirname(cur);
      if (up === cur) throw new InputError(`${flag} ${dir}: no existing parent directory; ${fix}`);
      cur = up;
      continue;
    }
    if (!st.isDirectory()) throw new InputError(`${flag} ${dir}: ${cur} exists and is not a directory; ${fix}`);
    break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      if (code(e) === 'EEXIST' && statSync(d).isDirectory()) continue;
      throw new InputError(`${flag} ${dir}: cannot create ${d} (${code(e)}); ${fix}`);
    }
  }
  try {
    accessSync(abs, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new InputError(`${flag} ${dir}: ${abs} is not writable (${code(e)}); ${fix}`);
  }
  return abs;
}
