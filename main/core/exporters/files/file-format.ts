// A file's format: how records become its bytes, how each part is finished, and what kind of file
// each part is (its name's suffix and Content-Type follow the kind). The seam the Confluent S3
// sink calls a RecordWriterProvider: the commit protocol and the file writer ask the format, and
// nothing outside it branches on which one it is.
// - JSON Lines: both parts are the gathered lines, stored as they are or compressed whole.
// - Parquet: the events part is the lines laid out as columns (parquet/parquet-body.ts); a record
//   whose line does not fit the columns is an `-invalid` line with the reason, and that part stays
//   JSON Lines, where any bytes can be kept.
import type { FileKind } from "../../../../common/record-format.js";
import type { FileBody } from "../../stores/file-body.js";
import { Batch, type LineCheck } from "./batch.js";
import { compressBody } from "./compression.js";
import type { FileShape, ParquetShape } from "../file-shape.js";
import type { SpillTarget } from "./spills-and-sinks.js";
import type { WireDecoder } from "../lines/wire-decoding.js";
import { parquetTable, type ParquetTable } from "../parquet/parquet-table.js";
import { readRow, type PathPart } from "../parquet/column-values.js";

/** A file's parts: its events, and the records that are not events (`-invalid`). */
export type PartKind = "events" | "invalid";

export interface FileFormat {
  /** What kind of file a part is: its name's suffix and its Content-Type. */
  kindOf(part: PartKind): FileKind;
  /** Whether a part's name starts with `_`, for query engines to skip (file-names.ts). */
  hidden(part: PartKind): boolean;
  /** Whether the stored events body is the gathered lines as they are (no finishing pass): a store that signs a body's hash can have it computed as the lines are spooled. */
  readonly bodyIsLines: boolean;
  /** Gathers records as the format's lines, spilling full chunks to `spill`; `decoder` when the shape decodes. */
  newBatch(topic: string, spill: SpillTarget, decoder?: WireDecoder): Batch;
  /** A part's body as stored, from its gathered lines (compressed or laid out off the hot path). */
  finish(part: PartKind, lines: FileBody): Promise<FileBody>;
}

/** Told of a field an event holds that the columns lack (its path within the value's columns, and its value). */
export type NewFieldSeen = (path: readonly PathPart[], value: unknown) => void;

/**
 * The format of files of this shape: the same shape gives the same bytes (a re-created file is
 * identical). `newField` hears of fields a Parquet file's columns lack (the worker proposes them).
 */
export function fileFormatOf(shape: FileShape, newField?: NewFieldSeen): FileFormat {
  const lines = (part: PartKind, body: FileBody) => compressBody(body, shape.compression);
  if (!shape.parquet) {
    return {
      kindOf: () => shape.compression,
      hidden: () => false,
      bodyIsLines: shape.compression === "none",
      newBatch: (topic, spill, decoder) => new Batch(shape.lines, topic, spill, shape.rules, decoder),
      finish: lines,
    };
  }
  const parquet = shape.parquet;
  const table = parquetTable(shape.lines.fields, parquet.columns.columns);
  return {
    kindOf: (part) => (part === "events" ? "parquet" : shape.compression),
    // Athena reads every file of a table's folders, and a JSON Lines file among Parquet ones fails its queries.
    hidden: (part) => part === "invalid",
    bodyIsLines: false,
    newBatch: (topic, spill, decoder) => new Batch(shape.lines, topic, spill, shape.rules, decoder, fitsColumns(table, parquet, newField)),
    finish: async (part, body) =>
      part === "events" ? (await import("../parquet/parquet-body.js")).parquetBody(body, table, parquet.compression, parquet.writer) : lines(part, body),
  };
}

/** Whether an event's line fits the file's columns; a misfit's reason names the field and the columns' version. */
export function fitsColumns(table: ParquetTable, parquet: ParquetShape, newField?: NewFieldSeen): LineCheck {
  return (line) => {
    const read = readRow(line.toString("utf8"), table.rowOf);
    if (!("misfit" in read)) return undefined;
    const { path, problem } = read.misfit;
    const seen = read.misfit.newField;
    // In an envelope the value's fields are under `value`; a field of the envelope itself is never new.
    if (seen && table.valueOnly) newField?.(seen.path, seen.value);
    else if (seen && seen.path[0] === "value" && seen.path.length > 1) newField?.(seen.path.slice(1), seen.value);
    return `${path === "" ? "the row" : `the field ${JSON.stringify(path)}`} is ${problem} (columns version ${parquet.columns.version})`;
  };
}
