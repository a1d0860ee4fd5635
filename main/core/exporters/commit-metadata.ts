// What each partition's committed offset carries in its metadata (Kafka keeps it with the offset,
// in the consumer group, up to offset.metadata.max.bytes, 4096 by default):
// - `i`, the intent: the file about to be stored (its time, counter, the partitions in its name
//   and each partition's offset range), written before the upload with the offset unchanged;
//   and, when the file is compressed, how (`z`): a file pending across a change of the setting is
//   re-created as it was planned, under its name; likewise the path template (`p`), so it goes back
//   into the folders it was planned for;
// - `l`, the last file time and counter used for this partition, so a restarted worker never
//   reuses a name in the same second.
// After the upload the offset moves past the range and the intent is cleared.
import type { Compression } from "../../../common/record-format.js";
import type { OffsetRange } from "./batch.js";

export interface FileIntent {
  time: number;
  counter: number;
  /** Partitions in the file's name (those the worker held), ascending. */
  held: number[];
  ranges: OffsetRange[];
  /** Absent: plain `.jsonl`. */
  compression?: Exclude<Compression, "none">;
  /** Absent: no folders between the prefix and the name. At most 200 bytes (path-template.ts). */
  template?: string;
}

export interface PartitionMetadata {
  intent?: FileIntent;
  last?: { time: number; counter: number };
}

interface Encoded {
  v: 1;
  i?: { t: number; c: number; h: number[]; r: Array<[number, number, number]>; z?: Exclude<Compression, "none">; p?: string };
  l?: [number, number];
}

export function encodeMetadata(metadata: PartitionMetadata): string {
  const encoded: Encoded = { v: 1 };
  if (metadata.intent) {
    const { time, counter, held, ranges, compression, template } = metadata.intent;
    encoded.i = { t: time, c: counter, h: held, r: ranges.map((range) => [range.partition, range.first, range.last]), ...(compression ? { z: compression } : {}), ...(template ? { p: template } : {}) };
  }
  if (metadata.last) encoded.l = [metadata.last.time, metadata.last.counter];
  return JSON.stringify(encoded);
}

/** Anything that is not ours (another tool's metadata, empty) reads as no metadata. */
export function decodeMetadata(text: string | null | undefined): PartitionMetadata {
  if (!text) return {};
  let encoded: Encoded;
  try {
    encoded = JSON.parse(text) as Encoded;
  } catch {
    return {};
  }
  if (encoded?.v !== 1) return {};
  return {
    ...(encoded.i
      ? { intent: { time: encoded.i.t, counter: encoded.i.c, held: encoded.i.h, ranges: encoded.i.r.map(([partition, first, last]) => ({ partition, first, last })), ...(encoded.i.z === "gzip" || encoded.i.z === "zstd" ? { compression: encoded.i.z } : {}), ...(typeof encoded.i.p === "string" ? { template: encoded.i.p } : {}) } }
      : {}),
    ...(encoded.l ? { last: { time: encoded.l[0], counter: encoded.l[1] } } : {}),
  };
}

export const sameIntent = (a: FileIntent, b: FileIntent) => a.time === b.time && a.counter === b.counter && a.held.join() === b.held.join() && a.compression === b.compression && a.template === b.template;
