// What each partition's committed offset carries in its metadata (Kafka keeps it with the offset,
// in the consumer group, up to offset.metadata.max.bytes, 4096 by default):
// - `i`, the intent: the file about to be stored (its time, counter, the partitions in its name
//   and each partition's offset range), written before the upload with the offset unchanged, and
//   the file's shape (file-shape.ts: prefix `x`, folders `p`, compression `z`, fields `f`,
//   tombstones `b`, decoding `d`, line rules `n`, and for Parquet `q`: the columns' version, the
//   codec and the writer rules; the columns themselves are the exporter's, kept by version; or 0
//   for each writer schema's columns, with their rules fourth), so a file pending across a change of settings is re-created
//   as it was planned: the same key and the same bytes;
// - `l`, the last file time and counter used for this partition, so a restarted worker never
//   reuses a name in the same second.
// After the upload the offset moves past the range and the intent is cleared.
// A worker stores up to two cuts at once (commit-protocol.ts): while the first cut's file is being
// stored, the next cut's intent joins it, and `i` is then a list of the two, oldest first (the
// committed offset is still the first one's). One intent stays a plain object, as versions that
// knew only one wrote it; those versions cannot read a list and stop (or fail) on it, rather than
// re-create the first file and read the second file's records into a new one.
import { z } from "zod";
import { checkPathTemplate } from "../../../../common/path-template.js";
import { compressions, decodings, parquetCompressions, tombstonePolicies } from "../../../../common/record-format.js";
import type { Column } from "../../../../common/table-columns.js";
import { normalizePrefix } from "../../sinks/path-prefix.js";
import type { OffsetRange } from "../files/batch.js";
import type { FileShape, ParquetShape } from "../file-shape.js";
import { knownRules, lineFormat } from "../lines/line-format.js";
import { knownParquetWriters, knownSchemaColumnsRules } from "../parquet/parquet-rules.js";

export interface FileIntent {
  time: number;
  counter: number;
  /** Partitions in the file's name (those the worker held), ascending. */
  held: number[];
  ranges: OffsetRange[];
  shape: FileShape;
}

/** The last file name used for a partition: its time and counter. */
export interface UsedName {
  time: number;
  counter: number;
}

/**
 * A partition's metadata: the file pending on it (`intent`), and `next`, the next cut's file when
 * it was planned while the first was still being stored; never `next` alone.
 */
export type PartitionMetadata = { last?: UsedName } & ({ intent?: undefined; next?: undefined } | { intent: FileIntent; next?: FileIntent });

/** Kafka's default offset.metadata.max.bytes: an intent that would not fit is split (file-intents.ts's planIntents). */
export const maxMetadataBytes = 4096;

const defaultFields = "value";
const defaultTombstones = "invalid";

const rangeSchema = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative()]);
const intentSchema = z
  .object({
    t: z.number().int(),
    c: z.number().int().nonnegative(),
    h: z.array(z.number().int().nonnegative()),
    r: z.array(rangeSchema),
    x: z.string().min(1).optional(),
    p: z.string().min(1).optional(),
    z: z.enum(compressions).exclude(["none"]).optional(),
    f: z.string().optional(),
    b: z.enum(tombstonePolicies).optional(),
    d: z.enum(decodings).exclude(["none"]).optional(),
    // Absent: planned by a version before the shape was recorded whole (see decodeShape).
    n: z.number().int().positive().optional(),
    // [columns version, codec, writer rules], or with each writer schema's columns [0, codec, writer rules, schema-columns rules].
    q: z
      .union([
        z.tuple([z.number().int().positive(), z.enum(parquetCompressions), z.number().int().positive()]),
        z.tuple([z.literal(0), z.enum(parquetCompressions), z.number().int().positive(), z.number().int().positive()]),
      ])
      .optional(),
  })
  // A key this version does not know may shape the file: re-creating it without that would write another file.
  .strict();
