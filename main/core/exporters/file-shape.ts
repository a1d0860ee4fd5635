// A batch file's shape: every setting that decides its key or its bytes, besides its records and
// the name's own parts (cut time, counter, partitions held). It is fixed when the file is planned
// and travels in the file's intent (commit-metadata.ts), so a file left pending across a change of
// settings is re-created exactly as planned: the same key, the same bytes, the same split between
// the events and the `-invalid` part. That is what lets a create-only store's "that name exists"
// stand for "this very file is stored" (docs/EXACTLY-ONCE.md).
//
// A setting that shapes files belongs here and nowhere else: one left out would let recovery write
// other bytes under a name that may exist, which on a create-only store loses or doubles events.
import type { Compression, Decoding, ParquetCompression } from "../../../common/record-format.js";
import type { Column, ColumnsVersion } from "../../../common/table-columns.js";
import { lineFormat, lineRules, type LineFormat } from "./lines/line-format.js";
import { parquetWriter, schemaColumnsRules } from "./parquet/parquet-rules.js";
import { takesRegistryColumns } from "./parquet/parquet-settings.js";

/**
 * A Parquet file's columns: a version of the exporter's own (versions never change once kept), or
 * those of each value's writer schema (Schema Registry topics: a file per writer schema in a cut),
 * made by the schema-columns rules `registry` names (parquet-rules.ts).
 */
export type ParquetColumns = OwnColumns | { registry: number };

/** A version of the exporter's own columns. */
export interface OwnColumns {
  version: number;
  columns: Column[];
}

/** What makes a Parquet file's bytes, besides its lines. */
export interface ParquetShape {
  columns: ParquetColumns;
  compression: ParquetCompression;
  /** The rules that lay lines out as Parquet (parquet-body.ts's `parquetWriter`). */
  writer: number;
}

export interface FileShape {
  /** The exporter's path prefix; absent: the bucket's root. */
  prefix?: string;
  /** Folders between the prefix and the name (common/path-template.ts); absent: none. */
  template?: string;
  /** How JSON Lines parts are compressed: the whole file, or a Parquet file's `-invalid` part. */
  compression: Compression;
  /** Parquet files: their columns, codec and writer rules; absent: JSON Lines. */
  parquet?: ParquetShape;
  /** What a line holds: the record fields and what becomes of tombstones. */
  lines: LineFormat;
  /**
   * Whether keys and values in a Schema Registry's wire format are decoded to JSON. A line stays a
   * pure function of its record, since a registry never changes the schema an id names.
   */
  decode: Decoding;
  /** The version of the rules that turn a record into a line: see `lineRules`. */
  rules: number;
}

/** The exporter settings that shape its files. */
export interface ShapingSettings {
  pathPrefix?: string | undefined;
  pathTemplate?: string | undefined;
  compression: Compression;
  fields: readonly string[];
  tombstones: string;
  /** Absent: none (a stream without a registry has nothing to decode with). */
  decode?: Decoding | undefined;
  /** Absent: JSON Lines. `columnsFrom`: each value's writer schema's columns, not the exporter's versions. */
  parquet?: { compression: ParquetCompression; columnsFrom?: "registry" | undefined } | undefined;
  /** The Parquet columns' versions, oldest first: new files take the last. */
  columns?: readonly ColumnsVersion[] | undefined;
}

/** The shape of the files an exporter with these settings writes from now on. */
export function fileShapeOf(settings: ShapingSettings): FileShape {
  return {
    ...(settings.pathPrefix ? { prefix: settings.pathPrefix } : {}),
    ...(settings.pathTemplate ? { template: settings.pathTemplate } : {}),
    compression: settings.compression,
    ...(settings.parquet ? { parquet: parquetShapeOf(settings.parquet.compression, takesRegistryColumns(settings), settings.columns) } : {}),
    lines: lineFormat(settings.fields, settings.tombstones),
    decode: settings.decode ?? "none",
    rules: lineRules,
  };
}

/**
 * Whether an exporter's new files decode: unless it says `none`, when its stream names a Schema
 * Registry. A stream without one has nothing to decode with, and its files keep such bytes as bytes.
 */
export function decodingOf(exporter: { decode?: Decoding | undefined }, stream: { schemaRegistry?: unknown }): Decoding {
  return exporter.decode !== "none" && stream.schemaRegistry !== undefined ? "registry" : "none";
}

function parquetShapeOf(compression: ParquetCompression, fromRegistry: boolean, versions: ShapingSettings["columns"]): ParquetShape {
  if (fromRegistry) return { columns: { registry: schemaColumnsRules }, compression, writer: parquetWriter };
  const latest = versions?.at(-1);
  if (!latest) throw new Error("a Parquet exporter has no columns");
  return { columns: { version: latest.version, columns: latest.columns }, compression, writer: parquetWriter };
}

/** The exporter's own columns a shape's files are written with, or undefined when they are each writer schema's. */
export const ownColumns = (parquet: ParquetShape): OwnColumns | undefined => ("version" in parquet.columns ? parquet.columns : undefined);
