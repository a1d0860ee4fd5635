// DuckDB: a view over read_json, with the columns given (no sniffing at query time), or over
// read_parquet, with each file's own columns united by name (files of an earlier columns version
// lack the later ones), and the event files alone (each glob names the exporter's topic and leaves
// out `-invalid` and validation files). Files in several layouts (the exporter's settings changed) are one view: a read_json per
// kind of reading, over a list of globs, joined with UNION ALL BY NAME. Partition columns come
// from hive folders where a layout has them all (DuckDB prunes files by them), and otherwise from
// the time in each file's name, which is what the folders are made from.
import {
  columnFolders,
  commonPrefix,
  escapeGlob,
  eventFilesGlob,
  fileTimePattern,
  folderUri,
  layoutsOf,
  locationOf,
  ownFolder,
  partitionColumnsOf,
  valuePieces,
  type ColumnFolder,
  type PlacedLayout,
  type TableSource,
} from "./layout.js";
import type { Field, FieldType } from "./schema.js";
import { checkSomeColumn, layoutText, sqlString, summaryNotes, tableNameOf, type TableDefinition, type TableInput } from "./definition.js";
import type { TokenType } from "../../../common/path-template.js";
import { storeAccess } from "./store-access.js";
import { hasControlCharacter, shownName, unspellable } from "./names.js";
import { isWholeLines, wholeLineColumn } from "./fallback-columns.js";
import { isParquetColumns } from "./parquet-columns.js";

/** The file's path, read for the time in its name; named apart from every field of the lines (see fileColumnOf). */
const fileColumn = "streamdrop_file";

const partitionTypes: Record<TokenType, string> = { date: "DATE", integer: "INTEGER", string: "VARCHAR" };

// DuckDB's names ignore case: a field named like a folder's column (Hour and hour) would be overwritten by it.
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** One read_json: the layouts read alike (same compression, same hive columns), and the columns it takes from file names. */
interface Branch {
  layouts: PlacedLayout[];
  compression: PlacedLayout["compression"];
  /** Read by DuckDB's hive partitioning, in the layout's folder order. */
  hive: ColumnFolder[];
  /** Taken from the time in each file's name. */
  derived: ColumnFolder[];
}

export function duckdbTable(input: TableInput): TableDefinition {
  const { source, schema } = input;
  const all = layoutsOf(source);
  // DuckDB refuses a glob that matches no file: the current layout is left out while the export log holds none of its files but holds others'.
  const layouts = all.filter((layout) => !(layout.current && layout.files === 0 && all.length > 1));
  const columns = partitionColumnsOf(layouts);
  const parquet = isParquetColumns(schema);
  const notes = summaryNotes(input, "DuckDB", layouts, parquet);
  const current = all.at(-1)!;
  if (!layouts.includes(current))
    notes.push(
      `The export log names no file of the current settings' layout yet, ${layoutText(source, current)}: DuckDB refuses a pattern that matches no file, so the view leaves it out. Ask for the definition again once the exporter has stored files with its current settings.`,
    );
  // Nothing else to read (a new exporter, or one that has just switched format): the view stands, and fails until a file is stored.
  else if (layouts.length === 1 && current.files === 0)
    notes.push(
      `The export log names no file of ${layoutText(source, current)} yet: DuckDB refuses a pattern that matches no file, so queries of the view fail ("No files found") until the exporter has stored one.`,
    );
  const whole = isWholeLines(schema);
  const kept = whole || parquet ? [] : dataFields(schema.fields, columns, notes);
  if (!whole && !parquet) {
    notes.splice(2, 0, ...schema.notes);
    checkSomeColumn("DuckDB", kept.length, schema, notes);
  }
  // Parquet files' columns are read from the files: those a folder's column would overwrite are left out.
  const clashing = parquet ? schema.columns.filter((column) => columns.some((folder) => same(folder.name, column.name))) : [];
  notes.push(...clashing.map((column) => `Column ${column.name} of the files is left out: the folder ${column.name.toLowerCase()} gives that column.`));
  const names = parquet ? schema.columns.map((column) => column.name) : whole ? [wholeLineColumn] : kept.map((field) => field.name);
  const file = fileColumnOf([...names, ...columns.map((column) => column.name)]);
  const dataColumns = parquet
    ? []
    : whole
      ? [`${sqlString(wholeLineColumn)}: 'JSON'`]
      : kept.map((field) => `${sqlString(field.name)}: ${sqlString(typeOf(field.type, field.name, notes))}`);
  const branches = branchesOf(layouts, columns);
  if (branches.some((branch) => branch.derived.length > 0 && branch.layouts.some((layout) => columnFolders(layout.folders).length > 0)))
    notes.push(
      "Folders that are not all hive style (name=value) give their columns from each file's name instead, so DuckDB reads every file of those folders (no pruning by them).",
    );
  if (layouts.length > 1)
    notes.push(
      "The view reads each layout the exporter has used. DuckDB refuses a pattern that matches no file: if an older layout's files are deleted from the bucket (a lifecycle rule, say), take its pattern out of the view.",
    );
  if (whole)
    notes.push(`Take fields from the line with DuckDB's JSON functions, for example ${wholeLineColumn}->>'id' or json_extract(${wholeLineColumn}, '$.id').`);
  const root = rootOf(source, layouts, input.localRoot);
  notes.push(root.note);
  // Quoted: an exporter may be named select or order, and a hive folder's key too.
  const name = quoted(tableNameOf(source.exporter));
  const reading: Reading = parquet
    ? { kind: "parquet", clashing: clashing.map((column) => column.name) }
    : { kind: whole ? "whole" : "json", columns: dataColumns };
  const reads = branches.map((branch) => readOf(branch, { reading, file, topic: source.topic, root: root.of }));
  const sql = [`CREATE OR REPLACE VIEW ${name} AS`, `${reads.join("\nUNION ALL BY NAME\n")};`, `SELECT count(*) AS events FROM ${name};`].join("\n");
  return { engine: "duckdb", sql: `${sql}\n`, notes };
}

