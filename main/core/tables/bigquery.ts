// BigQuery: external tables over newline-delimited JSON (or Parquet, with the exporter's columns:
// bigquery-parquet.ts), with hive partition columns when a layout's folders are hive style
// (name=value) after any fixed ones, and a view over them that is what to query. An external table takes several URIs, so layouts without hive folders and of one
// compression share a table; a hive layout needs its own (one URI prefix per table). BigQuery
// allows one wildcard per URI, too few to name the topic and the event files both, so the view
// keeps each table's own event files by their path (_FILE_NAME, whose filters BigQuery also uses
// to skip files): never the `-invalid` companions, another topic's files, nor another layout's.
// Partition columns a layout's folders do not give come from the time in the file's name, which
// the folders are made from. Cloud Storage is read directly; S3 and Azure through BigQuery Omni,
// with a connection the person names.
import { StreamdropError } from "../errors.js";
import { stores } from "../../../common/stores.js";
import { storeAccess } from "./store-access.js";
import {
  columnFolders,
  eventPathPattern,
  fileTimePattern,
  layoutsOf,
  ownFolder,
  partitionColumnsOf,
  suffixOf,
  valuePieces,
  type ColumnFolder,
  type PlacedLayout,
  type TableSource,
} from "./layout.js";
import type { TokenType } from "../../../common/path-template.js";
import type { FieldType, InferredSchema } from "./schema.js";
import { checkSomeColumn, isPlainIdentifier, layoutPlace, layoutText, summaryNotes, tableNameOf, type TableDefinition, type TableInput } from "./definition.js";
import { shownName } from "./names.js";
import { isWholeLines, wholeLineColumn } from "./fallback-columns.js";
import { parquetDataColumns } from "./bigquery-parquet.js";
import { isParquetColumns } from "./parquet-columns.js";

/** BigQuery's longest column name (and field name in a STRUCT): "a maximum length of 300 characters". */
const maxNameLength = 300;

/** Prefixes BigQuery reserves for its own columns (its names ignore case, so these do too). */
const reservedPrefixes = [
  "_TABLE_",
  "_FILE_",
  "_PARTITION",
  "_ROW_TIMESTAMP",
  "__ROOT__",
  "_COLIDENTIFIER",
  "_CHANGE_SEQUENCE_NUMBER",
  "_CHANGE_TYPE",
  "_CHANGE_TIMESTAMP",
];

const partitionTypes: Record<TokenType, string> = { date: "DATE", integer: "INT64", string: "STRING" };

/** A GoogleSQL string: its escapes are backslash ones. */
const bqString = (text: string) => `'${text.replace(/[\\']/g, "\\$&")}'`;

/** A layout's place as BigQuery reads it: the folders before its first partition column (the URI prefix), and its hive columns, if all its column folders after them are hive style. */
interface Placed {
  layout: PlacedLayout;
  /** The layout's folder (its prefix), as BigQuery names it. */
  location: string;
  root: string;
  hive: ColumnFolder[];
}

/** One external table: layouts of one compression, either all without hive columns, or one hive layout. */
interface Table {
  name: string;
  placed: Placed[];
}

