/** sysbench's settings: every field, its type, range and default. */
import { z } from 'zod';
import { sizeField, titleField, wholeNumber } from '../common/fields.js';

export const sysbenchSchema = z
  .object({
    kind: z.literal('sysbench'),
    title: titleField(),
    /** cpu: prime numbers up to cpuMaxPrime, events/s; memory: writes or reads of memoryBlockSize blocks, MiB/s. */
    test: z.enum(['cpu', 'memory']).default('cpu'),
    /** Worker threads (sysbench --threads). */
    threads: wholeNumber(1, 256).default(1),
    /** Seconds per sample (sysbench --time). */
    duration: wholeNumber(1, 3600).default(10),
    /** cpu: the prime limit of one event (sysbench --cpu-max-prime); fixed, so events/s compare across targets. */
    cpuMaxPrime: wholeNumber(100, 1_000_000).default(10_000),
    /** memory: block size of one operation (sysbench --memory-block-size), each thread on a buffer of this size. */
    memoryBlockSize: sizeField().default('1M'),
    /** memory: total bytes to transfer, an upper bound next to duration (sysbench --memory-total-size). */
    memoryTotalSize: sizeField().default('100G'),
    memoryOper: z.enum(['write', 'read']).default('write'),
    memoryAccessMode: z.enum(['seq', 'rnd']).default('seq'),
  })
  .strict();

export type SysbenchSpec = z.output<typeof sysbenchSchema>;
