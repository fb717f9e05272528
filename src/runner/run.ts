/**
 * The runner: prepare every target for a workload, warm up, then take samples round by round in the
 * scenario's order until the plan (fixed count, or adaptive precision) is met; clean up whatever happens.
 * Each finished sample is on disk before the next starts.
 */
import { PACKAGE_VERSION } from '../paths.js';
import { decideSampling, DEFAULT_ADAPTIVE_PLAN, type AdaptivePlan } from '../stats/index.js';
import { collectFingerprint } from '../env/fingerprint.js';
import { analyze, valuesFor } from '../results/analyze.js';
import { SCHEMA_VERSION, type Fingerprint, type MetricInfo, type RunResults, type Sample, type TargetRecord } from '../results/model.js';
import { ResultsStore } from '../results/store.js';
import type { Scenario } from '../scenario/schema.js';
import { InputError } from '../scenario/errors.js';
import { createTargets } from '../targets/factory.js';
import { ConnectionError, type Machine, type Target } from '../targets/types.js';
import { createWorkloads } from '../workloads/index.js';
import { SampleError, type PreparedWorkload, type Workload } from '../workloads/types.js';
import { roundOrder, seededRandom } from './order.js';
import { createProgress, type Progress } from './progress.js';
import { newRunId } from './run-id.js';
import { createScratch, removeScratch } from './scratch.js';
import { gitInfo } from './git.js';

export interface RunOptions {
  scenario: Scenario;
  scenarioFile?: string;
  quick?: boolean;
  resultsDir: string;
  command?: string[];
  /** Aborted on SIGINT/SIGTERM: the running sample is killed and everything is cleaned up. */
  signal?: AbortSignal;
  progress?: Progress;
  /** Continue this interrupted run to its planned count. */
  resume?: RunResults;
  /** Seed for `order: randomized` (recorded in the results). */
  seed?: number;
  /** Use this run id (default: a new one). */
  runId?: string;
}

const MAX_ATTEMPTS = 3;
const MAX_CONSECUTIVE_FAILURES = 3;


const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((res) => {
    const t = setTimeout(res, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      res();
    }, { once: true });
  });

export function planOf(scenario: Scenario): { fixed: number } | { adaptive: AdaptivePlan } {
  return typeof scenario.samples === 'number' ? { fixed: scenario.samples } : { adaptive: { ...DEFAULT_ADAPTIVE_PLAN, ...scenario.samples } };
}

/** Environment facts that must not change between an interrupted run and its resumption. */
const STABLE_KEYS = ['hostname', 'kernelRelease', 'bootId', 'cpuModel', 'cores', 'dockerVersion'] as const;

export function fingerprintChanges(before: Fingerprint, after: Fingerprint): string[] {
  const out: string[] = [];
  for (const k of STABLE_KEYS) {
    const a = JSON.stringify(before[k] ?? null);
    const b = JSON.stringify(after[k] ?? null);
    if (a !== b) out.push(`${k}: ${a} → ${b}`);
  }
  return out;
}

