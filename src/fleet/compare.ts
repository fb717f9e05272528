/**
 * `benchsuite compare <baseline fleet> <current fleet>`: the fleet form of the CI gate.
 *
 * Per host present in both fleets: the ordinary run comparison (src/report/compare-runs.ts, unchanged) of its two
 * results files. Hosts in only one fleet are listed; a host in both that did not complete in one is inconclusive.
 *
 * Fleet row, per primary metric and candidate: each fleet's pooled overhead is the random-effects pooled log ratio
 * μ = ln(candidate/baseline) with its standard error (src/fleet/report.ts, src/stats/meta.ts). The change of the
 * fleet overhead is d = μ_current − μ_baseline (so e^d is the ratio of the two fleets' ratios), with
 * SE_d = √(SE_b² + SE_c²) (independent fleets) and a t interval whose degrees of freedom are Welch–Satterthwaite's
 * from the two Hartung–Knapp intervals' k−1 (normal when both pools are single hosts). As a percentage,
 * (e^d − 1)·100, it is judged against --tolerance exactly as a run comparison: fail when the whole interval is worse
 * by more than the tolerance, pass when it lies within, otherwise inconclusive.
 *
 * Exit code: 1 if any host row or fleet row fails; 3 with --strict if any is inconclusive; else 0.
 * Input errors (a fleet beside an ordinary results file, unreadable fleet) are ReportInputErrors (exit 2).
 */
import { appendFile } from 'node:fs/promises';
import {
  EXIT_INCONCLUSIVE,
  EXIT_PASS,
  EXIT_REGRESSION,
  compareRuns,
  renderRunComparisonMarkdown,
  renderRunComparisonText,
  type RunComparison,
} from '../report/compare-runs.js';
import { ReportInputError, metricSelected } from '../report/common.js';
import { InputError } from '../scenario/errors.js';
import { normalQuantile, studentTQuantile, toOverheadInterval, verdictFor, type Verdict } from '../stats/index.js';
import { markdownCell, markdownCode, markdownText } from '../util/markdown.js';
import { terminalText } from '../util/terminal.js';
import { loadHostResults } from './cli.js';
import { isFleetPath, loadFleet, type HostStatus } from './file.js';
import { buildFleetReport, type FleetBlock } from './report.js';

export interface FleetHostComparison {
  host: string;
  baselineStatus: HostStatus;
  currentStatus: HostStatus;
  /** The ordinary run comparison, when the host completed in both fleets. */
  comparison: RunComparison | null;
  /** 'fail'/'inconclusive'/'pass' of its rows; inconclusive when there is no comparison. */
  verdict: Verdict;
  reason: string | null;
}

export interface FleetLevelRow {
  workload: string;
  metric: string;
  title: string;
  higherIsBetter: boolean;
  candidate: string;
  candidateLabel: string;
  baselineLabel: string;
  /** Each fleet's pooled overhead (percent, candidate vs baseline target) and its k. */
  baselineFleet: { differencePct: number; k: number } | null;
  currentFleet: { differencePct: number; k: number } | null;
  /** (e^d − 1)·100 with d = μ_current − μ_baseline; its interval. */
  changePct: number | null;
  ci: { low: number; high: number } | null;
  df: number | null;
  verdict: Verdict;
  reason: string | null;
}

export interface FleetComparison {
  baselineFleetId: string;
  currentFleetId: string;
  scenario: string;
  tolerancePct: number;
  confidence: number;
  strict: boolean;
  hosts: FleetHostComparison[];
  onlyBaseline: { host: string; status: HostStatus }[];
  onlyCurrent: { host: string; status: HostStatus }[];
  fleet: FleetLevelRow[];
  exitCode: number;
}

export interface CompareFleetsOptions {
  tolerancePct: number;
  metrics?: string[];
  strict?: boolean;
}

function worst(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.length === 0 || verdicts.includes('inconclusive')) return 'inconclusive';
  return 'pass';
}

