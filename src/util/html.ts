/**
 * HTML from untrusted values: the one escaping function for element content and quoted attribute values.
 * Any value (a number from a results file may be a string there) is converted with String() first.
 */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
