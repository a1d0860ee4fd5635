// The Parquet columns of a writer schema's values: every field the schema declares, typed as the
// decoder writes its value as JSON (avro-json.ts, protobuf-json.ts; a JSON Schema value is its
// producer's JSON), so that every line the decoder can write for the schema fits them by the fit
// rules (exporters/parquet/column-values.ts): a file of a Schema Registry topic has the columns of
// its values' writer schema, and a line that does not fit them is a value that breaks its schema.
//
// - Avro: int int32, long int64 (exact JSON numbers), float and double double (NaN and the
//   infinities are strings, which a double column takes), string, bytes, fixed and enum string,
//   decimal its decimal (beyond 38 digits json: the decoder writes a JSON number of every digit),
//   timestamp-millis and -micros their timestamps, date a date, local timestamps, times and uuid
//   strings (as their text), a logical type the decoder does not know its underlying type; records
//   structs, arrays lists, maps maps; a union of null and one type that type, of more json.
// - Protobuf: every field by its .proto name; 32-bit signed integers int32, uint32 and fixed32
//   int64, 64-bit signed integers int64 and unsigned decimal(20,0) (all exact JSON numbers), enums
//   strings (their names), bytes strings (base64), repeated fields lists, maps maps (JSON keys are
//   text), messages structs; an unset message, oneof member or proto3 optional is null. The well-
//   known types as the decoder writes them: Timestamp a string (its RFC 3339 text, kept faithfully:
//   producers send nanoseconds, which no Parquet timestamp that readers agree on holds), Duration
//   and FieldMask strings, wrappers their value's type, Struct, Value, ListValue, Any and Empty json.
// - JSON Schema: an object's properties by their declared type (string, integer int64, number
//   double, boolean, arrays of items lists, objects with properties structs), following references
//   (local ones and other registered schemas'); what may be several kinds, or is undeclared, json.
//
// A type that contains itself (a record or message within itself) is json where it recurs, and so
// is an empty record or message (Parquet has no struct without fields) and anything nested deeper
// than columns may (maxColumnDepth). The values' top level must be a record (message, object with
// properties): otherwise its values cannot be rows, and the reason says why.
//
// A Protobuf schema is read from the files given: where the registry gives .proto text, pass the
// descriptors the decoder reads with (registry-client.ts `serialized`) so the indexes name the same
// message (text numbers nested messages without the map entries producers count).
import avro from "avsc";
import protobuf from "protobufjs";
import { maxColumnDepth, maxDecimalPrecision, typeText, type Column, type ColumnType } from "../../../common/table-columns.js";
import { avroType as decoderType, Marked } from "./avro-json.js";
import { protobufMessage } from "./protobuf-json.js";
import type { RegisteredSchema } from "./registry-client.js";

/**
 * How a type is mapped: for Parquet files (the default), or for the coarser table definitions
 * (tables/registered-columns.ts), which keep a decimal of any precision and a Protobuf Timestamp
 * as a timestamp (their engines read its text as one).
 */
export interface ColumnsFor {
  tables?: boolean;
}

/**
 * The columns of values written with `schema` (`imports`: the schemas it references, dependencies
 * before dependents, as `referencedSchemas` in schema-decoder.ts returns them), typed as the
 * decoder writes its values; for Protobuf, the message `indexes` (the wire format's message
 * indexes, [0] for the first message) name. A string: why its values cannot be rows of columns
 * (a phrase, e.g. "schema id 7 is an Avro string, not a record"), for an -invalid line's reason.
 */
export function writerColumns(
  schema: RegisteredSchema,
  imports: readonly RegisteredSchema[],
  indexes: readonly number[],
  /** For Parquet files (the default), or for table definitions' coarser types. */
  options: ColumnsFor = {},
): Column[] | string {
  switch (schema.schemaType) {
    case "AVRO":
      return avroColumns(schema, imports, options);
    case "PROTOBUF":
      return protobufColumns(schema, imports, indexes, options);
    case "JSON":
      return jsonSchemaColumns(schema, imports);
  }
}

const json: ColumnType = { kind: "json" };
const string: ColumnType = { kind: "string" };