/** The fields DuckDB can name and no partition column overwrites, with a note for each left out. */
function dataFields(fields: readonly Field[], columns: readonly ColumnFolder[], notes: string[]): Field[] {
  const named = nameableFields(fields, notes);
  const clash = named.filter((field) => columns.some((column) => same(field.name, column.name)));
  notes.push(...clash.map((field) => `Field ${field.name} of the lines is left out: the folder ${field.name.toLowerCase()} gives that column.`));
  return named.filter((field) => !clash.includes(field));
}

/**
 * A layout is read with DuckDB's hive partitioning when all its column folders are hive style and
 * each holds its column as the view defines it (DuckDB would read any other `name=value` too).
 */
function hiveColumnsOf(layout: PlacedLayout, columns: readonly ColumnFolder[]): ColumnFolder[] {
  const folders = columnFolders(layout.folders);
  const own = folders.every((folder) => folder.hive && columns.some((column) => ownFolder(layout, column) === folder));
  return own ? folders : [];
}

/** The layouts grouped by how they are read, the current layout's group first. */
function branchesOf(layouts: readonly PlacedLayout[], columns: readonly ColumnFolder[]): Branch[] {
  const branches: Branch[] = [];
  for (const layout of [...layouts].reverse()) {
    const hive = hiveColumnsOf(layout, columns);
    const key = (branch: Branch) => branch.compression === layout.compression && branch.hive.map((c) => c.name).join("/") === hive.map((c) => c.name).join("/");
    const known = branches.find(key);
    if (known) known.layouts.push(layout);
    else
      branches.push({
        layouts: [layout],
        compression: layout.compression,
        hive,
        derived: columns.filter((column) => !hive.some((folder) => same(folder.name, column.name))),
      });
  }
  return branches;
}

/** Where each layout's files are read from (the bucket, or a local copy of the folder all layouts are in), and the note that says so. */
function rootOf(source: TableSource, layouts: readonly PlacedLayout[], localRoot: string | undefined) {
  if (localRoot === undefined) return { of: (layout: PlacedLayout) => escapeGlob(locationOf(source, layout)), note: storeAccess[source.store].duckdb };
  const base = commonPrefix(layouts);
  const local = `${localRoot.replace(/\/+$/, "")}/`;
  return {
    of: (layout: PlacedLayout) => escapeGlob(`${local}${layout.prefix && layout.prefix !== base ? `${layout.prefix.slice(base ? base.length + 1 : 0)}/` : ""}`),
    note: `Reads a local copy of ${folderUri(source, base)} under ${local} (for example from \`aws s3 sync\`, \`gcloud storage rsync\` or \`azcopy\`).`,
  };
}

/**
 * How the files are read: JSON lines into the columns given (or each line whole), or Parquet files
 * with their own columns, united by name (files of an earlier columns version lack later columns),
 * less those a folder's column gives.
 */
type Reading = { kind: "json" | "whole"; columns: string[] } | { kind: "parquet"; clashing: string[] };

function readOf(branch: Branch, shared: { reading: Reading; file: string; topic: string; root: (layout: PlacedLayout) => string }): string {
  const { reading } = shared;
  const globs = branch.layouts.map((layout) => sqlString(`${shared.root(layout)}${eventFilesGlob(layout, shared.topic)}`));
  const options = [
    globs.length === 1 ? globs[0]! : `[\n    ${globs.join(",\n    ")}\n  ]`,
    ...(reading.kind === "parquet"
      ? ["union_by_name = true"]
      : [
          "format = 'newline_delimited'",
          `compression = ${sqlString(branch.compression === "none" ? "uncompressed" : branch.compression)}`,
          ...(reading.kind === "whole" ? ["records = false"] : []),
          `columns = {${reading.columns.join(", ")}}`,
        ]),
    ...(branch.hive.length > 0
      ? ["hive_partitioning = true", `hive_types = {${branch.hive.map((column) => `${sqlString(column.name)}: ${partitionTypes[column.type]}`).join(", ")}}`]
      : ["hive_partitioning = false"]),
    ...(branch.derived.length > 0 ? [`filename = ${sqlString(shared.file)}`] : []),
  ];
  const reader = reading.kind === "parquet" ? "read_parquet" : "read_json";
  // A file column a derived column would repeat is left out (hive partitioning replaces one itself).
  const excluded = reading.kind === "parquet" ? reading.clashing.filter((name) => branch.derived.some((column) => same(column.name, name))) : [];
  const select =
    branch.derived.length > 0
      ? `SELECT * EXCLUDE (${[shared.file, ...excluded].map(quoted).join(", ")}),\n${branch.derived.map((column) => `  ${derivedColumn(column, shared.file, shared.topic)}`).join(",\n")}\nFROM ${reader}(`
      : `SELECT * FROM ${reader}(`;
  return `${select}\n  ${options.join(",\n  ")}\n)`;
}

/** A partition column's value from the time in the file's name, typed as its folder would be. */
function derivedColumn(column: ColumnFolder, file: string, topic: string): string {
  const time = `regexp_extract(${quoted(file)}, ${sqlString(fileTimePattern)}, 1)`;
  const value = valuePieces(column, topic)
    .map((piece) => ("literal" in piece ? sqlString(piece.literal) : `substr(${time}, ${piece.from}, ${piece.length})`))
    .join(" || ");
  return `CAST(${value} AS ${partitionTypes[column.type]}) AS ${quoted(column.name)}`;
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
