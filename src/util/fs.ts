/** Reading files named by a user without following them into devices, FIFOs or huge files. */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** The largest results file or sample log benchsuite reads (a 10,000-sample run is a few MB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export class UnreadableFileError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

/**
 * Read a regular file as UTF-8, refusing anything else (FIFO, socket, device, directory) without blocking
 * on it, and refusing files larger than `maxBytes`.
 */
export function readRegularFile(file: string, maxBytes = MAX_INPUT_BYTES): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new UnreadableFileError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`, code);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UnreadableFileError('is a directory', 'EISDIR');
    if (!st.isFile()) throw new UnreadableFileError('is not a regular file (a FIFO, socket or device is never read)', 'ENOTREG');
    if (st.size > maxBytes) throw new UnreadableFileError(`is ${st.size} bytes, more than the ${maxBytes} bytes benchsuite reads`, 'EFBIG');
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
