/**
 * Columns say what ran. A target meant to be a KVM guest (`isolation: kvm` in the scenario, or a label that
 * says KVM) is headed with what the measurement shows instead when they disagree:
 *   - same kernel boot_id as the baseline → "Docker (host kernel, no KVM)" (or "Host kernel, no KVM" without a container);
 *   - a qemu guest without KVM            → "KVM + Docker (emulated, TCG)" (or "KVM (emulated, TCG)").
 * targetLabel() in common.ts asks this module, so every writer (terminal, Markdown, CSV, HTML, charts, JSON
 * summary, exports, compare, history) heads the column the same way; the table model's first footnote says why.
 * Lives beside kernel-security.ts (both judge fingerprints); reads only the RunResults.
 */
import type { RunResults, TargetRecord } from '../results/model.js';
import { ranInContainer } from './kernel-security.js';

export interface RanAs {
  /** The header to show instead of the scenario's label. */
  label: string;
  /** The label the scenario gave the target. */
  declared: string;
  /** One sentence: what was meant, what the measurement shows, and (for host: auto) why it ran there. */
  reason: string;
  /** The reason in a few words, for chart titles and the brief table's footnote. */
  short: string;
  kind: 'host-kernel' | 'tcg';
}

const KVM_WORD = /\bKVM\b/i;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function accelerator(t: TargetRecord | undefined): string | undefined {
  const vm = t?.fingerprint?.vm;
  return typeof vm === 'object' && vm !== null ? str((vm as Record<string, unknown>).accelerator)?.toLowerCase() : undefined;
}

function autoReason(t: TargetRecord | undefined): string | undefined {
  const a = t?.fingerprint?.hostAuto;
  if (typeof a !== 'object' || a === null) return undefined;
  const { host, reason } = a as { host?: unknown; reason?: unknown };
  return typeof reason === 'string' && reason ? `host: auto chose ${host === 'vm' ? 'the local guest' : 'this host'} (${reason})` : undefined;
}

/** Is this target meant to be measured in a KVM guest? */
export function meantForKvm(results: RunResults, id: string): boolean {
  const spec = results.scenario?.targets?.[id] as { isolation?: unknown; label?: unknown } | undefined;
  if (spec?.isolation === 'kvm') return true;
  const label = str(spec?.label) ?? str(results.targets.find((t) => t.id === id)?.label) ?? '';
  return KVM_WORD.test(label);
}

/** What ran instead of what the target was meant to be, or undefined when they agree (or nothing was claimed). */
export function ranAs(results: RunResults, id: string, declared: string): RanAs | undefined {
  if (id === results.baseline || !meantForKvm(results, id)) return undefined;
  const cand = results.targets.find((t) => t.id === id);
  if (!cand) return undefined;
  const docker = ranInContainer(cand);
  const how = autoReason(cand);
  const why = (s: string): string => `${s}${how ? `; ${how}` : ''}.`;
  if (accelerator(cand) === 'tcg') {
    return {
      label: docker ? 'KVM + Docker (emulated, TCG)' : 'KVM (emulated, TCG)',
      declared,
      kind: 'tcg',
      short: `"${declared}" ran in a qemu guest without KVM (TCG, software-emulated CPU)`,
      reason: why(`"${declared}" ran in a qemu guest without KVM (TCG, a software-emulated CPU), so its numbers say nothing about KVM's cost`),
    };
  }
  const base = results.targets.find((t) => t.id === results.baseline);
  const a = str(base?.fingerprint?.bootId);
  const b = str(cand.fingerprint?.bootId);
  if (a && b && a === b) {
    return {
      label: docker ? 'Docker (host kernel, no KVM)' : 'Host kernel, no KVM',
      declared,
      kind: 'host-kernel',
      short: `"${declared}" ran ${docker ? 'in Docker ' : ''}on the baseline's kernel (same boot_id), not in a KVM guest`,
      reason: why(
        `"${declared}" was meant to run in a KVM guest, but its workload saw the same kernel boot_id as the baseline's (${a.slice(0, 8)}…): it ran ${docker ? 'in Docker ' : ''}on this host's kernel, without KVM`,
      ),
    };
  }
  return undefined;
}
