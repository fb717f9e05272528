/** The local guest VM: build once, boot (KVM when it really works here, else TCG), reach it over SSH. */
export { ensureVm, vmStatus, vmDown, vmDestroy, runningGuest, vmDownIfBootedHere, TCG_WARNING } from './lifecycle.js';
export type { VmInfo, VmConnection, VmOptions, EnsureVmOptions, VmStatus, RunningGuest } from './lifecycle.js';
export { DEFAULT_SETTINGS, DISK_CACHE_MODES, defaultCacheDir, validateSettings, vmPaths } from './settings.js';
export type { AccelChoice, Accelerator, DiskCacheMode, VmSettings, VmPaths } from './settings.js';
