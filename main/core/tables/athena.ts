// Amazon Athena: an external table with the OpenX JSON SerDe, and partition projection over the
// path template's folders, so no crawler and no MSCK REPAIR are ever needed: Athena computes the
// partitions from the table's properties. A view leaves out the `-invalid` companion files.
import { StreamdropError } from "../errors.js";
import { stores } from "../../../common/stores.js";
import { storeAccess } from "./store-access.js";
import { pathTokens, renderPathTemplate, type SegmentPart } from "../../../common/path-template.js";
import { columnFolders, foldersOf, javaDatePattern, locationOf, type ColumnFolder, type Folder } from "./layout.js";
import type { Field, FieldType } from "./schema.js";
import { isPlainIdentifier, summaryNotes, tableNameOf, type TableDefinition, type TableInput } from "./definition.js";
import { readableWithInvalidLines } from "./invalid-lines.js";

/** Years a `{yyyy}` projection covers from the exporter's creation; Athena needs a closed integer range. */
const projectedYears = 25;

export function athenaTable(input: TableInput): TableDefinition {
  const { source, schema } = input;
  if (!storeAccess[source.store].athena) throw new StreamdropError("invalid-input", `Athena reads Amazon S3 only, and batch exporter ${source.exporter} writes to ${stores[source.store].fullName}. Use the BigQuery or DuckDB definition instead.`);
  const folders = foldersOf(source);
  const columns = columnFolders(folders);
  const notes = [...summaryNotes(input, "Amazon Athena"), ...schema.notes];
  const fields = readableWithInvalidLines(schema.fields, notes);
  const mappings: Array<[string, string]> = [];
  const used = new Set(columns.map((column) => column.name));
  const dataColumns: string[] = [];
  for (const field of fields) {
    const column = columnName(field.name);
    if (used.has(column)) {
      notes.push(`Field ${field.name} is left out: ${columns.some((c) => c.name === column) ? `the folder ${column} gives that column` : `another field is also read as ${column} (Athena's names ignore case)`}.`);
      continue;
    }
    used.add(column);
    if (column !== field.name.toLowerCase()) mappings.push([column, field.name]);
    dataColumns.push(`  \`${column}\` ${typeOf(field.type, field.name, notes)}`);
  }
  // Without partition columns the files' folder is the location, fixed folders (such as {topic}) included.
  const fixed = columns.length === 0 ? folders.map((folder) => (folder.kind === "fixed" ? `${folder.text}/` : "")).join("") : "";
  const location = `${locationOf(source)}${fixed}`;
  const properties = columns.length > 0 ? [["projection.enabled", "true"], ...columns.flatMap((column) => projection(column, input)), ["storage.location.template", `${location}${folders.map(templatePart).join("/")}/`]] : [];
  const name = tableNameOf(source.exporter);
  if (source.compression !== "none") notes.push(`Athena reads the ${source.compression} files by their suffix (.jsonl.${source.compression === "gzip" ? "gz" : "zst"}).`);
  notes.push(`The view ${name}_events leaves out the -invalid companion files (records that were not JSON objects); query it rather than the table.`);
  notes.push("Run the two statements one at a time: Athena takes one statement per query.");
  const statements = [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${name}\` (\n${dataColumns.join(",\n")}\n)`,
    ...(columns.length > 0 ? [`PARTITIONED BY (${columns.map((column) => `\`${column.name}\` ${partitionType(column)}`).join(", ")})`] : []),
    "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'",
    `WITH SERDEPROPERTIES (${[["ignore.malformed.json", "true"], ...mappings.map(([column, key]) => [`mapping.${column}`, key])].map(([key, value]) => `${hiveString(key!)} = ${hiveString(value!)}`).join(", ")})`,
    `LOCATION ${hiveString(location)}${properties.length > 0 ? "" : ";"}`,
    ...(properties.length > 0 ? [`TBLPROPERTIES (\n${properties.map(([key, value]) => `  ${hiveString(key!)} = ${hiveString(value!)}`).join(",\n")}\n);`] : []),
    "",
    // Views run on Athena's query engine (Trino), which quotes names with double quotes, not backticks.
    `CREATE OR REPLACE VIEW "${name}_events" AS SELECT * FROM "${name}" WHERE "$path" NOT LIKE '%-invalid.jsonl%';`,
  ];
  return { engine: "athena", sql: `${statements.join("\n")}\n`, notes };
}

/** A string in Athena's DDL, which its Hive parser escapes with backslashes. */
const hiveString = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** Athena's column names are lower case letters, digits and `_`; OpenX maps other keys by name. */
function columnName(key: string): string {
  const lower = key.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return /^[a-z_]/.test(lower) ? lower : `_${lower}`;
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
    case "array":
      return `array<${typeOf(type.element, `${path}[]`, notes)}>`;
    case "struct":
      if (type.fields.some((field: Field) => !isPlainIdentifier(field.name))) {
        notes.push(`${path} has keys that are not plain names: kept as JSON text.`);
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
    return [[key("type"), "integer"], [key("range"), `${range[0]},${range[1]}`], ...(spec.digits ? [[key("digits"), String(spec.digits)] as [string, string]] : [])];
  }
  const timed = column.value.some((part) => "token" in part && part.token !== "topic");
  if (!timed) return [[key("type"), "enum"], [key("values"), renderValue(column.value, created, input.source.topic)]];
  const { format, unit } = javaDatePattern(column.value, input.source.topic);
  return [[key("type"), "date"], [key("format"), format], [key("range"), `${renderValue(column.value, created, input.source.topic)},NOW`], [key("interval"), "1"], [key("interval.unit"), unit]];
}

/** A folder value at `epochSeconds`, as the exporter writes it. */
const renderValue = (parts: SegmentPart[], epochSeconds: number, topic: string) => renderPathTemplate([{ parts }], epochSeconds, topic);
