// One escaping function per output language. Expected outputs are written by hand from the rules of each
// language (CommonMark, HTML, OWASP CSV injection, ECMA-48 control sequences), not copied from the code.
import { describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { escapeHtml } from '../../src/util/html.js';
import { markdownCell, markdownCode, markdownFence, markdownText } from '../../src/util/markdown.js';
import { csvCell, csvText } from '../../src/util/csv.js';
import { terminalText } from '../../src/util/terminal.js';
import { quoteValue } from '../../src/util/quote.js';

describe('HTML', () => {
  it('escapes the five significant characters and accepts non-strings', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml('<script>' as unknown as number)).toBe('&lt;script&gt;');
    expect(escapeHtml(-3)).toBe('-3');
  });
});

describe('terminal', () => {
  it.each([
    ['A\u001b[2J\u001b[31mB', 'AB'], // CSI clear screen, colour
    ['A\u001b]0;owned\u0007B', 'AB'], // OSC window title, BEL-terminated
    ['A\u001b]8;;http://x\u001b\\B', 'AB'], // OSC 8 hyperlink, ST-terminated
    ['A\u009b2JB', 'AB'], // C1 CSI
    ['a\nb\r\nc\td', 'a b c d'],
    ['x\u0000y\u0007z\u007f', 'x\uFFFDy\uFFFDz\uFFFD'],
    ['abc\u202Edcba', 'abc\uFFFDdcba'], // right-to-left override
    ['Bare Metal (KVM + Docker)', 'Bare Metal (KVM + Docker)'],
  ])('%j → %j', (input, expected) => {
    expect(terminalText(input)).toBe(expected);
  });
});

describe('Markdown', () => {
  it('leaves no raw HTML', () => {
    expect(markdownCell('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(markdownText('a & <b>')).toBe('a &amp; &lt;b&gt;');
  });
  it('keeps a table row one row', () => {
    expect(markdownCell('a|b\nc')).toBe('a\\|b c');
    expect(markdownCell('back\\slash')).toBe('back\\\\slash');
  });
  it('breaks link and image syntax, keeps ids with underscores readable', () => {
    expect(markdownCell('[click](http://evil)')).toBe('[click\\](http://evil)');
    expect(markdownCell('![t](http://tracker/p.png)')).toBe('![t\\](http://tracker/p.png)');
    expect(markdownCell('requests_per_sec')).toBe('requests_per_sec');
  });
  it('escapes block syntax at the start of a paragraph or list line', () => {
    expect(markdownText('# heading')).toBe('\\# heading');
    expect(markdownText('- item')).toBe('\\- item');
    expect(markdownText('1. item')).toBe('1\\. item');
    expect(markdownText('[x]: http://evil')).toBe('\\[x]: http://evil');
    expect(markdownText('```')).toBe('\\`\\`\\`');
  });
  it('code spans use more backticks than the text holds', () => {
    expect(markdownCode('abc')).toBe('`abc`');
    expect(markdownCode('a`b')).toBe('`` a`b ``');
    expect(markdownCode('x```y')).toBe('```` x```y ````');
  });
  it('a ``` line inside a fenced block cannot end it', () => {
    const text = 'description: |\n  ok\n```\n# Pwned\n<script>x</script>';
    const fenced = markdownFence(text, 'yaml');
    const lines = fenced.split('\n');
    // CommonMark: the block closes only at a fence of at least as many backticks as the opening one.
    expect(lines[0]).toBe('````yaml');
    expect(lines.at(-1)).toBe('````');
    const inner = lines.slice(1, -1);
    expect(inner).toEqual(text.split('\n'));
    expect(inner.some((l) => /^ {0,3}````/.test(l))).toBe(false);
  });
});

describe('CSV (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+cmd|/c calc', `'+cmd|/c calc`],
    ['-2+3+cmd|x', `'-2+3+cmd|x`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['\uFF1D1+1', `'\uFF1D1+1`], // full-width equals sign
    ['Bare Metal', 'Bare Metal'],
    ['-1.5', '-1.5'], // a number written as text stays a number
    ['+2e-3', '+2e-3'],
  ])('%j → %j', (input, expected) => {
    expect(csvText(input)).toBe(expected);
  });
  it('numbers, booleans and null pass through, so a negative number stays numeric', () => {
    expect(csvCell(-15.16)).toBe(-15.16);
    expect(csvCell(false)).toBe(false);
    expect(csvCell(null)).toBe(null);
  });
  it('a neutralised cell parses back as one text cell', () => {
    const line = `"${csvText('=1+1,"x"').replace(/"/g, '""')}",-3\n`;
    expect(parseCsv(line)).toEqual([[`'=1+1,"x"`, '-3']]);
  });
});

describe('quoting values in errors', () => {
  it('quotes at most 100 characters and says how long the value was', () => {
    const q = quoteValue('A'.repeat(5_000_000));
    expect(q.length).toBeLessThan(200);
    expect(q).toContain('5000000 characters');
    expect(quoteValue('ok')).toBe('"ok"');
    expect(quoteValue('a\u001b[2Jb')).toBe('"a\\u001b[2Jb"');
  });
});
