/**
 * Doctor's checks of a Docker target (the target kind's hook, src/targets/kinds.ts): the engine answers on the
 * target's machine, the image is there (or, the default image, buildable on this host and loadable there), and
 * the workloads' programs run inside it with the target's own `docker run` flags. With overlay storage the
 * workloads' files land under Docker's data root, so that is where doctor measures free space.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_IMAGE, type ContainerSpec, type TargetSpec } from '../scenario/schema.js';
import { IMAGE_BINARIES, imagePackagesFor } from '../image/workload-image.js';
import type { ExecResult, Machine, MachineCheck } from '../exec/types.js';
import { dockerRunFlags } from './docker.js';
import type { TargetDoctorContext } from './kinds.js';

const DOCKERD_FIX = 'start dockerd: nohup dockerd >/var/log/dockerd.log 2>&1 &';

function firstLine(r: ExecResult): string {
  return ((r.stderr || r.stdout).trim().split('\n').filter(Boolean)[0] ?? '').slice(0, 300);
}

function hasBinary(path: string): boolean {
  return existsSync(path) || existsSync(path.replace('/usr/bin/', '/bin/').replace('/usr/sbin/', '/sbin/'));
}

function dockerFix(machine: Machine, r: ExecResult): string {
  const text = `${r.stderr}\n${r.stdout}`;
  if (r.exitCode === 127) return 'install Docker: apt-get install docker.io';
  if (/permission denied/i.test(text)) return 'run as root, or add the user to the docker group: usermod -aG docker "$USER" (then log in again)';
  return machine.dockerStartHint();
}

export async function dockerDoctorChecks(c: TargetDoctorContext): Promise<MachineCheck[]> {
  const { machine } = c;
  const container = c.spec.container as ContainerSpec;
  const checks: MachineCheck[] = [];
  const add = (check: MachineCheck): void => void checks.push(check);

  const v = await c.exec(['docker', 'version', '--format', '{{.Server.Version}}']);
  const dockerOk = v.exitCode === 0 && v.stdout.trim() !== '';
  add({
    name: 'docker',
    ok: dockerOk,
    required: true,
    detail: dockerOk ? `Docker server ${v.stdout.trim()} on ${machine.address}` : `Docker is not reachable on ${machine.address}: ${firstLine(v) || `exit ${v.exitCode}`}`,
    fix: dockerOk ? undefined : dockerFix(machine, v),
  });

  // The image: present, or (the default image) buildable here and loadable there.
  const image = container.image;
  let imagePresent = false;
  if (dockerOk) {
    const i = await c.exec(['docker', 'image', 'inspect', '--format', '{{.Id}}', image]);
    imagePresent = i.exitCode === 0;
  }
  if (!dockerOk) {
    add({ name: 'image', ok: false, required: true, detail: `cannot check ${image}: Docker does not answer on ${machine.address}`, fix: dockerFix(machine, v) });
  } else if (imagePresent) {
    add({ name: 'image', ok: true, required: true, detail: `${image} is present on ${machine.address}` });
    // What runs inside: the workloads' programs from the image itself.
    const inImage = async (name: string, argv: string[], fix: string): Promise<void> => {
      // With the target's own flags, so a container that cannot start as configured fails here, not mid-run.
      const r = await c.exec(['docker', 'run', '--rm', ...dockerRunFlags(container), '--entrypoint', argv[0]!, image, ...argv.slice(1)]);
      add({
        name,
        ok: r.exitCode === 0,
        required: true,
        detail: r.exitCode === 0 ? `${argv[0]} runs in ${image}: ${((r.stdout || r.stderr).trim().split('\n')[0] ?? '').trim()}` : `${argv[0]} does not run in ${image}: ${firstLine(r) || `exit ${r.exitCode}`}`,
        fix,
      });
    };
    await Promise.all(
      c.workloadPrograms.map((req) => inImage(req.program, req.probe, `use an image with ${req.program} (Debian package ${req.debian}), e.g. the default ${DEFAULT_IMAGE}: benchsuite image build`)),
    );
  } else if (image === DEFAULT_IMAGE) {
    // Built on this host from its own binaries (docker import), then `docker load`ed on a remote machine.
    const missing = IMAGE_BINARIES.filter((b) => !hasBinary(b));
    const localDocker = machine.isThisHost ? v : await c.execHere(['docker', 'version', '--format', '{{.Server.Version}}']);
    const localOk = localDocker.exitCode === 0 && localDocker.stdout.trim() !== '';
    const ok = missing.length === 0 && localOk && dockerOk;
    const why = [
      ...(missing.length ? [`missing on this host: ${missing.join(', ')}`] : []),
      ...(!localOk ? ['dockerd on this host does not answer (the image is built here)'] : []),
      ...(!dockerOk ? [`Docker on ${machine.address} does not answer`] : []),
    ];
    add({
      name: 'image',
      ok,
      required: true,
      detail: ok
        ? `${image} is not built yet; buildable here from this host's programs (\`benchsuite run\` builds it${machine.isThisHost ? '' : ` and loads it on ${machine.address}`})`
        : `${image} is absent and cannot be built: ${why.join('; ')}`,
      fix: missing.length ? `apt-get install ${imagePackagesFor(missing).join(' ')}, then benchsuite image build` : !localOk ? DOCKERD_FIX : `start Docker on ${machine.address}`,
    });
  } else {
    add({
      name: 'image',
      ok: false,
      required: true,
      detail: dockerOk ? `${image} is not present on ${machine.address} (\`benchsuite run\` would try docker pull)` : `cannot check ${image}: Docker does not answer`,
      fix: dockerOk ? `docker pull ${image} on ${machine.address}, or docker save/docker load it there; or drop container.image to use ${DEFAULT_IMAGE}` : dockerFix(machine, v),
    });
  }
  return checks;
}

/** Overlay storage writes into the container layer: free space counts under Docker's data root. */
export async function dockerScratchSpace(c: TargetDoctorContext): Promise<{ dir: string; where: string } | undefined> {
  if ((c.spec.container as ContainerSpec).storage !== 'overlay') return undefined;
  const root = await c.exec(['docker', 'info', '--format', '{{.DockerRootDir}}']);
  if (root.exitCode !== 0 || !root.stdout.trim().startsWith('/')) return undefined;
  const dir = root.stdout.trim();
  return { dir, where: `Docker's data root ${dir} (overlay storage writes into the container layer)` };
}

/** Docker's data root when dockerd is not told otherwise (overlay storage writes there). */
const DOCKER_ROOT = '/var/lib/docker';

/** Overlay storage, before a run (no command runs): Docker's default data root. */
export function dockerLocalScratchSpace(spec: TargetSpec): { dir: string; where: string } | undefined {
  return spec.container?.storage === 'overlay' ? { dir: DOCKER_ROOT, where: `Docker's data root ${DOCKER_ROOT}` } : undefined;
}
