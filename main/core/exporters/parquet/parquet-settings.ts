// An exporter's file settings, checked as they are given: the format, the compression (JSON Lines
// compresses whole files; Parquet compresses inside the file, per column, with codecs of its own),
// and a Parquet exporter's columns. One place decides which compression goes with which format.
import {
  compressions,
  fileFormats,
  parquetCompressions,
  type Compression,
  type FileFormatName,
  type FileKind,
  type ParquetCompression,
} from "../../../../common/record-format.js";
import { columnsText, parseColumns, registryColumns, type Column, type ColumnsChoice } from "../../../../common/table-columns.js";
import { badSetting } from "../../errors.js";

export function checkFileFormat(raw: string | undefined): FileFormatName {
  const value = raw ?? "jsonl";
  if (!(fileFormats as readonly string[]).includes(value))
    throw badSetting(
      "file-format",
      `Unknown file format ${JSON.stringify(value)}: use jsonl (JSON Lines, a line per event) or parquet (columns, for query engines).`,
    );
  return value as FileFormatName;
}

/** A JSON Lines file's compression: none unless said. */
export function checkCompression(raw: string | undefined): Compression {
  const value = raw ?? "none";
  if ((parquetCompressions as readonly string[]).includes(value) && !(compressions as readonly string[]).includes(value))
    throw badSetting("compression", `${value} compresses Parquet files only: JSON Lines files take ${compressions.join(", ")}.`);
  if (!(compressions as readonly string[]).includes(value))
    throw badSetting("compression", `Unknown compression ${JSON.stringify(value)}: use ${compressions.join(", ")}.`);
  return value as Compression;
}

/** A Parquet file's codec: zstd unless said. */
export function checkParquetCompression(raw: string | undefined): ParquetCompression {
  const value = raw ?? "zstd";
  if (!(parquetCompressions as readonly string[]).includes(value))
    throw badSetting("compression", `Unknown compression ${JSON.stringify(value)} for Parquet files: use ${parquetCompressions.join(", ")}.`);
  return value as ParquetCompression;
}

/**
 * A new exporter's format and compression as its record keeps them: JSON Lines compressed as
 * said, or Parquet with its codec, whose `-invalid` parts are plain JSON Lines.
 */
export function checkFileSettings(
  format: string | undefined,
  compression: string | undefined,
): { compression: Compression; parquet?: { compression: ParquetCompression } } {
  if (checkFileFormat(format) === "jsonl") return { compression: checkCompression(compression) };
  return { compression: "none", parquet: { compression: checkParquetCompression(compression) } };
}

/** Whether an exporter's Parquet files take each event's writer schema's columns (not versions of its own). */
export const takesRegistryColumns = (exporter: { parquet?: { columnsFrom?: "registry" | undefined } | undefined }): boolean =>
  exporter.parquet?.columnsFrom === "registry";

/** Columns given as text, or the word `registry`. */
export function checkColumnsChoice(text: string): ColumnsChoice {
  return text.trim() === registryColumns ? { from: "registry" } : { columns: checkColumns(text) };
}

/** Columns given as text (`id int64, name string`), or why they cannot be. */
export function checkColumns(text: string): Column[] {
  const parsed = parseColumns(text);
  if ("problem" in parsed)
    throw badSetting(
      "columns",
      `The columns cannot be read: ${parsed.problem}. Write them as name and type, separated by commas, such as: id int64, at timestamp(micros), tags list<string>; or "${registryColumns}" for each event's registered schema's.`,
    );
  return parsed.columns;
}

/** The kinds of file an exporter writes (a Parquet one's `-invalid` parts are JSON Lines): what its sink's permissions must cover. */
export const fileKindsOf = (exporter: { compression: Compression; parquet?: unknown }): FileKind[] =>
  exporter.parquet ? ["parquet", exporter.compression] : [exporter.compression];

export { columnsText };
