// DuckDB: a view over read_json, with the columns given (no sniffing at query time), the event
// files alone (the glob leaves out `-invalid` and validation files), and partition columns from
// hive folders (pruned by DuckDB) or, for other layouts, read from each file's path.
import { columnFolders, eventFilesGlob, foldersOf, locationOf, valuePattern, type Folder } from "./layout.js";
import type { Field, FieldType } from "./schema.js";
import { checkSomeColumn, summaryNotes, sqlString, tableNameOf, type TableDefinition, type TableInput } from "./definition.js";
import type { TokenType } from "../../../common/path-template.js";
import { storeAccess } from "./store-access.js";
import { hasControlCharacter, shownName, unspellable } from "./names.js";

/** The file's path, read for the folders' values; named apart from every field of the lines (see fileColumnOf). */
const fileColumn = "streamdrop_file";

const partitionTypes: Record<TokenType, string> = { date: "DATE", integer: "INTEGER", string: "VARCHAR" };

// DuckDB's names ignore case: a field named like a folder's column (Hour and hour) would be overwritten by it.
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function duckdbTable(input: TableInput): TableDefinition {
  const { source, schema } = input;
  const folders = foldersOf(source);
  const columns = columnFolders(folders);
  const local = input.localRoot !== undefined;
  const root = local ? `${input.localRoot!.replace(/\/+$/, "")}/` : locationOf(source);
  const glob = root + eventFilesGlob(source, folders).slice(locationOf(source).length);
  // DuckDB reads hive columns itself (and prunes files by them) only when every column folder is hive style.
  const hive = columns.every((column) => column.hive);
  const notes = [...summaryNotes(input, "DuckDB"), ...schema.notes];
  const fields = nameableFields(schema.fields, notes);
  const clash = fields.filter((field) => columns.some((column) => same(field.name, column.name)));
  notes.push(...clash.map((field) => `Field ${field.name} of the lines is left out: the folder ${field.name.toLowerCase()} gives that column.`));
  const kept = fields.filter((field) => !clash.includes(field));
  checkSomeColumn("DuckDB", kept.length, input, notes);
  const file = fileColumnOf([...kept.map((field) => field.name), ...columns.map((column) => column.name)]);
  const dataColumns = kept.map((field) => `${sqlString(field.name)}: ${sqlString(typeOf(field.type, field.name, notes))}`);
  notes.push(
    ...(hive || columns.length === 0
      ? []
      : ["The folders are not all hive style (name=value): their columns are read from each file's path, so DuckDB reads every file (no pruning)."]),
    ...(local
      ? [`Reads a local copy of the files under ${root} (for example from \`aws s3 sync\`, \`gcloud storage rsync\` or \`azcopy\`).`]
      : [storeAccess[source.store].duckdb]),
  );
  const options = [
    sqlString(glob),
    "format = 'newline_delimited'",
    `compression = ${sqlString(source.compression === "none" ? "uncompressed" : source.compression)}`,
    `columns = {${dataColumns.join(", ")}}`,
    ...(columns.length > 0 && hive
      ? ["hive_partitioning = true", `hive_types = {${columns.map((column) => `${sqlString(column.name)}: ${partitionTypes[column.type]}`).join(", ")}}`]
      : ["hive_partitioning = false"]),
    ...(columns.length > 0 && !hive ? [`filename = ${sqlString(file)}`] : []),
  ];
  // Quoted: an exporter may be named select or order, and a hive folder's key too.
  const name = quoted(tableNameOf(source.exporter));
  const select =
    columns.length > 0 && !hive
      ? `SELECT * EXCLUDE (${quoted(file)}),\n${pathColumns(folders, source.topic, file)}\nFROM read_json(`
      : "SELECT * FROM read_json(";
  const sql = [`CREATE OR REPLACE VIEW ${name} AS`, `${select}\n  ${options.join(",\n  ")}\n);`, `SELECT count(*) AS events FROM ${name};`].join("\n");
  return { engine: "duckdb", sql: `${sql}\n`, notes };
}

const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Why DuckDB's SQL cannot name a column (or a STRUCT's field) as a key is named, if it cannot: an
 * empty name is no struct key or identifier to its parser, a NUL ends its SQL text, and other
 * control characters it has no escape for (its strings hold them only raw, and the statements are
 * printed to a terminal and copied from there, so they hold none).
 */
function unnameable(name: string): string | undefined {
  const unwritable = unspellable(name);
  if (unwritable) return unwritable;
  if (name === "") return "DuckDB's SQL cannot name a column with an empty name";
  if (name.includes("\0")) return "its name holds a NUL, which ends DuckDB's SQL text";
  if (hasControlCharacter(name)) return "its name holds a control character, which DuckDB's SQL has no escape for";
  return undefined;
}

/** The fields DuckDB can name, with a note for each one it cannot. */
function nameableFields(fields: readonly Field[], notes: string[]): Field[] {
  return fields.filter((field) => {
    const reason = unnameable(field.name);
    if (reason) notes.push(`Field ${shownName(field.name)} is left out: ${reason}.`);
    return !reason;
  });
}

/** read_json's column for the file's path: streamdrop_file, unless a field or a folder has that name (whatever its case), which stays a column. */
function fileColumnOf(taken: readonly string[]): string {
  let name = fileColumn;
  for (let suffix = 1; taken.some((other) => same(other, name)); suffix += 1) name = `${fileColumn}_${suffix}`;
  return name;
}

/** Each column folder's value, taken from the file's path with one regex over all the folders. */
function pathColumns(folders: readonly Folder[], topic: string, file: string): string {
  const groups = folders.map((folder) =>
    folder.kind === "fixed"
      ? valuePattern([{ text: folder.text }], topic)
      : `${folder.hive ? valuePattern([{ text: `${folder.name}=` }], topic) : ""}(${valuePattern(folder.value, topic)})`,
  );
  const regex = `/${groups.join("/")}/[^/]*$`;
  return columnFolders(folders)
    .map(
      (column, index) =>
        `  CAST(regexp_extract(${quoted(file)}, ${sqlString(regex)}, ${index + 1}) AS ${partitionTypes[column.type]}) AS ${quoted(column.name)}`,
    )
    .join(",\n");
}

function typeOf(type: FieldType, path: string, notes: string[]): string {
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
    case "decimal":
      return type.precision <= 38 ? `DECIMAL(${type.precision}, ${type.scale})` : "DOUBLE";
    case "timestamp":
      return "TIMESTAMPTZ";
    case "date":
      return "DATE";
    case "array":
      return `${typeOf(type.element, `${path}[]`, notes)}[]`;
    case "struct":
      if (type.fields.some((field) => unnameable(field.name))) {
        notes.push(`${shownName(path)} has keys DuckDB cannot name as STRUCT fields: typed as JSON.`);
        return "JSON";
      }
      return `STRUCT(${type.fields.map((field) => `${quoted(field.name)} ${typeOf(field.type, `${path}.${field.name}`, notes)}`).join(", ")})`;
  }
}
