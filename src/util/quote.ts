/** Quoting a user-supplied value inside an error message: JSON-quoted, control characters escaped, at most ~100 characters. */
export const MAX_QUOTED = 100;

export function quoteValue(value: unknown, max = MAX_QUOTED): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  const chars = [...text];
  const cut = chars.length > max ? `${chars.slice(0, max).join('')}` : text;
  const quoted = typeof value === 'string' ? JSON.stringify(cut) : cut;
  // JSON.stringify escapes C0 controls; also escape C1 controls, DEL and bidi overrides.
  const safe = quoted.replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return chars.length > max ? `${safe}… (${chars.length} characters, first ${max} shown)` : safe;
}