const lastSchema = z.tuple([z.number().int(), z.number().int().nonnegative()]);
type EncodedIntent = z.infer<typeof intentSchema>;
type Encoded = { v: 1; i?: EncodedIntent | [EncodedIntent, EncodedIntent]; l?: z.infer<typeof lastSchema> };

export function encodeMetadata(metadata: PartitionMetadata): string {
  const encoded: Encoded = { v: 1 };
  if (metadata.intent) encoded.i = metadata.next ? [encodeIntent(metadata.intent), encodeIntent(metadata.next)] : encodeIntent(metadata.intent);
  if (metadata.last) encoded.l = [metadata.last.time, metadata.last.counter];
  return JSON.stringify(encoded);
}

function encodeIntent({ time, counter, held, ranges, shape }: FileIntent): EncodedIntent {
  return { t: time, c: counter, h: held, r: ranges.map((range) => [range.partition, range.first, range.last]), ...encodeShape(shape) };
}

function encodeShape(shape: FileShape): Partial<EncodedIntent> {
  const fields = shape.lines.fields.join(",");
  return {
    ...(shape.prefix ? { x: shape.prefix } : {}),
    ...(shape.template ? { p: shape.template } : {}),
    ...(shape.compression !== "none" ? { z: shape.compression } : {}),
    ...(fields !== defaultFields ? { f: fields } : {}),
    ...(shape.lines.tombstones !== defaultTombstones ? { b: shape.lines.tombstones } : {}),
    ...(shape.decode !== "none" ? { d: shape.decode } : {}),
    n: shape.rules,
    ...(shape.parquet ? { q: encodeParquet(shape.parquet) } : {}),
  };
}

function encodeParquet({ columns, compression, writer }: ParquetShape): NonNullable<EncodedIntent["q"]> {
  return "registry" in columns ? [0, compression, writer, columns.registry] : [columns.version, compression, writer];
}

export type DecodedMetadata = PartitionMetadata & {
  /** Ours, but with an intent this version cannot re-create exactly: why. */
  unreadable?: string;
};

/**
 * Anything that is not ours (another tool's metadata, empty) reads as no metadata. The last name
 * used is read on its own; an intent this version cannot re-create exactly (a newer version's, or
 * damaged) is reported as `unreadable`, for the partition's owner to stop on: skipping it could
 * lose its events, guessing could double them. `legacy` is what an intent from before the whole
 * shape was recorded (no `n`) could not say: those versions re-created pending files with the
 * exporter's prefix and line format of the moment, so the worker's own.
 */
export function decodeMetadata(
  text: string | null | undefined,
  legacy: Pick<FileShape, "prefix" | "lines">,
  columnsOf: ColumnsOf = () => undefined,
): DecodedMetadata {
  let json: { v?: unknown; i?: unknown; l?: unknown };
  try {
    json = JSON.parse(text ?? "") as typeof json;
  } catch {
    return {};
  }
  if (json?.v !== 1) return {};
  const last = lastSchema.safeParse(json.l);
  const decoded: DecodedMetadata = last.success ? { last: { time: last.data[0], counter: last.data[1] } } : {};
  if (json.i === undefined) return decoded;
  // Parsed by its kind, so a damaged one says what is wrong with it rather than that it is neither kind.
  const parsed = (Array.isArray(json.i) ? twoSchema : intentSchema).safeParse(json.i);
  if (!parsed.success) return { ...decoded, unreadable: unreadable(parsed.error.issues[0]?.message ?? "malformed") };
  const intents: FileIntent[] = [];
  for (const i of Array.isArray(parsed.data) ? parsed.data : [parsed.data]) {
    const intent = decodeIntent(i, legacy, columnsOf);
    if (typeof intent === "string") return { ...decoded, unreadable: unreadable(intent) };
    intents.push(intent);
  }
  const [intent, next] = intents as [FileIntent, FileIntent?];
  return { ...decoded, intent, ...(next ? { next } : {}) };
}

/** The two intents of a partition with two cuts being stored, oldest first. */
const twoSchema = z.tuple([intentSchema, intentSchema]);

