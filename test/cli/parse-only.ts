/**
 * The CLI's own parser without running anything: the real program from buildProgram, every action
 * replaced by a no-op, output captured, exit turned into an exception. Option parsers (e.g. the range
 * checks of --samples) still run, so a line parses here exactly when benchsuite would accept it.
 */
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';

export interface ParseOutcome {
  ok: boolean;
  /** Command path that was reached, e.g. "vm up". */
  command: string | undefined;
  error: string;
  output: string;
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

export function quietProgram(): { program: Command; out: () => string } {
  const program = buildProgram([]);
  let buf = '';
  const configure = (c: Command): void => {
    c.exitOverride();
    c.configureOutput({ writeOut: (s) => void (buf += s), writeErr: (s) => void (buf += s), outputError: (s) => void (buf += s) });
  };
  configure(program);
  for (const c of allCommands(program)) configure(c);
  return { program, out: () => buf };
}

export async function parseOnly(args: string[]): Promise<ParseOutcome> {
  const { program, out } = quietProgram();
  let reached: string | undefined;
  for (const c of allCommands(program)) {
    const path: string[] = [];
    for (let p: Command | null = c; p?.parent; p = p.parent) path.unshift(p.name());
    // Commands with subcommands (vm, image) have no action of their own.
    if (c.commands.length === 0) c.action(() => void (reached = path.join(' ')));
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return { ok: reached !== undefined, command: reached, error: reached ? '' : 'no command was reached', output: out() };
  } catch (e) {
    return { ok: false, command: reached, error: (e as Error).message, output: out() };
  }
}

/** Split a shell command line into words (quotes and backslashes; stops at an unquoted #, |, ;, &&, >, <). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end < 0 ? undefined : end);
      has = true;
      i = end < 0 ? line.length : end + 1;
    } else if (ch === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        cur += line[i];
        i++;
      }
      has = true;
      i++;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[i + 1];
      has = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      if (has) words.push(cur);
      cur = '';
      has = false;
      i++;
    } else if ((ch === '#' && !has) || ch === '|' || ch === ';' || ch === '>' || ch === '<' || (ch === '&' && line[i + 1] === '&')) {
      break;
    } else {
      cur += ch;
      has = true;
      i++;
    }
  }
  if (has) words.push(cur);
  return words;
}

const PREFIXES: string[][] = [['benchsuite'], ['npx', 'benchsuite'], ['node', 'bin/benchsuite.js'], ['npm', 'run', 'benchsuite', '--']];

/** The benchsuite arguments of a command line, or undefined when the line does not invoke benchsuite. */
export function benchsuiteArgs(line: string): string[] | undefined {
  let words = shellWords(line.trim().replace(/^\$\s+/, ''));
  // Leading environment assignments (FOO=bar benchsuite …) and sudo.
  while (words.length && (/^[A-Z_][A-Z0-9_]*=/.test(words[0] as string) || words[0] === 'sudo')) words = words.slice(1);
  for (const p of PREFIXES) {
    if (p.every((w, i) => words[i] === w)) return words.slice(p.length);
  }
  return undefined;
}

/** Command lines inside fenced code blocks of a Markdown or YAML text (backslash continuations joined). */
export function codeBlockCommands(markdown: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = markdown.split('\n');
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (/^\s*```/.test(l)) {
      inBlock = !inBlock;
      continue;
    }
    if (!inBlock) continue;
    let text = l;
    const start = i;
    while (/\\\s*$/.test(text) && i + 1 < lines.length) text = `${text.replace(/\\\s*$/, ' ')}${lines[++i]}`;
    out.push({ line: start + 1, text });
  }
  return out;
}