export function bigqueryTable(input: TableInput): TableDefinition {
  const { source, schema } = input;
  const all = layoutsOf(source);
  const layouts = all.filter((layout) => layout.compression !== "zstd");
  if (layouts.length === 0)
    throw new StreamdropError(
      "invalid-input",
      `BigQuery reads JSON files compressed with gzip only, and batch exporter ${source.exporter} writes zstd. Switch the exporter to gzip (new files), or use the DuckDB${storeAccess[source.store].athena ? " or Athena" : ""} definition.`,
    );
  const columns = partitionColumnsOf(layouts);
  const notes = summaryNotes(input, "BigQuery", layouts);
  const skipped = all.filter((layout) => !layouts.includes(layout));
  if (skipped.length > 0)
    notes.push(
      `BigQuery reads JSON files compressed with gzip only: the zstd files of ${skipped.map((layout) => layoutText(source, layout)).join("; ")} are not read. Use the DuckDB${storeAccess[source.store].athena ? " or Athena" : ""} definition for them.`,
    );
  const reading: Reading = isParquetColumns(schema) ? "parquet" : isWholeLines(schema) ? "whole" : "json";
  const dataColumns = isParquetColumns(schema)
    ? parquetDataColumns(schema, columns, unnameable, notes)
    : isWholeLines(schema)
      ? [{ name: wholeLineColumn, type: "STRING" }]
      : dataColumnsOf(schema, columns, notes);
  const placed = layouts.map((layout) => placeOf(source, layout));
  if (placed.some((place) => columnFolders(place.layout.folders).length > place.hive.length))
    notes.push("Folders that are not hive style (name=value) after the fixed ones give BigQuery no columns: the view takes theirs from each file's name.");
  const connection = storeAccess[source.store].bigqueryConnection;
  if (connection)
    notes.push(
      `BigQuery reads ${stores[source.store].fullName} through BigQuery Omni: replace the connection with yours (it must be in the ${stores[source.store].bucketWord}'s region).`,
    );
  const name = tableNameOf(source.exporter);
  const tables = tablesOf(placed, name);
  if (tables.length > 1)
    notes.push(
      `Layouts that can share an external table do (one compression, and one URI prefix for hive folders): ${tables.map((table) => `${table.name} reads ${table.placed.map((place) => layoutPlace(source, place.layout)).join(" and ")} (${table.placed[0]!.layout.compression === "none" ? "plain" : table.placed[0]!.layout.compression})`).join(", ")}.`,
    );
  notes.push(
    `The view ${name}_events reads the exporter's event files alone: by their path (_FILE_NAME) it leaves out ${reading === "parquet" ? "" : "the -invalid companion files, "}other topics' files and other layouts' files that the tables' URIs (one wildcard each, as BigQuery allows) also take; query it rather than the ${tables.length > 1 ? "tables" : "table"}.`,
  );
  if (reading === "whole") notes.push(`Take fields from the line with BigQuery's JSON functions, for example JSON_VALUE(${wholeLineColumn}, '$.id').`);
  const statements = [
    ...tables.map((table) => tableStatement(table, dataColumns, reading, connection)),
    viewStatement(`${name}_events`, tables, dataColumns, columns, source.topic),
  ];
  return { engine: "bigquery", sql: `${statements.join("\n\n")}\n`, notes };
}

/** The columns BigQuery can name, and no partition column takes, each with its type; a note for each field left out. */
function dataColumnsOf(schema: InferredSchema, columns: readonly ColumnFolder[], notes: string[]): Array<{ name: string; type: string }> {
  notes.splice(2, 0, ...schema.notes);
  const seen = new Set<string>(columns.map((column) => column.name.toLowerCase()));
  const kept: Array<{ name: string; type: string }> = [];
  for (const field of schema.fields) {
    const reason = unnameable(field.name);
    if (reason) {
      notes.push(`Field ${shownName(field.name)} is left out: ${reason}.`);
      continue;
    }
    if (seen.has(field.name.toLowerCase())) {
      notes.push(
        `Field ${field.name} is left out: ${columns.some((column) => column.name.toLowerCase() === field.name.toLowerCase()) ? "a folder gives that column" : "another field has the same name (BigQuery's names ignore case)"}.`,
      );
      continue;
    }
    seen.add(field.name.toLowerCase());
    kept.push({ name: field.name, type: typeOf(field.type, field.name, notes) });
  }
  checkSomeColumn("BigQuery", kept.length, schema, notes);
  return kept;
}

/** BigQuery's hive layout: the URI prefix (the prefix and the fixed folders before the first column), then name=value folders only. */
function placeOf(source: TableSource, layout: PlacedLayout): Placed {
  const folders = layout.folders;
  const columns = columnFolders(folders);
  const firstColumn = folders.findIndex((folder) => folder.kind === "column");
  const hive = columns.length > 0 && folders.slice(firstColumn).every((folder) => folder.kind === "column" && folder.hive);
  const fixed = folders.slice(0, firstColumn < 0 ? folders.length : firstColumn).map((folder) => (folder.kind === "fixed" ? folder.text : ""));
  const uri = (path: string) => storeAccess[source.store].bigqueryUri(source.bucket, path ? `${path}/` : "", source.accountName);
  return { layout, location: uri(layout.prefix ?? ""), root: uri([layout.prefix, ...fixed].filter(Boolean).join("/")), hive: hive ? columns : [] };
}

