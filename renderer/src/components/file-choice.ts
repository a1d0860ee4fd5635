// What an exporter's files are, as the window holds the choice: JSON Lines with its compression, or
// Parquet with its codec. The wizard (with the sink's policy or document) and the exporter's
// settings share it; CompressionField.tsx offers it.
import { compressionFormats, fileKindFormats, type Compression, type FileKind, type ParquetCompression } from "../../../common/record-format";
import type { ExporterInfo } from "../../../preload/contract";

export type FileChoice = { format: "jsonl"; compression: Compression } | { format: "parquet"; compression: ParquetCompression };

export const defaultFileChoice: FileChoice = { format: "jsonl", compression: "none" };

/** Each format's default compression, when a person switches to it. */
export const freshFileChoice: Record<FileChoice["format"], FileChoice> = { jsonl: defaultFileChoice, parquet: { format: "parquet", compression: "zstd" } };

/** What a sink's permissions and documents must cover for these files: a Parquet exporter's -invalid files are plain JSON Lines. */
export const fileKindsOf = (choice: FileChoice): FileKind[] => (choice.format === "parquet" ? ["none", "parquet"] : [choice.compression]);

/** The files' names as patterns, in words: "*.jsonl.gz files", "*.parquet files (and *.jsonl, for events that do not fit)". */
export const filesText = (choice: FileChoice): string =>
  choice.format === "parquet"
    ? `*${fileKindFormats.parquet.suffix} files (and *${fileKindFormats.none.suffix}, for events that do not fit the columns)`
    : `*${compressionFormats[choice.compression].suffix} files`;

/** An exporter's files as it writes them now. */
export const fileChoiceOf = (exporter: Pick<ExporterInfo, "format" | "compression" | "parquetCompression">): FileChoice =>
  exporter.format === "parquet"
    ? { format: "parquet", compression: exporter.parquetCompression ?? "zstd" }
    : { format: "jsonl", compression: exporter.compression };

/** The settings of a create or a change: the format when not JSON Lines, the compression when not its default. */
export const fileSettingsOf = (choice: FileChoice) => ({
  ...(choice.format === "parquet" ? { format: choice.format } : {}),
  ...(choice.compression !== freshFileChoice[choice.format].compression ? { compression: choice.compression } : {}),
});
