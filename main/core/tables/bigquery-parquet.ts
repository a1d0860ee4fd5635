// BigQuery over Parquet files: format PARQUET, the columns declared from the exporter's columns
// (parquet-columns.ts) rather than taken from whichever file BigQuery would pick (it may predate
// a version's new columns). BigQuery finds a Parquet column by its name, so a column it cannot
// name as the files do is left out with a note. Lists are read as ARRAYs with Parquet's LIST
// inference on; BigQuery has no map type, and reads a Parquet map as a STRUCT holding a list of
// key and value pairs, `key_value`, which is how it is declared.
import type { Column, ColumnType } from "../../../common/table-columns.js";
import type { ColumnFolder } from "./layout.js";
import { shownName } from "./names.js";
import { declaredColumns, type Declared, type ParquetColumns } from "./parquet-columns.js";

/** The columns BigQuery declares, each with its type; a note for each column left out and for each map. */
export function parquetDataColumns(
  schema: ParquetColumns,
  folders: readonly ColumnFolder[],
  unnameable: (name: string) => string | undefined,
  notes: string[],
): Array<{ name: string; type: string }> {
  const maps: string[] = [];
  const declare = (column: Column): Declared => {
    const problem = unnameable(column.name);
    return problem ? { problem } : typeOf(column.type, column.name, unnameable, { notes, maps });
  };
  const kept = declaredColumns("BigQuery", schema.columns, folders, declare, notes);
  // Kept columns are plain names, so a path's column is its text up to the first `.`, `[` or `{`.
  const shown = maps.filter((path) => kept.some((column) => path.split(/[.[{]/)[0] === column.name));
  if (shown.length > 0)
    notes.push(
      `BigQuery has no map type: ${shown.map(shownName).join(", ")} ${shown.length === 1 ? "is a STRUCT" : "are STRUCTs"} holding key_value, a list of key and value pairs (UNNEST it to read them).`,
    );
  return kept;
}

/**
 * A type as BigQuery declares it; a STRUCT's field it cannot declare is left out of the STRUCT, with
 * a note (a field the table does not name is not read). Maps' paths are kept for their note.
 */
function typeOf(type: ColumnType, path: string, unnameable: (name: string) => string | undefined, context: { notes: string[]; maps: string[] }): Declared {
  const inner = (child: ColumnType, at: string, wrap: (text: string) => string): Declared => {
    const declared = typeOf(child, at, unnameable, context);
    return "problem" in declared ? declared : { type: wrap(declared.type) };
  };
  switch (type.kind) {
    // A json column holds each value's JSON text, a Parquet string.
    case "string":
    case "json":
      return { type: "STRING" };
    case "boolean":
      return { type: "BOOL" };
    case "int32":
    case "int64":
      return { type: "INT64" };
    case "double":
      return { type: "FLOAT64" };
    case "timestamp":
      return { type: "TIMESTAMP" };
    case "date":
      return { type: "DATE" };
    // NUMERIC holds 29 digits before the point and 9 after; BIGNUMERIC 38 and 38 (a decimal's precision is 38 at most).
    case "decimal":
      return { type: type.scale <= 9 && type.precision - type.scale <= 29 ? "NUMERIC" : "BIGNUMERIC" };
    case "list":
      if (type.items.kind === "list") return { problem: "it is a list of lists, and BigQuery has no ARRAY of ARRAYs" };
      return inner(type.items, `${path}[]`, (items) => `ARRAY<${items}>`);
    case "map":
      context.maps.push(path);
      return inner(type.values, `${path}{}`, (values) => `STRUCT<key_value ARRAY<STRUCT<key STRING, value ${values}>>>`);
    case "struct": {
      const fields: string[] = [];
      const named = new Set<string>();
      for (const field of type.fields) {
        const at = `${path}.${field.name}`;
        const unfit = unnameable(field.name);
        const declared: Declared = unfit
          ? { problem: unfit }
          : named.has(field.name.toLowerCase())
            ? { problem: "another field of its STRUCT has its name in another case, and BigQuery's names ignore case" }
            : typeOf(field.type, at, unnameable, context);
        if ("problem" in declared) {
          context.notes.push(`Field ${shownName(at)} is left out: ${declared.problem}.`);
          continue;
        }
        named.add(field.name.toLowerCase());
        fields.push(`\`${field.name}\` ${declared.type}`);
      }
      return fields.length > 0 ? { type: `STRUCT<${fields.join(", ")}>` } : { problem: `none of the fields of ${shownName(path)} can be declared` };
    }
  }
}
