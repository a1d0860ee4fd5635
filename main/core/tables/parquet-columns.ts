// The columns of a Parquet exporter's tables. Each file carries its own schema, but Athena and
// BigQuery need the columns declared: they are the exporter's latest columns version (new files
// are written with it), laid out exactly as the writer lays out a file's table
// (exporters/parquet/parquet-table.ts: the value's columns at the top level, or the envelope with
// them under `value`). Nothing is sampled: the exporter's columns are what its files hold.
//
// Versions grow as events bring new fields (each proposes a version that adds columns), so files
// written with an earlier version lack what came after: every engine reads those columns as null
// there. A version edited by hand may also retype or drop a column; the notes say so.
import type { RecordField } from "../../../common/record-format.js";
import { typeText, type Column, type ColumnsVersion } from "../../../common/table-columns.js";
import { parquetTable } from "../exporters/parquet/parquet-table.js";
import { isValueOnly } from "../exporters/lines/line-format.js";
import { StreamdropError } from "../errors.js";
import type { ColumnFolder } from "./layout.js";
import { shownName } from "./names.js";

export interface ParquetColumns {
  kind: "parquet";
  /** The files' top-level columns, as the latest version writes them. */
  columns: Column[];
  /** The latest version's number (versions are numbered from 1). */
  version: number;
  /** Column paths (`a`, `a.b`; `value.a` in an envelope) as they differ between earlier versions and the latest. */
  changes: VersionChanges;
  /** The files take each event's writer schema's columns: these are the latest registered value schema's. */
  registered?: { subject: string; version: number; id: number };
}

/** The tables' columns for an exporter whose Parquet files take each event's writer schema's columns: `columns`, the latest schema's. */
export function registeredParquetColumns(
  fields: readonly RecordField[],
  columns: Column[],
  registered: NonNullable<ParquetColumns["registered"]>,
): ParquetColumns {
  return {
    kind: "parquet",
    columns: parquetTable(fields, columns).columns,
    version: registered.version,
    changes: { added: [], retyped: [], dropped: [] },
    registered,
  };
}

export interface VersionChanges {
  /** In the latest version, missing from an earlier one. */
  added: string[];
  /** Of another type in an earlier version. */
  retyped: string[];
  /** In an earlier version, missing from the latest. */
  dropped: string[];
}

export const isParquetColumns = (schema: object): schema is ParquetColumns => "kind" in schema && schema.kind === "parquet";

/** The tables' columns for an exporter that writes Parquet (its `columns` are kept whenever it does). */
export function parquetColumnsOf(exporter: { fields: readonly RecordField[]; columns?: readonly ColumnsVersion[] | undefined }): ParquetColumns {
  const versions = exporter.columns ?? [];
  const latest = versions.at(-1);
  if (!latest) throw new Error("a Parquet exporter has columns");
  const prefix = isValueOnly(exporter.fields) ? "" : "value.";
  return {
    kind: "parquet",
    columns: parquetTable(exporter.fields, latest.columns).columns,
    version: latest.version,
    changes: changesOf(
      versions.slice(0, -1).map((version) => version.columns),
      latest.columns,
      prefix,
    ),
  };
}

/** Each column's path and type text, structs' fields included (a struct itself is compared by its fields). */
function leaves(columns: readonly Column[], prefix: string, into = new Map<string, string>()): Map<string, string> {
  for (const column of columns) {
    const path = `${prefix}${column.name}`;
    if (column.type.kind === "struct") {
      into.set(path, "struct");
      leaves(column.type.fields, `${path}.`, into);
    } else into.set(path, typeText(column.type));
  }
  return into;
}

function changesOf(earlier: readonly Column[][], latest: readonly Column[], prefix: string): VersionChanges {
  const now = leaves(latest, prefix);
  const added = new Set<string>();
  const retyped = new Set<string>();
  const dropped = new Set<string>();
  for (const columns of earlier) {
    const then = leaves(columns, prefix);
    for (const [path, type] of now) {
      const old = then.get(path);
      if (old === undefined) added.add(path);
      else if (old !== type) retyped.add(path);
    }
    for (const path of then.keys()) if (!now.has(path)) dropped.add(path);
  }
  // A struct added whole is one change: its fields are not named again.
  const outermost = (paths: Set<string>) => [...paths].filter((path) => ![...paths].some((other) => path.startsWith(`${other}.`)));
  return { added: outermost(added), retyped: outermost(retyped), dropped: outermost(dropped) };
}

