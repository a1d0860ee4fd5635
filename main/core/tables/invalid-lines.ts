// The shape of an `-invalid` companion file's lines (exporters/jsonl.ts's invalidRecord): where
// the record was, its key, value and header values (text, or base64 for binary, each with its
// encoding), and why it is not an event. Engines that
// cannot leave those files out by name (Athena reads every file under its location) read them as
// rows too, so a column that shares a name with one of these fields must accept both kinds of value.
import type { Field, FieldType } from "./schema.js";
import { shownName } from "./names.js";

const text: FieldType = { kind: "string" };
const whole: FieldType = { kind: "integer" };

export const invalidLineFields: Record<string, FieldType> = {
  partition: whole,
  offset: whole,
  timestamp: whole,
  key: text,
  keyencoding: text,
  value: text,
  valueencoding: text,
  headers: {
    kind: "array",
    element: {
      kind: "struct",
      fields: [
        { name: "key", type: text },
        { name: "value", type: text },
        { name: "valueEncoding", type: text },
      ],
    },
  },
  reason: text,
};

/**
 * Whether a column of `column`'s type reads `line`'s values: the same type, a number as a
 * fraction, anything as text, a list of what it reads, or a struct whose fields it reads (a field
 * the line lacks reads as null; one the column lacks is not read).
 */
function reads(column: FieldType, line: FieldType): boolean {
  if (column.kind === "string" || column.kind === "json") return true;
  if (column.kind === "double" && line.kind === "integer") return true;
  if (column.kind === "array" && line.kind === "array") return reads(column.element, line.element);
  if (column.kind === "struct" && line.kind === "struct")
    return column.fields.every((field) => {
      const same = line.fields.find((other) => other.name.toLowerCase() === field.name.toLowerCase());
      return same === undefined || reads(field.type, same.type);
    });
  return JSON.stringify(column) === JSON.stringify(line);
}

/** The fields, each typed to read the `-invalid` lines' value of the same name too (JSON text when they clash), with a note for each change. */
export function readableWithInvalidLines(fields: readonly Field[], notes: string[]): Field[] {
  return fields.map((field) => {
    const line = Object.entries(invalidLineFields).find(([name]) => name === field.name.toLowerCase())?.[1];
    if (!line || reads(field.type, line)) return field;
    notes.push(
      `${shownName(field.name)} is typed as JSON text: the -invalid files' lines hold a ${line.kind === "array" ? "list" : line.kind} of that name, which the table reads too.`,
    );
    return { name: field.name, type: { kind: "json" } };
  });
}
