/**
 * Steps 2 and 3 of a run: prepare the targets (once), then per workload open its exec context on each
 * target (scratch directory, server or container) and fingerprint each target on first use. A target or
 * workload that cannot be prepared is recorded as a failed sample and left out; the run goes on.
 */
import { collectFingerprint } from '../env/fingerprint.js';
import type { Fingerprint, Sample, TargetRecord } from '../results/model.js';
import type { Scenario } from '../scenario/schema.js';
import { InputError } from '../scenario/errors.js';
import type { Machine, Target } from '../exec/types.js';
import type { PreparedWorkload, Workload } from '../workloads/types.js';
import { createScratch } from './scratch.js';
import { readBackPin } from './pinning.js';
import type { RunSession } from './session.js';

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

export function notRun(target: string, workload: string, error: string): Omit<Sample, 'seq'> {
  return { target, workload, round: 0, warmup: false, ok: false, error, startedAt: new Date().toISOString(), durationMs: 0, values: {} };
}

/** What the run knows about its targets while it prepares them. */
export class TargetBook {
  /** target id -> why it cannot run at all. */
  readonly broken = new Map<string, string>();
  readonly records = new Map<string, TargetRecord>();
  private readonly fingerprinted = new Set<string>();
  /** Scratch roots used per machine (removed at the end). */
  readonly scratch = new Map<Machine, Set<string>>();

  constructor(
    private readonly session: RunSession,
    private readonly scenario: Scenario,
    targets: readonly Target[],
    private readonly extraFingerprint: ReadonlyMap<string, Record<string, unknown>>,
    private readonly previous: ReadonlyMap<string, TargetRecord>,
    private readonly resuming: boolean,
  ) {
    for (const t of targets) {
      this.records.set(t.id, {
        id: t.id,
        label: t.label,
        host: scenario.targets[t.id]?.host ?? 'local',
        kind: t.recordKind,
        fingerprint: { ...(previous.get(t.id)?.fingerprint as Fingerprint), ...extraFingerprint.get(t.id) } as Fingerprint,
      });
    }
    session.results.targets = [...this.records.values()];
    session.save();
  }

  /** Step 2: prepare every target once; one that fails is broken for the whole run. */
  async prepareTargets(targets: readonly Target[]): Promise<void> {
    for (const t of targets) {
      if (this.session.aborted) return;
      try {
        await t.prepare(this.session.signal);
        const rec = this.records.get(t.id);
        if (rec && t.describeContainer) rec.container = t.describeContainer();
      } catch (e) {
        this.broken.set(t.id, (e as Error).message);
        this.session.log(`target ${t.id} cannot run: ${(e as Error).message}`);
        this.session.results.notes.push(`target ${t.id} could not be prepared: ${(e as Error).message}`);
      }
    }
  }

  /** Step 3: the workload's exec context on each target; targets that could not be prepared are absent from the map. */
  async prepareWorkload(w: Workload, targets: readonly Target[], prepared: Map<string, PreparedWorkload>): Promise<void> {
    const { session } = this;
    for (const t of targets) {
      if (session.aborted) return;
      const why = this.broken.get(t.id);
      if (why !== undefined) {
        session.record(notRun(t.id, w.id, `not run: ${why}`));
        continue;
      }
      try {
        const scratchDir = await this.scratchFor(t);
        const client = (argv: string[]): string[] => [...(t.clientPrefix?.() ?? []), ...argv];
        const p = await w.prepare({ runId: session.results.runId, target: t, scratchDir, signal: session.signal, log: (l) => session.log(l), client });
        prepared.set(t.id, p);
        await this.fingerprint(t, p);
      } catch (e) {
        if (e instanceof InputError) throw e;
        if (session.aborted) return;
        const msg = `prepare failed: ${(e as Error).message}`;
        session.log(`${w.id} · ${t.id}: ${msg}`);
        session.record(notRun(t.id, w.id, msg));
      }
    }
  }

  private async scratchFor(t: Target): Promise<string> {
    const root = this.scenario.scratchRoot;
    const dir = await createScratch(t.machine, root, this.session.results.runId, t.id);
    const set = this.scratch.get(t.machine) ?? new Set();
    set.add(root);
    this.scratch.set(t.machine, set);
    return dir;
  }

  /** Fingerprint a target on first use; on resume, refuse an environment that changed. */
  private async fingerprint(t: Target, p: PreparedWorkload): Promise<void> {
    if (this.fingerprinted.has(t.id)) return;
    const fp = await collectFingerprint({ target: t, execCtx: p.execCtx, scratchDir: p.execCtx.scratchDir, containerSpec: this.scenario.targets[t.id]?.container, signal: this.session.signal });
    const fresh = { ...fp, ...this.extraFingerprint.get(t.id) } as Fingerprint;
    const before = this.previous.get(t.id)?.fingerprint;
    if (before && this.resuming) {
      const changes = fingerprintChanges(before, fresh);
      if (changes.length > 0) {
        throw new InputError(`cannot resume ${this.session.results.runId}: the environment of target ${t.id} changed (${changes.join('; ')}); start a new run instead`);
      }
    }
    const rec = this.records.get(t.id) as TargetRecord;
    rec.fingerprint = fresh;
    if (t.pin) rec.pin = await readBackPin(t, p.execCtx);
    this.fingerprinted.add(t.id);
    this.session.save();
  }
}
