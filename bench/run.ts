/**
 * `npm run bench` — runs the performance benches and writes docs/performance.md.
 *
 *   node dist/bench/run.js                       every section
 *   node dist/bench/run.js fidelity overhead     only these; the other sections already in the file stay
 *   node dist/bench/run.js --out /tmp/perf.md    write elsewhere
 *
 * Sections: fidelity, overhead, verdict, client, reproducibility, calibration, paired, stats, report, pinning, fleet. The file is a generated header
 * followed by one `## ` section per bench; each section carries a marker comment so a partial run can
 * replace its own sections and keep the rest. The file is rewritten after every section, so an
 * interrupted run keeps what it finished.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { killAllChildren } from '../src/exec/process.js';
import { calibrationBench } from './calibration.js';
import { clientBottleneckBench } from './client-bottleneck.js';
import { benchAbort, machineInfo, loadAvg, removeBenchContainers, runAllCleanups } from './common.js';
import { fidelityBench } from './fidelity.js';
import { fleetBench } from './fleet.js';
import { overheadBench } from './overhead.js';
import { reproducibilityBench } from './reproducibility.js';
import { pairedBench } from './paired.js';
import { pinningBench } from './pinning.js';
import { statsHotpathsBench } from './stats-hotpaths.js';
import { timeToVerdictBench } from './time-to-verdict.js';

type Log = (s: string) => void;

interface SectionDef {
  key: string;
  aliases: string[];
  /** Heading used when the bench cannot produce its own (skipped, failed). */
  title: string;
  what: string;
  run: (log: Log) => Promise<string>;
}

// Loaded at run time: the module is maintained separately and may be absent from a tree.
const REPORT_MODULE = './report-hotpaths.js';

const SECTIONS: SectionDef[] = [
  { key: 'fidelity', aliases: [], title: 'Fidelity: benchsuite vs the same command by hand', what: 'dd and ab via benchsuite vs a plain shell loop, interleaved pairs', run: (log) => fidelityBench({ log }) },
  { key: 'overhead', aliases: [], title: 'Orchestration overhead per sample', what: 'local / docker exec / multiplexed SSH start-up, parse and fsync per sample', run: (log) => overheadBench({ log }) },
  { key: 'verdict', aliases: ['time-to-verdict'], title: 'Time to verdict: adaptive sampling vs a fixed 30-sample plan', what: 'adaptive sampler vs fixed 30 samples on a quiet and a noisy workload', run: (log) => timeToVerdictBench({ log }) },
  { key: 'client', aliases: ['client-bottleneck'], title: 'Client bottleneck: ab (single-threaded) vs wrk', what: "ab's CPU share and req/s vs wrk at c = 1…128", run: (log) => clientBottleneckBench({ log }) },
  { key: 'reproducibility', aliases: ['repeat'], title: 'Reproducibility of a difference across runs: single level vs blocks', what: 'how often a second run\'s difference lands in the first run\'s interval: one set-up vs `--repeat 3` blocks (real runs, and a seeded simulation)', run: (log) => reproducibilityBench({ log }) },
  { key: 'calibration', aliases: [], title: 'Statistics calibration', what: 'Monte-Carlo coverage of the comparison intervals (seeded)', run: () => calibrationBench() },
  { key: 'paired', aliases: [], title: 'Paired vs Fieller intervals on real runs', what: 'a real interleaved kvm-docker run (Docker on this host) re-analysed: Fieller vs paired half-widths per workload', run: (log) => pairedBench({ log }) },
  { key: 'stats', aliases: ['stats-hotpaths'], title: 'Statistics hot paths', what: 'in-process timing of the statistics functions', run: () => statsHotpathsBench() },
  {
    key: 'report',
    aliases: ['report-hotpaths'],
    title: 'Report rendering',
    what: 'time to render reports (table, HTML, charts, history)',
    run: async () => {
      let mod: { reportHotpathsBench?: () => Promise<string> };
      try {
        mod = (await import(REPORT_MODULE)) as typeof mod;
      } catch (e) {
        return `## Report rendering\n\nNot measured: \`bench/report-hotpaths.ts\` could not be loaded (${(e as Error).message.split('\n')[0]}).\n`;
      }
      if (typeof mod.reportHotpathsBench !== 'function') return '## Report rendering\n\nNot measured: `bench/report-hotpaths.ts` exports no `reportHotpathsBench`.\n';
      return mod.reportHotpathsBench();
    },
  },
  { key: 'pinning', aliases: ['noise'], title: 'Pinning and noise per sample', what: "ab's and dd's CV unpinned vs pinned (host, Docker) in one interleaved run; the run's noise attribution; the cost of a CPU-counter reading", run: (log) => pinningBench({ log }) },
  { key: 'fleet', aliases: [], title: 'Fleet controller over 50 hosts', what: 'wall time, controller CPU, memory and fds of `run --inventory` over 50 loopback sshd hosts vs --forks', run: (log) => fleetBench({ log }) },
];

