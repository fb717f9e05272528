/** --help tells the truth: every command has examples and exit codes, every example and every doc command parses. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { benchsuiteArgs, codeBlockCommands, parseOnly, quietProgram, shellWords } from './parse-only.js';

function commandsOf(cmd: Command, prefix: string[] = []): { path: string[]; cmd: Command }[] {
  return cmd.commands
    .filter((c) => c.name() !== 'help')
    .flatMap((c) => [{ path: [...prefix, c.name()], cmd: c }, ...commandsOf(c, [...prefix, c.name()])]);
}

function fullHelp(path: string[]): string {
  const { program, out } = quietProgram();
  let cmd: Command = program;
  for (const name of path) cmd = cmd.commands.find((c) => c.name() === name) as Command;
  cmd.outputHelp();
  return out();
}

const { program } = quietProgram();
const all = commandsOf(program);

describe('every command\'s help', () => {
  it('covers the commands a user needs (sanity check of the walk)', () => {
    const names = all.map((c) => c.path.join(' '));
    for (const n of ['list', 'doctor', 'run', 'report', 'compare', 'history', 'vm up', 'vm status', 'vm down', 'vm destroy', 'image build', 'clean']) expect(names).toContain(n);
  });

  it.each(all.map((c) => [c.path.join(' '), c.path] as const))('benchsuite %s --help shows examples that parse and the exit codes', async (_name, path) => {
    const help = fullHelp(path);
    expect(help).toMatch(/\nExamples:\n/);
    expect(help).toMatch(/\nExit codes:\n\s+(\d+ |see )/);
    const examples = [...help.matchAll(/^\s+\$ (benchsuite .*)$/gm)].map((m) => m[1] as string);
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) {
      const r = await parseOnly(benchsuiteArgs(e) as string[]);
      expect(r.error, e).toBe('');
      // The example runs the command whose help shows it (or one of its subcommands).
      expect(r.command?.startsWith(path.join(' ')), e).toBe(true);
    }
  });

  it('never shows "(default: [])" for repeatable flags', () => {
    for (const c of all) expect(fullHelp(c.path), c.path.join(' ')).not.toContain('(default: [])');
  });

  it('shows run\'s scenario as required unless --resume', () => {
    expect(fullHelp(['run'])).toContain('Usage: benchsuite run [options] <scenario> | --resume <runId>');
    expect(fullHelp([])).toMatch(/\n  run <scenario> \| --resume <runId> /);
  });

  it('lists commands in the order a new user meets them', () => {
    const listed = [...fullHelp([]).matchAll(/^  ([a-z]+)\b/gm)].map((m) => m[1]).filter((n) => n !== 'V' && n !== 'h');
    const expected = ['list', 'doctor', 'run', 'report', 'compare', 'history', 'vm', 'image', 'clean', 'help'];
    expect(listed.filter((n) => expected.includes(n as string))).toEqual(expected);
  });

  it('prints the version of package.json', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const r = await parseOnly(['--version']);
    expect(r.output.trim()).toBe(version);
  });
});

describe('the parse-only harness rejects what benchsuite rejects', () => {
  it.each([
    [['run', 'kvm-docker', '--samples', '0']],
    [['run', 'kvm-docker', '--no-such-flag']],
    [['compare', 'only-one.json']],
    [['vm', 'up', '--accel', 'fast']],
    [['lst']],
  ])('%j', async (args) => {
    expect((await parseOnly(args)).ok).toBe(false);
  });

  it('splits shell lines as a shell would', () => {
    expect(shellWords(`benchsuite run x --set 'a.b=c d' "e f" # comment`)).toEqual(['benchsuite', 'run', 'x', '--set', 'a.b=c d', 'e f']);
    expect(benchsuiteArgs('$ npm run benchsuite -- list | head')).toEqual(['list']);
    expect(benchsuiteArgs('npm start')).toBeUndefined();
  });
});

describe('every benchsuite command shown in a code block of README.md, docs/*.md and docs/examples/*', () => {
  const files = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
    ...(existsSync(join(ROOT, 'docs/examples')) ? readdirSync(join(ROOT, 'docs/examples')).map((f) => `docs/examples/${f}`) : []),
  ];
  const shipped = new Set(readdirSync(join(ROOT, 'scenarios')).map((f) => f.replace(/\.ya?ml$/, '')));
  const lines = files.flatMap((f) => {
    const text = readFileSync(join(ROOT, f), 'utf8');
    // YAML workflows are one big code block.
    const blocks = f.endsWith('.md') ? codeBlockCommands(text) : codeBlockCommands(`\`\`\`\n${text}\n\`\`\``);
    return blocks
      .map((b) => ({ where: `${f}:${b.line}`, text: b.text, args: benchsuiteArgs(b.text.replace(/^\s*-?\s*(run:\s*|script:\s*)?/, '')) }))
      .filter((b): b is { where: string; text: string; args: string[] } => b.args !== undefined);
  });

  it('finds the commands (README, docs/vm.md and docs/reports.md show some)', () => {
    expect(lines.some((l) => l.where.startsWith('README.md'))).toBe(true);
    expect(lines.some((l) => l.where.startsWith('docs/vm.md'))).toBe(true);
    expect(lines.some((l) => l.where.startsWith('docs/reports.md'))).toBe(true);
  });

  it.each(lines.map((l) => [l.where, l] as const))('%s parses with the CLI\'s own parser', async (_where, l) => {
    const r = await parseOnly(l.args);
    expect(r.error, l.text).toBe('');
    // A shipped scenario named on run/doctor/clean exists.
    const [cmd, first] = l.args;
    if ((cmd === 'run' || cmd === 'doctor' || cmd === 'clean') && first && !first.startsWith('-') && !first.includes('/') && !first.includes('.y')) {
      expect(shipped.has(first), `${l.text}: no scenarios/${first}.yaml`).toBe(true);
    }
  });
});