/** Whether a struct, list or map at `depth` (a top-level column's type is at 0) would nest its parts deeper than columns may. */
const tooDeep = (depth: number) => depth >= maxColumnDepth;

// ---- Avro -------------------------------------------------------------------------------------

/**
 * avsc's type of the schema, as the decoder builds it (schema-decoder.ts, avro-json.ts): its
 * imports' named types first, in one registry, unions wrapped, the same logical types marked; so
 * names resolve, and schemas fail, exactly as they do for the decoder.
 */
function avroTypeOf(schema: RegisteredSchema, imports: readonly RegisteredSchema[]): avro.Type {
  const registry: Record<string, avro.Type> = {};
  for (const file of imports) decoderType(JSON.parse(file.schema), registry);
  return decoderType(JSON.parse(schema.schema), registry);
}

function avroColumns(schema: RegisteredSchema, imports: readonly RegisteredSchema[], options: ColumnsFor): Column[] | string {
  let type: avro.Type;
  try {
    type = avroTypeOf(schema, imports);
  } catch (error) {
    return `schema id ${schema.id} cannot be read as Avro (${(error as Error).message})`;
  }
  // A union of null and a record: its records are rows (a null value is no row, and is told so by itself).
  if (type instanceof avro.types.WrappedUnionType) {
    const branches = type.types.filter((branch) => branch.typeName !== "null");
    if (branches.length === 1 && branches[0] instanceof avro.types.RecordType) type = branches[0];
  }
  if (!(type instanceof avro.types.RecordType)) return `schema id ${schema.id} is an Avro ${avroKind(type)}, not a record`;
  if (type.fields.length === 0) return `schema id ${schema.id} is an Avro record without fields, which makes no columns`;
  return avroFields(type, 0, new Set(), options);
}

/** A type's kind in a reason's words: `string`, `array`, `union`, `long (timestamp-millis)`. */
function avroKind(type: avro.Type): string {
  if (type instanceof Marked) return `${avroKind(type.underlyingType)} (${type.logical})`;
  if (type instanceof avro.types.WrappedUnionType) return "union";
  return type.typeName.replace(/^abstract:/, "");
}

function avroFields(record: avro.types.RecordType, depth: number, open: Set<avro.Type>, options: ColumnsFor): Column[] {
  open.add(record);
  const columns = record.fields.map((field) => ({ name: field.name, type: avroType(field.type, depth, open, options) }));
  open.delete(record);
  return columns;
}

function avroType(type: avro.Type, depth: number, open: Set<avro.Type>, options: ColumnsFor): ColumnType {
  if (type instanceof Marked) return avroLogical(type, depth, open, options);
  if (type instanceof avro.types.RecordType)
    // A record that contains itself has no finite struct type; one without fields is no struct (its value is always {}).
    return open.has(type) || type.fields.length === 0 || tooDeep(depth) ? json : { kind: "struct", fields: avroFields(type, depth + 1, open, options) };
  if (type instanceof avro.types.WrappedUnionType) {
    // The decoder writes a union as its bare value: null and one type is that type, anything more varies.
    const branches = type.types.filter((branch) => branch.typeName !== "null");
    return branches.length === 1 ? avroType(branches[0]!, depth, open, options) : json;
  }
  if (type instanceof avro.types.ArrayType) return tooDeep(depth) ? json : { kind: "list", items: avroType(type.itemsType, depth + 1, open, options) };
  if (type instanceof avro.types.MapType)
    return tooDeep(depth) ? json : { kind: "map", values: avroType(type.valuesType as avro.Type, depth + 1, open, options) };
  switch (type.typeName) {
    case "boolean":
      return { kind: "boolean" };
    case "int":
      return { kind: "int32" };
    // The decoder's exact long (a BigInt) is avsc's abstract long.
    case "long":
    case "abstract:long":
      return { kind: "int64" };
    case "float":
    case "double":
      // NaN and the infinities are written as strings, which a double column takes as Parquet's NaN and infinities.
      return { kind: "double" };
    case "string":
    case "enum":
    case "bytes":
    case "fixed":
      // Enums by their symbols, bytes and fixed as base64.
      return string;
    default:
      // null: always null, nothing known of it.
      return json;
  }
}

