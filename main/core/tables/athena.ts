// Amazon Athena: an external table with the OpenX JSON SerDe (or, for Parquet files, STORED AS
// PARQUET with the exporter's columns: athena-parquet.ts), and partition projection over the
// path template's folders, so no crawler and no MSCK REPAIR are ever needed: Athena computes the
// partitions from the table's properties. A table has one location and one projection, so files
// in several layouts (the exporter's settings changed) get a table each, and one view reads them
// all: the view is what to query. It keeps each table's own event files by their path ("$path"):
// never the `-invalid` companions (Athena reads every file under a location), another topic's
// files under the same prefix, nor another layout's files under the same location. Partition
// columns a layout's folders lack come from the time in the file's name, which the folders are
// made from (partition projection needs every value of a folder, so one table cannot span layouts).
import { StreamdropError } from "../errors.js";
import { stores } from "../../../common/stores.js";
import { storeAccess } from "./store-access.js";
import { pathTokens, renderPathTemplate, type SegmentPart, type TokenType } from "../../../common/path-template.js";
import {
  columnFolders,
  eventPathPattern,
  fileTimePattern,
  javaDatePattern,
  layoutsOf,
  locationOf,
  ownFolder,
  partitionColumnsOf,
  valuePieces,
  type ColumnFolder,
  type Folder,
  type PlacedLayout,
  type TableSource,
} from "./layout.js";
import type { Field, FieldType, InferredSchema } from "./schema.js";
import { checkSomeColumn, isPlainIdentifier, layoutPlace, sqlString, summaryNotes, tableNameOf, type TableDefinition, type TableInput } from "./definition.js";
import { readableWithInvalidLines } from "./invalid-lines.js";
import { shownName, unspellable } from "./names.js";
import { isWholeLines, wholeLineColumn } from "./fallback-columns.js";
import { glueNameLength, glueTypeLength } from "./glue-catalog.js";
import { parquetBody } from "./athena-parquet.js";
import { isParquetColumns } from "./parquet-columns.js";
import type { TableBody } from "./athena-body.js";

/** Years a `{yyyy}` projection covers from the exporter's creation; Athena needs a closed integer range. */
const projectedYears = 25;

const mappingPrefix = "mapping.";

const compressionSuffixes = { gzip: ".jsonl.gz", zstd: ".jsonl.zst" } as const;

export function athenaTable(input: TableInput): TableDefinition {
  const { source, schema } = input;
  if (!storeAccess[source.store].athena)
    throw new StreamdropError(
      "invalid-input",
      `Athena reads Amazon S3 only, and batch exporter ${source.exporter} writes to ${stores[source.store].fullName}. Use the BigQuery or DuckDB definition instead.`,
    );
  const layouts = layoutsOf(source);
  const columns = partitionColumnsOf(layouts);
  const notes = summaryNotes(input, "Amazon Athena", layouts);
  const body = isParquetColumns(schema) ? parquetBody(schema, columns, notes) : isWholeLines(schema) ? wholeLineBody(notes) : jsonBody(schema, columns, notes);
  const name = tableNameOf(source.exporter);
  // The current layout's table keeps the exporter's name; earlier ones are numbered, oldest first.
  const tables = layouts.map((layout, index) => ({ layout, name: layout.current ? name : `${name}_${index + 1}` }));
  for (const compression of [...new Set(layouts.map((layout) => layout.compression))])
    if (compression === "gzip" || compression === "zstd")
      notes.push(`Athena reads the ${compression} files by their suffix (${compressionSuffixes[compression]}).`);
  if (tables.length > 1)
    notes.push(
      `A table has one location, so each layout has its own: ${tables.map((table) => `${table.name} reads ${layoutPlace(source, table.layout)} (${table.layout.compression === "none" ? "plain" : table.layout.compression})`).join(", ")}. CREATE EXTERNAL TABLE IF NOT EXISTS keeps a table that exists: drop the tables you made before the exporter's settings changed first (DROP TABLE removes the definition, never the files).`,
    );
  const others = isParquetColumns(schema) ? "" : "the -invalid companion files (records that were not JSON objects), ";
  notes.push(
    `The view ${name}_events reads the exporter's event files alone: by their path it leaves out ${others}other topics' files and other layouts' files under the same folders; query it rather than the ${tables.length > 1 ? "tables" : "table"}.`,
  );
  notes.push(`Run the ${tables.length + 1} statements one at a time: Athena takes one statement per query.`);
  const statements = [
    ...tables.flatMap((table) => [...tableStatements(table.name, table.layout, body, input), ""]),
    viewStatement(`${name}_events`, tables, body, columns, source),
  ];
  return { engine: "athena", sql: `${statements.join("\n")}\n`, notes };
}