const names = (paths: readonly string[]) => paths.map(shownName).join(", ");

/**
 * What to know of the columns: where they come from, and how files of earlier versions read.
 * `fromFiles`: the engine takes the columns from the files themselves (DuckDB) rather than the declared ones.
 */
export function parquetColumnsNotes(schema: ParquetColumns, fromFiles: boolean): string[] {
  const { version, changes, registered } = schema;
  const notes = registered
    ? [
        `Columns of schema ${registered.subject} version ${registered.version} (id ${registered.id}), the latest registered for the events' values: each file holds the columns of the schema its events were written with (a file per schema), so files of earlier versions read fields added since as null${fromFiles ? "; DuckDB unites the files' columns by name" : ""}.`,
      ]
    : [
        fromFiles
          ? `Columns from the Parquet files themselves (each holds its own schema), united by name: the exporter's columns are at version ${version}, which new files are written with. A column no file holds yet is not in the view until one does.`
          : `Columns from the exporter's columns, version ${version}, which new files are written with (Parquet files hold their own schema; the table declares it).`,
      ];
  if (changes.added.length > 0)
    notes.push(`Files written with an earlier version of the columns lack ${names(changes.added)}, added since: those files read them as null.`);
  if (changes.retyped.length > 0)
    notes.push(
      `${names(changes.retyped)} had another type in an earlier version of the columns: ${fromFiles ? "DuckDB unites the types where one holds the other, and refuses the files otherwise" : "the files written with it may not read as the latest type (the engine reads such a column as null or refuses the file)"}.`,
    );
  if (changes.dropped.length > 0)
    notes.push(
      fromFiles
        ? `${names(changes.dropped)}, in an earlier version of the columns and not in the latest, ${changes.dropped.length === 1 ? "is a column" : "are columns"} all the same where older files hold ${changes.dropped.length === 1 ? "it" : "them"} (null in newer files).`
        : `${names(changes.dropped)}, in an earlier version of the columns and not in the latest, ${changes.dropped.length === 1 ? "is not a column" : "are not columns"}: the older files keep ${changes.dropped.length === 1 ? "its values" : "their values"}, which the table does not read.`,
    );
  const json = jsonPaths(schema.columns, "");
  if (json.length > 0) notes.push(`${names(json)} ${json.length === 1 ? "is" : "are"} of type json: each value's JSON text, a string.`);
  return notes;
}

/** Paths of the json columns (struct fields included, lists and maps of json not named apart). */
function jsonPaths(columns: readonly Column[], prefix: string): string[] {
  return columns.flatMap((column) => {
    const path = `${prefix}${column.name}`;
    if (column.type.kind === "json") return [path];
    return column.type.kind === "struct" ? jsonPaths(column.type.fields, `${path}.`) : [];
  });
}

/** An engine's type for a column, or why it has none. */
export type Declared = { type: string } | { problem: string };

/**
 * The columns an engine declares, with their types: each one left out, with a note, when the
 * engine cannot name or type it, when a folder gives a column of its name, or when an earlier
 * column has its name in another case (engines' names ignore case). A Parquet column is found by
 * its name, so none can be renamed (as JSON keys are mapped) or read as text instead.
 */
export function declaredColumns(
  engineName: string,
  columns: readonly Column[],
  folders: readonly ColumnFolder[],
  declare: (column: Column) => Declared,
  notes: string[],
): Array<{ name: string; type: string }> {
  const taken = new Map(folders.map((folder) => [folder.name.toLowerCase(), `the folder ${folder.name} gives that column`]));
  const kept: Array<{ name: string; type: string }> = [];
  const reasons: string[] = [];
  for (const column of columns) {
    const declared = declare(column);
    const problem = "problem" in declared ? declared.problem : taken.get(column.name.toLowerCase());
    if (problem) {
      reasons.push(`Column ${shownName(column.name)} is left out: ${problem}.`);
      continue;
    }
    taken.set(column.name.toLowerCase(), `column ${shownName(column.name)} has that name in another case, and ${engineName}'s names ignore case`);
    kept.push({ name: column.name, type: (declared as { type: string }).type });
  }
  notes.push(...reasons);
  if (kept.length === 0)
    throw new StreamdropError(
      "not-found",
      `No column of the exporter's Parquet files can be a column of the ${engineName} table, so there is no table to define. ${reasons.join(" ")}`,
    );
  return kept;
}