function avroLogical(type: Marked, depth: number, open: Set<avro.Type>, options: ColumnsFor): ColumnType {
  switch (type.logical) {
    case "decimal": {
      // Written as a JSON number of all its digits: beyond what a Parquet decimal keeps, JSON keeps them.
      const { precision, scale } = type;
      const valid = Number.isInteger(precision) && Number.isInteger(scale) && (precision as number) >= 1 && (scale as number) >= 0;
      if (!valid || (scale as number) > (precision as number)) return json;
      if ((precision as number) > maxDecimalPrecision && !options.tables) return json;
      return { kind: "decimal", precision: precision as number, scale: scale as number };
    }
    case "timestamp-millis":
      return { kind: "timestamp", unit: "millis" };
    case "timestamp-micros":
      return { kind: "timestamp", unit: "micros" };
    case "date":
      return { kind: "date" };
    case "uuid":
      // Its underlying string (or fixed, as base64).
      return avroType(type.underlyingType, depth, open, options);
    default:
      // Local timestamps (without a zone) and times of day are written as their text.
      return string;
  }
}

// ---- Protobuf ---------------------------------------------------------------------------------

/** The well-known types, as the decoder writes them (protobuf-json.ts `wellKnownWriters`). */
const wellKnownTypes: Record<string, ColumnType> = {
  ".google.protobuf.Timestamp": string,
  ".google.protobuf.Duration": string,
  ".google.protobuf.FieldMask": string,
  ".google.protobuf.Struct": json,
  ".google.protobuf.Value": json,
  ".google.protobuf.ListValue": json,
  ".google.protobuf.Any": json,
  ".google.protobuf.Empty": json,
  ".google.protobuf.DoubleValue": { kind: "double" },
  ".google.protobuf.FloatValue": { kind: "double" },
  ".google.protobuf.Int64Value": { kind: "int64" },
  ".google.protobuf.UInt64Value": { kind: "decimal", precision: 20, scale: 0 },
  ".google.protobuf.Int32Value": { kind: "int32" },
  ".google.protobuf.UInt32Value": { kind: "int64" },
  ".google.protobuf.BoolValue": { kind: "boolean" },
  ".google.protobuf.StringValue": string,
  ".google.protobuf.BytesValue": string,
};

const wellKnownType = (fullName: string, options: ColumnsFor): ColumnType | undefined =>
  // Table definitions read a Timestamp's text as their engines' timestamp.
  options.tables && fullName === ".google.protobuf.Timestamp" ? { kind: "timestamp", unit: "micros" } : wellKnownTypes[fullName];

function protobufColumns(schema: RegisteredSchema, imports: readonly RegisteredSchema[], indexes: readonly number[], options: ColumnsFor): Column[] | string {
  let message: protobuf.Type;
  try {
    message = protobufMessage([...imports.map((file) => file.schema), schema.schema], [...indexes]);
    message.root.resolveAll();
  } catch (error) {
    return `schema id ${schema.id} cannot be read as Protobuf (${(error as Error).message})`;
  }
  const name = message.fullName.slice(1);
  const known = wellKnownType(message.fullName, options);
  if (known) return `schema id ${schema.id}'s message ${name} is written as one ${typeText(known)} value, not as fields`;
  if (message.fieldsArray.length === 0) return `schema id ${schema.id}'s message ${name} has no fields, which makes no columns`;
  return messageColumns(message, 0, new Set(), options);
}

/** The columns of a message's fields (at `depth`), by their .proto names, as the decoder writes them. */
export function messageColumns(message: protobuf.Type, depth: number, open: Set<string>, options: ColumnsFor = {}): Column[] {
  open.add(message.fullName);
  const columns = message.fieldsArray.map((field) => ({ name: field.name, type: protobufFieldType(field, depth, open, options) }));
  open.delete(message.fullName);
  return columns;
}

