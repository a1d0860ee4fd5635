// Batch file names: `<prefix>/[<folders>/]<UTC yyyy-MM-ddTHH:mm:ss>-<topic>---<partitions>[.<n>][-invalid].jsonl`,
// `.jsonl.gz` or `.jsonl.zst` when the exporter compresses, `.parquet` for Parquet events (with
// `.s<schema id>[-<message indexes>]` before it when each writer schema has a file of its own);
// the folders are the exporter's path template rendered at the same cut time (common/path-template.ts).
// The counter keeps files cut in the same second for the same partitions apart, so no file
// ever replaces another; names are the basis of exactly-once (a re-created file is identical).
import { fileKindFormats, type FileKind } from "../../../common/record-format.js";
import { renderPathTemplate, storedTemplate } from "../../../common/path-template.js";
import { joinKey } from "../sinks/path-prefix.js";

export interface BatchFileName {
  prefix?: string;
  /** Whole seconds since the epoch, UTC. */
  time: number;
  topic: string;
  /** Ascending. */
  partitions: number[];
  counter: number;
  /** The exporter's path template (checked when it was set), if it has one. */
  template?: string;
}

/**
 * The time of the next cut after `nowMs`: the first interval boundary (UTC, whole seconds)
 * strictly after it. The worker cuts there, and the topic check's preview names its next file by
 * it: one rule, so the preview shows what the worker will write.
 */
export function nextCut(nowMs: number, intervalSeconds: number): number {
  return (Math.floor(nowMs / 1000 / intervalSeconds) + 1) * intervalSeconds;
}

export function formatFileTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19);
}

/**
 * `hidden`: the name starts with `_`, which query engines that read every file of a folder (Athena,
 * Hive, Spark) skip: a Parquet exporter's `-invalid` parts are JSON Lines beside Parquet files.
 */
export function batchFileKey(
  name: BatchFileName,
  kind: "events" | "invalid" = "events",
  fileKind: FileKind = "none",
  hidden = false,
  /** The events of one writer schema (a Parquet file per schema): `.s<group>` after the counter. */
  group?: string,
): string {
  const counter = name.counter > 0 ? `.${name.counter}` : "";
  const part = kind === "invalid" ? "-invalid" : group !== undefined ? `.s${group}` : "";
  const file = `${hidden ? "_" : ""}${formatFileTime(name.time)}-${name.topic}---${name.partitions.join("-")}${counter}${part}${fileKindFormats[fileKind].suffix}`;
  return joinKey(
    name.prefix,
    name.template === undefined ? file : `${renderPathTemplate(storedTemplate(name.template).segments, name.time, name.topic)}/${file}`,
  );
}

export const maxObjectKeyBytes = 1024;

/**
 * The longest name of a writer schema's group of events in a file name (`.s<name>`): a schema id
 * (at most 4294967295) and a Protobuf message's indexes. A value whose group would be longer goes
 * to `-invalid` (a message nested that deep is not one producers send), so the 1024-byte check
 * made when the exporter is set up holds for every name it writes.
 */
export const maxGroupNameChars = 40;

export interface KeySettings {
  prefix: string | undefined;
  template?: string | undefined;
  topic: string;
  partitionCount: number;
  maxPartitionsPerFile: number;
  /** The kind of the longest names it writes. */
  compression?: FileKind;
  /** Its `-invalid` names start with `_` (a Parquet exporter's). */
  hidden?: boolean;
  /** Its events files are named by writer schema too (`.s<group>`, a Parquet exporter's with each schema's columns). */
  schemaGroups?: boolean;
}

/** The longest key an exporter can produce, for the 1024-byte check when it is created or changed. */
export function longestKeyBytes(settings: KeySettings): number {
  const { prefix, template, topic, partitionCount, maxPartitionsPerFile, compression = "none", hidden = false, schemaGroups = false } = settings;
  const held = Math.min(partitionCount, maxPartitionsPerFile);
  // Worst case: the highest partition numbers, a counter of up to six digits, and the widest
  // time (every time token has a fixed width).
  const partitions = Array.from({ length: held }, (_, i) => partitionCount - held + i);
  const name = { prefix, time: 253402300799, topic, partitions, counter: 999_999, ...(template ? { template } : {}) };
  const invalid = Buffer.byteLength(batchFileKey(name, "invalid", compression, hidden));
  return schemaGroups ? Math.max(invalid, Buffer.byteLength(batchFileKey(name, "events", "parquet", false, "9".repeat(maxGroupNameChars)))) : invalid;
}
