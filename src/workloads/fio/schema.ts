/** fio's settings: every field, its type, range and default. */
import { z } from 'zod';
import { sizeField, titleField, wholeNumber } from '../common/fields.js';

/** Access patterns: sequential write/read, random read/write. */
export const FIO_PATTERNS = ['write', 'read', 'randwrite', 'randread'] as const;
/** Engines offered: asynchronous (libaio, posixaio) and synchronous (psync, sync). */
export const FIO_ENGINES = ['libaio', 'posixaio', 'psync', 'sync'] as const;

export const fioSchema = z
  .object({
    kind: z.literal('fio'),
    title: titleField(),
    /** fio's --rw: write and read are sequential, randwrite and randread random. */
    rw: z.enum(FIO_PATTERNS).default('randread'),
    /** Block size; default 1M for write/read and 4K for randwrite/randread. */
    blockSize: sizeField().optional(),
    /** Size of the one file fio works on, inside the run's scratch directory (at most 64G). */
    size: sizeField().default('256M'),
    /** Seconds each sample runs (time-based: fio repeats over the file until then). */
    runtime: wholeNumber(1, 3600).default(10),
    ioengine: z.enum(FIO_ENGINES).default('libaio'),
    /** O_DIRECT: bypass the page cache (default), so reads and writes reach the disk. */
    direct: z.boolean().default(true),
    /** I/Os in flight per job (asynchronous engines only; 1 for psync/sync). */
    iodepth: wholeNumber(1, 1024).default(32),
    /** Parallel jobs on the same file (fio's --numjobs, reported together). */
    numjobs: wholeNumber(1, 64).default(1),
  })
  .strict();

export type FioSpec = z.output<typeof fioSchema>;
