/**
 * The table's Kernel Security row, measured: did the candidate's workload run on the same kernel
 * (same boot_id) as the baseline's? boot_id is a random id the kernel draws at every boot and shows to
 * every process it runs, containers included, so "same boot_id" means "one kernel serves both".
 * A different boot_id is reported as Isolated and names how, from the candidate's fingerprint:
 * the hypervisor systemd-detect-virt (or DMI) saw, and an emulated (TCG) guest when the VM facts say so.
 */
import { isUnknown, type RunResults, type TargetRecord } from '../results/model.js';

/**
 * Did the target's workload run in a container? Judged from what the run recorded (the container's settings or
 * its facts), not from the name of the target's kind, so any container runtime that records them counts.
 */
export function ranInContainer(t: TargetRecord): boolean {
  return t.container !== undefined || (t.fingerprint as { container?: unknown }).container !== undefined;
}

export interface KernelSecurity {
  value: 'Shared' | 'Isolated' | 'Unknown';
  /** e.g. "kvm" when isolated by a VM; "tcg" for a QEMU guest without hardware acceleration. */
  virtualization?: string;
  reason: string;
}

export function kernelSecurity(results: RunResults, candidateId: string): KernelSecurity {
  const base = results.targets.find((t) => t.id === results.baseline);
  const cand = results.targets.find((t) => t.id === candidateId);
  if (!base) return { value: 'Unknown', reason: `the baseline ${results.baseline} is missing from the results` };
  if (!cand) return { value: 'Unknown', reason: `target ${candidateId} is missing from the results` };
  return compareKernels(base, cand);
}

/** "Isolated (kvm)", "Shared", "Unknown" — the table cell. */
export function formatKernelSecurity(ks: KernelSecurity): string {
  return ks.value === 'Isolated' && ks.virtualization ? `Isolated (${ks.virtualization})` : ks.value;
}

function short(id: string): string {
  return `${id.slice(0, 8)}…`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The VM facts another module may merge into a fingerprint (`vm: { accelerator: 'kvm' | 'tcg', … }`). */
function accelerator(t: TargetRecord): string | undefined {
  const vm = t.fingerprint.vm;
  if (typeof vm !== 'object' || vm === null) return undefined;
  return str((vm as Record<string, unknown>).accelerator)?.toLowerCase();
}

/** Where the kernel's id could not be read, why. */
function bootIdProblem(t: TargetRecord): string | undefined {
  const b = t.fingerprint.bootId;
  if (isUnknown(b)) return `${t.label}: ${b.reason}`;
  if (typeof b !== 'string' || !b) return `${t.label}: no boot_id recorded`;
  return undefined;
}

export function compareKernels(base: TargetRecord, cand: TargetRecord): KernelSecurity {
  const problem = bootIdProblem(base) ?? bootIdProblem(cand);
  if (problem) return { value: 'Unknown', reason: `kernel boot_id could not be read on both targets (${problem})` };
  const a = base.fingerprint.bootId as string;
  const b = cand.fingerprint.bootId as string;

  if (a === b) {
    const how =
      ranInContainer(cand)
        ? 'the container runs on its host\'s kernel, so a kernel exploit from inside it reaches the host'
        : 'both run directly on the same kernel';
    return { value: 'Shared', reason: `same kernel boot_id ${short(a)} seen by both workloads: ${how}` };
  }

  const differ = `different kernel boot_id (${short(a)} vs ${short(b)})`;
  const accel = accelerator(cand);
  const virtRaw = cand.fingerprint.virtualization;
  const virt = str(virtRaw);
  const baseVirt = str(base.fingerprint.virtualization);

  if (accel === 'tcg') {
    return {
      value: 'Isolated',
      virtualization: 'tcg',
      reason: `${differ}: the workload ran on its own guest kernel, an emulated (TCG) guest — QEMU without KVM acceleration, isolated like a VM but with software-emulated CPU, so its performance is not representative of KVM`,
    };
  }
  if (accel === 'kvm' || accel === 'hvf' || accel === 'whpx') {
    return { value: 'Isolated', virtualization: accel, reason: `${differ}: the workload ran on its own guest kernel in a ${accel}-accelerated VM` };
  }
  if (virt && virt !== 'none' && virt !== baseVirt) {
    return { value: 'Isolated', virtualization: virt, reason: `${differ}: the workload ran on its own guest kernel in a ${virt} virtual machine (systemd-detect-virt/DMI)` };
  }
  // A different kernel without a hypervisor of its own: another machine, or a VM of the same kind as the baseline's.
  const why = isUnknown(virtRaw)
    ? `its virtualization could not be determined (${virtRaw.reason})`
    : virt === 'none'
      ? 'no hypervisor detected under it (another physical machine)'
      : `it reports the same virtualization as the baseline (${virt ?? 'unknown'}) — another machine or VM of the same kind`;
  return { value: 'Isolated', reason: `${differ}: the workload ran on a different kernel, but ${why}` };
}
