/**
 * CSV cells a spreadsheet would not evaluate (OWASP "CSV Injection"): a text cell that starts with
 * = + - @, a tab or a carriage return is prefixed with a single quote, so Excel, LibreOffice and Google Sheets
 * show it as text. Numbers stay numbers: numeric cells are written as numbers, and a text cell that is
 * exactly a decimal number (e.g. "-1.5") is not a formula and is kept as is. Quoting of commas, quotes and
 * line breaks is csv-stringify's job.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** A text cell safe to open in a spreadsheet. */
export function csvText(text: string): string {
  const s = String(text);
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) return `'${s}`;
  return s;
}

/** Any cell value: strings neutralised with `csvText`, numbers/booleans/null passed through. */
export function csvCell<T>(value: T): T | string {
  return typeof value === 'string' ? csvText(value) : value;
}
