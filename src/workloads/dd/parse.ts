/** Parsers for dd's closing lines (GNU coreutils and busybox). */
export interface DdParsed {
  recordsIn?: string;
  recordsOut?: string;
  bytes?: number;
  seconds?: number;
}

export function parseDdOutput(stderr: string): DdParsed {
  const out: DdParsed = {};
  const rin = /^(\d+\+\d+) records in$/m.exec(stderr);
  const rout = /^(\d+\+\d+) records out$/m.exec(stderr);
  if (rin) out.recordsIn = rin[1];
  if (rout) out.recordsOut = rout[1];
  // GNU: "67108864 bytes (67 MB, 64 MiB) copied, 0.0947203 s, 708 MB/s" (also "1 byte copied")
  const gnu = /^(\d+) bytes? (?:\([^)]*\) )?copied, ([0-9.eE+-]+) s, /m.exec(stderr);
  if (gnu) {
    out.bytes = Number(gnu[1]);
    out.seconds = Number(gnu[2]);
    return out;
  }
  // busybox with size reporting: "67108864 bytes (64.0MB) copied, 0.093417 seconds, 685.1MB/s"
  const bb = /^(\d+) bytes \([^)]*\) copied, ([0-9.eE+-]+) seconds/m.exec(stderr);
  if (bb) {
    out.bytes = Number(bb[1]);
    out.seconds = Number(bb[2]);
  }
  return out;
}

/** Full records written, from "N+M records out". */
export function fullRecords(records: string | undefined): number | undefined {
  if (!records) return undefined;
  const [full] = records.split('+');
  return Number(full);
}
