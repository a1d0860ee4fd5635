// What a Parquet file's table is for an exporter's line fields: the value's columns alone
// (fields `value`), or the record's envelope with the value's columns nested under `value`.
// The envelope's fields become columns readers agree on: the Kafka timestamp as
// TIMESTAMP(MILLIS, UTC), the offset as int64, the headers as a list of key/value structs. A key
// or header value that is JSON is kept as its text; one that is not text is base64 with its
// `…Encoding` beside, as in JSON Lines.
import type { RecordField } from "../../../../common/record-format.js";
import type { Column, ColumnType } from "../../../../common/table-columns.js";
import { isValueOnly } from "../lines/line-format.js";
import { isNumber, jsonText, misfitOf, type RowRead } from "./column-values.js";

export interface ParquetTable {
  /** The value's columns are the file's (fields `value`); else they are under `value`, in an envelope. */
  valueOnly: boolean;
  /** The file's top-level columns. */
  columns: Column[];
  /** A parsed event line as a row of `columns`, or why it cannot be one. */
  rowOf(line: unknown): RowRead;
}

const string: ColumnType = { kind: "string" };

const envelopeColumns = (field: RecordField, value: Column[]): Column[] => {
  switch (field) {
    case "topic":
      return [{ name: "topic", type: string }];
    case "partition":
      return [{ name: "partition", type: { kind: "int32" } }];
    case "offset":
      return [{ name: "offset", type: { kind: "int64" } }];
    case "timestamp":
      return [{ name: "timestamp", type: { kind: "timestamp", unit: "millis" } }];
    case "key":
      return [
        { name: "key", type: string },
        { name: "keyEncoding", type: string },
      ];
    // The wire format's schema id is an unsigned 32-bit number.
    case "keySchemaId":
    case "valueSchemaId":
      return [{ name: field, type: { kind: "int64" } }];
    case "headers":
      return [
        {
          name: "headers",
          type: {
            kind: "list",
            items: {
              kind: "struct",
              fields: [
                { name: "key", type: string },
                { name: "value", type: string },
                { name: "valueEncoding", type: string },
              ],
            },
          },
        },
      ];
    case "value":
      return [{ name: "value", type: { kind: "struct", fields: value } }];
  }
};

/** JSON that is not a string kept as its text: a key or header value is text to its readers, whatever it holds. */
const asText = (value: unknown) => (value === null || value === undefined || typeof value === "string" ? value : jsonText(value));

export function parquetTable(fields: readonly RecordField[], valueColumns: Column[]): ParquetTable {
  if (isValueOnly(fields)) {
    return {
      valueOnly: true,
      columns: valueColumns,
      rowOf: (line) => {
        const misfit = misfitOf(line, valueColumns);
        return misfit ? { misfit } : { row: line as Record<string, unknown> };
      },
    };
  }
  // No value columns: a file of kept tombstones (whose values are all null) has no value column, as Parquet has no empty struct.
  const noValue = valueColumns.length === 0;
  const columns = fields.flatMap((field) => (field === "value" && noValue ? [] : envelopeColumns(field, valueColumns)));
  return {
    valueOnly: false,
    columns,
    rowOf: (line) => {
      const record =
        noValue && (line as Record<string, unknown>).value === null ? withoutValue(line as Record<string, unknown>) : (line as Record<string, unknown>);
      if (record.valueEncoding !== undefined) return { misfit: { path: "value", problem: "bytes that are not JSON, where the value is a row of columns" } };
      const row: Record<string, unknown> = { ...record };
      if ("key" in record) row.key = asText(record.key);
      // Kafka says "no timestamp" with -1 (message format v0): null, not 1969.
      if (isNumber(record.timestamp, -1)) row.timestamp = null;
      if (Array.isArray(record.headers))
        row.headers = (record.headers as Array<Record<string, unknown>>).map((header) => ({ ...header, value: asText(header.value) }));
      // The whole row against the envelope's columns, its own fields too (a timestamp past year 9999,
      // a schema id): everything the writer lays out is checked before the record joins the batch.
      const misfit = misfitOf(row, columns);
      return misfit ? { misfit } : { row };
    },
  };
}

function withoutValue(record: Record<string, unknown>): Record<string, unknown> {
  const { value: _null, ...rest } = record;
  return rest;
}