const MARK = (key: string): string => `<!-- bench-section: ${key} -->`;
const MARK_RE = /^<!-- bench-section: ([a-z-]+) -->$/m;

interface Chunk {
  key: string;
  text: string;
}

/** Split a performance.md into its header (before the first `## `) and keyed sections. */
export function parseDoc(text: string): { header: string; chunks: Chunk[] } {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.startsWith('## '));
  if (first < 0) return { header: text, chunks: [] };
  const header = lines.slice(0, first).join('\n');
  const chunks: Chunk[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length === 0) return;
    const text = current.join('\n').replace(/\n+$/, '');
    const m = MARK_RE.exec(text);
    const byTitle = SECTIONS.find((s) => current[0]?.slice(3).trim() === s.title);
    const key = m?.[1] ?? byTitle?.key;
    const last = chunks[chunks.length - 1];
    if (key) chunks.push({ key, text });
    else if (last) last.text += `\n\n${text}`; // a second ## heading inside a section belongs to it
    else chunks.push({ key: `extra-${chunks.length}`, text });
    current = [];
  };
  for (const l of lines.slice(first)) {
    if (l.startsWith('## ')) flush();
    current.push(l);
  }
  flush();
  return { header, chunks };
}

/** Put the marker right after the section's first heading. */
function marked(key: string, markdown: string): string {
  const text = markdown.replace(/^\s+/, '').replace(/\s+$/, '');
  const withHeading = text.startsWith('## ') ? text : `## ${SECTIONS.find((s) => s.key === key)?.title ?? key}\n\n${text}`;
  const nl = withHeading.indexOf('\n');
  if (nl < 0) return `${withHeading}\n${MARK(key)}`;
  return `${withHeading.slice(0, nl)}\n${MARK(key)}${withHeading.slice(nl)}`;
}

function header(ran: string[], secondsSoFar: number, complete: boolean, lastFull: string | undefined): string {
  const m = machineInfo();
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const rows = SECTIONS.map((s) => `| ${s.key} | \`npm run bench -- ${s.key}\` | ${s.what} |`);
  return [
    '# Performance',
    '',
    '<!-- Generated by bench/run.ts (`npm run bench`). Edit the header text in bench/run.ts; everything from the first',
    '     "## " heading on is regenerated section by section. -->',
    '',
    'How faithful and how fast benchsuite itself is: whether it measures what the same command measures when run by hand, what',
    'it costs around each sample, how soon the adaptive sampler reaches a verdict, where the ab client becomes the bottleneck,',
    'and the statistics and report code paths. Every repeated measurement is given as min / median / max with its n; whole',
    'benchmark runs (time to verdict) are single runs and are labelled so. Every section states when it was measured, the load',
    'average around it and how busy the CPUs were.',
    '',
    '### How to reproduce',
    '',
    'As root on a Debian machine with Docker (`docker info` must answer), from the repository root:',
    '',
    '```sh',
    'npm run bench                      # setup (packages, dockerd, build, workload image), then every section',
    'npm run bench -- fidelity client   # only some sections; the others already in this file are kept',
    'npx tsc -p . && node dist/bench/run.js overhead   # after editing bench/*.ts, without the setup step',
    '```',
    '',
    '| section | command | what it measures |',
    '|---|---|---|',
    ...rows,
    '',
    'Needs ab, nginx (nginx-light), wrk, an sshd binary (openssh-server) and dockerd; all traffic stays on 127.0.0.1. Each',
    'bench cleans up what it starts (nginx, containers labelled `benchsuite.run=bench-…`, the test sshd, scratch files under',
    '/var/tmp/benchsuite-bench-*) also when interrupted (Ctrl-C once; twice forces). All sections together take 7–9 minutes',
    'on the machine below (the table, HTML and PNG of `report` and the statistics sections about a minute of that),',
    'plus about 3 minutes for the 20 real rounds of `paired` and up to about 7 for `reproducibility` (its real runs',
    'stop starting new runs after 330 s).',
    'Numbers from a shared machine are noisy: compare them with the load average printed in each section, and rerun',
    'a section on a quiet, dedicated machine before quoting it.',
    '',
    `Machine of the last run (${date} UTC${complete ? '' : ', partial'}: ${ran.join(', ')} in ${secondsSoFar.toFixed(0)} s): ` +
      `${m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB memory, kernel ${m.kernel}, Node ${m.node}, Docker ${m.docker}, ` +
      `/var/tmp on ${m.disk}; load average (1/5/15 min) ${loadAvg()}.`,
    '',
    `Last full run: ${complete ? `${date} UTC, all ${SECTIONS.length} sections in ${secondsSoFar.toFixed(0)} s` : (lastFull ?? 'none recorded yet')}.`,
    '',
  ].join('\n');
}