function protobufFieldType(field: protobuf.Field, depth: number, open: Set<string>, options: ColumnsFor): ColumnType {
  // A map's keys are JSON names (text); its values are the map field's type.
  if (field.map) return tooDeep(depth) ? json : { kind: "map", values: protobufValueType(field, depth + 1, open, options) };
  if (field.repeated) return tooDeep(depth) ? json : { kind: "list", items: protobufValueType(field, depth + 1, open, options) };
  return protobufValueType(field, depth, open, options);
}

/** One value of a field (an element of a list, a map's value). */
function protobufValueType(field: protobuf.Field, depth: number, open: Set<string>, options: ColumnsFor): ColumnType {
  const resolved = field.resolvedType;
  // By name; a number the schema does not name (a newer writer's value) is written as its number, and does not fit.
  if (resolved instanceof protobuf.Enum) return string;
  if (resolved instanceof protobuf.Type) {
    const known = wellKnownType(resolved.fullName, options);
    if (known) return known;
    // A message that contains itself has no finite struct type; one without fields is no struct (its value is always {}).
    return open.has(resolved.fullName) || resolved.fieldsArray.length === 0 || tooDeep(depth)
      ? json
      : { kind: "struct", fields: messageColumns(resolved, depth + 1, open, options) };
  }
  switch (field.type) {
    case "double":
    case "float":
      // NaN and the infinities are written as strings, which a double column takes.
      return { kind: "double" };
    case "int32":
    case "sint32":
    case "sfixed32":
      return { kind: "int32" };
    // Unsigned: up to 4294967295, past an int32.
    case "uint32":
    case "fixed32":
    case "int64":
    case "sint64":
    case "sfixed64":
      // Exact JSON numbers (not the proto3 mapping's strings).
      return { kind: "int64" };
    // Up to 18446744073709551615, past an int64: twenty digits.
    case "uint64":
    case "fixed64":
      return { kind: "decimal", precision: 20, scale: 0 };
    case "bool":
      return { kind: "boolean" };
    default:
      // string, and bytes as base64.
      return string;
  }
}

// ---- JSON Schema ------------------------------------------------------------------------------

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[] | boolean;
  additionalProperties?: JsonSchema | boolean;
  patternProperties?: Record<string, JsonSchema>;
  $ref?: string;
  $id?: string;
  [key: string]: unknown;
}

/** A schema within its document: a reference is read against the document it is in. */
interface Placed {
  schema: JsonSchema;
  document: JsonSchema;
}

/** The documents a reference may name: the registered schemas, by their references' names and their $id. */
type Documents = Map<string, JsonSchema>;

function jsonSchemaColumns(schema: RegisteredSchema, imports: readonly RegisteredSchema[]): Column[] | string {
  let root: JsonSchema;
  let documents: Documents;
  try {
    root = jsonDocument(schema.schema);
    documents = documentsOf(schema, imports);
  } catch (error) {
    return `schema id ${schema.id} cannot be read as JSON Schema (${(error as Error).message})`;
  }
  const top = resolveRef({ schema: root, document: root }, documents, new Set());
  if (kindOf(top.schema) !== "object" || !top.schema.properties || typeof top.schema.properties !== "object")
    return `schema id ${schema.id} is a JSON Schema of ${describeJsonSchema(top.schema)}, not an object with properties`;
  const names = Object.keys(top.schema.properties);
  if (names.length === 0) return `schema id ${schema.id} is a JSON Schema of an object without properties, which makes no columns`;
  if (names.includes("")) return `schema id ${schema.id} is a JSON Schema of an object with a property named "", which no column may be`;
  return objectColumns(top, documents, 0, new Set());
}

function jsonDocument(text: string): JsonSchema {
  const parsed = JSON.parse(text) as unknown;
  // `true` and `{}` allow anything; `false` nothing.
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonSchema) : {};
}

/** The other documents by the names the schemas' references give them, and by their $id. */
function documentsOf(schema: RegisteredSchema, imports: readonly RegisteredSchema[]): Documents {
  const documents: Documents = new Map();
  const parsed = imports.map((file) => ({ file, document: jsonDocument(file.schema) }));
  for (const { document } of parsed) if (typeof document.$id === "string") documents.set(document.$id, document);
  for (const from of [...imports, schema])
    for (const reference of from.references) {
      const target = parsed.find(({ file }) => file.subject === reference.subject && (file.version === undefined || file.version === reference.version));
      if (target && !documents.has(reference.name)) documents.set(reference.name, target.document);
    }
  return documents;
}

