// What every engine's definition shares: its input, its result, and the notes that say what the
// table reads and what the person should know. Notes stay out of the SQL: Athena's DDL parser
// refuses comments, so the statements run as they are printed, in every engine.
import type { Compression } from "../../../common/record-format.js";
import { StreamdropError } from "../errors.js";
import type { TableSource } from "./layout.js";
import type { InferredSchema } from "./schema.js";

export { tableEngines, type TableDefinition, type TableEngine } from "../../../common/table-engines.js";

export interface TableInput {
  source: TableSource;
  schema: InferredSchema;
  /** DuckDB: read a local copy of the files (the folder the exporter's prefix was copied to) instead of the bucket. */
  localRoot?: string;
}

/** A SQL identifier of letters, digits and `_` made from an exporter's name. */
export function tableNameOf(exporter: string): string {
  const name = exporter.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return /^[a-z_]/.test(name) ? name : `_${name}`;
}

export const isPlainIdentifier = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

const compressionWords: Record<Compression, string> = { none: "plain JSON Lines", gzip: "gzip-compressed JSON Lines", zstd: "zstd-compressed JSON Lines" };

/** The first notes of every definition: the exporter and its files, and where the columns came from. */
export function summaryNotes(input: TableInput, engineName: string): string[] {
  const { source, schema } = input;
  const shape =
    source.fields.length === 1 && source.fields[0] === "value" ? "each line is an event itself" : `each line is an envelope of ${source.fields.join(", ")}`;
  return [
    `${engineName} table for Streamdrop batch exporter ${source.exporter}: topic ${source.topic}, ${compressionWords[source.compression]}, ${shape}.`,
    schema.registered
      ? `Columns from the registered schema ${schema.registered.subject} version ${schema.registered.version} (id ${schema.registered.id}), the latest the sampled events name. A field a later version adds (an optional one, as compatible evolution allows) becomes a column when you ask for the definition again and define the table anew; lines written before it read it as null.`
      : `Columns inferred from ${schema.sampled} sampled line${schema.sampled === 1 ? "" : "s"}; fields not seen there are not columns.`,
  ];
}

export const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * A table needs a column: `CREATE TABLE t ()` and DuckDB's `columns = {}` are not SQL. When the
 * sampled lines give none the engine can name (empty objects, or every field left out), the notes
 * that say why each field was left out are the error.
 */
export function checkSomeColumn(engineName: string, columns: number, input: TableInput, notes: readonly string[]): void {
  if (columns > 0) return;
  const reasons = notes.filter((note) => note.includes(" is left out: "));
  const why = reasons.length > 0 ? ` ${reasons.join(" ")}` : " (they are empty objects).";
  throw new StreamdropError(
    "not-found",
    `No field of the ${input.schema.sampled} sampled line${input.schema.sampled === 1 ? "" : "s"} can be a column of a ${engineName} table, so there is no table to define.${why}`,
  );
}
