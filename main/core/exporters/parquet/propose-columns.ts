// Columns proposed from sampled events: what the topic check offers when a Parquet exporter is
// made (a person reviews and edits them), and what a field the columns lack adds to a new version.
// Each field's type is the narrowest every sampled value fits: whole numbers int64, other numbers
// double, RFC 3339 times with their zone timestamp(micros), dates date, objects structs, arrays
// lists; a field whose values disagree (a number here, a string there) is json, which keeps any
// value as its text. Nothing is proposed as a decimal: JSON cannot say a number is one, so a
// person says so.
import type { Column, ColumnType } from "../../../../common/table-columns.js";
import { maxColumnDepth } from "../../../../common/table-columns.js";
import { ExactNumber } from "./column-values.js";

const time = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})$/;
const date = /^\d{4}-\d{2}-\d{2}$/;

/** What is known of a field from the values seen: undefined while only nulls were. */
type Seen = ColumnType | undefined;

function typeOf(value: unknown, depth: number): Seen {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "boolean") return { kind: "boolean" };
  if (typeof value === "number" || value instanceof ExactNumber) {
    const text = value instanceof ExactNumber ? value.source : String(value);
    return /^-?\d+$/.test(text) ? { kind: "int64" } : { kind: "double" };
  }
  if (typeof value === "string") return time.test(value) ? { kind: "timestamp", unit: "micros" } : date.test(value) ? { kind: "date" } : { kind: "string" };
  // A list or struct here would nest its parts deeper than columns may (common/table-columns.ts reads no such text back).
  if (depth >= maxColumnDepth) return { kind: "json" };
  if (Array.isArray(value)) {
    const items = value.reduce<Seen>((seen, item) => merge(seen, typeOf(item, depth + 1)), undefined);
    return { kind: "list", items: items ?? { kind: "string" } };
  }
  const fields = fieldsOf([value as Record<string, unknown>], depth + 1);
  // An empty object says nothing of its fields: json keeps whatever comes.
  return fields.length > 0 ? { kind: "struct", fields } : { kind: "json" };
}

/** The narrowest type both fit. */
function merge(a: Seen, b: Seen): Seen {
  if (!a) return b;
  if (!b) return a;
  if (a.kind === b.kind) {
    if (a.kind === "struct" && b.kind === "struct") return { kind: "struct", fields: mergeFields(a.fields, b.fields) };
    if (a.kind === "list" && b.kind === "list") return { kind: "list", items: merge(a.items, b.items) ?? { kind: "string" } };
    return a;
  }
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.has("int64") && kinds.has("double")) return { kind: "double" };
  // A time or a date beside other text: the text is the column (all of them fit a string).
  if ([...kinds].every((kind) => kind === "string" || kind === "timestamp" || kind === "date")) return { kind: "string" };
  return { kind: "json" };
}

function mergeFields(a: readonly Column[], b: readonly Column[]): Column[] {
  const merged = a.map((column) => ({ ...column }));
  for (const column of b) {
    const known = merged.find((candidate) => candidate.name === column.name);
    if (known) known.type = merge(known.type, column.type) ?? column.type;
    else merged.push({ ...column });
  }
  return merged;
}

/** Fields in the order first seen; a field seen only as null is a string (the most common such field). */
function fieldsOf(objects: ReadonlyArray<Record<string, unknown>>, depth: number): Column[] {
  const seen = new Map<string, Seen>();
  for (const object of objects) for (const [name, value] of Object.entries(object)) seen.set(name, merge(seen.get(name), typeOf(value, depth)));
  return [...seen].map(([name, type]) => ({ name, type: type ?? { kind: "string" } }));
}

/** The columns proposed for these sampled events (JSON objects); empty when none was sampled. */
export function proposeColumns(events: ReadonlyArray<Record<string, unknown>>): Column[] {
  return fieldsOf(events, 0);
}

/**
 * `columns` with the fields `events` hold that they lack, at any depth, each typed as the events
 * say: a new version's columns. Fields the columns have keep their type (a type that no longer
 * fits is a person's choice, never widened here).
 */
export function withNewFields(columns: readonly Column[], events: ReadonlyArray<Record<string, unknown>>): Column[] {
  return addMissingColumns(columns, proposeColumns(events));
}

/** `columns` with the columns of `proposed` they lack, at any depth. */
export function addMissingColumns(columns: readonly Column[], proposed: readonly Column[]): Column[] {
  const result = columns.map((column) => {
    const other = proposed.find((candidate) => candidate.name === column.name);
    return other ? { name: column.name, type: withMissingFields(column.type, other.type) } : column;
  });
  for (const column of proposed) if (!columns.some((known) => known.name === column.name)) result.push(column);
  return result;
}

/** A type with the struct fields `other` has and it lacks, inside lists too; any other type as it is. */
function withMissingFields(type: ColumnType, other: ColumnType): ColumnType {
  if (type.kind === "struct" && other.kind === "struct") return { kind: "struct", fields: addMissingColumns(type.fields, other.fields) };
  if (type.kind === "list" && other.kind === "list") return { kind: "list", items: withMissingFields(type.items, other.items) };
  return type;
}
