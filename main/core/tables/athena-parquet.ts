// Athena over Parquet files: STORED AS PARQUET, the columns declared from the exporter's columns
// (parquet-columns.ts). Athena's Parquet reader finds each column, and each struct field, by its
// name whatever its case, so there is no SerDe and no mapping: a column Athena cannot name as the
// files do is left out, with a note, rather than renamed. Partition projection and the view are
// the JSON tables' own (athena.ts).
import type { Column, ColumnType } from "../../../common/table-columns.js";
import type { TableBody } from "./athena-body.js";
import { isPlainIdentifier } from "./definition.js";
import { glueNameLength, glueTypeLength } from "./glue-catalog.js";
import type { ColumnFolder } from "./layout.js";
import { declaredColumns, type Declared, type ParquetColumns } from "./parquet-columns.js";
import { shownName } from "./names.js";

export function parquetBody(schema: ParquetColumns, folders: readonly ColumnFolder[], notes: string[]): TableBody {
  const kept = declaredColumns("Amazon Athena", schema.columns, folders, (column) => declare(column, notes), notes);
  notes.push(
    "Athena reads every file under a table's location except those whose names start with _ or . (it cannot leave one out by any other part of its name), and fails a query on a file that is not Parquet. The exporter's own other files are skipped: its -invalid companion files (JSON Lines, the records that do not fit the columns) start with _, its validation files with a dot. Another writer's files in the same folders (such as another exporter's JSON Lines) would fail queries: keep them apart, or query with DuckDB or BigQuery, which read the Parquet files by their names alone.",
  );
  return {
    columns: kept.map((column) => `  \`${column.name.toLowerCase()}\` ${column.type}`),
    names: kept.map((column) => column.name.toLowerCase()),
    storage: ["STORED AS PARQUET"],
  };
}

/** A column's declaration, or why Athena cannot declare it as the files hold it. */
function declare(column: Column, notes: string[]): Declared {
  if (!isPlainIdentifier(column.name))
    return { problem: "Athena's column names are letters, digits and _ only, and a Parquet table finds a column by its name, so it cannot be renamed" };
  if (column.name.length > glueNameLength)
    return { problem: `its name is ${column.name.length} characters long, and the Glue catalog allows ${glueNameLength}` };
  const type = typeOf(column.type, column.name, notes);
  if ("problem" in type) return type;
  if (type.type.length > glueTypeLength)
    return { problem: `its type would be ${type.type.length} characters long, and the Glue catalog allows ${glueTypeLength}` };
  return type;
}

/** A type as Athena declares it; a struct's field it cannot declare is left out of the struct, with a note (Parquet's reader skips a field the table does not name). */
function typeOf(type: ColumnType, path: string, notes: string[]): Declared {
  const inner = (child: ColumnType, at: string, wrap: (text: string) => string): Declared => {
    const declared = typeOf(child, at, notes);
    return "problem" in declared ? declared : { type: wrap(declared.type) };
  };
  switch (type.kind) {
    // A json column holds each value's JSON text.
    case "string":
    case "json":
      return { type: "string" };
    case "boolean":
      return { type: "boolean" };
    case "int32":
      return { type: "int" };
    case "int64":
      return { type: "bigint" };
    case "double":
      return { type: "double" };
    // TIMESTAMP(MILLIS or MICROS, UTC): Athena's timestamp reads both.
    case "timestamp":
      return { type: "timestamp" };
    case "date":
      return { type: "date" };
    case "decimal":
      return { type: `decimal(${type.precision},${type.scale})` };
    case "list":
      return inner(type.items, `${path}[]`, (items) => `array<${items}>`);
    case "map":
      return inner(type.values, `${path}{}`, (values) => `map<string,${values}>`);
    case "struct": {
      const fields: string[] = [];
      const named = new Set<string>();
      for (const field of type.fields) {
        const at = `${path}.${field.name}`;
        const declared: Declared = !isPlainIdentifier(field.name)
          ? { problem: "Athena's struct fields are named with letters, digits and _ only" }
          : named.has(field.name.toLowerCase())
            ? { problem: "another field of its struct has its name in another case, and Athena's names ignore case" }
            : typeOf(field.type, at, notes);
        if ("problem" in declared) {
          notes.push(`Field ${shownName(at)} is left out: ${declared.problem}.`);
          continue;
        }
        named.add(field.name.toLowerCase());
        fields.push(`\`${field.name.toLowerCase()}\`:${declared.type}`);
      }
      return fields.length > 0 ? { type: `struct<${fields.join(",")}>` } : { problem: `none of the fields of ${shownName(path)} can be declared` };
    }
  }
}
