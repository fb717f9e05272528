/**
 * CLI commands of the reporting layer: `report`, `compare` and `history`.
 * Each command is also an exported function returning its exit code, so tests run them in-process.
 * Exit codes: 0 ok; 1 regression (compare); 2 input error (message names the file and the fix);
 * 3 inconclusive comparison with --strict.
 */
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { ReportInputError, splitList } from '../report/common.js';
import {
  DEFAULT_TOLERANCE_PCT,
  EXIT_INPUT,
  compareRuns,
  renderRunComparisonMarkdown,
  renderRunComparisonText,
} from '../report/compare-runs.js';
import { loadHistory, renderHistory } from '../report/history.js';
import { loadResults } from '../report/load.js';
import { DEFAULT_FORMATS, REPORT_FORMATS, defaultOutDir, parseFormats, renderReports } from '../report/render.js';
import { renderTerminalTable } from '../report/text.js';
import { REPORT_STYLES, renderBriefMarkdown, type ReportStyle } from '../report/brief.js';
import { InputError } from '../scenario/errors.js';
import { ensureOutputDir } from './output-dir.js';
import { fleetReportCommand } from '../fleet/cli.js';
import { isFleetPath } from '../fleet/file.js';
import { fleetCompareCommand } from '../fleet/compare.js';

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

export const processIo: CommandIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  env: process.env,
};

async function guarded(io: CommandIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof ReportInputError) {
      io.stderr(`benchsuite: ${err.message}\n`);
      return EXIT_INPUT;
    }
    throw err;
  }
}

/** An output directory that cannot be created is an input error naming the flag (exit 2), before anything is written. */
function ensureOut(dir: string, flag: string): void {
  try {
    ensureOutputDir(dir, flag);
  } catch (e) {
    if (e instanceof InputError) throw new ReportInputError(e.message);
    throw e;
  }
}

function parseTolerance(value: string | number | undefined): number {
  if (value === undefined) return DEFAULT_TOLERANCE_PCT;
  const n = typeof value === 'number' ? value : Number(String(value).replace(/%$/, '').trim());
  if (!Number.isFinite(n) || n < 0) throw new ReportInputError(`--tolerance ${value}: expected a percentage >= 0, e.g. --tolerance 5`);
  return n;
}

export interface ReportFlags {
  format?: string;
  out?: string;
  /** 'brief': print the brief table and add brief.md/.html/.png (default 'detailed'). */
  style?: ReportStyle;
  groupBy?: string;
}

/** `benchsuite report <results.json...>`: render the chosen formats of each results file. */
export async function reportCommand(files: string[], flags: ReportFlags = {}, io: CommandIo = processIo): Promise<number> {
  return guarded(io, async () => {
    if (!files.length) throw new ReportInputError('name at least one results file, e.g. benchsuite report results/<runId>.json');
    if (files.length === 1 && isFleetPath(files[0] as string)) return fleetReportCommand(files[0] as string, flags, io); // a fleet: src/fleet
    const formats = flags.format ? parseFormats(flags.format) : [...DEFAULT_FORMATS];
    // Load everything first, so a bad file fails before anything is written.
    const loaded = [];
    for (const f of files) loaded.push(await loadResults(f));
    ensureOut(flags.out ?? 'reports', '--out');
    for (const results of loaded) {
      const outDir = flags.out
        ? loaded.length > 1
          ? path.join(flags.out, path.basename(defaultOutDir(results)))
          : flags.out
        : defaultOutDir(results);
      io.stdout(flags.style === 'brief' ? renderBriefMarkdown(results) : renderTerminalTable(results));
      const written = await renderReports(results, { formats, outDir, style: flags.style ?? 'detailed' });
      io.stdout(`reports: ${outDir}${path.sep} (${written.length} files: ${[...new Set(written.map((w) => path.relative(outDir, w)))].join(', ')})\n`);
    }
    return 0;
  });
}

export interface CompareFlags {
  tolerance?: string | number;
  metric?: string[] | string;
  strict?: boolean;
}

