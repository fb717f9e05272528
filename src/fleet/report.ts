/**
 * The fleet report: per host its baseline, candidate and difference with the run's own CI (Fieller), and a fleet
 * row pooling the per-host log ratios with a random-effects meta-analysis (DerSimonian–Laird, Hartung–Knapp
 * interval), so the interval carries the variation between hosts. `--group-by` adds one pooled row per inventory
 * group or fingerprint value. A forest plot per workload metric and candidate (Vega-Lite → SVG).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, renderSvg, titleWithUnit } from '../report/charts.js';
import { slug } from '../report/common.js';
import { isUnknown, type RunResults } from '../results/model.js';
import { InputError } from '../scenario/errors.js';
import { logRatioStudy, randomEffectsMeta, type MetaStudy } from '../stats/meta.js';
import type { FleetFile, HostStatus } from './file.js';

export interface FleetHostRow {
  host: string;
  status: HostStatus;
  reason?: string;
  baseline?: number;
  candidate?: number;
  nBaseline?: number;
  nCandidate?: number;
  differencePct?: number;
  ci?: { low: number; high: number } | null;
  /** In the pooled estimate (completed, with a log ratio and its variance). */
  pooled: boolean;
}

export interface FleetPooledRow {
  /** "fleet", or the group's value. */
  label: string;
  hosts: string[];
  k: number;
  differencePct: number;
  ci: { low: number; high: number };
  tau: number;
  i2: number;
  q: number;
  method: string;
  /** The pooled log ratio, its standard error and the degrees of freedom of its interval (null: normal), for `compare`. */
  log: { estimate: number; se: number; df: number | null };
}

export interface FleetBlock {
  workload: string;
  metric: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  baseline: { id: string; label: string };
  candidate: { id: string; label: string };
  hosts: FleetHostRow[];
  pooled: FleetPooledRow[];
}

export interface FleetReport {
  fleetId: string;
  status: FleetFile['status'];
  scenario: string;
  confidence: number;
  groupBy?: string;
  hosts: { name: string; status: HostStatus; reason?: string; resultsFile?: string }[];
  blocks: FleetBlock[];
  notes: string[];
}

export interface FleetReportOptions {
  groupBy?: string;
  confidence?: number;
}

const GROUP_BY = /^(group|group:[A-Za-z_][A-Za-z0-9_-]{0,63}|[A-Za-z][A-Za-z0-9_]{0,63})$/;

/** Check `--group-by` before anything runs. */
export function checkGroupBy(groupBy: string | undefined, fleet?: Pick<FleetFile, 'groupChildren'>): void {
  if (groupBy === undefined) return;
  if (!GROUP_BY.test(groupBy)) {
    throw new InputError(`--group-by ${groupBy}: expected "group" (each inventory group), "group:<parent>" (the children of a group) or a fingerprint field such as cpuModel, kernelRelease, virtualization`);
  }
  if (fleet && groupBy.startsWith('group:') && !fleet.groupChildren[groupBy.slice(6)]) {
    throw new InputError(`--group-by ${groupBy}: the inventory has no group ${groupBy.slice(6)}; groups: ${Object.keys(fleet.groupChildren).join(', ')}`);
  }
}

function groupKeys(groupBy: string, fleet: FleetFile, host: FleetFile['hosts'][number], r: RunResults | undefined, baseline: string): string[] {
  if (groupBy === 'group') return host.groups.filter((g) => g !== 'all' && g !== 'ungrouped');
  if (groupBy.startsWith('group:')) {
    const children = fleet.groupChildren[groupBy.slice(6)] ?? [];
    return host.groups.filter((g) => children.includes(g));
  }
  const fp = r?.targets.find((t) => t.id === baseline)?.fingerprint;
  const v = fp?.[groupBy];
  if (v === undefined || v === null || isUnknown(v)) return [`${groupBy} unknown`];
  return [typeof v === 'object' ? JSON.stringify(v) : String(v)];
}

function pool(label: string, entries: { host: string; study: MetaStudy }[], confidence: number): FleetPooledRow | undefined {
  if (entries.length === 0) return undefined;
  const m = randomEffectsMeta(entries.map((e) => e.study), { confidence, hartungKnapp: entries.length >= 2 });
  const pct = (x: number): number => (Math.exp(x) - 1) * 100;
  return {
    label,
    hosts: entries.map((e) => e.host),
    k: m.k,
    differencePct: pct(m.estimate),
    ci: { low: pct(m.ci.low), high: pct(m.ci.high) },
    tau: m.tau,
    i2: m.i2,
    q: m.q,
    method: m.k >= 2 ? 'DerSimonian–Laird, Hartung–Knapp CI' : 'one host',
    log: { estimate: m.estimate, se: m.se, df: m.method === 'DL+HK' ? m.df : null },
  };
}