/** Welch–Satterthwaite degrees of freedom of a sum of two variances; null (normal) when both are normal. */
export function combinedDf(se1: number, df1: number | null, se2: number, df2: number | null): number | null {
  if (df1 === null && df2 === null) return null;
  const a = se1 ** 2;
  const b = se2 ** 2;
  const den = (df1 === null ? 0 : a ** 2 / df1) + (df2 === null ? 0 : b ** 2 / df2);
  return den > 0 ? (a + b) ** 2 / den : null;
}

function fleetRow(bBlock: FleetBlock, cBlock: FleetBlock | undefined, tolerancePct: number, confidence: number): FleetLevelRow {
  const row: FleetLevelRow = {
    workload: bBlock.workload,
    metric: bBlock.metric,
    title: bBlock.title,
    higherIsBetter: bBlock.higherIsBetter,
    candidate: bBlock.candidate.id,
    candidateLabel: bBlock.candidate.label,
    baselineLabel: bBlock.baseline.label,
    baselineFleet: null,
    currentFleet: null,
    changePct: null,
    ci: null,
    df: null,
    verdict: 'inconclusive',
    reason: null,
  };
  const pb = bBlock.pooled.find((p) => p.label === 'fleet');
  const pc = cBlock?.pooled.find((p) => p.label === 'fleet');
  if (pb) row.baselineFleet = { differencePct: pb.differencePct, k: pb.k };
  if (pc) row.currentFleet = { differencePct: pc.differencePct, k: pc.k };
  if (!cBlock) row.reason = 'not in the current fleet';
  else if (!pb || !pc) row.reason = `no host to pool in the ${!pb ? 'baseline' : 'current'} fleet`;
  else {
    const d = pc.log.estimate - pb.log.estimate;
    const se = Math.hypot(pb.log.se, pc.log.se);
    const df = combinedDf(pb.log.se, pb.log.df, pc.log.se, pc.log.df);
    const p = 1 - (1 - confidence) / 2;
    const crit = df === null ? normalQuantile(p) : studentTQuantile(p, df);
    const pct = (x: number): number => (Math.exp(x) - 1) * 100;
    row.changePct = pct(d);
    row.ci = { low: pct(d - crit * se), high: pct(d + crit * se) };
    row.df = df;
    row.verdict = verdictFor(toOverheadInterval(row.ci, bBlock.higherIsBetter), tolerancePct);
  }
  return row;
}

function load(p: string, arg: string): ReturnType<typeof loadFleet> {
  try {
    return loadFleet(p);
  } catch (e) {
    if (e instanceof InputError) throw new ReportInputError(`${arg}: ${e.message}`);
    throw e;
  }
}