export async function runScenario(o: RunOptions): Promise<RunResults> {
  const scenario = o.resume?.scenario ?? o.scenario;
  const signal = o.signal ?? new AbortController().signal;
  const progress = o.progress ?? createProgress(process.stderr, true);
  const log = (line: string): void => progress.log(line);
  const runId = o.resume?.runId ?? o.runId ?? newRunId(scenario.name);
  const seed = o.resume?.scenario.seed ?? o.seed ?? scenario.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  const store = new ResultsStore(o.resultsDir, runId);
  const workloads = createWorkloads(scenario);
  const metrics: MetricInfo[] = workloads.flatMap((w) => w.metrics());
  const plan = planOf(scenario);

  const results: RunResults = o.resume
    ? { ...o.resume, status: 'running', notes: [...o.resume.notes, `resumed at ${new Date().toISOString()}`] }
    : {
        schemaVersion: SCHEMA_VERSION,
        tool: { name: 'benchsuite', version: PACKAGE_VERSION },
        runId,
        status: 'running',
        startedAt: new Date().toISOString(),
        git: await gitInfo(),
        command: o.command ?? [],
        scenario: { ...scenario, seed },
        scenarioFile: o.scenarioFile,
        quick: o.quick ?? false,
        confidence: scenario.confidence,
        baseline: scenario.baseline,
        targets: [],
        metrics,
        samples: [],
        summaries: [],
        comparisons: [],
        notes: [],
      };
  let seq = results.samples.reduce((m, s) => Math.max(m, s.seq + 1), 0);
  const precision = new Map<string, boolean>();
  const save = (): void => {
    Object.assign(results, analyze(results, precision));
    store.save(results);
  };

  const { targets, machines, extraFingerprint } = await createTargets(scenario, runId, { log, signal });
  const previous = new Map((o.resume?.targets ?? []).map((t) => [t.id, t]));
  const records = new Map<string, TargetRecord>();
  for (const t of targets) {
    const spec = scenario.targets[t.id];
    records.set(t.id, {
      id: t.id,
      label: t.label,
      host: spec?.host ?? 'local',
      kind: t.kind,
      fingerprint: { ...(previous.get(t.id)?.fingerprint as Fingerprint), ...extraFingerprint.get(t.id) } as Fingerprint,
    });
  }
  results.targets = [...records.values()];
  store.save(results);

  const broken = new Map<string, string>(); // target id -> why it cannot run at all
  const fingerprinted = new Set<string>();
  const scratchByMachine = new Map<Machine, Set<string>>();

  // Sample bookkeeping for progress and ETA.
  const perTargetPlanned = 'fixed' in plan ? plan.fixed : plan.adaptive.max;
  let total = workloads.length * targets.length * (scenario.warmup + perTargetPlanned);
  let done = results.samples.length;
  const durations: number[] = [];
  let laterWorkloads = workloads.length - 1;
  const eta = (): number | null => {
    if (durations.length === 0) return null;
    const avg = durations.reduce((a, b) => a + b, 0) / durations.length;
    return (Math.max(0, total - done) * avg) / 1000;
  };

  const record = (s: Sample): void => {
    store.appendSample(s);
    results.samples.push(s);
    done++;
  };

  try {
    for (const t of targets) {
      if (signal.aborted) break;
      try {
        await t.prepare(signal);
        const rec = records.get(t.id);
        if (rec && t.describeContainer) rec.container = t.describeContainer();
      } catch (e) {
        broken.set(t.id, (e as Error).message);
        log(`target ${t.id} cannot run: ${(e as Error).message}`);
        results.notes.push(`target ${t.id} could not be prepared: ${(e as Error).message}`);
      }
    }

    for (const [wi, w] of workloads.entries()) {
      if (signal.aborted) break;
      laterWorkloads = workloads.length - wi - 1;
      const prepared = new Map<string, PreparedWorkload>();
      try {
        for (const t of targets) {
          if (signal.aborted) break;
          if (broken.has(t.id)) {
            record(failedSample(seq++, t.id, w.id, 0, false, `not run: ${broken.get(t.id)}`));
            continue;
          }
          try {
            const scratchRoot = scenario.scratchRoot;
            const scratchDir = await createScratch(t.machine, scratchRoot, runId, t.id);
            const set = scratchByMachine.get(t.machine) ?? new Set();
            set.add(scratchRoot);
            scratchByMachine.set(t.machine, set);
            const p = await w.prepare({ runId, target: t, scratchDir, signal, log });
            prepared.set(t.id, p);
            if (!fingerprinted.has(t.id)) {
              const fp = await collectFingerprint({ target: t, env: p.env, scratchDir: p.env.scratchDir, containerSpec: scenario.targets[t.id]?.container, signal });
              const rec = records.get(t.id) as TargetRecord;
              const before = previous.get(t.id)?.fingerprint;
              const fresh = { ...fp, ...extraFingerprint.get(t.id) } as Fingerprint;
              if (before && o.resume) {
                const changes = fingerprintChanges(before, fresh);
                if (changes.length > 0) {
                  throw new InputError(`cannot resume ${runId}: the environment of target ${t.id} changed (${changes.join('; ')}); start a new run instead`);
                }
              }
              rec.fingerprint = fresh;
              fingerprinted.add(t.id);
              store.save(results);
            }
          } catch (e) {
            if (e instanceof InputError) throw e;
            if (signal.aborted) break;
            const msg = `prepare failed: ${(e as Error).message}`;
            log(`${w.id} · ${t.id}: ${msg}`);
            record(failedSample(seq++, t.id, w.id, 0, false, msg));
          }
        }
        if (signal.aborted) break;
        await sampleWorkload(w, targets.filter((t) => prepared.has(t.id)), prepared);
      } finally {
        for (const p of prepared.values()) await p.cleanup().catch(() => undefined);
      }
    }
  } finally {
    // Nothing left behind: scratch directories (containers and servers went with cleanup()).
    for (const [machine, roots] of scratchByMachine) {
      for (const root of roots) await removeScratch(machine, root, runId).catch(() => undefined);
    }
    for (const m of machines) await m.close().catch(() => undefined);
    progress.stop();
    for (const w of workloads) {
      for (const t of targets) {
        const mine = results.samples.filter((s) => s.workload === w.id && s.target === t.id && s.ok && !s.warmup);
        for (const note of w.notes?.(mine) ?? []) results.notes.push(`${w.id} · ${t.id}: ${note}`);
      }
    }
    const failed = results.samples.some((s) => !s.ok && !s.warmup);
    results.status = signal.aborted ? 'interrupted' : failed ? 'failed' : 'completed';
    results.finishedAt = new Date().toISOString();
    save();
    store.close();
  }
  return results;

  async function sampleWorkload(w: Workload, active: Target[], preparedMap: Map<string, PreparedWorkload>): Promise<void> {
    const primary = w.metrics().find((m) => m.primary) as MetricInfo;
    const timeoutMs = scenario.timeoutSec * 1000;
    const existing = (tid: string, warmup: boolean): number =>
      results.samples.filter((s) => s.workload === w.id && s.target === tid && s.warmup === warmup).length;
    const consecutiveFailures = new Map<string, number>();
    let projectedRounds: number | undefined;
    const skip = new Set<string>();

    const take = async (t: Target, round: number, warmup: boolean): Promise<void> => {
      if (skip.has(t.id) || signal.aborted) return;
      const p = prepared(t);
      const startedAt = new Date().toISOString();
      const t0 = performance.now();
      let attempts = 0;
      let sample: Sample | undefined;
      while (!sample) {
        attempts++;
        try {
          const out = await p.runSample({ seq, timeoutMs, signal });
          sample = { seq, target: t.id, workload: w.id, round, warmup, ok: true, startedAt, durationMs: performance.now() - t0, values: out.values, details: out.details, attempts };
        } catch (e) {
          if (signal.aborted) return; // an interrupted sample is not a finished one
          if (e instanceof ConnectionError && attempts < MAX_ATTEMPTS) {
            log(`${w.id} · ${t.id}: ${(e as Error).message}; retrying in ${attempts} s`);
            await sleep(1000 * attempts, signal);
            continue;
          }
          sample = {
            seq, target: t.id, workload: w.id, round, warmup, ok: false, error: (e as Error).message, startedAt,
            durationMs: performance.now() - t0, values: {}, details: e instanceof SampleError ? e.details : undefined, attempts,
          };
        }
      }
      seq++;
      record(sample);
      durations.push(sample.durationMs);
      const n = sample.ok ? 0 : (consecutiveFailures.get(t.id) ?? 0) + 1;
      consecutiveFailures.set(t.id, n);
      if (n >= MAX_CONSECUTIVE_FAILURES) {
        skip.add(t.id);
        const note = `${w.id} · ${t.id}: stopped after ${n} consecutive failed samples (last: ${sample.error})`;
        results.notes.push(note);
        log(note);
      }
      const v = sample.values[primary.metric];
      progress.update({
        done, total, workload: w.id, target: t.label, round, warmup,
        text: sample.ok && v !== undefined ? `${v.toFixed(1)} ${primary.unit}` : `failed: ${(sample.error ?? '').slice(0, 80)}`,
        etaSec: eta(),
        projectedRounds: warmup ? undefined : projectedRounds,
      });
    };
    const prepared = (t: Target): PreparedWorkload => {
      const found = preparedMap.get(t.id);
      if (!found) throw new Error(`internal: ${t.id} not prepared`);
      return found;
    };

    // Warmups: stored, flagged, never in the statistics.
    for (let k = 0; k < scenario.warmup; k++) {
      for (const t of roundOrder(active, k, scenario.order === 'randomized' ? 'randomized' : 'interleaved', random)) {
        if (existing(t.id, true) > k) continue;
        await take(t, -1 - k, true);
      }
    }

    if (scenario.order === 'sequential') {
      for (const t of active) {
        for (let r = existing(t.id, false); ; r++) {
          if (signal.aborted || skip.has(t.id)) break;
          if ('fixed' in plan) {
            if (r >= plan.fixed) break;
          } else if (r >= plan.adaptive.min) {
            const d = decideSampling({ baseline: t.id, samples: { [t.id]: valuesFor(results.samples, t.id, w.id, primary.metric) }, confidence: scenario.confidence, plan: plan.adaptive });
            if (d.done) break;
          }
          await take(t, r, false);
        }
      }
    } else {
      for (let r = Math.min(...active.map((t) => existing(t.id, false))); ; r++) {
        if (signal.aborted || active.every((t) => skip.has(t.id))) break;
        if ('fixed' in plan) {
          if (r >= plan.fixed) break;
        } else if (r >= plan.adaptive.min) {
          const d = adaptiveDecision(w, primary, active);
          projectedRounds = d.projectedRemaining;
          // The ETA follows the sampler's projection for this workload, and the plan for the ones after it.
          total = done + d.projectedRemaining * active.length + laterWorkloads * targets.length * (scenario.warmup + perTargetPlanned);
          if (d.done) {
            results.notes.push(
              d.precisionMet
                ? `${w.id}: precision of ±${plan.adaptive.targetHalfWidthPct} % met after ${d.n} samples per target`
                : `${w.id}: precision not met (±${plan.adaptive.targetHalfWidthPct} % wanted) after ${d.n} samples per target`,
            );
            precision.set(`${w.id}/${primary.metric}`, d.precisionMet);
            break;
          }
        }
        for (const t of roundOrder(active, r, scenario.order, random)) {
          if (existing(t.id, false) > r) continue;
          await take(t, r, false);
        }
      }
    }
    save();
  }

  function adaptiveDecision(w: Workload, primary: MetricInfo, active: Target[]): ReturnType<typeof decideSampling> {
    const samples: Record<string, number[]> = {};
    for (const t of active) samples[t.id] = valuesFor(results.samples, t.id, w.id, primary.metric);
    const baseline = active.some((t) => t.id === scenario.baseline) ? scenario.baseline : (active[0] as Target).id;
    return decideSampling({ baseline, samples, higherIsBetter: primary.higherIsBetter, confidence: scenario.confidence, plan: 'adaptive' in plan ? plan.adaptive : undefined });
  }
}

function failedSample(seq: number, target: string, workload: string, round: number, warmup: boolean, error: string): Sample {
  return { seq, target, workload, round, warmup, ok: false, error, startedAt: new Date().toISOString(), durationMs: 0, values: {} };
}