/** The layouts as external tables: those without hive columns share one per compression; a hive layout has its own. The current layout's table is named for the exporter; the others are numbered, oldest first. */
function tablesOf(placed: readonly Placed[], name: string): Table[] {
  const groups: Placed[][] = [];
  for (const place of placed) {
    const shared =
      place.hive.length === 0 ? groups.find((group) => group[0]!.hive.length === 0 && group[0]!.layout.compression === place.layout.compression) : undefined;
    if (shared) shared.push(place);
    else groups.push([place]);
  }
  const current = groups.find((group) => group.some((place) => place.layout.current))!;
  let number = 0;
  return groups.map((group) => ({ name: group === current ? name : `${name}_${(number += 1)}`, placed: group }));
}

/**
 * One wildcard per URI (BigQuery's rule), so ten of them per folder, one per last digit before the
 * suffix (an event file's name ends in a partition or a counter; -invalid ones never do). With hive
 * folders each starts at the first folder's key, so validation files (at the prefix) are not read.
 * A URI another one of the table already covers is left out, so no file is read twice.
 */
function urisOf(table: Table): string[] {
  const heads = [...new Set(table.placed.map((place) => `${place.root}${place.hive.length > 0 ? `${place.hive[0]!.name}=` : ""}`))];
  const kept = heads.filter((head) => !heads.some((other) => other !== head && head.startsWith(other)));
  const suffix = suffixOf(table.placed[0]!.layout);
  return kept.flatMap((head) => Array.from({ length: 10 }, (_, digit) => bqString(`${head}*${digit}${suffix}`)));
}

/** How a table's files are read: JSON lines into columns, each line whole, or Parquet. */
type Reading = "json" | "whole" | "parquet";

const formatOptions: Record<Reading, string[][]> = {
  json: [["format", bqString("NEWLINE_DELIMITED_JSON")]],
  // Each line whole, as one CSV field: split on \x01, which a JSON line never holds raw (JSON escapes control characters), and no quoting.
  whole: [
    ["format", bqString("CSV")],
    ["field_delimiter", "'\\x01'"],
    ["quote", "''"],
  ],
  parquet: [["format", bqString("PARQUET")]],
};

