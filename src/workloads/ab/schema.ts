/** ab's settings: every field, its type, range and default. */
import { z } from 'zod';
import { titleField, urlPathField, wholeNumber } from '../common/fields.js';

export const abSchema = z
  .object({
    kind: z.literal('ab'),
    title: titleField(),
    requests: wholeNumber(1, 10_000_000).default(20_000),
    concurrency: wholeNumber(1, 20_000).default(32),
    keepAlive: z.boolean().default(true),
    path: urlPathField().default('/'),
    /** Size of the static file the server returns. */
    responseBytes: z.number().int().min(0).max(64 * 1024 * 1024).default(4096),
    /** nginx worker processes (the same on every target). */
    serverWorkers: z.number().int().min(1).max(64).default(1),
    /** Port the server listens on (127.0.0.1); default: a free port picked at run time. */
    port: z.number().int().min(1024).max(65535).optional(),
  })
  .strict();

export type AbSpec = z.output<typeof abSchema>;
