// A file's format: how records become its bytes, how each part is finished, and what kind of file
// each part is (its name's suffix and Content-Type follow the kind). The seam the Confluent S3
// sink calls a RecordWriterProvider: the commit protocol and the file writer ask the format, and
// nothing outside it branches on which one it is.
// - JSON Lines: both parts are the gathered lines, stored as they are or compressed whole.
// - Parquet: the events part is the lines laid out as columns (parquet/parquet-body.ts); a record
//   whose line does not fit the columns is an `-invalid` line with the reason, and that part stays
//   JSON Lines, where any bytes can be kept. With the columns of each value's writer schema
//   (Schema Registry topics), a file's events are grouped by writer schema, and each group is a
//   Parquet file of its own: a cut stores at most as many as the schemas its events were written
//   with, however often producers change schemas.
import type { FileKind, RecordField } from "../../../../common/record-format.js";
import type { Column } from "../../../../common/table-columns.js";
import type { FileBody } from "../../stores/file-body.js";
import { Batch, type EventGroup, type LineCheck } from "./batch.js";
import type { LinePlace } from "../lines/line-format.js";
import { compressBody } from "./compression.js";
import { ownColumns, type FileShape, type OwnColumns } from "../file-shape.js";
import { maxGroupNameChars } from "../file-names.js";
import type { SpillTarget } from "./spills-and-sinks.js";
import type { WireDecoder, WriterColumns } from "../lines/wire-decoding.js";
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
  /** A part's body as stored, from its gathered lines (compressed or laid out off the hot path); `group`: the events of one writer schema. */
  finish(part: PartKind, lines: FileBody, group?: EventGroup): Promise<FileBody>;
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
  const own = ownColumns(parquet);
  const tables = new Tables(shape.lines.fields);
  return {
    kindOf: (part) => (part === "events" ? "parquet" : shape.compression),
    // Athena reads every file of a table's folders, and a JSON Lines file among Parquet ones fails its queries.
    hidden: (part) => part === "invalid",
    bodyIsLines: false,
    newBatch: (topic, spill, decoder) =>
      new Batch(shape.lines, topic, spill, shape.rules, decoder, own ? fitsColumns(tables.of(own.columns), own, newField) : fitsWriterColumns(tables, decoder)),
    finish: async (part, body, group) => {
      if (part === "invalid") return lines(part, body);
      const table = tables.of(group?.columns ?? own?.columns ?? noColumns);
      return (await import("../parquet/parquet-body.js")).parquetBody(body, table, parquet.compression, parquet.writer);
    },
  };
}

/** The tables of a format's files, made once per set of columns (a file per writer schema makes several). */
class Tables {
  private readonly made = new Map<Column[], ParquetTable>();

  constructor(private readonly fields: readonly RecordField[]) {}

  of(columns: Column[]): ParquetTable {
    let table = this.made.get(columns);
    if (!table) {
      table = parquetTable(this.fields, columns);
      this.made.set(columns, table);
    }
    return table;
  }
}

/** Whether an event's line fits the file's columns; a misfit's reason names the field and the columns' version. */
export function fitsColumns(table: ParquetTable, columns: OwnColumns, newField?: NewFieldSeen): LineCheck {
  return (line): LinePlace => {
    const read = readRow(line.toString("utf8"), table.rowOf);
    if (!("misfit" in read)) return {};
    const { path, problem } = read.misfit;
    const seen = read.misfit.newField;
    // In an envelope the value's fields are under `value`; a field of the envelope itself is never new.
    if (seen && table.valueOnly) newField?.(seen.path, seen.value);
    else if (seen && seen.path[0] === "value" && seen.path.length > 1) newField?.(seen.path.slice(1), seen.value);
    return { problem: `${misfitText(path, problem)} (columns version ${columns.version})` };
  };
}

/**
 * Each event in the group of its value's writer schema, whose columns it is checked against (a
 * schema's columns fit every value it writes; a JSON Schema's values are the producer's JSON, and
 * may not). A kept tombstone has no value, nor schema: it joins the file's own events part, whose
 * rows have no value column.
 */
function fitsWriterColumns(tables: Tables, decoder: WireDecoder | undefined): LineCheck {
  return (line, record): LinePlace => {
    const writer: WriterColumns =
      record.value === null
        ? tombstones
        : decoder
          ? decoder.writerColumns(record.value)
          : { problem: "not decoded with the stream's Schema Registry, and this file's columns are those of each value's registered schema" };
    if ("problem" in writer) return writer;
    if (writer.group.name.length > maxGroupNameChars)
      return { problem: `its writer schema and message (${writer.group.name}) name a file longer than file names allow (${maxGroupNameChars} characters)` };
    const read = readRow(line.toString("utf8"), tables.of(writer.group.columns).rowOf);
    if ("misfit" in read) return { problem: `${misfitText(read.misfit.path, read.misfit.problem)} (the columns of schema ${writer.group.name})` };
    return writer.group.name === "" ? {} : { group: writer.group };
  };
}

/** Kept tombstones: the file's own events part, with no value column (one table for all of them). */
const noColumns: Column[] = [];
const tombstones: WriterColumns = { group: { name: "", columns: noColumns } };

const misfitText = (path: string, problem: string) => `${path === "" ? "the row" : `the field ${JSON.stringify(path)}`} is ${problem}`;