export function buildFleetReport(fleet: FleetFile, results: Map<string, RunResults>, opts: FleetReportOptions = {}): FleetReport {
  checkGroupBy(opts.groupBy, fleet);
  const any = [...results.values()].find((r) => r.status === 'completed') ?? [...results.values()][0];
  const confidence = opts.confidence ?? any?.confidence ?? 0.95;
  const notes: string[] = [];
  const blocks: FleetBlock[] = [];
  if (any) {
    const baseline = any.baseline;
    const label = (id: string): string => any.targets.find((t) => t.id === id)?.label ?? id;
    const candidates = any.targets.map((t) => t.id).filter((id) => id !== baseline);
    for (const m of any.metrics.filter((x) => x.primary)) {
      for (const cand of candidates) {
        const rows: FleetHostRow[] = [];
        const studies: { host: string; study: MetaStudy; keys: string[] }[] = [];
        for (const h of fleet.hosts) {
          const r = results.get(h.name);
          const row: FleetHostRow = { host: h.name, status: h.status, reason: h.reason, pooled: false };
          rows.push(row);
          if (!r || h.status !== 'completed') continue;
          const sb = r.summaries.find((s) => s.target === baseline && s.workload === m.workload && s.metric === m.metric);
          const sc = r.summaries.find((s) => s.target === cand && s.workload === m.workload && s.metric === m.metric);
          const cmp = r.comparisons.find((c) => c.candidate === cand && c.workload === m.workload && c.metric === m.metric);
          if (sb) Object.assign(row, { baseline: sb.mean, nBaseline: sb.n });
          if (sc) Object.assign(row, { candidate: sc.mean, nCandidate: sc.n });
          if (cmp) Object.assign(row, { differencePct: cmp.differencePct, ci: cmp.ci });
          const study = sb && sc ? logRatioStudy({ mean: sc.mean, sd: sc.stddev, n: sc.n }, { mean: sb.mean, sd: sb.stddev, n: sb.n }) : null;
          if (study && study.v > 0) {
            row.pooled = true;
            studies.push({ host: h.name, study, keys: opts.groupBy ? groupKeys(opts.groupBy, fleet, h, r, baseline) : [] });
          } else notes.push(`${m.workload} · ${h.name}: left out of the pooled estimate (no log ratio with a variance: fewer than 2 samples, a zero mean or identical samples)`);
        }
        const pooled: FleetPooledRow[] = [];
        const fleetRow = pool('fleet', studies, confidence);
        if (fleetRow) pooled.push(fleetRow);
        if (opts.groupBy) {
          const keys = [...new Set(studies.flatMap((s) => s.keys))].sort();
          for (const k of keys) {
            const row = pool(k, studies.filter((s) => s.keys.includes(k)), confidence);
            if (row) pooled.push(row);
          }
        }
        blocks.push({
          workload: m.workload, metric: m.metric, title: m.title, unit: m.unit, higherIsBetter: m.higherIsBetter,
          baseline: { id: baseline, label: label(baseline) }, candidate: { id: cand, label: label(cand) }, hosts: rows, pooled,
        });
      }
    }
  } else notes.push('no host produced results: nothing to pool');
  return {
    fleetId: fleet.fleetId,
    status: fleet.status,
    scenario: fleet.scenario.name,
    confidence,
    ...(opts.groupBy ? { groupBy: opts.groupBy } : {}),
    hosts: fleet.hosts.map((h) => ({ name: h.name, status: h.status, ...(h.reason ? { reason: h.reason } : {}), ...(h.resultsFile ? { resultsFile: h.resultsFile } : {}) })),
    blocks,
    notes: [...new Set(notes)],
  };
}

