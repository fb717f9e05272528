/**
 * Text widths for vega's layout without a canvas. Vega's built-in estimate (0.8 em per character) is far
 * too wide for DejaVu Sans, which left charts with blank margins where titles were assumed to end. These
 * are the fonts' real advance widths in em (read from the hmtx tables of DejaVuSans.ttf and
 * DejaVuSans-Bold.ttf, the fonts resvg and the HTML use), for printable ASCII and the few symbols the
 * charts print; other characters count as 0.62 em (0.68 bold).
 */

const FIRST = 32;
// Advance widths of U+0020..U+007E.
const REGULAR_ASCII = [0.3179, 0.4009, 0.46, 0.8379, 0.6362, 0.9502, 0.7798, 0.2749, 0.3901, 0.3901, 0.5, 0.8379, 0.3179, 0.3608, 0.3179, 0.3369, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.3369, 0.3369, 0.8379, 0.8379, 0.8379, 0.5308, 1, 0.6841, 0.686, 0.6982, 0.77, 0.6318, 0.5752, 0.7749, 0.752, 0.2949, 0.2949, 0.6558, 0.5571, 0.8628, 0.748, 0.7871, 0.603, 0.7871, 0.6948, 0.6348, 0.6108, 0.7319, 0.6841, 0.9888, 0.6851, 0.6108, 0.6851, 0.3901, 0.3369, 0.3901, 0.8379, 0.5, 0.5, 0.6128, 0.6348, 0.5498, 0.6348, 0.6152, 0.3521, 0.6348, 0.6338, 0.2778, 0.2778, 0.5791, 0.2778, 0.9741, 0.6338, 0.6118, 0.6348, 0.6348, 0.4111, 0.521, 0.3921, 0.6338, 0.5918, 0.8179, 0.5918, 0.5918, 0.5249, 0.6362, 0.3369, 0.6362, 0.8379];
const BOLD_ASCII = [0.3481, 0.4561, 0.521, 0.8379, 0.6958, 1.002, 0.8721, 0.3062, 0.457, 0.457, 0.5229, 0.8379, 0.3799, 0.415, 0.3799, 0.3652, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.3999, 0.3999, 0.8379, 0.8379, 0.8379, 0.5801, 1, 0.7739, 0.7622, 0.7339, 0.8301, 0.6831, 0.6831, 0.8208, 0.8369, 0.3721, 0.3721, 0.7749, 0.6372, 0.9951, 0.8369, 0.8501, 0.7329, 0.8501, 0.77, 0.7202, 0.6821, 0.812, 0.7739, 1.103, 0.771, 0.7241, 0.7251, 0.457, 0.3652, 0.457, 0.8379, 0.5, 0.5, 0.6748, 0.7158, 0.5928, 0.7158, 0.6782, 0.4351, 0.7158, 0.7119, 0.3428, 0.3428, 0.665, 0.3428, 1.042, 0.7119, 0.687, 0.7158, 0.7158, 0.4932, 0.5952, 0.478, 0.7119, 0.6519, 0.9238, 0.645, 0.6519, 0.582, 0.7119, 0.3652, 0.7119, 0.8379];
const REGULAR_EXTRA: Record<string, number> = {"±": 0.8379, "−": 0.8379, "↑": 0.8379, "↓": 0.8379, "⚠": 0.8965, "·": 0.3179, "—": 1.0, "–": 0.5, "…": 1.0, "°": 0.5, "×": 0.8379, "▼": 0.769, "▲": 0.769, "µ": 0.6362};
const BOLD_EXTRA: Record<string, number> = {"±": 0.8379, "−": 0.8379, "↑": 0.8379, "↓": 0.8379, "⚠": 0.8965, "·": 0.3799, "—": 1.0, "–": 0.5, "…": 1.0, "°": 0.5, "×": 0.8379, "▼": 0.769, "▲": 0.769, "µ": 0.7358};

function isBold(weight: unknown): boolean {
  if (typeof weight === 'number') return weight >= 600;
  return typeof weight === 'string' && (weight === 'bold' || weight === 'bolder' || Number(weight) >= 600);
}

/** Width in pixels of one line of text at `fontSize`, in DejaVu Sans (bold when `bold`). */
export function dejaVuWidth(text: string, fontSize: number, bold = false): number {
  const ascii = bold ? BOLD_ASCII : REGULAR_ASCII;
  const extra = bold ? BOLD_EXTRA : REGULAR_EXTRA;
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    em += (c >= FIRST && c < FIRST + ascii.length ? ascii[c - FIRST] : extra[ch]) ?? (bold ? 0.68 : 0.62);
  }
  return em * fontSize;
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}

let installed = false;

/** Make vega measure text with these widths (process-wide; vega has one text-metrics object). */
export function installTextMetrics(vega: unknown): void {
  if (installed) return;
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
  metrics.width = (item: TextItem, text: unknown) => {
    const s = text === null || text === undefined ? '' : String(text).trim();
    const size = typeof item.fontSize === 'number' ? item.fontSize : 11;
    return size <= 0 ? 0 : dejaVuWidth(s, size, isBold(item.fontWeight));
  };
  installed = true;
}