export async function compareFleets(baselinePath: string, currentPath: string, opts: CompareFleetsOptions): Promise<FleetComparison> {
  const b = load(baselinePath, '<baseline-results>');
  const c = load(currentPath, '<current-results>');
  const bResults = await loadHostResults(b.fleet, b.dir);
  const cResults = await loadHostResults(c.fleet, c.dir);
  const cHosts = new Map(c.fleet.hosts.map((h) => [h.name, h]));
  const bNames = new Set(b.fleet.hosts.map((h) => h.name));
  const hosts: FleetHostComparison[] = [];
  const onlyBaseline: FleetComparison['onlyBaseline'] = [];
  let confidence = 0.95;
  for (const hb of b.fleet.hosts) {
    const hc = cHosts.get(hb.name);
    if (!hc) {
      onlyBaseline.push({ host: hb.name, status: hb.status });
      continue;
    }
    const rb = hb.status === 'completed' ? bResults.get(hb.name) : undefined;
    const rc = hc.status === 'completed' ? cResults.get(hc.name) : undefined;
    const entry: FleetHostComparison = { host: hb.name, baselineStatus: hb.status, currentStatus: hc.status, comparison: null, verdict: 'inconclusive', reason: null };
    if (rb && rc) {
      try {
        entry.comparison = compareRuns(rb, rc, { tolerancePct: opts.tolerancePct, metrics: opts.metrics, strict: opts.strict ?? false });
      } catch (e) {
        if (e instanceof ReportInputError) throw new ReportInputError(`host ${hb.name}: ${e.message}`);
        throw e;
      }
      confidence = entry.comparison.confidence;
      entry.verdict = worst(entry.comparison.rows.map((r) => r.verdict));
    } else {
      const missing = !rb ? { side: 'baseline', h: hb } : { side: 'current', h: hc };
      entry.reason = `${missing.h.status} in the ${missing.side} fleet${missing.h.reason ? `: ${missing.h.reason}` : missing.h.status === 'completed' ? ' (its results file cannot be read)' : ''}`;
    }
    hosts.push(entry);
  }
  const onlyCurrent = c.fleet.hosts.filter((h) => !bNames.has(h.name)).map((h) => ({ host: h.name, status: h.status }));

  const repB = buildFleetReport(b.fleet, bResults, { confidence });
  const repC = buildFleetReport(c.fleet, cResults, { confidence });
  const key = (x: FleetBlock): string => `${x.workload}/${x.metric}/${x.candidate.id}`;
  const cBlocks = new Map(repC.blocks.map((x) => [key(x), x]));
  const selected = (x: FleetBlock): boolean => metricSelected({ workload: x.workload, metric: x.metric, primary: true }, opts.metrics);
  const fleet = repB.blocks.filter(selected).map((x) => fleetRow(x, cBlocks.get(key(x)), opts.tolerancePct, confidence));

  const verdicts = [...hosts.map((h) => h.verdict), ...fleet.map((f) => f.verdict)];
  const exitCode = verdicts.includes('fail') ? EXIT_REGRESSION : opts.strict && verdicts.includes('inconclusive') ? EXIT_INCONCLUSIVE : EXIT_PASS;
  return {
    baselineFleetId: b.fleet.fleetId,
    currentFleetId: c.fleet.fleetId,
    scenario: c.fleet.scenario.name,
    tolerancePct: opts.tolerancePct,
    confidence,
    strict: opts.strict ?? false,
    hosts,
    onlyBaseline,
    onlyCurrent,
    fleet,
    exitCode,
  };
}

