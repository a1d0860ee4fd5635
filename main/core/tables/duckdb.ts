// DuckDB: a view over read_json, with the columns given (no sniffing at query time), the event
// files alone (the glob leaves out `-invalid` and validation files), and partition columns from
// hive folders (pruned by DuckDB) or, for other layouts, read from each file's path.
import { columnFolders, eventFilesGlob, foldersOf, locationOf, valuePattern, type Folder } from "./layout.js";
import type { FieldType } from "./schema.js";
import { summaryNotes, sqlString, tableNameOf, type TableDefinition, type TableInput } from "./definition.js";
import type { TokenType } from "../../../common/path-template.js";
import { storeAccess } from "./store-access.js";

/** The file's path, read for the folders' values; named so no field of the lines is taken for it. */
const fileColumn = "streamdrop_file";

const partitionTypes: Record<TokenType, string> = { date: "DATE", integer: "INTEGER", string: "VARCHAR" };


export function duckdbTable(input: TableInput): TableDefinition {
  const { source, schema } = input;
  const folders = foldersOf(source);
  const columns = columnFolders(folders);
  const local = input.localRoot !== undefined;
  const root = local ? `${input.localRoot!.replace(/\/+$/, "")}/` : locationOf(source);
  const glob = root + eventFilesGlob(source, folders).slice(locationOf(source).length);
  // DuckDB reads hive columns itself (and prunes files by them) only when every column folder is hive style.
  const hive = columns.every((column) => column.hive);
  // DuckDB's names ignore case: a field named like a folder's column (Hour and hour) would be overwritten by it.
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const clash = schema.fields.filter((field) => columns.some((column) => same(field.name, column.name)));
  const fields = schema.fields.filter((field) => !clash.includes(field));
  const notes = [
    ...summaryNotes(input, "DuckDB"),
    ...schema.notes,
    ...clash.map((field) => `Field ${field.name} of the lines is left out: the folder ${field.name.toLowerCase()} gives that column.`),
    ...(hive || columns.length === 0 ? [] : ["The folders are not all hive style (name=value): their columns are read from each file's path, so DuckDB reads every file (no pruning)."]),
    ...(local ? [`Reads a local copy of the files under ${root} (for example from \`aws s3 sync\`, \`gcloud storage rsync\` or \`azcopy\`).`] : [storeAccess[source.store].duckdb]),
  ];
  const options = [
    sqlString(glob),
    "format = 'newline_delimited'",
    `compression = ${sqlString(source.compression === "none" ? "uncompressed" : source.compression)}`,
    `columns = {${fields.map((field) => `${sqlString(field.name)}: ${sqlString(typeOf(field.type))}`).join(", ")}}`,
    ...(columns.length > 0 && hive ? ["hive_partitioning = true", `hive_types = {${columns.map((column) => `${sqlString(column.name)}: ${partitionTypes[column.type]}`).join(", ")}}`] : ["hive_partitioning = false"]),
    ...(columns.length > 0 && !hive ? [`filename = ${sqlString(fileColumn)}`] : []),
  ];
  const name = tableNameOf(source.exporter);
  const select = columns.length > 0 && !hive ? `SELECT * EXCLUDE (${fileColumn}),\n${pathColumns(folders, source.topic)}\nFROM read_json(` : "SELECT * FROM read_json(";
  const sql = [`CREATE OR REPLACE VIEW ${name} AS`, `${select}\n  ${options.join(",\n  ")}\n);`, `SELECT count(*) AS events FROM ${name};`].join("\n");
  return { engine: "duckdb", sql: `${sql}\n`, notes };
}

/** Each column folder's value, taken from the file's path with one regex over all the folders. */
function pathColumns(folders: readonly Folder[], topic: string): string {
  const groups = folders.map((folder) => (folder.kind === "fixed" ? valuePattern([{ text: folder.text }], topic) : `${folder.hive ? valuePattern([{ text: `${folder.name}=` }], topic) : ""}(${valuePattern(folder.value, topic)})`));
  const regex = `/${groups.join("/")}/[^/]*$`;
  return columnFolders(folders)
    .map((column, index) => `  CAST(regexp_extract(${fileColumn}, ${sqlString(regex)}, ${index + 1}) AS ${partitionTypes[column.type]}) AS ${column.name}`)
    .join(",\n");
}

export function typeOf(type: FieldType): string {
  switch (type.kind) {
    case "string":
      return "VARCHAR";
    case "integer":
      return "BIGINT";
    case "double":
      return "DOUBLE";
    case "boolean":
      return "BOOLEAN";
    case "json":
      return "JSON";
    case "array":
      return `${typeOf(type.element)}[]`;
    case "struct":
      return `STRUCT(${type.fields.map((field) => `"${field.name.replace(/"/g, '""')}" ${typeOf(field.type)}`).join(", ")})`;
  }
}
