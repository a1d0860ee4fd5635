// Columns when the topic cannot be read (deleted, emptied by retention, unreachable) and no
// definition was made from it before: Streamdrop never reads the bucket for them (the exporter's
// key may only write). What the lines hold is then known only as far as the exporter's settings
// say: an envelope's own fields (exporters/lines/line-format.ts writes each the same way whatever
// the event), and, for lines that are the events themselves, nothing: each line is read whole.
import type { RecordField } from "../../../common/record-format.js";
import { isValueOnly } from "../exporters/lines/line-format.js";
import type { Field, FieldType, InferredSchema } from "./schema.js";

const text: FieldType = { kind: "string" };
const whole: FieldType = { kind: "integer" };
/** Keys and values are whatever the producers sent (JSON, text, or base64 of bytes): JSON text reads any of them. */
const anyJson: FieldType = { kind: "json" };

/** Each envelope field's columns: bytes that are not text are base64, with a sibling `<name>Encoding` saying so. */
const envelopeFields: Record<RecordField, Field[]> = {
  topic: [{ name: "topic", type: text }],
  partition: [{ name: "partition", type: whole }],
  offset: [{ name: "offset", type: whole }],
  timestamp: [{ name: "timestamp", type: whole }],
  key: [
    { name: "key", type: anyJson },
    { name: "keyEncoding", type: text },
  ],
  keySchemaId: [{ name: "keySchemaId", type: whole }],
  headers: [{ name: "headers", type: anyJson }],
  value: [
    { name: "value", type: anyJson },
    { name: "valueEncoding", type: text },
  ],
  valueSchemaId: [{ name: "valueSchemaId", type: whole }],
};

/** The lines are the events themselves: no column is known, each line is read whole as JSON text. */
export interface WholeLines {
  kind: "whole-lines";
  /** Why the topic was not read. */
  why: string;
}

/** The column a whole line is read into. */
export const wholeLineColumn = "line";

export const isWholeLines = (schema: object): schema is WholeLines => "kind" in schema && schema.kind === "whole-lines";

/** What the exporter's settings alone say of its lines' columns. */
export function settingsColumns(fields: readonly RecordField[], why: string): InferredSchema | WholeLines {
  if (isValueOnly(fields)) return { kind: "whole-lines", why };
  return { fields: fields.flatMap((field) => envelopeFields[field]), notes: [], sampled: 0, fallback: { kind: "envelope", why } };
}