const fmtPct = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`;

function fleetGrid(fc: FleetComparison): string[][] {
  const conf = `${+(fc.confidence * 100).toFixed(1)} %`;
  const rows = [['Metric', 'Candidate vs baseline target', `Baseline fleet`, `Current fleet`, `Change (${conf} CI)`, 'Verdict']];
  for (const f of fc.fleet) {
    const side = (s: FleetLevelRow['baselineFleet']): string => (s ? `${fmtPct(s.differencePct)} (k=${s.k})` : 'no pool');
    rows.push([
      `${f.title} (${f.metric}) ${f.higherIsBetter ? '↑' : '↓'}`,
      `${f.candidateLabel} vs ${f.baselineLabel}`,
      side(f.baselineFleet),
      side(f.currentFleet),
      f.changePct === null || !f.ci ? 'n/a' : `${fmtPct(f.changePct)} [${fmtPct(f.ci.low)}, ${fmtPct(f.ci.high)}]`,
      f.verdict === 'fail' ? 'FAIL (regression)' : f.reason ? `${f.verdict}: ${f.reason}` : f.verdict,
    ]);
  }
  return rows;
}

function grid(rows: string[][], cell: (s: string) => string, markdown: boolean): string {
  const cells = rows.map((r) => r.map(cell));
  if (markdown) {
    const line = (r: string[]): string => `| ${r.join(' | ')} |`;
    return [line(cells[0] ?? []), line((cells[0] ?? []).map(() => '---')), ...cells.slice(1).map(line)].join('\n');
  }
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - [...c].length))).join('  ').trimEnd()).join('\n');
}

function hostLines(fc: FleetComparison): string[] {
  return [
    ...fc.hosts.map((h) => `${h.host}: ${h.verdict === 'fail' ? 'FAIL (regression)' : h.verdict}${h.reason ? ` (${h.reason})` : ''}`),
    ...fc.onlyBaseline.map((h) => `${h.host}: only in the baseline fleet (${h.status}); not compared`),
    ...fc.onlyCurrent.map((h) => `${h.host}: only in the current fleet (${h.status}); not compared`),
  ];
}

const EXPLAIN =
  'Fleet change: d = μ_current − μ_baseline of the random-effects pooled log ratios (candidate vs baseline target), shown as (e^d − 1); interval from both pooled standard errors (t, Welch–Satterthwaite df). Fail when the whole interval is worse by more than the tolerance; pass when it lies within.';

export function fleetSummaryLine(fc: FleetComparison): string {
  const all = [...fc.hosts.map((h) => h.verdict), ...fc.fleet.map((f) => f.verdict)];
  const n = (v: Verdict): number => all.filter((x) => x === v).length;
  const outcome = fc.exitCode === EXIT_REGRESSION ? 'REGRESSION' : fc.exitCode === EXIT_INCONCLUSIVE ? 'INCONCLUSIVE (--strict)' : 'OK';
  return `${outcome}: hosts and fleet rows: ${n('pass')} pass, ${n('fail')} fail, ${n('inconclusive')} inconclusive (tolerance ${fc.tolerancePct} %)`;
}

export function renderFleetComparisonText(fc: FleetComparison): string {
  const out: string[] = [terminalText(`Fleets ${fc.baselineFleetId} (baseline) vs ${fc.currentFleetId} (current): ${fc.scenario}`)];
  for (const h of fc.hosts) {
    if (!h.comparison) continue;
    out.push('', terminalText(`== host ${h.host}`), renderRunComparisonText(h.comparison).trimEnd());
  }
  out.push('', 'Hosts:', ...hostLines(fc).map((l) => `  ${terminalText(l)}`));
  out.push('', 'Fleet (pooled overhead of each fleet, and its change):', grid(fleetGrid(fc), terminalText, false), terminalText(EXPLAIN));
  out.push(terminalText(fleetSummaryLine(fc)));
  return `${out.join('\n')}\n`;
}

export function renderFleetComparisonMarkdown(fc: FleetComparison): string {
  const icon = fc.exitCode === EXIT_REGRESSION ? '❌' : fc.exitCode === EXIT_INCONCLUSIVE ? '⚠️' : '✅';
  const out: string[] = [
    `## ${icon} benchsuite compare (fleets): ${markdownCell(fc.scenario)}`,
    '',
    `Baseline fleet ${markdownCode(fc.baselineFleetId)} vs current fleet ${markdownCode(fc.currentFleetId)} — ${markdownCell(fleetSummaryLine(fc))}`,
    '',
    grid(fleetGrid(fc), markdownCell, true),
    '',
    markdownText(EXPLAIN),
    '',
    ...hostLines(fc).map((l) => `- ${markdownCell(l)}`),
    '',
  ];
  for (const h of fc.hosts) if (h.comparison) out.push(`#### Host ${markdownCode(h.host)}`, '', renderRunComparisonMarkdown(h.comparison));
  return out.join('\n');
}

export interface FleetCompareIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

/** The compare command on fleets; refuses a fleet beside an ordinary results file, naming the argument. */
export async function fleetCompareCommand(baseline: string, current: string, opts: CompareFleetsOptions, io: FleetCompareIo): Promise<number> {
  const fb = isFleetPath(baseline);
  const fc = isFleetPath(current);
  if (fb !== fc) {
    const [arg, file, other] = fb ? ['<current-results>', current, '<baseline-results>'] : ['<baseline-results>', baseline, '<current-results>'];
    throw new ReportInputError(
      `${arg} ${file} is not a fleet (neither a fleet.json nor a directory holding one), but ${other} is: compare two fleets (results/<fleetId>/ or its fleet.json), or two ordinary results files (e.g. results/<fleetId>/<runId>.json)`,
    );
  }
  const result = await compareFleets(baseline, current, opts);
  io.stdout(renderFleetComparisonText(result));
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      await appendFile(summaryFile, renderFleetComparisonMarkdown(result));
    } catch (err) {
      io.stderr(`benchsuite: warning: could not append to $GITHUB_STEP_SUMMARY (${summaryFile}): ${(err as Error).message}\n`);
    }
  }
  return result.exitCode;
}
