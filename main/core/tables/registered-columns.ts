// The columns of an exporter's lines from the registered schema of its values, not from a sample:
// every field of the schema, typed as the decoder writes it (schemas/avro-json.ts,
// protobuf-json.ts; a JSON Schema value is its JSON), so a field rare in the topic is a column all
// the same, and decimals and timestamps get their own types. A field that may hold several kinds
// (an Avro union of more than null and one type, a map, a Struct) is JSON.
import protobuf from "protobufjs";
import type { Field, FieldType } from "./schema.js";

type AvroSchema = string | { type: unknown; [key: string]: unknown } | AvroSchema[];

/**
 * The columns of a record schema (`schema`, with the schemas it references, `imports`, as JSON
 * text), or undefined when its values are not records (no columns to take from it).
 */
export function avroColumns(schema: string, imports: readonly string[] = []): Field[] | undefined {
  const named = new Map<string, AvroSchema>();
  for (const text of imports) collectNames(JSON.parse(text) as AvroSchema, undefined, named);
  const root = JSON.parse(schema) as AvroSchema;
  collectNames(root, undefined, named);
  const top = resolve(root, undefined, named);
  if (typeof top !== "object" || Array.isArray(top) || top.type !== "record") return undefined;
  return recordFields(top, named, new Set());
}

function fullName(name: string, namespace: string | undefined): string {
  return name.includes(".") || !namespace ? name : `${namespace}.${name}`;
}

/** Every named type (record, enum, fixed) by its full name, as Avro resolves them. */
function collectNames(schema: AvroSchema, namespace: string | undefined, named: Map<string, AvroSchema>): void {
  if (Array.isArray(schema)) return schema.forEach((branch) => collectNames(branch, namespace, named));
  if (typeof schema !== "object") return;
  const name = schema.name as string | undefined;
  const space = (schema.namespace as string | undefined) ?? (name?.includes(".") ? name.slice(0, name.lastIndexOf(".")) : namespace);
  if (name && ["record", "enum", "fixed"].includes(schema.type as string)) named.set(fullName(name, space), { ...schema, namespace: space });
  if (schema.type === "record") for (const field of schema.fields as Array<{ type: AvroSchema }>) collectNames(field.type, space, named);
  if (schema.type === "array") collectNames(schema.items as AvroSchema, space, named);
  if (schema.type === "map") collectNames(schema.values as AvroSchema, space, named);
  if (typeof schema.type === "object") collectNames(schema.type as AvroSchema, space, named);
}

/** A reference to a named type, replaced by its definition. */
function resolve(schema: AvroSchema, namespace: string | undefined, named: Map<string, AvroSchema>): AvroSchema {
  if (typeof schema !== "string") return schema;
  return named.get(fullName(schema, namespace)) ?? named.get(schema) ?? schema;
}

function recordFields(record: { [key: string]: unknown }, named: Map<string, AvroSchema>, open: Set<string>): Field[] {
  const namespace = record.namespace as string | undefined;
  const name = fullName(record.name as string, namespace);
  open.add(name);
  const fields = (record.fields as Array<{ name: string; type: AvroSchema }>).map((field) => ({
    name: field.name,
    type: typeOf(field.type, namespace, named, open),
  }));
  open.delete(name);
  return fields;
}

function typeOf(schema: AvroSchema, namespace: string | undefined, named: Map<string, AvroSchema>, open: Set<string>): FieldType {
  const resolved = resolve(schema, namespace, named);
  if (Array.isArray(resolved)) {
    // The decoder writes a union as its bare value: null and one type is that type, anything more varies.
    const types = resolved.filter((branch) => branch !== "null");
    return types.length === 1 ? typeOf(types[0]!, namespace, named, open) : { kind: "json" };
  }
  if (typeof resolved === "string") return primitive(resolved);
  const logical = resolved.logicalType as string | undefined;
  if (logical === "decimal") return { kind: "decimal", precision: resolved.precision as number, scale: (resolved.scale as number | undefined) ?? 0 };
  if (logical === "timestamp-millis" || logical === "timestamp-micros") return { kind: "timestamp" };
  if (logical === "date") return { kind: "date" };
  switch (resolved.type) {
    case "record": {
      const name = fullName(resolved.name as string, (resolved.namespace as string | undefined) ?? namespace);
      // A record that contains itself has no finite struct type.
      return open.has(name) ? { kind: "json" } : { kind: "struct", fields: recordFields(resolved, named, open) };
    }
    case "array":
      return { kind: "array", element: typeOf(resolved.items as AvroSchema, namespace, named, open) };
    case "map":
      return { kind: "json" };
    case "enum":
    case "fixed":
      return { kind: "string" };
    default:
      // A primitive written as {"type": "long"}, with a logical type the decoder writes as text (local timestamps, times, uuid).
      return typeof resolved.type === "string"
        ? logical
          ? { kind: "string" }
          : primitive(resolved.type)
        : typeOf(resolved.type as AvroSchema, namespace, named, open);
  }
}