/** What a JSON Schema describes, in a reason's words. */
function describeJsonSchema(schema: JsonSchema): string {
  const kind = kindOf(schema);
  if (kind === "object") return "an object without properties";
  if (kind) return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
  return schema.type === undefined ? "values of no declared type" : "values of several types";
}

/**
 * A reference replaced by what it names: `#/…` in the schema's own document, `name#/…` or `name`
 * in another registered schema; one it cannot follow is a schema of anything (json).
 */
function resolveRef(placed: Placed, documents: Documents, seen: Set<JsonSchema>): Placed {
  const ref = placed.schema.$ref;
  if (typeof ref !== "string") return placed;
  // A reference to itself, through others or not, names nothing.
  if (seen.has(placed.schema)) return { schema: {}, document: placed.document };
  seen.add(placed.schema);
  const hash = ref.indexOf("#");
  const name = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? "" : ref.slice(hash + 1);
  const document = name === "" ? placed.document : documents.get(name);
  if (!document) return { schema: {}, document: placed.document };
  let target: unknown = document;
  for (const part of pointer.split("/").slice(1)) {
    const key = decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~");
    target = typeof target === "object" && target !== null && Object.hasOwn(target, key) ? (target as Record<string, unknown>)[key] : undefined;
  }
  if (pointer !== "" && !pointer.startsWith("/")) target = undefined;
  const schema = typeof target === "object" && target !== null && !Array.isArray(target) ? (target as JsonSchema) : {};
  return resolveRef({ schema, document }, documents, seen);
}

/** The one kind a schema's values have (null aside), or undefined when they may have several or any. */
function kindOf(schema: JsonSchema): string | undefined {
  const types = (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []).filter((type) => type !== "null");
  return types.length === 1 && typeof types[0] === "string" ? types[0] : undefined;
}

function objectColumns(object: Placed, documents: Documents, depth: number, open: Set<JsonSchema>): Column[] {
  open.add(object.schema);
  const columns = Object.entries(object.schema.properties!).map(([name, property]) => ({
    name,
    type: jsonSchemaType({ schema: property, document: object.document }, documents, depth, open),
  }));
  open.delete(object.schema);
  return columns;
}

function jsonSchemaType(property: Placed, documents: Documents, depth: number, open: Set<JsonSchema>): ColumnType {
  // `true`, `false` (no value) and anything else that is not a schema object: anything.
  if (typeof property.schema !== "object" || property.schema === null || Array.isArray(property.schema)) return json;
  const placed = resolveRef(property, documents, new Set());
  const schema = placed.schema;
  switch (kindOf(schema)) {
    case "string":
      // Whatever its format: the producer's text is kept as it is.
      return string;
    case "integer":
      // A whole number past an int64 does not fit, and is told so.
      return { kind: "int64" };
    case "number":
      return { kind: "double" };
    case "boolean":
      return { kind: "boolean" };
    case "array": {
      // A list of one schema's items; a tuple (items as a list, prefixItems) varies from place to place.
      const items = schema.items;
      if (items === undefined || Array.isArray(items) || schema.prefixItems !== undefined || tooDeep(depth)) return json;
      return { kind: "list", items: jsonSchemaType({ schema: typeof items === "object" ? items : {}, document: placed.document }, documents, depth + 1, open) };
    }
    case "object": {
      const properties = schema.properties;
      // Names the schema does not list, allowed by name (additionalProperties, patternProperties), would not fit a struct.
      const openEnded = (schema.additionalProperties !== undefined && schema.additionalProperties !== false) || schema.patternProperties !== undefined;
      if (!properties || typeof properties !== "object" || openEnded || open.has(schema) || tooDeep(depth)) return json;
      const names = Object.keys(properties);
      if (names.length === 0 || names.includes("")) return json;
      return { kind: "struct", fields: objectColumns(placed, documents, depth + 1, open) };
    }
    default:
      return json;
  }
}
