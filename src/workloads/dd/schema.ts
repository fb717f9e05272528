/** dd's settings: every field, its type, range and default. */
import { z } from 'zod';
import { sizeField, titleField, wholeNumber } from '../common/fields.js';

export const ddSchema = z
  .object({
    kind: z.literal('dd'),
    title: titleField(),
    blockSize: sizeField().default('1M'),
    count: wholeNumber(1, 1_000_000).default(256),
    sync: z.enum(['fdatasync', 'direct', 'none']).default('fdatasync'),
    /** Drop the page cache before each sample where permitted (root on the host); whether it happened is recorded. */
    dropCaches: z.boolean().default(true),
  })
  .strict();

export type DdSpec = z.output<typeof ddSchema>;
