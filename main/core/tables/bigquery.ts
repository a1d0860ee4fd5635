// BigQuery: an external table over newline-delimited JSON, with hive partition columns when the
// template's folders are hive style (name=value) after any fixed ones. Cloud Storage is read
// directly; S3 and Azure through BigQuery Omni, with a connection the person names.
import { StreamdropError } from "../errors.js";
import { stores } from "../../../common/stores.js";
import { storeAccess } from "./store-access.js";
import { columnFolders, foldersOf, suffixOf } from "./layout.js";
import type { FieldType } from "./schema.js";
import { checkSomeColumn, isPlainIdentifier, summaryNotes, sqlString, tableNameOf, type TableDefinition, type TableInput } from "./definition.js";
import type { TableSource } from "./layout.js";
import { shownName } from "./names.js";

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

export function bigqueryTable(input: TableInput): TableDefinition {
  const { source, schema } = input;
  if (source.compression === "zstd")
    throw new StreamdropError(
      "invalid-input",
      `BigQuery reads JSON files compressed with gzip only, and batch exporter ${source.exporter} writes zstd. Switch the exporter to gzip (new files), or use the DuckDB${storeAccess[source.store].athena ? " or Athena" : ""} definition.`,
    );
  const folders = foldersOf(source);
  const columns = columnFolders(folders);
  const notes = [...summaryNotes(input, "BigQuery"), ...schema.notes];
  // BigQuery's hive layout: the URI prefix, then name=value folders only.
  const firstColumn = folders.findIndex((folder) => folder.kind === "column");
  const hive = columns.length > 0 && folders.slice(firstColumn).every((folder) => folder.kind === "column" && folder.hive);
  if (columns.length > 0 && !hive)
    notes.push("The folders are not hive style (name=value) after the fixed ones, so BigQuery gives them no columns; filter on _FILE_NAME instead.");
  // The folders before the first column are the same for every file: part of the URI prefix.
  const fixed = folders.slice(0, firstColumn < 0 ? folders.length : firstColumn).map((folder) => (folder.kind === "fixed" ? folder.text : ""));
  const root = rootOf(source, fixed);
  const seen = new Set<string>(hive ? columns.map((column) => column.name.toLowerCase()) : []);
  const dataColumns: string[] = [];
  for (const field of schema.fields) {
    const reason = unnameable(field.name);
    if (reason) {
      notes.push(`Field ${shownName(field.name)} is left out: ${reason}.`);
      continue;
    }
    if (seen.has(field.name.toLowerCase())) {
      notes.push(
        `Field ${field.name} is left out: ${hive && columns.some((column) => column.name.toLowerCase() === field.name.toLowerCase()) ? "a folder gives that column" : "another field has the same name (BigQuery's names ignore case)"}.`,
      );
      continue;
    }
    seen.add(field.name.toLowerCase());
    dataColumns.push(`  \`${field.name}\` ${typeOf(field.type, field.name, notes)}`);
  }
  checkSomeColumn("BigQuery", dataColumns.length, input, notes);
  const connection = storeAccess[source.store].bigqueryConnection;
  if (connection)
    notes.push(
      `BigQuery reads ${stores[source.store].fullName} through BigQuery Omni: replace the connection with yours (it must be in the ${stores[source.store].bucketWord}'s region).`,
    );
  notes.push("The URIs read the event files alone: their names end in a digit before the suffix, which the -invalid companion files' never do.");
  // One wildcard per URI (BigQuery's rule), so ten of them, one per last digit; with hive folders
  // each starts at the first folder's key, so validation files (at the prefix itself) are not read.
  const first = hive ? `${columns[0]!.name}=` : "";
  const uris = Array.from({ length: 10 }, (_, digit) => sqlString(`${root}${first}*${digit}${suffixOf(source)}`));
  const options = [
    ["format", sqlString("NEWLINE_DELIMITED_JSON")],
    ["uris", `[\n    ${uris.join(",\n    ")}\n  ]`],
    ...(hive
      ? [
          ["hive_partition_uri_prefix", sqlString(root)],
          ["require_hive_partition_filter", "false"],
        ]
      : []),
    ...(source.compression === "gzip" ? [["compression", sqlString("GZIP")]] : []),
    ["ignore_unknown_values", "true"],
  ];
  const statements = [
    `CREATE OR REPLACE EXTERNAL TABLE \`your_project.your_dataset.${tableNameOf(source.exporter)}\` (\n${dataColumns.join(",\n")}\n)`,
    ...(connection ? [`WITH CONNECTION \`${connection}\``] : []),
    ...(hive
      ? [
          `WITH PARTITION COLUMNS (\n${columns.map((column) => `  \`${column.name}\` ${column.type === "date" ? "DATE" : column.type === "integer" ? "INT64" : "STRING"}`).join(",\n")}\n)`,
        ]
      : []),
    `OPTIONS (\n${options.map(([key, value]) => `  ${key} = ${value}`).join(",\n")}\n);`,
  ];
  return { engine: "bigquery", sql: `${statements.join("\n")}\n`, notes };
}

/** The files' folder (the prefix and the fixed folders) as BigQuery names it. */
function rootOf(source: TableSource, fixed: readonly string[]): string {
  const path = [source.prefix, ...fixed].filter(Boolean).join("/");
  return storeAccess[source.store].bigqueryUri(source.bucket, path ? `${path}/` : "", source.accountName);
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