function writeDoc(path: string, fresh: Map<string, string>, ran: string[], seconds: number, complete: boolean): void {
  const old = existsSync(path) ? parseDoc(readFileSync(path, 'utf8')) : { header: '', chunks: [] };
  const oldByKey = new Map(old.chunks.map((c) => [c.key, c.text]));
  const lastFull = /^Last full run: (.+)\.$/m.exec(old.header)?.[1];
  const parts: string[] = [header(ran, seconds, complete, lastFull)];
  for (const s of SECTIONS) {
    const text = fresh.get(s.key) ?? oldByKey.get(s.key);
    if (text) parts.push(text);
  }
  for (const c of old.chunks) if (!SECTIONS.some((s) => s.key === c.key)) parts.push(c.text);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${parts.join('\n\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`);
  renameSync(tmp, path);
}

function selectSections(args: string[]): SectionDef[] {
  if (args.length === 0) return SECTIONS;
  const out: SectionDef[] = [];
  for (const a of args) {
    const s = SECTIONS.find((x) => x.key === a || x.aliases.includes(a));
    if (!s) throw new Error(`unknown section "${a}"; sections: ${SECTIONS.map((x) => x.key).join(', ')}`);
    if (!out.includes(s)) out.push(s);
  }
  return SECTIONS.filter((s) => out.includes(s));
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let out = fileURLToPath(new URL('../../docs/performance.md', import.meta.url));
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--out') out = argv[++i] ?? out;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(`usage: node dist/bench/run.js [--out FILE] [${SECTIONS.map((s) => s.key).join('|')}]...\n`);
      return 0;
    } else names.push(a);
  }
  const selected = selectSections(names);
  const t0 = performance.now();
  const log: Log = (s) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);
  const fresh = new Map<string, string>();
  const ran: string[] = [];
  let failures = 0;
  for (const s of selected) {
    if (benchAbort.signal.aborted) break;
    log(`section ${s.key}: start`);
    const st = performance.now();
    try {
      fresh.set(s.key, marked(s.key, await s.run(log)));
      ran.push(s.key);
      log(`section ${s.key}: done in ${((performance.now() - st) / 1000).toFixed(0)} s`);
    } catch (e) {
      if (benchAbort.signal.aborted) {
        log(`section ${s.key}: interrupted; its previous figures (if any) are kept`);
        break;
      }
      failures++;
      const msg = (e as Error).message.split('\n')[0];
      log(`section ${s.key}: FAILED: ${(e as Error).stack ?? msg}`);
      const previous = existsSync(out) ? parseDoc(readFileSync(out, 'utf8')).chunks.find((c) => c.key === s.key)?.text : undefined;
      const note = `> The run of ${new Date().toISOString().slice(0, 16)} UTC failed: ${msg}.${previous ? ' The figures below are from an earlier run.' : ''}`;
      if (previous) {
        const nl = previous.indexOf('\n', previous.indexOf(MARK(s.key)));
        fresh.set(s.key, nl < 0 ? `${previous}\n\n${note}` : `${previous.slice(0, nl)}\n\n${note}\n${previous.slice(nl)}`);
      } else {
        fresh.set(s.key, marked(s.key, `## ${s.title}\n\n${note}`));
      }
    } finally {
      await runAllCleanups((l) => log(l));
    }
    writeDoc(out, fresh, ran, (performance.now() - t0) / 1000, ran.length === SECTIONS.length);
  }
  log(`wrote ${out} (${ran.length} of ${selected.length} sections) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (benchAbort.signal.aborted) return 130;
  return failures > 0 ? 1 : 0;
}

let signals = 0;
const onSignal = (sig: NodeJS.Signals): void => {
  signals++;
  process.stderr.write(`\n[bench] ${sig}: stopping and cleaning up${signals > 1 ? ' (again: forcing)' : ''}\n`);
  benchAbort.abort();
  killAllChildren();
  const force = async (): Promise<void> => {
    await runAllCleanups();
    removeBenchContainers();
    process.exit(130);
  };
  if (signals > 1) void force();
  else setTimeout(() => void force(), 60_000).unref();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main()
  .then(async (code) => {
    await runAllCleanups();
    removeBenchContainers();
    process.exit(code);
  })
  .catch(async (e: Error) => {
    process.stderr.write(`bench: ${e.stack ?? e.message}\n`);
    await runAllCleanups();
    removeBenchContainers();
    killAllChildren();
    process.exit(1);
  });