/** `benchsuite compare <baseline-results> <current-results>`. */
export async function compareCommand(baselineFile: string, currentFile: string, flags: CompareFlags = {}, io: CommandIo = processIo): Promise<number> {
  return guarded(io, async () => {
    const tolerancePct = parseTolerance(flags.tolerance);
    if (isFleetPath(baselineFile) || isFleetPath(currentFile)) {
      return fleetCompareCommand(baselineFile, currentFile, { tolerancePct, metrics: splitList(flags.metric), strict: flags.strict ?? false }, io); // src/fleet
    }
    const base = await loadResults(baselineFile);
    const cur = await loadResults(currentFile);
    const metrics = splitList(flags.metric);
    const result = compareRuns(base, cur, { tolerancePct, metrics, strict: flags.strict ?? false });
    io.stdout(renderRunComparisonText(result));
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      try {
        await appendFile(summaryFile, renderRunComparisonMarkdown(result));
      } catch (err) {
        io.stderr(`benchsuite: warning: could not append to $GITHUB_STEP_SUMMARY (${summaryFile}): ${(err as Error).message}\n`);
      }
    }
    return result.exitCode;
  });
}

export interface HistoryFlags {
  metric?: string[] | string;
  out?: string;
  tolerance?: string | number;
}

/** `benchsuite history <results-dir>`. */
export async function historyCommand(dir: string, flags: HistoryFlags = {}, io: CommandIo = processIo): Promise<number> {
  return guarded(io, async () => {
    const tolerancePct = flags.tolerance === undefined ? undefined : parseTolerance(flags.tolerance);
    const load = await loadHistory(dir);
    const outDir = flags.out ?? path.join('reports', 'history');
    ensureOut(outDir, '--out');
    const metrics = splitList(flags.metric);
    const report = await renderHistory(load, { outDir, metrics, ...(tolerancePct === undefined ? {} : { tolerancePct }) });
    io.stdout(report.text);
    return 0;
  });
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--style detailed|brief`, shared by run and report. */
export function styleOption(): Option {
  return new Option('--style <style>', 'table style: detailed (every number, footnotes) or brief (Metric | baseline | candidate | Difference; adds brief.md, brief.html, brief.png)')
    .choices([...REPORT_STYLES])
    .default('detailed');
}

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('render reports (table, CSV, JSON exports, charts, HTML) from stored results files')
    .argument('<results...>', 'results JSON files written by `benchsuite run`')
    .option('--format <list>', `comma-separated formats: ${REPORT_FORMATS.join(',')}`, DEFAULT_FORMATS.join(','))
    .option('--out <dir>', 'output directory (default reports/<runId>/; with several files, one subdirectory per run)')
    .addOption(styleOption())
    .option('--group-by <field>', 'fleet files: a pooled row per inventory group (group, group:<parent>) or fingerprint field')
    .action(async (files: string[], flags: ReportFlags) => {
      process.exitCode = await reportCommand(files, flags);
    });

  program
    .command('compare')
    .description('compare two runs target by target; exit 1 on a regression beyond the tolerance')
    .argument('<baseline-results>', 'results JSON of the reference run (or a fleet: results/<fleetId>/ or its fleet.json)')
    .argument('<current-results>', 'results JSON of the run under test (or a fleet, to compare per host and the pooled fleet overhead)')
    .option('--tolerance <pct>', `allowed overhead in percent (default ${DEFAULT_TOLERANCE_PCT})`)
    .option('--metric <name>', 'metric to compare: name, workload id or workload/metric (repeatable or comma-separated; default: primary metrics)', collect, [])
    .option('--strict', 'exit 3 when a comparison is inconclusive (interval straddles the tolerance)')
    .action(async (baseline: string, current: string, flags: CompareFlags) => {
      process.exitCode = await compareCommand(baseline, current, flags);
    });

  program
    .command('history')
    .description('chart every stored run of a directory over time (or git commits) and mark regressions')
    .argument('<results-dir>', 'directory of results JSON files (e.g. results/)')
    .option('--metric <name>', 'metric: name, workload id or workload/metric (repeatable or comma-separated; default: primary metrics)', collect, [])
    .option('--out <dir>', 'output directory', path.join('reports', 'history'))
    .option('--tolerance <pct>', `tolerance for each point's verdict (default: the scenario's, else ${DEFAULT_TOLERANCE_PCT})`)
    .action(async (dir: string, flags: HistoryFlags) => {
      process.exitCode = await historyCommand(dir, flags);
    });
}