/** The table's columns from the lines' fields, each typed to read the `-invalid` lines too, read by OpenX with a mapping for keys that are not column names. */
function jsonBody(schema: InferredSchema, columns: readonly ColumnFolder[], notes: string[]): TableBody {
  notes.splice(2, 0, ...schema.notes);
  const kept = dataColumnsOf(readableWithInvalidLines(schema.fields, notes), columns, notes);
  checkSomeColumn("Amazon Athena", kept.length, schema, notes);
  const mappings = kept.filter(isMapped).map(({ column, field }) => [column, field.name] as const);
  const properties = [["ignore.malformed.json", "true"], ...mappings.map(([column, key]) => [`${mappingPrefix}${column}`, key])];
  return {
    columns: kept.map(({ column, field }) => `  \`${column}\` ${columnType(field, notes)}`),
    names: kept.map(({ column }) => column),
    storage: [
      "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'",
      `WITH SERDEPROPERTIES (${properties.map(([key, value]) => `${hiveString(key!)} = ${hiveString(value!)}`).join(", ")})`,
    ],
  };
}

/**
 * Each line whole as text: Hive's plain text format with one column, split on \001, which a JSON
 * line never holds raw (JSON escapes every control character in its strings).
 */
function wholeLineBody(notes: string[]): TableBody {
  notes.push(`Take fields from the line with Athena's JSON functions, for example json_extract_scalar(${wholeLineColumn}, '$.id').`);
  return {
    columns: [`  \`${wholeLineColumn}\` string`],
    names: [wholeLineColumn],
    storage: [`ROW FORMAT DELIMITED FIELDS TERMINATED BY ${hiveString("\u0001")}`],
  };
}

