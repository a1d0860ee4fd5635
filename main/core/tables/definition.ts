// What every engine's definition shares: its input, its result, and the notes that say what the
// table reads and what the person should know. Notes stay out of the SQL: Athena's DDL parser
// refuses comments, so the statements run as they are printed, in every engine.
import type { FileKind } from "../../../common/record-format.js";
import { StreamdropError } from "../errors.js";
import { isWholeLines, wholeLineColumn, type WholeLines } from "./fallback-columns.js";
import { formatOf, locationOf, otherFormatLayouts, ownFolder, partitionColumnsOf, type PlacedLayout, type TableSource } from "./layout.js";
import { isParquetColumns, parquetColumnsNotes, type ParquetColumns } from "./parquet-columns.js";
import type { InferredSchema } from "./schema.js";

export { tableEngines, type TableDefinition, type TableEngine } from "../../../common/table-engines.js";

export interface TableInput {
  source: TableSource;
  /**
   * The columns: Parquet files', from the exporter's columns (parquet-columns.ts); JSON Lines',
   * inferred from the lines, or none known, each line read whole (fallback-columns.ts).
   */
  schema: InferredSchema | WholeLines | ParquetColumns;
  /** DuckDB: read a local copy of the files (the folder the exporter's prefix was copied to) instead of the bucket. */
  localRoot?: string;
}

/** A SQL identifier of letters, digits and `_` made from an exporter's name. */
export function tableNameOf(exporter: string): string {
  const name = exporter.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return /^[a-z_]/.test(name) ? name : `_${name}`;
}

export const isPlainIdentifier = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

const compressionWords: Record<FileKind, string> = {
  none: "plain JSON Lines",
  gzip: "gzip-compressed JSON Lines",
  zstd: "zstd-compressed JSON Lines",
  parquet: "Parquet",
};

/**
 * The first notes of every definition: the exporter and its files, where the columns came from,
 * and the layouts read. `columnsFromFiles`: the engine reads Parquet files' columns from the files
 * themselves rather than declaring them.
 */
export function summaryNotes(input: TableInput, engineName: string, layouts: readonly PlacedLayout[], columnsFromFiles = false): string[] {
  const { source, schema } = input;
  const unit = formatOf(source) === "parquet" ? "row" : "line";
  const shape =
    source.fields.length === 1 && source.fields[0] === "value"
      ? `each ${unit} is an event itself`
      : `each ${unit} is an envelope of ${source.fields.join(", ")}`;
  const compressions = [...new Set(layouts.map((layout) => layout.compression))].map((compression) => compressionWords[compression]);
  return [
    `${engineName} table for Streamdrop batch exporter ${source.exporter}: topic ${source.topic}, ${compressions.join(" and ")}, ${shape}.`,
    ...(isParquetColumns(schema) ? parquetColumnsNotes(schema, columnsFromFiles) : [columnsNote(schema)]),
    ...layoutNotes(source, layouts),
  ];
}

function columnsNote(schema: InferredSchema | WholeLines): string {
  const lines = (count: number) => `${count} sampled line${count === 1 ? "" : "s"}`;
  if (isWholeLines(schema))
    return `No columns are known: the topic cannot be read now (${schema.why}), no definition was made from it before, and Streamdrop does not read the bucket. Each line is read whole, as JSON text, in the column ${wholeLineColumn}; ask again once the topic can be read for typed columns.`;
  if (schema.fallback?.kind === "envelope")
    return `Columns are the envelope's own fields: the topic cannot be read now (${schema.fallback.why}), and no definition was made from it before. Keys, values and headers are JSON text.`;
  if (schema.fallback?.kind === "remembered")
    return `Columns from the definition made ${schema.fallback.at} (${schema.registered ? `the registered schema ${schema.registered.subject} version ${schema.registered.version}` : lines(schema.sampled)}): the topic cannot be read now (${schema.fallback.why}). Fields added since are not columns.`;
  return schema.registered
    ? `Columns from the registered schema ${schema.registered.subject} version ${schema.registered.version} (id ${schema.registered.id}), the latest the sampled events name. A field a later version adds (an optional one, as compatible evolution allows) becomes a column when you ask for the definition again and define the table anew; lines written before it read it as null.`
    : `Columns inferred from ${lines(schema.sampled)}; fields not seen there are not columns.`;
}

/** Where a layout's files are, as a note names them: its folder, then its template's folders as written. */
export const layoutPlace = (source: TableSource, layout: PlacedLayout) => `${locationOf(source, layout)}${layout.template ? `${layout.template}/` : ""}`;

/** A layout as a note names it: its place, its compression, its files. */
export function layoutText(source: TableSource, layout: PlacedLayout): string {
  const files = layout.files === undefined ? "" : `, ${layout.files} file${layout.files === 1 ? "" : "s"} in the export log`;
  return `${layoutPlace(source, layout)} (${compressionWords[layout.compression]}${files}${layout.current ? ", the current settings" : ""})`;
}

/** The layouts read (when more than one), those of the other format, what the export log no longer names, and partition values taken from file names. */
function layoutNotes(source: TableSource, layouts: readonly PlacedLayout[]): string[] {
  const notes: string[] = [];
  const others = otherFormatLayouts(source);
  if (others.length > 0) {
    const parquet = formatOf(source) === "parquet";
    notes.push(
      `The exporter also wrote ${parquet ? "JSON Lines" : "Parquet"} files before it switched to ${parquet ? "Parquet" : "JSON Lines"}: ${others.map((layout) => layoutText(source, layout)).join("; ")}. This table reads its ${parquet ? "Parquet" : "JSON Lines"} files only, since a table reads one format (${parquet ? "Parquet files' columns are declared from the exporter's columns, JSON Lines' inferred from the lines" : "JSON Lines' columns are inferred from the lines, Parquet files' declared from the exporter's columns"}), so those files are not read.`,
    );
  }
  if (layouts.length > 1)
    notes.push(
      `The exporter's files are in ${layouts.length} layouts (its settings changed; the export log names each file): ${layouts.map((layout) => layoutText(source, layout)).join("; ")}. The table reads them all, each file once.`,
    );
  if (source.forgottenFiles)
    notes.push(
      `The export log no longer names the exporter's ${source.forgottenFiles} oldest files (it keeps the newest): a layout only they were in is not read. The layouts of files another computer's Streamdrop wrote are not known here either.`,
    );
  const columns = partitionColumnsOf(layouts);
  const derived = columns.filter((column) => layouts.some((layout) => !ownFolder(layout, column)));
  if (derived.length > 0)
    notes.push(
      `Files not in folders of ${derived.map((column) => column.name).join(", ")} get ${derived.length === 1 ? "that column" : "those columns"} from the time in their names, which the folders are made from: the same values.`,
    );
  return notes;
}

export const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * A table needs a column: `CREATE TABLE t ()` and DuckDB's `columns = {}` are not SQL. When the
 * sampled lines give none the engine can name (empty objects, or every field left out), the notes
 * that say why each field was left out are the error.
 */
export function checkSomeColumn(engineName: string, columns: number, schema: InferredSchema, notes: readonly string[]): void {
  if (columns > 0) return;
  const reasons = notes.filter((note) => note.includes(" is left out: "));
  const why = reasons.length > 0 ? ` ${reasons.join(" ")}` : " (they are empty objects).";
  throw new StreamdropError(
    "not-found",
    `No field of the ${schema.sampled} sampled line${schema.sampled === 1 ? "" : "s"} can be a column of a ${engineName} table, so there is no table to define.${why}`,
  );
}
