// What every engine's definition shares: its input, its result, and the header that says where
// the files are and what the person should know, as SQL comments (they travel with a copy).
import type { Compression } from "../../../common/record-format.js";
import type { TableSource } from "./layout.js";
import type { InferredSchema } from "./schema.js";

import type { TableEngine } from "../../../common/table-engines.js";

export { tableEngines, type TableEngine } from "../../../common/table-engines.js";

export interface TableInput {
  source: TableSource;
  schema: InferredSchema;
  /** DuckDB: read a local copy of the files (the folder the exporter's prefix was copied to) instead of the bucket. */
  localRoot?: string;
}

export interface TableDefinition {
  engine: TableEngine;
  /** The statements, notes included as comments: run as they are. */
  sql: string;
  notes: string[];
}

/** A SQL identifier of letters, digits and `_` made from an exporter's name. */
export function tableNameOf(exporter: string): string {
  const name = exporter.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return /^[a-z_]/.test(name) ? name : `_${name}`;
}

export const isPlainIdentifier = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

const compressionWords: Record<Compression, string> = { none: "plain JSON Lines", gzip: "gzip-compressed JSON Lines", zstd: "zstd-compressed JSON Lines" };

/** The header: the exporter, its files, how lines are shaped, and the notes. */
export function header(input: TableInput, engineName: string, notes: readonly string[]): string {
  const { source, schema } = input;
  const shape = source.fields.length === 1 && source.fields[0] === "value" ? "each line is an event itself" : `each line is an envelope of ${source.fields.join(", ")}`;
  const lines = [
    `${engineName} table for Streamdrop batch exporter ${source.exporter}: topic ${source.topic}, ${compressionWords[source.compression]}, ${shape}.`,
    `Columns inferred from ${schema.sampled} sampled line${schema.sampled === 1 ? "" : "s"}; fields not seen there are not columns.`,
    ...notes,
  ];
  return lines.map((line) => `-- ${line}`).join("\n");
}

export const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;
