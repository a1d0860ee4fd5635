// The keys the export log names, read back: a batch file's folder, cut time, topic, kind and
// compression (the inverse of exporters/file-names.ts's batchFileKey; a unit test round-trips
// them, so the two cannot drift), and the folder a validation file was written in (the prefix a
// worker started with).
import { fileKindOfKey, type FileKind } from "../../../common/record-format.js";

export interface StoredBatchKey {
  /** The folders above the file ("" at the bucket root): the prefix, then the template's folders. */
  folder: string;
  /** The cut time, whole seconds since the epoch (UTC). */
  time: number;
  topic: string;
  kind: "events" | "invalid";
  compression: FileKind;
}

// The topic is greedy: a topic may hold `---` itself, and the partitions after the last one are digits and dashes only.
// A Parquet file of one writer schema has `.s<schema id>[-<message indexes>]` before its suffix.
const batchName = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})-(.+)---\d+(?:-\d+)*(?:\.\d+)?(?:\.s\d+(?:-\d+)*)?(-invalid)?(?:\.jsonl(?:\.gz|\.zst)?|\.parquet)$/;
const validationName = /^\.strm_test_[0-9a-f-]{36}(?:\.jsonl(?:\.gz|\.zst)?|\.parquet)$/;

const split = (key: string) => {
  const slash = key.lastIndexOf("/");
  return { folder: slash < 0 ? "" : key.slice(0, slash), name: key.slice(slash + 1) };
};

/** A batch file's parts, or undefined when the key is not a batch file's. */
export function parseBatchKey(key: string): StoredBatchKey | undefined {
  const { folder, name } = split(key);
  const match = batchName.exec(name);
  if (!match) return undefined;
  const time = Date.parse(`${match[1]!}Z`) / 1000;
  if (!Number.isInteger(time)) return undefined;
  return { folder, time, topic: match[2]!, kind: match[3] ? "invalid" : "events", compression: fileKindOfKey(name) };
}

/** The folder a validation file is in ("" at the bucket root), or undefined when the key is not one. */
export function validationFolder(key: string): string | undefined {
  const { folder, name } = split(key);
  return validationName.test(name) ? folder : undefined;
}
