// What a line of a batch file may hold: the record fields and what becomes of tombstones (together,
// the line format). The core (main/core/exporters/lines/line-format.ts) applies them; the wizard and the
// exporter views offer them.

export const recordFields = ["topic", "partition", "offset", "timestamp", "key", "keySchemaId", "headers", "value", "valueSchemaId"] as const;
export type RecordField = (typeof recordFields)[number];

/**
 * What becomes of keys and values in a Schema Registry's wire format: decoded to JSON with their
 * writer's schema (`registry`, the default on a stream that names a registry), or kept as bytes
 * (`none`: base64, as any bytes that are not text).
 */
export const decodings = ["registry", "none"] as const;
export type Decoding = (typeof decodings)[number];

export const tombstonePolicies = ["invalid", "skip", "keep"] as const;
/** What a record with a null value (a tombstone) becomes: an `-invalid` line, nothing, or a line with `"value": null`. */
export type TombstonePolicy = (typeof tombstonePolicies)[number];

/** An exporter's line format, checked by the core (line-format.ts's `lineFormat`). */
export interface LineFormat {
  /** `["value"]`: the event itself; otherwise an envelope of these record fields, in this order. */
  fields: RecordField[];
  tombstones: TombstonePolicy;
}

/** Something to know about a line format that is allowed: `message` is the core's wording (no command-line flags); each front end words it its own way by `code`. */
export interface LineFormatWarning {
  code: "no-values";
  message: string;
}

/** How a batch file is stored: plain JSON Lines (the product page's `.jsonl`), or compressed whole. */
export const compressions = ["none", "gzip", "zstd"] as const;
export type Compression = (typeof compressions)[number];

/** Each compression's file suffix and Content-Type: the file is stored as itself, never with a Content-Encoding. */
export const compressionFormats: Record<Compression, { suffix: string; contentType: string }> = {
  none: { suffix: ".jsonl", contentType: "application/x-ndjson" },
  gzip: { suffix: ".jsonl.gz", contentType: "application/gzip" },
  zstd: { suffix: ".jsonl.zst", contentType: "application/zstd" },
};

/** What an exporter's files are: JSON Lines (each line an event) or Parquet (columns query engines scan). */
export const fileFormats = ["jsonl", "parquet"] as const;
export type FileFormatName = (typeof fileFormats)[number];

/** How a Parquet file's columns are compressed (Parquet's own codecs, inside the file): zstd unless said. */
export const parquetCompressions = ["zstd", "snappy", "gzip", "none"] as const;
export type ParquetCompression = (typeof parquetCompressions)[number];

/**
 * What kinds of files a sink's exporters store, for its permissions, documents and validation
 * files: JSON Lines by compression, or Parquet (whose `-invalid` companions are JSON Lines too).
 */
export const fileKinds = [...compressions, "parquet"] as const;
export type FileKind = (typeof fileKinds)[number];

/** Each kind's file suffix and Content-Type: the file is stored as itself, never with a Content-Encoding. */
export const fileKindFormats: Record<FileKind, { suffix: string; contentType: string }> = {
  ...compressionFormats,
  parquet: { suffix: ".parquet", contentType: "application/vnd.apache.parquet" },
};

/**
 * The kinds a sink's exporters write, each once (plain JSON Lines when not said): what its
 * permissions and documents cover. Parquet brings plain JSON Lines with it: a Parquet exporter's
 * `-invalid` parts.
 */
export const kindsOrPlain = (kinds: readonly FileKind[] | undefined): FileKind[] => {
  const given = kinds && kinds.length > 0 ? kinds : (["none"] as const);
  return [...new Set<FileKind>(given.includes("parquet") ? [...given, "none"] : given)];
};

/** The file names those exporters write, as patterns (`*.jsonl.gz`), for documents and policies. */
export const filePatterns = (kinds: readonly FileKind[] | undefined) => kindsOrPlain(kinds).map((kind) => `*${fileKindFormats[kind].suffix}`);

/** What kind a stored key's file is, from its suffix (validation files are plain `.jsonl`, or `.parquet` for Parquet). */
export function fileKindOfKey(key: string): FileKind {
  return fileKinds.find((kind) => kind !== "none" && key.endsWith(fileKindFormats[kind].suffix)) ?? "none";
}

/** The Content-Type a stored key gets, from its suffix. */
export const contentTypeOfKey = (key: string): string => fileKindFormats[fileKindOfKey(key)].contentType;
