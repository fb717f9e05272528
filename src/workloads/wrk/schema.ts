/** wrk's settings: every field, its type, range and default. */
import { z } from 'zod';
import { titleField, urlPathField, wholeNumber } from '../common/fields.js';

export const wrkSchema = z
  .object({
    kind: z.literal('wrk'),
    title: titleField(),
    /** Client threads (wrk -t). */
    threads: wholeNumber(1, 64).default(2),
    /** Open connections across all threads (wrk -c); at least `threads`. */
    connections: wholeNumber(1, 20_000).default(32),
    /** Seconds per sample (wrk -d). */
    duration: wholeNumber(1, 3600).default(10),
    path: urlPathField().default('/'),
    /** Size of the static file the server returns. */
    responseBytes: z.number().int().min(0).max(64 * 1024 * 1024).default(4096),
    /** nginx worker processes (the same on every target). */
    serverWorkers: wholeNumber(1, 64).default(1),
    /** Port the server listens on (127.0.0.1); default: a free port picked at run time. */
    port: wholeNumber(1024, 65535).optional(),
  })
  .strict();

export type WrkSpec = z.output<typeof wrkSchema>;
