/**
 * Small allow-list builders for workload settings whose values reach a command line, a path or a generated
 * file. Each accepts only the characters and shapes listed, and says what it expects.
 */
import { z } from 'zod';

/** Sizes as the disk workloads take them: a whole number with an optional binary suffix (K, M, G). */
export const SIZE = /^[1-9][0-9]{0,9}[KMG]?$/;

/** Bytes of a SIZE text (or a number of bytes). NaN when the text is not a SIZE. */
export function parseSize(text: string | number): number {
  if (typeof text === 'number') return text;
  const m = /^([0-9]+)([KMG]?)$/.exec(text);
  if (!m) return NaN;
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * mult;
}

/** A size setting: "1M", "64K", "4096" or a positive whole number of bytes. */
export function sizeField() {
  return z.union([z.string().regex(SIZE, 'a size such as 1M, 64K or 4096'), z.number().int().positive()]);
}

/** A URL path made of unreserved characters and "/" (no query string); see urlPathProblem for ".." and "//". */
export function urlPathField() {
  return z.string().regex(/^\/[A-Za-z0-9._~\/-]*$/, 'a URL path such as / or /index.html');
}

/** Why a URL path that becomes a file path must be refused, or undefined. */
export function urlPathProblem(p: string): string | undefined {
  return p.split('/').includes('..') || p.includes('//') ? 'must not contain ".." segments or "//" (the file is created under the server\'s docroot)' : undefined;
}

/** A whole number within bounds, with the bounds in the message. */
export function wholeNumber(min: number, max: number) {
  return z.number().int('a whole number').min(min).max(max);
}

/** A workload title: shown in tables and charts. */
export function titleField() {
  return z.string().min(1).max(60).optional();
}
