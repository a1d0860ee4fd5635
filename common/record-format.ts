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

/** The compressions a sink's exporters use, each once (none when not said): what its permissions and documents cover. */
export const compressionsOrPlain = (kinds: readonly Compression[] | undefined): Compression[] => [
  ...new Set(kinds && kinds.length > 0 ? kinds : (["none"] as const)),
];

/** The file names those exporters write, as patterns (`*.jsonl.gz`), for documents and policies. */
export const filePatterns = (kinds: readonly Compression[] | undefined) => compressionsOrPlain(kinds).map((kind) => `*${compressionFormats[kind].suffix}`);

/** How a stored key's file is compressed, from its suffix (validation files are plain `.jsonl`). */
export function compressionOfKey(key: string): Compression {
  return compressions.find((compression) => compression !== "none" && key.endsWith(compressionFormats[compression].suffix)) ?? "none";
}

/** The Content-Type a stored key gets, from its suffix. */
export const contentTypeOfKey = (key: string): string => compressionFormats[compressionOfKey(key)].contentType;