function primitive(name: string): FieldType {
  switch (name) {
    case "boolean":
      return { kind: "boolean" };
    case "int":
    case "long":
      return { kind: "integer" };
    case "float":
    case "double":
      // NaN and the infinities are written as strings, which the engines cast to their double's NaN and infinities.
      return { kind: "double" };
    default:
      return { kind: "string" };
  }
}

/** The well-known Protobuf types, as the decoder writes them (schemas/protobuf-json.ts). */
const wellKnownColumns: Record<string, FieldType> = {
  ".google.protobuf.Timestamp": { kind: "timestamp" },
  ".google.protobuf.Duration": { kind: "string" },
  ".google.protobuf.FieldMask": { kind: "string" },
  ".google.protobuf.Struct": { kind: "json" },
  ".google.protobuf.Value": { kind: "json" },
  ".google.protobuf.ListValue": { kind: "json" },
  ".google.protobuf.Any": { kind: "json" },
  ".google.protobuf.Empty": { kind: "json" },
  ".google.protobuf.DoubleValue": { kind: "double" },
  ".google.protobuf.FloatValue": { kind: "double" },
  ".google.protobuf.Int64Value": { kind: "integer" },
  ".google.protobuf.UInt64Value": { kind: "decimal", precision: 20, scale: 0 },
  ".google.protobuf.Int32Value": { kind: "integer" },
  ".google.protobuf.UInt32Value": { kind: "integer" },
  ".google.protobuf.BoolValue": { kind: "boolean" },
  ".google.protobuf.StringValue": { kind: "string" },
  ".google.protobuf.BytesValue": { kind: "string" },
};

/** The columns of a Protobuf message: every field by its .proto name, as the decoder writes it. */
export function protobufColumns(message: protobuf.Type, open = new Set<string>()): Field[] {
  open.add(message.fullName);
  const fields = message.fieldsArray.map((field) => {
    const one = protobufType(field, open);
    return { name: field.name, type: field.map ? ({ kind: "json" } as const) : field.repeated ? { kind: "array" as const, element: one } : one };
  });
  open.delete(message.fullName);
  return fields;
}

function protobufType(field: protobuf.Field, open: Set<string>): FieldType {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return { kind: "string" };
  if (resolved instanceof protobuf.Type) {
    const known = wellKnownColumns[resolved.fullName];
    if (known) return known;
    // A message that contains itself has no finite struct type.
    return open.has(resolved.fullName) || resolved.fieldsArray.length === 0 ? { kind: "json" } : { kind: "struct", fields: protobufColumns(resolved, open) };
  }
  switch (field.type) {
    case "double":
    case "float":
      return { kind: "double" };
    // Past a 64-bit signed integer: the decoder writes them exactly, so a 20-digit decimal holds them.
    case "uint64":
    case "fixed64":
      return { kind: "decimal", precision: 20, scale: 0 };
    case "bool":
      return { kind: "boolean" };
    case "string":
    case "bytes":
      return { kind: "string" };
    default:
      return { kind: "integer" };
  }
}

/**
 * The columns of a JSON Schema's object: its properties by their declared types (a property
 * that may be several kinds, or has none declared, is JSON). The values are the producer's JSON,
 * so a string stays a string whatever its format says.
 */
export function jsonSchemaColumns(schema: string): Field[] | undefined {
  const root = JSON.parse(schema) as JsonSchema;
  const resolved = resolveRef(root, root);
  if (kindOf(resolved) !== "object" || !resolved.properties) return undefined;
  return objectFields(resolved, root, new Set());
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  $ref?: string;
  [key: string]: unknown;
}

/** A local reference (#/definitions/… or #/$defs/…) replaced by what it names; others stay as they are. */
function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref?.startsWith("#/")) return schema;
  let target: unknown = root;
  for (const part of schema.$ref.slice(2).split("/")) target = (target as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return (target as JsonSchema | undefined) ?? {};
}

function kindOf(schema: JsonSchema): string | undefined {
  const types = (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []).filter((type) => type !== "null");
  return types.length === 1 ? types[0] : undefined;
}

function objectFields(schema: JsonSchema, root: JsonSchema, open: Set<JsonSchema>): Field[] {
  open.add(schema);
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => ({ name, type: jsonSchemaType(property, root, open) }));
  open.delete(schema);
  return fields;
}

function jsonSchemaType(property: JsonSchema, root: JsonSchema, open: Set<JsonSchema>): FieldType {
  const schema = resolveRef(property, root);
  switch (kindOf(schema)) {
    case "string":
      return { kind: "string" };
    case "integer":
      return { kind: "integer" };
    case "number":
      return { kind: "double" };
    case "boolean":
      return { kind: "boolean" };
    case "array":
      return schema.items ? { kind: "array", element: jsonSchemaType(schema.items, root, open) } : { kind: "json" };
    case "object":
      return schema.properties && !open.has(schema) ? { kind: "struct", fields: objectFields(schema, root, open) } : { kind: "json" };
    default:
      return { kind: "json" };
  }
}
