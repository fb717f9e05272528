/**
 * Text for a terminal: no control characters, no escape sequences, no bidirectional overrides.
 * Every label, id or message that came from a scenario or a results file goes through `terminalText`
 * before it is printed, so a crafted value cannot move the cursor, recolour, retitle or hide output.
 */

/** ANSI/VT escape sequences: CSI (ESC [ … final), OSC (ESC ] … BEL/ST), other ESC-introduced pairs, and C1 CSI. */
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[P^_][^\u001b]*(?:\u001b\\)?|\u001b[ -~]?|\u009b[0-?]*[ -/]*[@-~]/g;
/** C0 controls (tab and newline included), DEL, C1 controls, bidi overrides/isolates, line/paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** One line of plain text: escape sequences removed, every other control character shown as U+FFFD "�" ("\n"/"\t" as a space). */
export function terminalText(text: string): string {
  return String(text)
    .replace(ESCAPE_SEQUENCE, '')
    .replace(/[\t\n\r]+/g, ' ')
    .replace(CONTROL, '\uFFFD');
}

/** Multi-line text for a terminal: each line made safe with `terminalText`, line breaks kept. */
export function terminalLines(text: string): string {
  return String(text)
    .split(/\r?\n/)
    .map((l) => terminalText(l))
    .join('\n');
}
