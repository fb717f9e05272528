// SSH-target tests use the same loopback sshd as the benches.
import { afterAll, beforeAll } from 'vitest';
import { SshMachine } from '../../src/exec/ssh.js';
import { startLoopbackSshd, type LoopbackSshd } from '../../support/loopback-sshd.js';

export { startLoopbackSshd as startSshd, type LoopbackSshd as TestSshd } from '../../support/loopback-sshd.js';

/** One loopback sshd and an SshMachine on it for the whole test file; both closed after it. */
export function withLoopbackSshMachine(use: (machine: SshMachine, sshd: LoopbackSshd) => void): void {
  let sshd: LoopbackSshd | undefined;
  let machine: SshMachine | undefined;
  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    machine = new SshMachine(sshd.url, { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });
    use(machine, sshd);
  });
  afterAll(async () => {
    await machine?.close();
    await sshd?.dispose();
  });
}
