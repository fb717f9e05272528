/** Shared helpers of the report tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandIo } from '../../src/cli/report-commands.js';
import { loadResults } from '../../src/report/load.js';
import type { RunResults } from '../../src/results/model.js';

export const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
export const FIXTURES = path.join(ROOT, 'test/fixtures/results');

export function fixture(rel: string): string {
  return path.join(FIXTURES, rel);
}

export async function loadFixture(name: string): Promise<RunResults> {
  return loadResults(fixture(name.endsWith('.json') ? name : `${name}.json`));
}

export function tmp(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `bs-report-${prefix}-`));
}

export interface CapturedIo extends CommandIo {
  out: string[];
  err: string[];
  readonly stdoutText: string;
  readonly stderrText: string;
}

export function captureIo(env: Record<string, string | undefined> = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    get stdoutText() {
      return out.join('');
    },
    get stderrText() {
      return err.join('');
    },
  };
}

/** The cells of a pipe-table row: `| a | b |` → ['a', 'b'] (escaped pipes stay inside cells). */
export function pipeCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** The first pipe table in a text: header cells and body rows. */
export function firstTable(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  if (start < 0) throw new Error('no table');
  const block: string[] = [];
  for (let i = start; i < lines.length && (lines[i] as string).startsWith('|'); i++) block.push(lines[i] as string);
  const [head, , ...body] = block;
  return { header: pipeCells(head as string), rows: body.map(pipeCells) };
}

/**
 * Minimal XML well-formedness check (elements balanced and properly nested, attributes quoted, one root),
 * enough to catch a truncated or mangled SVG. Returns the root element name.
 */
export function checkXml(xml: string): { root: string; elements: Map<string, number> } {
  const elements = new Map<string, number>();
  const stack: string[] = [];
  let root: string | null = null;
  const re = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) {
    const between = xml.slice(last, m.index);
    if (between.includes('<')) throw new Error(`malformed markup near offset ${last}: ${between.slice(between.indexOf('<'), between.indexOf('<') + 60)}`);
    last = re.lastIndex;
    if (!m[2]) continue; // comment, PI, CDATA
    const [, close, name, , selfClose] = m as unknown as [string, string, string, string, string];
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
      continue;
    }
    if (!root) root = name;
    else if (stack.length === 0) throw new Error(`second root element <${name}>`);
    elements.set(name, (elements.get(name) ?? 0) + 1);
    if (!selfClose) stack.push(name);
  }
  if (xml.slice(last).includes('<')) throw new Error('malformed markup at the end');
  if (stack.length) throw new Error(`unclosed <${stack.join('> <')}>`);
  if (!root) throw new Error('no root element');
  return { root, elements };
}
