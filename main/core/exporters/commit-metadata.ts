// What each partition's committed offset carries in its metadata (Kafka keeps it with the offset,
// in the consumer group, up to offset.metadata.max.bytes, 4096 by default):
// - `i`, the intent: the file about to be stored (its time, counter, the partitions in its name
//   and each partition's offset range), written before the upload with the offset unchanged, and
//   the file's shape (file-shape.ts: prefix `x`, folders `p`, compression `z`, fields `f`,
//   tombstones `b`, line rules `n`), so a file pending across a change of settings is re-created
//   as it was planned: the same key and the same bytes;
// - `l`, the last file time and counter used for this partition, so a restarted worker never
//   reuses a name in the same second.
// After the upload the offset moves past the range and the intent is cleared.
import { z } from "zod";
import { compressions, recordFields, tombstonePolicies } from "../../../common/record-format.js";
import { StreamdropError } from "../errors.js";
import type { OffsetRange } from "./batch.js";
import { knownRules, type FileShape } from "./file-shape.js";

export interface FileIntent {
  time: number;
  counter: number;
  /** Partitions in the file's name (those the worker held), ascending. */
  held: number[];
  ranges: OffsetRange[];
  shape: FileShape;
}

export interface PartitionMetadata {
  intent?: FileIntent;
  last?: { time: number; counter: number };
}

/** Kafka's default offset.metadata.max.bytes: an intent that would not fit is split (export-worker's plan). */
export const maxMetadataBytes = 4096;

const defaultFields = "value";
const defaultTombstones = "invalid";

const encodedSchema = z.object({
  v: z.literal(1),
  i: z
    .object({
      t: z.number().int(),
      c: z.number().int().nonnegative(),
      h: z.array(z.number().int().nonnegative()),
      r: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative()])),
      x: z.string().min(1).optional(),
      p: z.string().min(1).optional(),
      z: z.enum(compressions).exclude(["none"]).optional(),
      f: z.string().optional(),
      b: z.enum(tombstonePolicies).optional(),
      // Absent: planned by a version before the shape was recorded whole (see `legacyShape`).
      n: z.number().int().positive().optional(),
    })
    .optional(),
  l: z.tuple([z.number().int(), z.number().int().nonnegative()]).optional(),
});
type Encoded = z.infer<typeof encodedSchema>;
type EncodedIntent = NonNullable<Encoded["i"]>;

export function encodeMetadata(metadata: PartitionMetadata): string {
  const encoded: Encoded = { v: 1 };
  if (metadata.intent) {
    const { time, counter, held, ranges, shape } = metadata.intent;
    encoded.i = { t: time, c: counter, h: held, r: ranges.map((range) => [range.partition, range.first, range.last]), ...encodeShape(shape) };
  }
  if (metadata.last) encoded.l = [metadata.last.time, metadata.last.counter];
  return JSON.stringify(encoded);
}

function encodeShape(shape: FileShape): Partial<EncodedIntent> {
  const fields = shape.lines.fields.join(",");
  return {
    ...(shape.prefix ? { x: shape.prefix } : {}),
    ...(shape.template ? { p: shape.template } : {}),
    ...(shape.compression !== "none" ? { z: shape.compression } : {}),
    ...(fields !== defaultFields ? { f: fields } : {}),
    ...(shape.lines.tombstones !== defaultTombstones ? { b: shape.lines.tombstones } : {}),
    n: shape.rules,
  };
}

/**
 * Anything that is not ours (another tool's metadata, empty) reads as no metadata. Ours but
 * unreadable is an error: skipping a pending intent could lose its events. `legacy` is what an
 * intent from before the whole shape was recorded (no `n`) could not say: those versions wrote
 * pending files with the exporter's prefix and line format of the moment, so the worker's own.
 */
export function decodeMetadata(text: string | null | undefined, legacy: Pick<FileShape, "prefix" | "lines">): PartitionMetadata {
  let json: unknown;
  try {
    json = JSON.parse(text ?? "");
  } catch {
    return {};
  }
  if ((json as { v?: unknown } | null)?.v !== 1) return {};
  const parsed = encodedSchema.safeParse(json);
  if (!parsed.success) throw new StreamdropError("config", `A committed offset's metadata looks like Streamdrop's but cannot be read (${parsed.error.issues[0]?.message ?? "malformed"}): ${text}. Another tool may have written it; reset the exporter's consumer group offsets with care.`);
  const { i, l } = parsed.data;
  return {
    ...(i ? { intent: { time: i.t, counter: i.c, held: i.h, ranges: i.r.map(([partition, first, last]) => ({ partition, first, last })), shape: decodeShape(i, legacy) } } : {}),
    ...(l ? { last: { time: l[0], counter: l[1] } } : {}),
  };
}

function decodeShape(i: EncodedIntent, legacy: Pick<FileShape, "prefix" | "lines">): FileShape {
  const common = { ...(i.p ? { template: i.p } : {}), compression: i.z ?? "none" } as const;
  if (i.n === undefined) return { ...(legacy.prefix ? { prefix: legacy.prefix } : {}), ...common, lines: legacy.lines, rules: 1 };
  const fields = (i.f ?? defaultFields).split(",");
  if (!knownRules.includes(i.n) || !fields.every((field) => (recordFields as readonly string[]).includes(field))) throw plannedByNewer();
  return { ...(i.x ? { prefix: i.x } : {}), ...common, lines: { fields: fields as FileShape["lines"]["fields"], tombstones: i.b ?? defaultTombstones }, rules: i.n };
}

const plannedByNewer = () =>
  new StreamdropError("config", "A file left pending was planned by a newer version of Streamdrop, whose lines this version cannot re-create byte for byte. Run the newer version until the exporter has caught up, then this one.");

/** Whether two partitions' intents name the same file (each partition of a file carries the whole intent). */
export const sameIntent = (a: FileIntent, b: FileIntent) => encodeMetadata({ intent: a }) === encodeMetadata({ intent: b });

/** Whether the intent fits Kafka's limit, beside the last name used (the intent commit carries both). */
export const fitsMetadata = (intent: FileIntent) => Buffer.byteLength(encodeMetadata({ intent, last: { time: intent.time, counter: 999_999 } })) <= maxMetadataBytes;