function decodeIntent(i: EncodedIntent, legacy: Pick<FileShape, "prefix" | "lines">, columnsOf: ColumnsOf): FileIntent | string {
  const shape = decodeShape(i, legacy, columnsOf);
  if (typeof shape === "string") return shape;
  return { time: i.t, counter: i.c, held: i.h, ranges: i.r.map(([partition, first, last]) => ({ partition, first, last })), shape };
}

/** The intent's shape, checked as the exporter's settings are when they are set; or what is wrong with it. */
function decodeShape(i: EncodedIntent, legacy: Pick<FileShape, "prefix" | "lines">, columnsOf: ColumnsOf): FileShape | string {
  if (i.p !== undefined && !checkPathTemplate(i.p).ok) return `its folders ${JSON.stringify(i.p)} are not a path template`;
  const common = { ...(i.p ? { template: i.p } : {}), compression: i.z ?? "none", decode: i.d ?? "none" } as const;
  if (i.n === undefined) return { ...(legacy.prefix ? { prefix: legacy.prefix } : {}), ...common, lines: legacy.lines, rules: 1 };
  if (!knownRules.includes(i.n)) return `its lines follow rules version ${i.n}, and this version knows ${knownRules.join(", ")}`;
  if (i.x !== undefined && normalizePrefixOrUndefined(i.x) !== i.x) return `its prefix ${JSON.stringify(i.x)} is not a path prefix`;
  const parquet = i.q ? parquetShape(i.q, columnsOf) : undefined;
  if (typeof parquet === "string") return parquet;
  try {
    return {
      ...(i.x ? { prefix: i.x } : {}),
      ...common,
      ...(parquet ? { parquet } : {}),
      lines: lineFormat((i.f ?? defaultFields).split(","), i.b ?? defaultTombstones),
      rules: i.n,
    };
  } catch (error) {
    return `its line format cannot be set (${(error as Error).message})`;
  }
}

/** The columns of each version the exporter keeps, for an intent that names one. */
export type ColumnsOf = (version: number) => Column[] | undefined;

function parquetShape(q: NonNullable<EncodedIntent["q"]>, columnsOf: ColumnsOf): ParquetShape | string {
  const [version, compression, writer] = q;
  if (!knownParquetWriters.includes(writer))
    return `its Parquet is laid out by writer rules ${writer}, and this version knows ${knownParquetWriters.join(", ")}`;
  if (q.length === 4) {
    const registry = q[3];
    if (!knownSchemaColumnsRules.includes(registry))
      return `its Parquet columns come from writer schemas by rules ${registry}, and this version knows ${knownSchemaColumnsRules.join(", ")}`;
    return { columns: { registry }, compression, writer };
  }
  const columns = columnsOf(version);
  if (!columns) return `its Parquet columns are version ${version}, which the exporter no longer has`;
  return { columns: { version, columns }, compression, writer };
}

const normalizePrefixOrUndefined = (prefix: string) => {
  try {
    return normalizePrefix(prefix);
  } catch {
    return undefined;
  }
};

const unreadable = (why: string) =>
  `the file left pending there has an intent this version of Streamdrop cannot re-create exactly: ${why}. It was planned by a newer version (run that version until the exporter has caught up), or the exporter's consumer group offsets were changed by another tool.`;

/** Whether two partitions' intents name the same file (each partition of a file carries the whole intent). */
export const sameIntent = (a: FileIntent, b: FileIntent) => encodeMetadata({ intent: a }) === encodeMetadata({ intent: b });

/**
 * Whether the intent fits Kafka's limit, beside the last name used (the intent commit carries
 * both), and beside the intent of a file still being stored when there is one.
 */
export const fitsMetadata = (intent: FileIntent, before?: FileIntent) =>
  Buffer.byteLength(encodeMetadata({ ...(before ? { intent: before, next: intent } : { intent }), last: { time: intent.time, counter: 999_999 } })) <=
  maxMetadataBytes;
