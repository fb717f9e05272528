/**
 * Markdown from untrusted values (labels, ids, descriptions, notes, error texts from a results file):
 * no raw HTML survives (< > & become entities), no line break ends a block, emphasis/link/code syntax is
 * escaped, and fenced code blocks use a fence longer than any backtick run inside them.
 * Every Markdown writer (table.md, the compare summary written to $GITHUB_STEP_SUMMARY, the posture section)
 * uses these functions.
 */
import { terminalText } from './terminal.js';

/**
 * Inline syntax that could change what a reader sees or follows: backslash escapes, code spans, table pipes,
 * and the `](` / `][` joints of links and images. Emphasis characters (* _ ~) are left as they are: they can
 * only restyle text inside one cell or line, and escaping them would garble ids like requests_per_sec.
 */
const INLINE_SYNTAX = /([\\`|])|\](?=[([])/g;
/** Block syntax that only matters at the start of a line (headings, quotes, lists, setext underlines). */
const BLOCK_START = /^(\s*)(?:([#>+=\-[*_~])|([0-9]+)([.)]))/;

/** Inline Markdown text: one line, no raw HTML (< > & become entities), inline and block syntax escaped. */
export function markdownText(text: string): string {
  return markdownCell(text).replace(BLOCK_START, (_, ws: string, mark?: string, digits?: string, end?: string) =>
    mark !== undefined ? `${ws}\\${mark}` : `${ws}${digits}\\${end}`,
  );
}

/** A table cell (no block syntax applies inside one): one line, no raw HTML, inline syntax and pipes escaped. */
export function markdownCell(text: string): string {
  return terminalText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(INLINE_SYNTAX, (m: string) => `\\${m}`);
}

/**
 * Text of an inline code span (`` `…` ``): one line, wrapped in enough backticks that nothing inside ends it.
 * Returns the whole span, delimiters included.
 */
export function markdownCode(text: string): string {
  const t = terminalText(text);
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || longest > 0 ? ' ' : '';
  return `${ticks}${pad}${t}${pad}${ticks}`;
}

/**
 * A fenced code block whose fence is longer than any run of backticks (or tildes) in the text, so no line
 * of the text can close it (CommonMark: a closing fence needs at least as many backticks as the opening one).
 */
export function markdownFence(text: string, info = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const body = text
    .split(/\r?\n/)
    .map((l) => l.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD'))
    .join('\n');
  return `${fence}${info.replace(/[^A-Za-z0-9_-]/g, '')}\n${body}\n${fence}`;
}
