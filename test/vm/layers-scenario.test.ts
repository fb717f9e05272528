import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';

describe('scenarios/layers.yaml', () => {
  it('has the four layers with their labels, bare metal as the baseline, and both workloads', async () => {
    const { scenario } = await loadScenario('layers');
    expect(scenario.baseline).toBe('bare-metal');
    const t = scenario.targets;
    expect(Object.keys(t)).toEqual(['bare-metal', 'docker', 'kvm', 'kvm-docker']);
    expect(t['bare-metal']).toMatchObject({ label: 'Bare Metal', host: 'local' });
    expect(t['bare-metal']?.container).toBeUndefined();
    expect(t.docker).toMatchObject({ label: 'Docker', host: 'local', container: { image: 'benchsuite/workload:local' } });
    expect(t.kvm).toMatchObject({ label: 'KVM', host: 'vm' });
    expect(t.kvm?.container).toBeUndefined();
    expect(t['kvm-docker']).toMatchObject({ label: 'KVM + Docker', host: 'vm', container: { image: 'benchsuite/workload:local' } });
    expect(Object.values(scenario.workloads).map((w) => w.kind).sort()).toEqual(['ab', 'dd']);
  });

  it('the guest targets can be pointed at a remote host instead', async () => {
    const { scenario } = await loadScenario('layers', ['targets.kvm-docker.host=ssh://user@vps.example', 'targets.kvm.host=ssh://user@vps.example']);
    expect(scenario.targets['kvm-docker']?.host).toBe('ssh://user@vps.example');
    expect(scenario.targets.kvm?.host).toBe('ssh://user@vps.example');
  });
});
