/** iperf3's settings: every field, its type, range and default. */
import { z } from 'zod';
import { titleField, wholeNumber } from '../common/fields.js';

/** A loopback IPv4 address (127.0.0.0/8), written plainly. */
export const LOOPBACK_V4 = /^127\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export const iperf3Schema = z
  .object({
    kind: z.literal('iperf3'),
    title: titleField(),
    /** Seconds per sample (iperf3 -t). */
    duration: wholeNumber(1, 600).default(10),
    /** Parallel TCP streams (iperf3 -P). */
    streams: wholeNumber(1, 32).default(1),
    /** Seconds at the start of each sample left out of the figures (iperf3 -O, TCP slow start); less than duration. */
    omit: wholeNumber(0, 60).default(0),
    /**
     * Where the client connects: `auto` — the run's own container's address on a bridge network (so the
     * bridge's cost shows), else 127.0.0.1 — or a loopback address 127.x.y.z (through the published port on a
     * bridge network). Nothing else: benchsuite sends traffic only to loopback and its own containers.
     */
    address: z
      .string()
      .refine((a) => a === 'auto' || LOOPBACK_V4.test(a), {
        message: 'must be auto (the run\'s own container on a bridge network, else 127.0.0.1) or a loopback address such as 127.0.0.1; benchsuite sends traffic only to loopback and to its own containers',
      })
      .default('auto'),
    /** Port the server listens on; default: a free port picked at run time. */
    port: wholeNumber(1024, 65535).optional(),
  })
  .strict();

export type Iperf3Spec = z.output<typeof iperf3Schema>;
