// Batch file names: `<prefix>/<UTC yyyy-MM-ddTHH:mm:ss>-<topic>---<partitions>[.<n>][-invalid].jsonl`,
// `.jsonl.gz` or `.jsonl.zst` when the exporter compresses.
// The counter keeps files cut in the same second for the same partitions apart, so no file
// ever replaces another; names are the basis of exactly-once (a re-created file is identical).
import { compressionFormats, type Compression } from "../../../common/record-format.js";
import { joinKey } from "../sinks/path-prefix.js";

export interface BatchFileName {
  prefix?: string;
  /** Whole seconds since the epoch, UTC. */
  time: number;
  topic: string;
  /** Ascending. */
  partitions: number[];
  counter: number;
}

export function formatFileTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19);
}

export function batchFileKey(name: BatchFileName, kind: "events" | "invalid" = "events", compression: Compression = "none"): string {
  const counter = name.counter > 0 ? `.${name.counter}` : "";
  const invalid = kind === "invalid" ? "-invalid" : "";
  return joinKey(name.prefix, `${formatFileTime(name.time)}-${name.topic}---${name.partitions.join("-")}${counter}${invalid}${compressionFormats[compression].suffix}`);
}

export const maxObjectKeyBytes = 1024;

/** The longest key an exporter can produce, for the 1024-byte check at creation. */
export function longestKeyBytes(prefix: string | undefined, topic: string, partitionCount: number, maxPartitionsPerFile: number, compression: Compression = "none"): number {
  const held = Math.min(partitionCount, maxPartitionsPerFile);
  // Worst case: the highest partition numbers, and a counter of up to six digits.
  const partitions = Array.from({ length: held }, (_, i) => partitionCount - held + i);
  return Buffer.byteLength(batchFileKey({ prefix, time: 253402300799, topic, partitions, counter: 999_999 }, "invalid", compression));
}
