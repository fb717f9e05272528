/**
 * Loading a scenario: YAML (with line:column for every field), `--set path=value` overrides,
 * schema validation and cross-field checks. Every problem is reported with file, field path and fix,
 * before any command touches a target.
 */
import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, type Document } from 'yaml';
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
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml')) return resolve(nameOrPath);
  const shipped = join(SCENARIO_DIR, `${nameOrPath}.yaml`);
  if (existsSync(shipped)) return shipped;
  if (existsSync(resolve(nameOrPath))) return resolve(nameOrPath);
  throw new InputError(
    `no scenario named "${nameOrPath}": give a path to a .yaml file, or one of the shipped scenarios (benchsuite list)`,
  );
}

export interface LoadedScenario {
  scenario: Scenario;
  file: string;
}

/** Parse `path=value`; the value is YAML (so numbers, booleans and [lists] work). */
export function parseSet(text: string): { path: string[]; value: unknown } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`--set ${text}: expected path=value, e.g. --set targets.kvm-docker.host=ssh://bench@vps.example`);
  const path = text.slice(0, eq).split('.');
  if (path.some((p) => p === '' || !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw new InputError(`--set ${text}: "${text.slice(0, eq)}" is not a field path (dot-separated names, e.g. workloads.dd.count)`);
  }
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    const doc = parseDocument(raw);
    if (doc.errors.length === 0) value = doc.toJS();
  } catch {
    value = raw;
  }
  // Keep strings such as ssh URLs or image tags as given.
  if (value === null && raw !== 'null' && raw !== '~') value = raw;
  return { path, value };
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
  if (issue.code === 'invalid_type') return `expected ${issue.expected}, got ${JSON.stringify(issue.input)}`;
  if (issue.code === 'invalid_key') return `${JSON.stringify(issue.input)} is not a valid id: ${issue.issues[0]?.message ?? 'letters, digits, - and _'}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(issue.input)}`;
  if (issue.code === 'invalid_union' && (issue.path.at(-2) === 'workloads' || issue.path[0] === 'workloads')) {
    return `${base}; a workload needs ${kindChoices()}`;
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    return `${base}; got ${JSON.stringify(issue.input)}`;
  }
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
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return `${file}${pos ? `:${pos.line}:${pos.col}` : ''} ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`;
    });
    throw new InputError(`invalid YAML in ${file}:\n  ${issues.join('\n  ')}`, issues);
  }
  if (!isMap(doc.contents)) throw new InputError(`${file}: a scenario is a YAML mapping (name:, baseline:, targets:, workloads:)`);
  for (const s of sets) applySet(doc, s);
  const data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  if (data.name === undefined) data.name = basename(file).replace(/\.ya?ml$/, '');
  const scenario = validateScenarioData(data, file, (p) => locate(doc, lc, p));
  return { scenario, file };
}
