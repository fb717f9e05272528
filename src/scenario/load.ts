/**
 * Loading a scenario: YAML (with line:column for every field), `--set path=value` overrides,
 * schema validation and cross-field checks. Every problem is reported with file, field path and fix,
 * before any command touches a target.
 */
import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CST, Lexer, LineCounter, parseDocument, isMap, isNode, isPair, isScalar, isSeq, visit, type Document } from 'yaml';
import { RESERVED_KEYS } from './fields.js';
import { quoteValue } from '../util/quote.js';
import { z } from 'zod';
import { didYouMean, InputError } from './errors.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { crossFieldIssues } from './validate.js';

import { SCENARIO_DIR } from '../paths.js';
import { kindChoices } from '../workloads/index.js';

export { SCENARIO_DIR };

export async function listScenarioFiles(dir = SCENARIO_DIR): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort().map((n) => join(dir, n));
}

/** "kvm-docker" → the shipped file; anything with a slash or .yaml → a path. */
export function resolveScenarioPath(nameOrPath: string): string {
  if (nameOrPath.length > 4096 || nameOrPath.includes('\0')) throw new InputError(`scenario ${quoteValue(nameOrPath)}: not a file name`);
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml')) return resolve(nameOrPath);
  const shipped = join(SCENARIO_DIR, `${nameOrPath}.yaml`);
  if (existsSync(shipped)) return shipped;
  if (existsSync(resolve(nameOrPath))) return resolve(nameOrPath);
  throw new InputError(
    `no scenario named ${quoteValue(nameOrPath)}: give a path to a .yaml file, or one of the shipped scenarios (benchsuite list)`,
  );
}

export interface LoadedScenario {
  scenario: Scenario;
  file: string;
}

const SET_INT = /^[-+]?[0-9]+$/;
const SET_FLOAT = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/**
 * Parse `path=value`. The value is one line, taken as typed text, never folded or cut:
 * - a whole or decimal number → a number; `true`/`false` → a boolean; `null` or `~` → null;
 * - `[…]` or `{…}` → a YAML flow list or map (a `#` comment inside is refused: quote the item);
 * - `"…"` or `'…'` → the quoted string;
 * - anything else → exactly the text after the first `=` (a `#` or spaces in it are kept literally).
 * Newlines and other control characters are refused.
 */
