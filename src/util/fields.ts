/**
 * Allow-list field builders for every scenario value that becomes part of a command, a path, a generated
 * file (nginx.conf…) or a label. Each states its alphabet and its length cap; nothing is validated by
 * listing what is forbidden. Workload settings (src/workloads/<kind>/) import these too, so a value is
 * checked once, in the schema, and every later use may rely on its alphabet.
 */
import { z } from 'zod';

/** Names that would reach Object.prototype when used as a key; refused as ids and as --set path segments. */
export const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Ids (targets, workloads, scenario names): letters, digits, "-" and "_", 1-40, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
export const ID_MESSAGE = 'an id of letters, digits, "-" or "_" (at most 40, starting with a letter or digit)';

export function safeId(): z.ZodString {
  return z
    .string()
    .regex(ID_PATTERN, ID_MESSAGE)
    .refine((s) => !(RESERVED_KEYS as readonly string[]).includes(s), { message: `${RESERVED_KEYS.join(', ')} are reserved words, not ids` });
}

/**
 * Display text (labels, titles): letters and digits of any script, space, and the punctuation
 * + - _ . , : ( ) / # & @ ' % ! ? — no control characters, no markup or table syntax (< > | ` * [ ] \ " ;).
 */
export const LABEL_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} +\-_.,:()/#&@'%!?]*$/u;
export function label(max = 60): z.ZodString {
  return z
    .string()
    .min(1, 'a non-empty display label')
    .max(max, `at most ${max} characters`)
    .regex(LABEL_PATTERN, "letters, digits, spaces and + - _ . , : ( ) / # & @ ' % ! ? (starting with a letter or digit)");
}

/** Free prose (a description): printable text and line breaks, no other control characters, capped. */
export function prose(max = 2000): z.ZodString {
  return z
    .string()
    .max(max, `at most ${max} characters`)
    .regex(/^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/u, 'printable text (line breaks allowed, no other control characters)');
}

/** The alphabet of every path benchsuite puts into a command, a mount spec or a generated file. */
export const PATH_CHARS = /^[A-Za-z0-9._/-]*$/;
export const PATH_ALPHABET = 'letters, digits, ".", "_", "-" and "/"';

/** Returns a reason when `p` is not an absolute path of the safe alphabet, else undefined. */
export function absolutePathProblem(p: string, max = 200): string | undefined {
  if (p.length > max) return `at most ${max} characters`;
  if (!p.startsWith('/')) return 'must be an absolute path (starting with /)';
  if (!PATH_CHARS.test(p)) return `only ${PATH_ALPHABET} (no spaces, ":", ";", quotes or control characters)`;
  const segments = p.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return 'must not contain "." or ".." segments';
  if (segments.slice(0, -1).some((s) => s === '')) return 'must not contain "//"';
  if (segments.some((s) => s.startsWith('-'))) return 'no path segment may start with "-"';
  return undefined;
}

/** An absolute path of the safe alphabet, without "." / ".." segments or "//", at most `max` characters. */
export function absolutePath(max = 200): z.ZodString {
  return z.string().superRefine((p, ctx) => {
    const problem = absolutePathProblem(p, max);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** Like absolutePath, but "~/…" (the user's home directory) is accepted too. */
export function homeOrAbsolutePath(max = 200): z.ZodString {
  return z.string().superRefine((p, ctx) => {
    const problem = absolutePathProblem(p.startsWith('~/') ? p.slice(1) : p, max);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem} (or ~/…)` });
  });
}

/** A URL path served by a generated server config: "/" then the safe path alphabet, no ".." or "//". */
export function urlPath(max = 200): z.ZodString {
  return z.string().superRefine((p, ctx) => {
    const problem = p === '/' ? undefined : absolutePathProblem(p, max);
    if (problem) ctx.addIssue({ code: 'custom', message: `a URL path such as / or /index.html: ${problem}` });
  });
}

/** A token (a name passed as one argv item, e.g. a capability or profile): [A-Za-z0-9_.-], capped. */
export function token(max = 64): z.ZodString {
  return z.string().regex(new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,${max - 1}}$`), `letters, digits, "_", "." and "-" (at most ${max})`);
}
