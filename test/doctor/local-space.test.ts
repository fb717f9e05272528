// The check on this host before a run: where each local target's scratch files take space comes from its target
// kind (overlay storage: Docker's default data root), the rest from the scratch root. Filesystems are faked.
import { describe, expect, it } from 'vitest';
import { localScratchSpaceIssues, type FsFacts } from '../../src/doctor/local-space.js';
import { scenarioSchema } from '../../src/scenario/schema.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

const scenario = (container?: Record<string, unknown>) =>
  scenarioSchema.parse({
    name: 'space',
    baseline: 'bare',
    scratchRoot: '/var/tmp/benchsuite',
    targets: { bare: { label: 'Bare', host: 'local' }, box: { label: 'Box', host: 'local', ...(container ? { container } : {}) } },
    workloads: { disk: { kind: 'fio', size: '1G' } },
  });

/** The scratch root on device 1 with plenty of room; /var/lib/docker on device 2 with `dockerFree` bytes. */
const fsWith = (dockerFree: number, asked: string[] = []): FsFacts => (dir) => {
  asked.push(dir);
  return dir === '/var/lib/docker' ? { available: dockerFree, device: 2, dir } : { available: 100 * GiB, device: 1, dir };
};

describe('localScratchSpaceIssues', () => {
  it("measures an overlay container's files under Docker's data root, named in the message", () => {
    const asked: string[] = [];
    // 1 GiB file + max(64 MiB, 10 %) margin = 1126.4 MiB needed; 1 GiB free is short.
    const issues = localScratchSpaceIssues(scenario({ storage: 'overlay' }), fsWith(1 * GiB, asked));
    expect(asked.sort()).toEqual(['/var/lib/docker', '/var/tmp/benchsuite']);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual(['workloads', 'disk', 'size']);
    expect(issues[0]?.message).toContain("into Docker's data root /var/lib/docker, but only 1.0 GiB is free");
  });

  it('passes when the data root holds the file and its margin', () => {
    expect(localScratchSpaceIssues(scenario({ storage: 'overlay' }), fsWith(1 * GiB + 103 * MiB))).toEqual([]);
  });

  it('keeps a volume container in the scratch root (the data root is never asked)', () => {
    const asked: string[] = [];
    expect(localScratchSpaceIssues(scenario({ storage: 'volume' }), fsWith(0, asked))).toEqual([]);
    expect(asked).toEqual(['/var/tmp/benchsuite', '/var/tmp/benchsuite']);
  });
});