/** One layout's table: its folders' columns projected, or, without any, its folder (fixed folders included) as the location. */
function tableStatements(name: string, layout: PlacedLayout, body: TableBody, input: TableInput): string[] {
  const columns = columnFolders(layout.folders);
  const fixed = columns.length === 0 ? layout.folders.map((folder) => (folder.kind === "fixed" ? `${folder.text}/` : "")).join("") : "";
  const location = `${locationOf(input.source, layout)}${fixed}`;
  const properties =
    columns.length > 0
      ? [
          ["projection.enabled", "true"],
          ...columns.flatMap((column) => projection(column, input)),
          ["storage.location.template", `${location}${layout.folders.map(templatePart).join("/")}/`],
        ]
      : [];
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${name}\` (\n${body.columns.join(",\n")}\n)`,
    ...(columns.length > 0 ? [`PARTITIONED BY (${columns.map((column) => `\`${column.name}\` ${partitionType(column)}`).join(", ")})`] : []),
    ...body.storage,
    `LOCATION ${hiveString(location)}${properties.length > 0 ? "" : ";"}`,
    ...(properties.length > 0 ? [`TBLPROPERTIES (\n${properties.map(([key, value]) => `  ${hiveString(key!)} = ${hiveString(value!)}`).join(",\n")}\n);`] : []),
  ];
}

/**
 * The view over every table, each keeping its own event files by their path. Views run on
 * Athena's query engine (Trino), which quotes names with double quotes, not backticks.
 */
function viewStatement(
  view: string,
  tables: ReadonlyArray<{ layout: PlacedLayout; name: string }>,
  body: TableBody,
  columns: readonly ColumnFolder[],
  source: TableSource,
): string {
  const branches = tables.map(({ layout, name }) => {
    const path = `regexp_like("$path", ${sqlString(eventPathPattern(locationOf(source, layout), layout, source.topic))})`;
    const own = columns.every((column) => ownFolder(layout, column)) && columnFolders(layout.folders).length === columns.length;
    const selected =
      tables.length === 1 && own
        ? "*"
        : [
            ...body.names.map((column) => `"${column}"`),
            ...columns.map((column) => (ownFolder(layout, column) ? `"${column.name}"` : derivedColumn(column, source.topic))),
          ].join(", ");
    return `SELECT ${selected} FROM "${name}" WHERE ${path}`;
  });
  return `CREATE OR REPLACE VIEW "${view}" AS ${branches.join("\nUNION ALL\n")};`;
}

const viewTypes: Record<TokenType, string> = { date: "varchar", integer: "integer", string: "varchar" };

/** A partition column's value from the time in the file's name, typed as the tables' partition columns are. */
function derivedColumn(column: ColumnFolder, topic: string): string {
  const time = `regexp_extract("$path", ${sqlString(fileTimePattern)}, 1)`;
  const value = valuePieces(column, topic)
    .map((piece) => ("literal" in piece ? sqlString(piece.literal) : `substr(${time}, ${piece.from}, ${piece.length})`))
    .join(" || ");
  return `CAST(${value} AS ${viewTypes[column.type]}) AS "${column.name}"`;
}

/**
 * A string in Athena's DDL, as its Hive parser unescapes it: `\\` and `\'`, and a control
 * character (a field's key may hold NUL, a newline or an escape) as `\ooo`, three octal digits,
 * which every Hive version reads alike (older ones misread the digits of `\uXXXX`). Octal reaches
 * U+007F at most: C1 controls have no escape, and fields named with them are left out before.
 */
const hiveString = (text: string) => `'${text.replace(/[\\']|\p{Cc}/gu, hiveEscape)}'`;

function hiveEscape(char: string): string {
  if (char === "\\" || char === "'") return `\\${char}`;
  const code = char.charCodeAt(0);
  return code <= 0x7f ? `\\${code.toString(8).padStart(3, "0")}` : char;
}

/** Athena's column names are lower case letters, digits and `_`; OpenX maps other keys by name. */
function columnName(key: string): string {
  const lower = key.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return /^[a-z_]/.test(lower) ? lower : `_${lower}`;
}

interface DataColumn {
  column: string;
  field: Field;
}

/** OpenX reads a column from the key of the same name, whatever its case; any other key needs a mapping. */
const isMapped = ({ column, field }: DataColumn) => column !== field.name.toLowerCase();

/**
 * Each field's column, and a note for each field left out. A field whose key is its column's name
 * keeps that name over one mapped to it (`a_b` over `a.b`), whichever comes first in the lines.
 */
function dataColumnsOf(fields: readonly Field[], folders: readonly ColumnFolder[], notes: string[]): DataColumn[] {
  const candidates = fields.map((field) => ({ field, column: columnName(field.name) }));
  const reasons = new Map<DataColumn, string>();
  for (const candidate of candidates) {
    const reason = unnameable(candidate);
    if (reason) reasons.set(candidate, reason);
  }
  const taken = new Map(folders.map((folder) => [folder.name, `the folder ${folder.name} gives that column`]));
  for (const candidate of [...candidates.filter((c) => !isMapped(c)), ...candidates.filter(isMapped)]) {
    if (reasons.has(candidate)) continue;
    const owner = taken.get(candidate.column);
    if (owner) reasons.set(candidate, owner);
    else
      taken.set(
        candidate.column,
        `its column would be ${candidate.column}, which field ${shownName(candidate.field.name)} already is (Athena's column names are lower case letters, digits and _ only)`,
      );
  }
  for (const candidate of candidates) {
    const reason = reasons.get(candidate);
    if (reason) notes.push(`Field ${shownName(candidate.field.name)} is left out: ${reason}.`);
  }
  return candidates.filter((candidate) => !reasons.has(candidate));
}

/** Why the Glue catalog or Athena's DDL cannot hold a field's column, if they cannot. */
function unnameable(candidate: DataColumn): string | undefined {
  const { column, field } = candidate;
  const unwritable = unspellable(field.name);
  if (unwritable) return unwritable;
  if (/[\u0080-\u009f]/.test(field.name)) return "its name holds a C1 control character, which Athena's DDL strings cannot escape";
  if (column.length > glueNameLength) return `its column name would be ${column.length} characters long, and the Glue catalog allows ${glueNameLength}`;
  const key = `${mappingPrefix}${column}`;
  if (isMapped(candidate) && key.length > glueNameLength)
    return `its key is not a column name, and the mapping's property key (${mappingPrefix}<column>) would be ${key.length} characters long, where the Glue catalog allows ${glueNameLength}`;
  return undefined;
}

/** A field's column type; one too long for the Glue catalog is read as JSON text. */
function columnType(field: Field, notes: string[]): string {
  const type = typeOf(field.type, field.name, notes);
  if (type.length <= glueTypeLength) return type;
  notes.push(
    `${shownName(field.name)} is typed as JSON text: its struct type would be ${type.length} characters long, and the Glue catalog allows ${glueTypeLength}.`,
  );
  return "string";
}

function typeOf(type: FieldType, path: string, notes: string[]): string {
  switch (type.kind) {
    case "string":
      return "string";
    case "integer":
      return "bigint";
    case "double":
      return "double";
    case "boolean":
      return "boolean";
    // OpenX gives a nested value in a string column as its JSON text.
    case "json":
      return "string";
    case "decimal":
      return type.precision <= 38 ? `decimal(${type.precision},${type.scale})` : "double";
    // OpenX reads ISO 8601 timestamps with a zone (the lines' Z) as timestamp values.
    case "timestamp":
      return "timestamp";
    case "date":
      return "date";
    case "array":
      return `array<${typeOf(type.element, `${path}[]`, notes)}>`;
    case "struct":
      if (type.fields.some((field: Field) => !isPlainIdentifier(field.name))) {
        notes.push(`${shownName(path)} has keys that are not plain names: kept as JSON text.`);
        return "string";
      }
      return `struct<${type.fields.map((field) => `\`${field.name.toLowerCase()}\`:${typeOf(field.type, `${path}.${field.name}`, notes)}`).join(",")}>`;
  }
}

/** Dates stay strings (yyyy-MM-dd compares as it sorts), as Athena's own projection examples declare them. */
function partitionType(column: ColumnFolder): string {
  return column.type === "integer" ? "int" : "string";
}

const templatePart = (folder: Folder) => (folder.kind === "fixed" ? folder.text : folder.hive ? `${folder.name}=\${${folder.name}}` : `\${${folder.name}}`);

/** Partition projection for one column: dates from the exporter's creation to now, integers over their range. */
function projection(column: ColumnFolder, input: TableInput): Array<[string, string]> {
  const key = (name: string) => `projection.${column.name}.${name}`;
  const created = Date.parse(input.source.createdAt) / 1000;
  if (column.token && column.type === "integer") {
    const spec = pathTokens[column.token] as { range?: readonly [number, number]; digits?: number };
    const year = new Date(created * 1000).getUTCFullYear();
    const range = column.token === "yyyy" ? [year, year + projectedYears] : spec.range!;
    return [
      [key("type"), "integer"],
      [key("range"), `${range[0]},${range[1]}`],
      ...(spec.digits ? [[key("digits"), String(spec.digits)] as [string, string]] : []),
    ];
  }
  const timed = column.value.some((part) => "token" in part && part.token !== "topic");
  if (!timed)
    return [
      [key("type"), "enum"],
      [key("values"), renderValue(column.value, created, input.source.topic)],
    ];
  const { format, unit } = javaDatePattern(column.value, input.source.topic);
  return [
    [key("type"), "date"],
    [key("format"), format],
    [key("range"), `${renderValue(column.value, created, input.source.topic)},NOW`],
    [key("interval"), "1"],
    [key("interval.unit"), unit],
  ];
}

/** A folder value at `epochSeconds`, as the exporter writes it. */
const renderValue = (parts: SegmentPart[], epochSeconds: number, topic: string) => renderPathTemplate([{ parts }], epochSeconds, topic);