export function parseSet(text: string): { path: string[]; value: unknown } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`--set ${quoteValue(text)}: expected path=value, e.g. --set targets.kvm-docker.host=ssh://bench@vps.example`);
  const rawPath = text.slice(0, eq);
  const path = rawPath.split('.');
  if (rawPath.length > 200 || path.some((p) => p === '' || !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw new InputError(`--set ${quoteValue(text)}: ${quoteValue(rawPath)} is not a field path (dot-separated names, e.g. workloads.dd.count)`);
  }
  const reserved = path.find((p) => (RESERVED_KEYS as readonly string[]).includes(p));
  if (reserved) throw new InputError(`--set ${quoteValue(rawPath)}: "${reserved}" is a reserved word, not a field or id`);
  const raw = text.slice(eq + 1);
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(raw)) {
    throw new InputError(`--set ${rawPath}: the value ${quoteValue(raw)} contains a newline or control character; a --set value is one line of text`);
  }
  if (raw.length > 4096) throw new InputError(`--set ${rawPath}: the value is ${raw.length} characters; at most 4096`);
  const trimmed = raw.trim();
  if (SET_INT.test(trimmed) || SET_FLOAT.test(trimmed)) return { path, value: Number(trimmed) };
  if (trimmed === 'true' || trimmed === 'false') return { path, value: trimmed === 'true' };
  if (trimmed === 'null' || trimmed === '~') return { path, value: null };
  if (/^[[{"']/.test(trimmed)) {
    const tokens = [...new Lexer().lex(trimmed)];
    if (tokens.some((t) => CST.tokenType(t) === 'comment')) {
      throw new InputError(`--set ${rawPath}: ${quoteValue(raw)} has a "#" comment inside a list, map or quoted value; quote the item that holds the "#"`);
    }
    const doc = parseDocument(trimmed, { uniqueKeys: keysEqualAsStrings });
    if (doc.errors.length > 0 || doc.warnings.length > 0) {
      throw new InputError(`--set ${rawPath}: ${quoteValue(raw)} is not a valid YAML flow value (${(doc.errors[0] ?? doc.warnings[0])?.message.split('\n')[0] ?? ''}); quote it, e.g. --set ${rawPath}='[a, b]'`);
    }
    const problem = yamlTreeProblem(doc);
    if (problem) throw new InputError(`--set ${rawPath}: ${problem.message}`);
    return { path, value: doc.toJS({ maxAliasCount: 100 }) };
  }
  return { path, value: raw };
}

/** Map keys are duplicates when equal as strings (`1` and "1" would become the same object key). */
function keysEqualAsStrings(a: unknown, b: unknown): boolean {
  const s = (k: unknown): string => String(isScalar(k) ? k.value : k);
  return s(a) === s(b);
}

/** Tags a scenario may carry: the YAML 1.2 core schema's own. Anything else (!!js/function, !!binary, !foo) is refused. */
const CORE_TAGS = new Set(['tag:yaml.org,2002:str', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:null', 'tag:yaml.org,2002:map', 'tag:yaml.org,2002:seq']);

/** The first explicit tag outside the core schema, or a reserved key (__proto__…), with its source offset. */
function yamlTreeProblem(doc: Document): { message: string; offset?: number } | undefined {
  let found: { message: string; offset?: number } | undefined;
  const fieldOf = (path: readonly unknown[], last?: unknown): string => {
    const keys: string[] = [];
    for (const [i, a] of path.entries()) {
      if (isPair(a)) keys.push(String(isScalar(a.key) ? a.key.value : a.key));
      else if (isSeq(a)) {
        const next = path[i + 1] ?? last;
        const idx = a.items.indexOf(next as never);
        if (idx >= 0) keys.push(String(idx));
      }
    }
    return keys.join('.') || '(top level)';
  };
  visit(doc, (_key, node, path) => {
    if (isNode(node) && node.tag && !CORE_TAGS.has(node.tag)) {
      found = { message: `${fieldOf(path, node)}: the tag ${quoteValue(node.tag)} is not allowed (only plain YAML values: strings, numbers, booleans, null, lists, maps)`, offset: node.range?.[0] };
      return visit.BREAK;
    }
    if (isPair(node) && isScalar(node.key) && (RESERVED_KEYS as readonly string[]).includes(String(node.key.value))) {
      found = { message: `${fieldOf([...path, node])}: the key "${String(node.key.value)}" is a reserved word (${RESERVED_KEYS.join(', ')}), not a field or id`, offset: node.key.range?.[0] };
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}

function applySet(doc: Document, text: string): void {
  const { path, value } = parseSet(text);
  doc.setIn(path, doc.createNode(value));
}

function locate(doc: Document, lc: LineCounter, path: (string | number)[]): string {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    const parent = n > 0 ? (doc.getIn(path.slice(0, n - 1), true) as unknown) : undefined;
    // Point at the key when the value is missing.
    if (n > 0 && isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[n - 1]);
      const key = pair?.key as { range?: [number, number, number] } | undefined;
      if (key?.range) {
        const { line, col } = lc.linePos(key.range[0]);
        return `:${line}:${col}`;
      }
    }
    if (node?.range) {
      const { line, col } = lc.linePos(node.range[0]);
      return `:${line}:${col}`;
    }
  }
  return '';
}

function knownKeysAt(path: (string | number)[], data: unknown): string[] {
  // Walk the schema along the path to list the keys an object there accepts.
  let schema: z.ZodType = scenarioSchema;
  let value: unknown = data;
  for (const seg of path) {
    schema = unwrap(schema);
    const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === 'object') schema = (def.shape as Record<string, z.ZodType>)[seg as string] as z.ZodType;
    else if (def.type === 'record') schema = def.valueType as z.ZodType;
    else return [];
    value = (value as Record<string, unknown> | undefined)?.[seg as string];
    if (!schema) return [];
    schema = pickUnionOption(unwrap(schema), value);
  }
  schema = pickUnionOption(unwrap(schema), value);
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } };
  while (['optional', 'default', 'nullable', 'prefault'].includes(cur._zod.def.type) && cur._zod.def.innerType) {
    cur = cur._zod.def.innerType as unknown as typeof cur;
  }
  return cur as unknown as z.ZodType;
}

function pickUnionOption(s: z.ZodType, value: unknown): z.ZodType {
  const def = (s as unknown as { _zod: { def: { type: string; options?: z.ZodType[] } } })._zod.def;
  if (def.type !== 'union' || !def.options) return s;
  const kind = (value as { kind?: unknown } | undefined)?.kind;
  for (const o of def.options) {
    const od = (unwrap(o) as unknown as { _zod: { def: { type: string; shape?: Record<string, z.ZodType> } } })._zod.def;
    if (od.type !== 'object') continue;
    const k = od.shape?.kind as unknown as { _zod: { def: { values?: unknown[] } } } | undefined;
    if (kind === undefined || k?._zod.def.values?.includes(kind)) return o;
  }
  return s;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const base = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path as (string | number)[], data);
    return issue.keys
      .map((k) => {
        const hint = didYouMean(k, known);
        return `unknown field "${k}"${hint ? ` — did you mean "${hint}"?` : ''} (allowed: ${known.join(', ')})`;
      })
      .join('; ');
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `missing; expected ${issue.expected}`;
  if (issue.code === 'invalid_type') return `expected ${issue.expected}, got ${quoteValue(issue.input)}`;
  if (issue.code === 'invalid_key') return `${quoteValue(issue.input)} is not a valid id: ${issue.issues[0]?.message ?? 'letters, digits, - and _'}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${quoteValue(issue.input)}`;
  if (issue.code === 'invalid_union' && (issue.path.at(-2) === 'workloads' || issue.path[0] === 'workloads')) {
    return `${base}; a workload needs ${kindChoices()}`;
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    return `${base}; got ${quoteValue(issue.input)}`;
  }
  if (issue.code === 'invalid_format') return `${base}; got ${quoteValue(issue.input)}`;
  return base;
}

export function formatPath(path: PropertyKey[]): string {
  return path.map(String).join('.') || '(top level)';
}

/** Validate parsed data (already with --set applied); throws InputError listing every problem. */
export function validateScenarioData(data: unknown, file: string, locateFn: (p: (string | number)[]) => string = () => ''): Scenario {
  const parsed = scenarioSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${file}${locateFn(i.path as (string | number)[])} ${formatPath(i.path)}: ${describeIssue(i, data)}`);
    throw new InputError(`invalid scenario ${file}:\n  ${issues.join('\n  ')}`, issues);
  }
  const cross = crossFieldIssues(parsed.data);
  if (cross.length > 0) {
    const issues = cross.map((c) => `${file}${locateFn(c.path)} ${formatPath(c.path)}: ${c.message}`);
    throw new InputError(`invalid scenario ${file}:\n  ${issues.join('\n  ')}`, issues);
  }
  return parsed.data;
}

export async function loadScenario(nameOrPath: string, sets: string[] = []): Promise<LoadedScenario> {
  const file = resolveScenarioPath(nameOrPath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read scenario ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseScenarioText(text, file, sets);
}

export function parseScenarioText(text: string, file: string, sets: string[] = []): LoadedScenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: keysEqualAsStrings });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return `${file}${pos ? `:${pos.line}:${pos.col}` : ''} ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`;
    });
    throw new InputError(`invalid YAML in ${file}:\n  ${issues.join('\n  ')}`, issues);
  }
  const tree = yamlTreeProblem(doc);
  if (tree) {
    const pos = tree.offset !== undefined ? lc.linePos(tree.offset) : undefined;
    const issue = `${file}${pos ? `:${pos.line}:${pos.col}` : ''} ${tree.message}`;
    throw new InputError(`invalid scenario ${file}:\n  ${issue}`, [issue]);
  }
  if (!isMap(doc.contents)) throw new InputError(`${file}: a scenario is a YAML mapping (name:, baseline:, targets:, workloads:)`);
  for (const s of sets) applySet(doc, s);
  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    throw new InputError(`invalid scenario ${file}: ${(e as Error).message.split('\n')[0]} (YAML aliases expand to too much; write the values out)`);
  }
  if (data.name === undefined) data.name = basename(file).replace(/\.ya?ml$/, '');
  const scenario = validateScenarioData(data, file, (p) => locate(doc, lc, p));
  return { scenario, file };
}