const fmtNum = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));
const fmtPct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`);
const fmtCi = (ci: { low: number; high: number } | null | undefined): string => (ci ? `[${fmtPct(ci.low)}, ${fmtPct(ci.high)}]` : '—');

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

/** Control characters out of anything a host or a file put into the terminal. */
const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

export function renderFleetText(rep: FleetReport): string {
  const conf = `${+(rep.confidence * 100).toFixed(1)} %`;
  const out: string[] = [`Fleet ${rep.fleetId} (${rep.scenario}): ${rep.status}; ${rep.hosts.filter((h) => h.status === 'completed').length} of ${rep.hosts.length} host(s) completed`];
  for (const b of rep.blocks) {
    out.push('', `${titleWithUnit(b.title, b.unit)}${b.higherIsBetter ? ' ↑' : ' ↓'} — ${b.candidate.label} vs ${b.baseline.label}`);
    const rows: string[][] = [['host', 'status', b.baseline.label, b.candidate.label, 'difference', `${conf} CI`, 'note']];
    for (const h of b.hosts) {
      rows.push([clean(h.host), h.status, fmtNum(h.baseline), fmtNum(h.candidate), fmtPct(h.differencePct), fmtCi(h.ci), clean(h.reason ?? '')]);
    }
    for (const p of b.pooled) {
      rows.push([
        p.label === 'fleet' ? `fleet (k=${p.k})` : `${clean(p.label)} (k=${p.k})`,
        'pooled', '', '', fmtPct(p.differencePct), fmtCi(p.ci),
        `${p.method}; τ ${p.tau.toFixed(3)} (log ratio), I² ${(p.i2 * 100).toFixed(0)} %, Q ${p.q.toFixed(2)}`,
      ]);
    }
    out.push(table(rows));
  }
  if (rep.blocks.length === 0) {
    out.push('', table([['host', 'status', 'note'], ...rep.hosts.map((h) => [clean(h.name), h.status, clean(h.reason ?? '')])]));
  }
  out.push('', 'Pooled rows: random-effects meta-analysis of the per-host log ratios; the interval includes the variation between hosts.');
  for (const n of rep.notes) out.push(`note: ${clean(n)}`);
  return `${out.join('\n')}\n`;
}

export function forestSpec(b: FleetBlock, confidence: number): TopLevelSpec | null {
  const conf = `${+(confidence * 100).toFixed(1)} %`;
  const rows: Record<string, unknown>[] = [];
  for (const h of b.hosts) {
    if (h.differencePct === undefined) continue;
    rows.push({ label: h.host, diff: h.differencePct, low: h.ci?.low ?? h.differencePct, high: h.ci?.high ?? h.differencePct, kind: 'host' });
  }
  for (const p of b.pooled) {
    rows.push({ label: p.label === 'fleet' ? `Fleet (k=${p.k})` : `${p.label} (k=${p.k})`, diff: p.differencePct, low: p.ci.low, high: p.ci.high, kind: 'pooled' });
  }
  if (rows.length === 0) return null;
  const order = rows.map((r) => r.label as string);
  const x = (field: string) => ({ field, type: 'quantitative', title: `Difference vs ${b.baseline.label} (%)` }) as const;
  const y = { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 240 } } as const;
  const fleetRow = b.pooled.find((p) => p.label === 'fleet');
  const missing = b.hosts.filter((h) => h.differencePct === undefined).map((h) => `${h.host} (${h.status})`);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Forest plot: ${b.title}, ${b.candidate.label} vs ${b.baseline.label}`,
    title: {
      text: `${titleWithUnit(b.title, b.unit)}: ${b.candidate.label} vs ${b.baseline.label} per host`,
      subtitle: [
        `Squares: each host's difference with its ${conf} CI (Fieller); diamonds: random-effects pooled (DerSimonian–Laird, Hartung–Knapp CI).`,
        ...(fleetRow ? [`Fleet: ${fmtPct(fleetRow.differencePct)} ${fmtCi(fleetRow.ci)}, τ ${fleetRow.tau.toFixed(3)}, I² ${(fleetRow.i2 * 100).toFixed(0)} %.`] : []),
        ...(missing.length ? [`No result: ${clean(missing.join(', ')).slice(0, 200)}.`] : []),
      ],
    },
    width: 520,
    height: { step: 22 },
    config: chartConfig(),
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#555', strokeDash: [4, 3] }, encoding: { x: x('zero') } },
      {
        data: { values: rows },
        layer: [
          { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, x: x('low'), x2: { field: 'high' }, color: { field: 'kind', type: 'nominal', scale: { domain: ['host', 'pooled'], range: ['#4c78a8', '#d62728'] }, legend: null } } },
          {
            mark: { type: 'point', filled: true, opacity: 1 },
            encoding: {
              y,
              x: x('diff'),
              shape: { field: 'kind', type: 'nominal', scale: { domain: ['host', 'pooled'], range: ['square', 'diamond'] }, legend: null },
              size: { field: 'kind', type: 'nominal', scale: { domain: ['host', 'pooled'], range: [60, 160] }, legend: null },
              color: { field: 'kind', type: 'nominal', scale: { domain: ['host', 'pooled'], range: ['#4c78a8', '#d62728'] }, legend: null },
            },
          },
        ],
      },
    ],
  } as unknown as TopLevelSpec;
}

/** Table, summary JSON and forest plots into outDir; returns the files written. */
export async function writeFleetReports(rep: FleetReport, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, content: string): void => {
    const p = join(outDir, name);
    writeFileSync(p, content);
    files.push(p);
  };
  put('fleet.txt', renderFleetText(rep));
  put('fleet-summary.json', `${JSON.stringify(rep, null, 1)}\n`);
  for (const b of rep.blocks) {
    const spec = forestSpec(b, rep.confidence);
    if (!spec) continue;
    put(`forest-${slug(`${b.workload}-${b.metric}-${b.candidate.id}`, 100)}.svg`, await renderSvg(spec));
  }
  return files;
}