function tableStatement(table: Table, dataColumns: ReadonlyArray<{ name: string; type: string }>, reading: Reading, connection: string | undefined): string {
  const [first] = table.placed;
  const hive = first!.hive;
  const options = [
    ...formatOptions[reading],
    ["uris", `[\n    ${urisOf(table).join(",\n    ")}\n  ]`],
    ...(hive.length > 0
      ? [
          ["hive_partition_uri_prefix", bqString(first!.root)],
          ["require_hive_partition_filter", "false"],
        ]
      : []),
    ...(first!.layout.compression === "gzip" ? [["compression", bqString("GZIP")]] : []),
    // JSON: keys the columns do not name are skipped. Parquet: LIST columns are ARRAYs (else a STRUCT of a list of elements); Parquet's compression is inside the file.
    ...(reading === "json" ? [["ignore_unknown_values", "true"]] : reading === "parquet" ? [["enable_list_inference", "true"]] : []),
  ];
  return [
    `CREATE OR REPLACE EXTERNAL TABLE \`your_project.your_dataset.${table.name}\` (\n${dataColumns.map((column) => `  \`${column.name}\` ${column.type}`).join(",\n")}\n)`,
    ...(connection ? [`WITH CONNECTION \`${connection}\``] : []),
    ...(hive.length > 0 ? [`WITH PARTITION COLUMNS (\n${hive.map((column) => `  \`${column.name}\` ${partitionTypes[column.type]}`).join(",\n")}\n)`] : []),
    `OPTIONS (\n${options.map(([key, value]) => `  ${key} = ${value}`).join(",\n")}\n);`,
  ].join("\n");
}

/** The view over every table, each keeping its own layouts' event files by their path. */
function viewStatement(
  view: string,
  tables: readonly Table[],
  dataColumns: ReadonlyArray<{ name: string }>,
  columns: readonly ColumnFolder[],
  topic: string,
): string {
  const branches = tables.map((table) => {
    const paths = table.placed.map((place) => eventPathPattern(place.location, place.layout, topic));
    const own = (column: ColumnFolder) => table.placed[0]!.hive.some((folder) => folder === ownFolder(table.placed[0]!.layout, column));
    const selected =
      tables.length === 1 && table.placed.length === 1 && columns.every(own) && table.placed[0]!.hive.length === columns.length
        ? "*"
        : [
            ...dataColumns.map((column) => `\`${column.name}\``),
            ...columns.map((column) => (own(column) ? `\`${column.name}\`` : derivedColumn(column, topic))),
          ].join(", ");
    return `SELECT ${selected} FROM \`your_project.your_dataset.${table.name}\` WHERE REGEXP_CONTAINS(_FILE_NAME, r'${paths.join("|")}')`;
  });
  return `CREATE OR REPLACE VIEW \`your_project.your_dataset.${view}\` AS\n${branches.join("\nUNION ALL\n")};`;
}

/** A partition column's value from the time in the file's name, typed as its folder's would be. */
function derivedColumn(column: ColumnFolder, topic: string): string {
  const time = `REGEXP_EXTRACT(_FILE_NAME, r'${fileTimePattern}')`;
  const value = valuePieces(column, topic)
    .map((piece) => ("literal" in piece ? bqString(piece.literal) : `SUBSTR(${time}, ${piece.from}, ${piece.length})`))
    .join(" || ");
  return `CAST(${value} AS ${partitionTypes[column.type]}) AS \`${column.name}\``;
}

/**
 * Why BigQuery cannot name a column (or a STRUCT's field) as the field is named, if it cannot:
 * external tables take no flexible column names, so the plain rule holds, up to 300 characters.
 */
function unnameable(name: string): string | undefined {
  if (!isPlainIdentifier(name)) return "BigQuery column names are letters, digits and _ only (external tables take no flexible column names)";
  if (name.length > maxNameLength) return `its name is ${name.length} characters long, and BigQuery's column names are ${maxNameLength} at most`;
  const prefix = reservedPrefixes.find((reserved) => name.toUpperCase().startsWith(reserved));
  return prefix ? `BigQuery reserves column names that start with ${prefix}` : undefined;
}

function typeOf(type: FieldType, path: string, notes: string[]): string {
  switch (type.kind) {
    case "string":
      return "STRING";
    case "integer":
      return "INT64";
    case "double":
      return "FLOAT64";
    case "boolean":
      return "BOOL";
    case "json":
      return "JSON";
    // NUMERIC holds 29 digits before the point and 9 after; BIGNUMERIC 38 and 38.
    case "decimal":
      return type.scale <= 9 && type.precision - type.scale <= 29
        ? "NUMERIC"
        : type.scale <= 38 && type.precision - type.scale <= 38
          ? "BIGNUMERIC"
          : "FLOAT64";
    case "timestamp":
      return "TIMESTAMP";
    case "date":
      return "DATE";
    case "array":
      // BigQuery has no list of lists: a nested list stays JSON.
      return type.element.kind === "array" ? "JSON" : `ARRAY<${typeOf(type.element, `${path}[]`, notes)}>`;
    case "struct":
      if (type.fields.some((field) => unnameable(field.name))) {
        notes.push(`${shownName(path)} has keys BigQuery cannot name as STRUCT fields: typed as JSON.`);
        return "JSON";
      }
      return `STRUCT<${type.fields.map((field) => `\`${field.name}\` ${typeOf(field.type, `${path}.${field.name}`, notes)}`).join(", ")}>`;
  }
}
