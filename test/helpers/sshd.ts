// SSH-target tests use the same loopback sshd as the benches.
export { startLoopbackSshd as startSshd, type LoopbackSshd as TestSshd } from '../../support/loopback-sshd.js';
