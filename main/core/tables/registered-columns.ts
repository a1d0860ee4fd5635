// The columns of an exporter's lines from the registered schema of its values, not from a sample:
// every field of the schema, typed as the decoder writes it (schemas/avro-json.ts,
// protobuf-json.ts; a JSON Schema value is its JSON), so a field rare in the topic is a column all
// the same, and decimals and timestamps get their own types. A field that may hold several kinds
// (an Avro union of more than null and one type, a map, a Struct) is JSON.
//
// The schemas are walked once, by schemas/schema-columns.ts (which gives Parquet files their
// columns), for table definitions: its types made the tables' coarser ones (both integers an
// integer, a list an array, a map JSON), a decimal of any precision kept, a Protobuf Timestamp a
// timestamp (its text is read as one).
import type protobuf from "protobufjs";
import type { Column, ColumnType } from "../../../common/table-columns.js";
import type { RegisteredSchema, SchemaType } from "../schemas/registry-client.js";
import { messageColumns, writerColumns } from "../schemas/schema-columns.js";
import type { Field, FieldType } from "./schema.js";

const forTables = { tables: true };

const registered = (schemaType: SchemaType, schema: string): RegisteredSchema => ({ id: 0, schemaType, schema, references: [] });

/** A table's fields of these columns; undefined for a reason why there are none. */
const fieldsOf = (columns: Column[] | string): Field[] | undefined => (typeof columns === "string" ? undefined : tableFields(columns));

const tableFields = (columns: readonly Column[]): Field[] => columns.map((column) => ({ name: column.name, type: tableType(column.type) }));

function tableType(type: ColumnType): FieldType {
  switch (type.kind) {
    case "int32":
    case "int64":
      return { kind: "integer" };
    case "timestamp":
      return { kind: "timestamp" };
    case "decimal":
      return { kind: "decimal", precision: type.precision, scale: type.scale };
    case "struct":
      return { kind: "struct", fields: tableFields(type.fields) };
    case "list":
      return { kind: "array", element: tableType(type.items) };
    case "map":
      return { kind: "json" };
    default:
      return { kind: type.kind };
  }
}

/**
 * The columns of a record schema (`schema`, with the schemas it references, `imports`, as JSON
 * text), or undefined when its values are not records (no columns to take from it).
 */
export function avroColumns(schema: string, imports: readonly string[] = []): Field[] | undefined {
  return fieldsOf(
    writerColumns(
      registered("AVRO", schema),
      imports.map((text) => registered("AVRO", text)),
      [0],
      forTables,
    ),
  );
}

/** The columns of a Protobuf message: every field by its .proto name, as the decoder writes it. */
export function protobufColumns(message: protobuf.Type): Field[] {
  message.root.resolveAll();
  return tableFields(messageColumns(message, 0, new Set(), forTables));
}

/**
 * The columns of a JSON Schema's object: its properties by their declared types (a property
 * that may be several kinds, or has none declared, is JSON). The values are the producer's JSON,
 * so a string stays a string whatever its format says.
 */
export function jsonSchemaColumns(schema: string): Field[] | undefined {
  return fieldsOf(writerColumns(registered("JSON", schema), [], [0], forTables));
}
