/**
 * Scratch directories on this host, for real (mkdir, cat, rm through LocalMachine): `<root>/<runId>/<target>`,
 * marked with the run id, reused on resume only with that mark, and removed only when the mark is this run's.
 * Expectations are what the file system shows afterwards, read with node:fs.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalMachine } from '../../src/exec/local.js';
import { createScratch, removeScratch, runScratchDir, SCRATCH_MARKER } from '../../src/runner/scratch.js';
import { tempDir } from './fakes.js';

const machine = new LocalMachine();

describe('scratch directories', () => {
  it('the run\'s directory is <root>/<runId>, whatever slashes end the root', () => {
    expect(runScratchDir('/var/tmp/bs', 'r1')).toBe('/var/tmp/bs/r1');
    expect(runScratchDir('/var/tmp/bs///', 'r1')).toBe('/var/tmp/bs/r1');
    expect(runScratchDir('/var//tmp', 'r1')).toBe('/var//tmp/r1'); // only trailing slashes go
  });

  it('creates root (with parents), the run directory with its marker, and one directory per target (0755)', async () => {
    const root = join(tempDir('scratch-root'), 'a', 'b');
    const dir = await createScratch(machine, root, 'run-1', 'bare');
    expect(dir).toBe(`${root}/run-1/bare`);
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(root, 'run-1', SCRATCH_MARKER), 'utf8')).toBe('run-1\n');
    // A second target on the same machine shares the run directory.
    expect(await createScratch(machine, root, 'run-1', 'docker')).toBe(`${root}/run-1/docker`);
    expect(existsSync(`${root}/run-1/docker`)).toBe(true);
  });

  it('an existing target directory is reused only with this run\'s marker (resume), otherwise refused', async () => {
    const root = tempDir('scratch-reuse');
    await createScratch(machine, root, 'run-2', 'bare');
    writeFileSync(join(root, 'run-2', 'bare', 'kept'), 'x');
    expect(await createScratch(machine, root, 'run-2', 'bare')).toBe(`${root}/run-2/bare`);
    expect(existsSync(join(root, 'run-2', 'bare', 'kept'))).toBe(true);
    // Someone else's directory where the run directory goes (another run's marker, or none): refused, naming it,
    // and the marker is not overwritten (that would make their directory removable by this run).
    mkdirSync(join(root, 'run-3', 'bare'), { recursive: true });
    writeFileSync(join(root, 'run-3', SCRATCH_MARKER), 'another-run\n');
    await expect(createScratch(machine, root, 'run-3', 'bare')).rejects.toThrow(`scratch directory ${root}/run-3 on `);
    expect(readFileSync(join(root, 'run-3', SCRATCH_MARKER), 'utf8')).toBe('another-run\n');
    mkdirSync(join(root, 'run-8'));
    await expect(createScratch(machine, root, 'run-8', 'bare')).rejects.toThrow(/exists and is not benchsuite's \(no marker of run run-8\)/);
    expect(existsSync(join(root, 'run-8', SCRATCH_MARKER))).toBe(false);
    // A root that is a file: cannot be created, said with the machine.
    const file = join(root, 'not-a-dir');
    writeFileSync(file, 'x');
    await expect(createScratch(machine, file, 'run-4', 'bare')).rejects.toThrow(`cannot create scratch root ${file} on `);
  });

  it('removes the run directory only when it carries this run\'s marker', async () => {
    const root = tempDir('scratch-remove');
    await createScratch(machine, root, 'run-5', 'bare');
    expect(await removeScratch(machine, root, 'run-6')).toBe(false); // another run's id: not ours
    expect(existsSync(join(root, 'run-5'))).toBe(true);
    mkdirSync(join(root, 'run-7', 'x'), { recursive: true }); // no marker at all
    expect(await removeScratch(machine, root, 'run-7')).toBe(false);
    expect(existsSync(join(root, 'run-7', 'x'))).toBe(true);
    expect(await removeScratch(machine, root, 'run-5')).toBe(true);
    expect(existsSync(join(root, 'run-5'))).toBe(false);
    expect(existsSync(root)).toBe(true); // the root itself stays
  });
});
