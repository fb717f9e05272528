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


describe('architecture', () => {
  it('finds a cycle when there is one (the check itself)', () => {
    const g = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    expect(folderCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(folderCycles(new Map([['a', new Set(['b'])], ['b', new Set<string>()]]))).toEqual([]);
  });

  it('has no folder import cycles in src/', () => {
    expect(folderCycles(folderGraph()).map((c) => c.join(' → '))).toEqual([]);
  });
});
