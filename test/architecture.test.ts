// The folder import graph of src/ has no cycles: a folder may import from another only if that one never
// imports (directly or through others) back. Imports are read from the sources (static and dynamic `import`).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Top folder of a file under src/; a file directly in src/ (index.ts, paths.ts) is a node of its own. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? (parts[0] as string) : `./${(parts[0] as string).replace(/\.[jt]s$/, '')}`;
}

/** Folder → folders it imports from. */
export function folderGraph(): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const f of files(SRC)) {
    const from = folderOf(f);
    const deps = g.get(from) ?? new Set<string>();
    g.set(from, deps);
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(f), m[1] as string);
      if (!target.startsWith(`${SRC}/`)) continue;
      const to = folderOf(target);
      if (to !== from) deps.add(to);
    }
  }
  return g;
}

/** Every cycle, as a list of folders (each reported once, from its smallest member). */
export function folderCycles(g: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const walk = (start: string, node: string, path: string[]): void => {
    for (const next of g.get(node) ?? []) {
      if (next === start) {
        const key = [...path].sort().join('>') + `|${path.join('>')}`;
        if (path.every((p) => p >= start) && !seen.has(key)) {
          seen.add(key);
          cycles.push([...path, start]);
        }
      } else if (!path.includes(next) && next > start) walk(start, next, [...path, next]);
    }
  };
  for (const start of [...g.keys()].sort()) walk(start, start, [start]);
  return cycles;
}

/**
 * One meaning per name (docs/architecture.md, "Names"): the names each word had when it meant two things. An
 * exec context is not an "environment" (that is the fingerprint's facts), the container-less target kind is not
 * "host" (that is the machine: the scenario's `host:`), the guest's disk is not an "image" (that is Docker's).
 */
const RETIRED_NAMES: { pattern: RegExp; now: string }[] = [
  { pattern: /\bEnvironmentSpec\b/, now: 'ExecContextSpec' },
  { pattern: /(?:interface|type|:|<|\||\{|,)\s*Environment\b(?!\s+(?:facts|differences?))/, now: 'ExecContext' },
  { pattern: /\bFingerprintEnv\b/, now: 'FingerprintExecContext' },
  { pattern: /\bHostTarget\b|targets\/host(?:\.js|\.ts)|kind = 'host'/, now: "DirectTarget (src/targets/direct.ts), kind 'direct'" },
  { pattern: /\bImageManifest\b|\bimageReady\b|\bbuildImage\b|\bimageDir\b|vm\/image(?:\.js|\.ts)/, now: 'DiskManifest, diskReady, buildDisk, diskDir (src/vm/disk.ts)' },
];

/** `file:line: text (now: …)` for every retired name in the given files. */
export function retiredNames(texts: Map<string, string>): string[] {
  const hits: string[] = [];
  for (const [file, text] of texts) {
    text.split('\n').forEach((line, i) => {
      for (const r of RETIRED_NAMES) if (r.pattern.test(line)) hits.push(`${file}:${i + 1}: ${line.trim()} (now: ${r.now})`);
    });
  }
  return hits;
}

describe('architecture', () => {
  it('finds a cycle when there is one (the check itself)', () => {
    const g = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    expect(folderCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(folderCycles(new Map([['a', new Set(['b'])], ['b', new Set<string>()]]))).toEqual([]);
  });

  it('recognizes each retired name (the check itself)', () => {
    const old = new Map([
      ['a.ts', "import type { Environment, EnvironmentSpec } from '../exec/types.js';\nlet e: Environment;\nexport class HostTarget {}"],
      ['b.ts', "import { imageReady } from './image.js';\nconst x = paths.imageDir;\nimport { buildImage } from '../vm/image.js';"],
      ['c.md', 'Environment differences between the runs; Environment facts the reports compare'],
    ]);
    const hits = retiredNames(old);
    expect(hits.map((h) => h.split(':').slice(0, 2).join(':'))).toEqual(['a.ts:1', 'a.ts:1', 'a.ts:2', 'a.ts:3', 'b.ts:1', 'b.ts:2', 'b.ts:3']);
  });

  it('uses each word with one meaning in src/, test/, bench/ and docs/', () => {
    const roots = ['src', 'test', 'bench', 'docs'];
    const all = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'fixtures' ? [] : all(join(dir, e.name))) : /\.(ts|md)$/.test(e.name) ? [join(dir, e.name)] : []));
    const self = resolve('test/architecture.test.ts');
    const texts = new Map(roots.flatMap((r) => all(resolve(r))).filter((f) => f !== self && !f.endsWith('docs/architecture.md')).map((f) => [relative(resolve('.'), f), readFileSync(f, 'utf8')] as [string, string]));
    expect(retiredNames(texts)).toEqual([]);
  });

  it('keeps doctor off target kinds: src/doctor reads no container settings and runs no docker command', () => {
    const dir = resolve('src/doctor');
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').map((line, i) => [`src/doctor/${f}:${i + 1}`, line] as const))
      .filter(([, line]) => /\.container\b|['"]docker['"]/.test(line))
      .map(([where]) => where);
    expect(offenders).toEqual([]);
  });

  it('has no folder import cycles in src/', () => {
    expect(folderCycles(folderGraph()).map((c) => c.join(' → '))).toEqual([]);
  });
});

describe('the runner is a pipeline of short steps', () => {
  /** Every function-like node with a body in a file, as [name, first line, line count]. */
  async function functionLengths(file: string): Promise<Array<[string, number, number]>> {
    const ts = (await import('typescript')).default;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const out: Array<[string, number, number]> = [];
    const visit = (n: import('typescript').Node): void => {
      if (ts.isFunctionLike(n) && 'body' in n && n.body) {
        const first = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const last = sf.getLineAndCharacterOfPosition(n.end).line;
        const name = 'name' in n && n.name ? n.name.getText(sf) : '(anonymous)';
        out.push([name, first + 1, last - first + 1]);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return out;
  }

  it('no function in src/runner is longer than 80 lines', async () => {
    const long: string[] = [];
    for (const f of files(join(SRC, 'runner'))) {
      for (const [name, line, n] of await functionLengths(f)) if (n > 80) long.push(`${relative(SRC, f)}:${line} ${name} (${n} lines)`);
    }
    expect(long).toEqual([]);
  });

  it('the length check sees a long function (so the test above can fail)', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bs-arch-'));
    try {
      const f = join(dir, 'long.ts');
      writeFileSync(f, `export function long(): number {\n${'  let x = 1;\n'.repeat(1)}${Array.from({ length: 85 }, (_, i) => `  x += ${i};`).join('\n')}\n  return x;\n}\n`);
      const found = await functionLengths(f);
      expect(found).toEqual([['long', 1, 89]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
