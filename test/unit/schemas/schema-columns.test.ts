// The Parquet columns of a writer schema's values (Avro, Protobuf, JSON Schema): the exact columns
// each schema gives, and that every line the decoder writes for it fits them by the fit rules a
// Parquet file's lines are checked by (readRow, misfitOf), edge values above all: the longest
// longs, uint64's largest, negative decimals, times before 1970, a Timestamp's nanoseconds, NaN,
// recursion, maps, enums and bytes. Values are encoded as producers do (avsc, protobufjs) and
// decoded by the decoder itself (SchemaDecoder, through a registry stand-in).
import fc from "fast-check";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { columnsSchema, columnsText, maxColumnDepth, parseColumns, type Column, type ColumnType } from "../../../common/table-columns.js";
import { readRow, type Misfit } from "../../../main/core/exporters/parquet/column-values.js";
import { parquetTable } from "../../../main/core/exporters/parquet/parquet-table.js";
import { avroType } from "../../../main/core/schemas/avro-json.js";
import { RegistryError, type RegisteredSchema } from "../../../main/core/schemas/registry-client.js";
import { writerColumns } from "../../../main/core/schemas/schema-columns.js";
import { descriptorBase64 } from "../../support/proto-descriptors.js";
import { referencedSchemas, SchemaDecoder, type SchemaSource } from "../../../main/core/schemas/schema-decoder.js";

// ---- Helpers ----------------------------------------------------------------------------------

/** A registry stand-in: schemas by id, and by subject and version for references. */
function registry(schemas: RegisteredSchema[]): SchemaSource {
  return {
    async schema(id) {
      const found = schemas.find((schema) => schema.id === id);
      if (!found) throw new RegistryError("unknown", `no ${id}`);
      return found;
    },
    async version(subject, version) {
      const found = schemas.find((schema) => schema.subject === subject && schema.version === version);
      if (!found) throw new RegistryError("unknown", `no ${subject} ${version}`);
      return found;
    },
  };
}

/** The columns of schema `id`, with its imports as the decoder gathers them. */
async function columnsOf(source: SchemaSource, id: number, indexes: number[] = [0]): Promise<Column[] | string> {
  const schema = await source.schema(id);
  return writerColumns(schema, await referencedSchemas(source, schema.references), indexes);
}

/** Columns as the rest of the app takes them: valid by the stored schema, and through their text and back. */
function expectValid(columns: Column[] | string): asserts columns is Column[] {
  expect(typeof columns).not.toBe("string");
  expect(columnsSchema.safeParse(columns).success).toBe(true);
  expect(parseColumns(columnsText(columns as Column[]))).toEqual({ columns });
}

const wire = (id: number, payload: Uint8Array) => Buffer.concat([Buffer.from([0, 0, 0, id >> 8, id & 0xff]), payload]);

/** The lines the decoder writes for these wire-format values. */
async function decodeAll(source: SchemaSource, values: Buffer[]): Promise<string[]> {
  const decoder = new SchemaDecoder(source);
  await decoder.prepareValues(values);
  return values.map((value) => {
    const decoded = decoder.decode(value);
    if (decoded.kind === "json") return decoded.text;
    if (decoded.kind === "payload") return decoded.bytes.toString("utf8");
    throw new Error(`not decoded: ${JSON.stringify(decoded)}`);
  });
}

/** Why a line does not fit the columns (alone, and the same nested under an envelope's `value`), or undefined. */
function misfit(line: string, columns: Column[]): Misfit | undefined {
  const alone = readRow(line, parquetTable(["value"], columns).rowOf);
  const enveloped = readRow(`{"offset":7,"value":${line}}`, parquetTable(["offset", "value"], columns).rowOf);
  // Under the envelope the value is a column of its own: the same fit, one level down (a null value is a null column).
  if (!("misfit" in alone)) expect("misfit" in enveloped ? enveloped.misfit : undefined).toBeUndefined();
  else if (alone.misfit.path !== "") expect("misfit" in enveloped && enveloped.misfit.path).toBe(`value.${alone.misfit.path}`);
  return "misfit" in alone ? alone.misfit : undefined;
}

function expectFit(lines: string[], columns: Column[]): void {
  for (const line of lines) expect({ line, misfit: misfit(line, columns) }).toEqual({ line, misfit: undefined });
}

const byName = (columns: Column[]) => Object.fromEntries(columns.map((column) => [column.name, column.type]));

/** A two's-complement big-endian integer, in `size` bytes or the fewest that hold it (Avro's decimal). */
function twos(value: bigint, size?: number): Buffer {
  let length = size ?? 1;
  if (size === undefined) while (value < -(1n << BigInt(8 * length - 1)) || value >= 1n << BigInt(8 * length - 1)) length += 1;
  const bytes = Buffer.alloc(length);
  let rest = value;
  for (let at = length - 1; at >= 0; at -= 1) {
    bytes[at] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

const [int64Min, int64Max] = [-(2n ** 63n), 2n ** 63n - 1n];
const int32: ColumnType = { kind: "int32" };
const int64: ColumnType = { kind: "int64" };
const double: ColumnType = { kind: "double" };
const string: ColumnType = { kind: "string" };
const boolean: ColumnType = { kind: "boolean" };
const json: ColumnType = { kind: "json" };

// ---- Avro -------------------------------------------------------------------------------------

const address = { type: "record", name: "Address", namespace: "shop", fields: [{ name: "city", type: "string" }] };
const order = {
  type: "record",
  name: "Order",
  namespace: "shop",
  fields: [
    { name: "id", type: "long" },
    { name: "count", type: "int" },
    { name: "flag", type: "boolean" },
    { name: "ratio", type: "float" },
    { name: "score", type: "double" },
    { name: "note", type: ["null", "string"] },
    { name: "raw", type: "bytes" },
    { name: "hash", type: { type: "fixed", name: "Hash", size: 4 } },
    { name: "state", type: { type: "enum", name: "State", symbols: ["NEW", "PAID"] } },
    { name: "price", type: { type: "bytes", logicalType: "decimal", precision: 12, scale: 3 } },
    { name: "fee", type: { type: "fixed", name: "Money", size: 8, logicalType: "decimal", precision: 18, scale: 2 } },
    { name: "refund", type: ["null", "Money"] },
    { name: "wide", type: { type: "bytes", logicalType: "decimal", precision: 40, scale: 10 } },
    { name: "whole", type: { type: "bytes", logicalType: "decimal", precision: 38 } },
    { name: "placed", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "placedMicros", type: { type: "long", logicalType: "timestamp-micros" } },
    { name: "local", type: { type: "long", logicalType: "local-timestamp-micros" } },
    { name: "day", type: { type: "int", logicalType: "date" } },
    { name: "opens", type: { type: "int", logicalType: "time-millis" } },
    { name: "closes", type: { type: "long", logicalType: "time-micros" } },
    { name: "uuid", type: { type: "string", logicalType: "uuid" } },
    { name: "nanos", type: { type: "long", logicalType: "timestamp-nanos" } },
    { name: "ship", type: ["null", "Address"] },
    {
      name: "lines",
      type: {
        type: "array",
        items: {
          type: "record",
          name: "Line",
          fields: [
            { name: "sku", type: "string" },
            { name: "qty", type: ["null", "int"] },
          ],
        },
      },
    },
    { name: "tags", type: { type: "map", values: ["null", "string"] } },
    { name: "stock", type: { type: "map", values: { type: "array", items: "Line" } } },
    { name: "either", type: ["null", "string", "long"] },
    { name: "nothing", type: "null" },
    { name: "marker", type: { type: "record", name: "Marker", fields: [] } },
    { name: "parent", type: ["null", "Order"], default: null },
  ],
};

const line: ColumnType = {
  kind: "struct",
  fields: [
    { name: "sku", type: string },
    { name: "qty", type: int32 },
  ],
};

const avroSchemas: RegisteredSchema[] = [
  { id: 1, subject: "address-value", version: 1, schemaType: "AVRO", schema: JSON.stringify(address), references: [] },
  { id: 2, schemaType: "AVRO", schema: JSON.stringify(order), references: [{ name: "shop.Address", subject: "address-value", version: 1 }] },
];

const orderType = (() => {
  const types = {};
  avroType(address, types);
  return avroType(order, types);
})();

/** An order, `fields` changed. */
const anOrder = (fields: Record<string, unknown> = {}) => ({
  id: 1n,
  count: 2,
  flag: true,
  ratio: 0.1,
  score: 2.5,
  note: null,
  raw: Buffer.from([0, 1, 0xfe, 0xff]),
  hash: Buffer.from("abcd"),
  state: "NEW",
  price: twos(-123456n), // -123.456
  fee: twos(12345n, 8), // 123.45
  refund: null,
  wide: twos(10n ** 40n - 1n),
  whole: twos(-(10n ** 38n - 1n)),
  placed: 1764936000123n,
  placedMicros: 1764936000123456n,
  local: 1764936000123456n,
  day: 20427,
  opens: 32_400_500,
  closes: 64_800_000_001n,
  uuid: "7b0a7c1e-3f0c-4d55-9a8e-1b2c3d4e5f60",
  nanos: 1764936000123456789n,
  ship: null,
  lines: [],
  tags: {},
  stock: {},
  either: null,
  nothing: null,
  marker: {},
  parent: null,
  ...fields,
});

describe("the columns of an Avro schema", () => {
  it("type every field as the decoder writes it, with referenced, recursive and empty records", async () => {
    const columns = await columnsOf(registry(avroSchemas), 2);
    expectValid(columns);
    expect(columns.map((column) => column.name)).toEqual(order.fields.map((field) => field.name));
    expect(byName(columns)).toEqual({
      id: int64,
      count: int32,
      flag: boolean,
      ratio: double,
      score: double,
      note: string,
      raw: string,
      hash: string,
      state: string,
      price: { kind: "decimal", precision: 12, scale: 3 },
      fee: { kind: "decimal", precision: 18, scale: 2 },
      refund: { kind: "decimal", precision: 18, scale: 2 },
      // Beyond a Parquet decimal: the decoder's JSON number keeps every digit as JSON text.
      wide: json,
      whole: { kind: "decimal", precision: 38, scale: 0 },
      placed: { kind: "timestamp", unit: "millis" },
      placedMicros: { kind: "timestamp", unit: "micros" },
      local: string,
      day: { kind: "date" },
      opens: string,
      closes: string,
      uuid: string,
      // A logical type the decoder does not know is written as its long.
      nanos: int64,
      ship: { kind: "struct", fields: [{ name: "city", type: string }] },
      lines: { kind: "list", items: line },
      tags: { kind: "map", values: string },
      stock: { kind: "map", values: { kind: "list", items: line } },
      either: json,
      nothing: json,
      marker: json,
      parent: json,
    });
  });

  it("fit every line the decoder writes, at the edges of every type", async () => {
    const source = registry(avroSchemas);
    const columns = await columnsOf(source, 2);
    expectValid(columns);
    const values = [
      anOrder(),
      anOrder({
        id: int64Max,
        count: 2 ** 31 - 1,
        flag: false,
        ratio: Number.NaN,
        score: Number.POSITIVE_INFINITY,
        note: { string: 'é\u2028😀\n"' },
        raw: Buffer.alloc(0),
        state: "PAID",
        price: twos(999_999_999_999n),
        fee: twos(-(10n ** 18n - 1n), 8),
        refund: { "shop.Money": twos(-1n, 8) },
        wide: twos(-(10n ** 40n - 1n)),
        whole: twos(10n ** 38n - 1n),
        placed: -1n,
        placedMicros: -1n,
        local: -1n,
        day: -1,
        opens: 0,
        closes: 86_399_999_999n,
        nanos: int64Min,
        ship: { "shop.Address": { city: "" } },
        lines: [
          { sku: "a", qty: null },
          { sku: "b", qty: { int: -(2 ** 31) } },
        ],
        tags: { a: null, "": { string: "empty name" }, "x.y": { string: "dot" } },
        stock: { w1: [{ sku: "c", qty: { int: 3 } }], w2: [] },
        either: { long: int64Max },
        parent: {
          "shop.Order": anOrder({ either: { string: "x" }, parent: { "shop.Order": anOrder({ score: Number.NEGATIVE_INFINITY, ratio: -0 }) } }),
        },
      }),
      anOrder({
        id: int64Min,
        count: -(2 ** 31),
        ratio: 3.4028234663852886e38,
        score: 5e-324,
        price: twos(-999_999_999_999n),
        placed: -62_135_596_800_000n, // 0001-01-01T00:00:00.000Z
        placedMicros: 253_402_300_799_999_999n, // 9999-12-31T23:59:59.999999Z
        day: -719_162, // 0001-01-01
        either: { long: int64Min },
      }),
      anOrder({ score: 1.7976931348623157e308, ratio: -1e-45, placed: 253_402_300_799_999n, day: 2_932_896 /* 9999-12-31 */ }),
    ];
    const lines = await decodeAll(
      source,
      values.map((value) => wire(2, orderType.toBuffer(value))),
    );
    expect(JSON.parse(lines[1]!)).toMatchObject({ ratio: "NaN", score: "Infinity", placed: "1969-12-31T23:59:59.999Z", day: "1969-12-31" });
    expect(lines[1]).toContain('"id":9223372036854775807');
    expectFit(lines, columns);
  });

  it("fit any record of the schema's values (generated)", async () => {
    const source = registry(avroSchemas);
    const columns = await columnsOf(source, 2);
    expectValid(columns);
    const decoder = new SchemaDecoder(source);
    await decoder.prepare([2]);
    const msPerDay = 86_400_000n;
    const [earliest, latest] = [-62_135_596_800_000n, 253_402_300_799_999n];
    fc.assert(
      fc.property(
        fc.record({
          id: fc.bigInt({ min: int64Min, max: int64Max }),
          count: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
          ratio: fc.float(),
          score: fc.double(),
          note: fc.option(fc.string({ unit: "grapheme" }).map((text) => ({ string: text }))),
          raw: fc.uint8Array().map((bytes) => Buffer.from(bytes)),
          price: fc.bigInt({ min: -(10n ** 12n - 1n), max: 10n ** 12n - 1n }).map((unscaled) => twos(unscaled)),
          fee: fc.bigInt({ min: -(10n ** 18n - 1n), max: 10n ** 18n - 1n }).map((unscaled) => twos(unscaled, 8)),
          wide: fc.bigInt({ min: -(10n ** 40n - 1n), max: 10n ** 40n - 1n }).map((unscaled) => twos(unscaled)),
          whole: fc.bigInt({ min: -(10n ** 38n - 1n), max: 10n ** 38n - 1n }).map((unscaled) => twos(unscaled)),
          placed: fc.bigInt({ min: earliest, max: latest }),
          placedMicros: fc.bigInt({ min: earliest * 1000n, max: latest * 1000n + 999n }),
          day: fc.integer({ min: Number(earliest / msPerDay), max: Number(latest / msPerDay) }),
          either: fc.option(
            fc.oneof(
              fc.string().map((text) => ({ string: text })),
              fc.bigInt({ min: int64Min, max: int64Max }).map((long) => ({ long })),
            ),
          ),
          tags: fc.dictionary(fc.string(), fc.option(fc.string().map((text) => ({ string: text })))),
        }),
        (fields) => {
          const decoded = decoder.decode(wire(2, orderType.toBuffer(anOrder(fields))));
          expect(decoded.kind).toBe("json");
          expect(misfit((decoded as { text: string }).text, columns)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it("do not take a time or date in the year 0, which the decoder writes and Parquet's readers do not", async () => {
    const source = registry(avroSchemas);
    const columns = await columnsOf(source, 2);
    expectValid(columns);
    const yearZero = -62_167_219_200_000n; // 0000-01-01T00:00:00.000Z
    const lines = await decodeAll(source, [
      wire(2, orderType.toBuffer(anOrder({ placed: yearZero }))),
      wire(2, orderType.toBuffer(anOrder({ day: Number(yearZero / 86_400_000n) }))),
    ]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ placed: "0000-01-01T00:00:00.000Z" });
    expect(misfit(lines[0]!, columns)).toEqual({ path: "placed", problem: '"0000-01-01T00:00:00.000Z", which is not a date and time that exists' });
    expect(misfit(lines[1]!, columns)).toEqual({ path: "day", problem: '"0000-01-01", which is not a date that exists (years 1 to 9999)' });
  });

  it("say why values that are not records cannot be rows", () => {
    const avro = (schema: unknown, id = 7): RegisteredSchema => ({ id, schemaType: "AVRO", schema: JSON.stringify(schema), references: [] });
    expect(writerColumns(avro("string"), [], [0])).toBe("schema id 7 is an Avro string, not a record");
    expect(writerColumns(avro("long"), [], [0])).toBe("schema id 7 is an Avro long, not a record");
    expect(writerColumns(avro({ type: "array", items: "long" }), [], [0])).toBe("schema id 7 is an Avro array, not a record");
    expect(writerColumns(avro({ type: "map", values: "long" }), [], [0])).toBe("schema id 7 is an Avro map, not a record");
    expect(writerColumns(avro({ type: "enum", name: "E", symbols: ["A"] }), [], [0])).toBe("schema id 7 is an Avro enum, not a record");
    expect(writerColumns(avro(["int", "string"], 8), [], [0])).toBe("schema id 8 is an Avro union, not a record");
    expect(writerColumns(avro({ type: "long", logicalType: "timestamp-millis" }), [], [0])).toBe(
      "schema id 7 is an Avro long (timestamp-millis), not a record",
    );
    expect(writerColumns(avro({ type: "record", name: "R", fields: [] }), [], [0])).toBe(
      "schema id 7 is an Avro record without fields, which makes no columns",
    );
    // A schema the decoder cannot read either, in the decoder's words.
    expect(writerColumns({ id: 9, schemaType: "AVRO", schema: "{not json", references: [] }, [], [0])).toMatch(/^schema id 9 cannot be read as Avro \(/);
    expect(writerColumns(avro({ type: "record", name: "R", fields: [{ name: "a", type: "Missing" }] }), [], [0])).toBe(
      "schema id 7 cannot be read as Avro (undefined type name: Missing)",
    );
  });

  it("take a union of null and a record as the record: its records are rows, a null is not, and says so", async () => {
    const nullable = [
      "null",
      {
        type: "record",
        name: "R",
        fields: [
          { name: "a", type: "long" },
          { name: "b", type: { type: "array", items: ["null", "R"] } },
        ],
      },
    ];
    const source = registry([{ id: 3, schemaType: "AVRO", schema: JSON.stringify(nullable), references: [] }]);
    const columns = await columnsOf(source, 3);
    expectValid(columns);
    expect(columns).toEqual([
      { name: "a", type: int64 },
      { name: "b", type: { kind: "list", items: json } },
    ]);
    const type = avroType(nullable);
    const lines = await decodeAll(source, [wire(3, type.toBuffer(null)), wire(3, type.toBuffer({ R: { a: 1n, b: [null, { R: { a: 2n, b: [] } }] } }))]);
    expect(lines[0]).toBe("null");
    expect(misfit(lines[0]!, columns)).toEqual({ path: "", problem: "null, where an event must be a JSON object" });
    expectFit([lines[1]!], columns);
  });

  it("resolve names in namespaces as avsc does: inherited, dotted, and from an import's namespace", async () => {
    const money = { type: "fixed", name: "finance.Money", size: 4, logicalType: "decimal", precision: 9, scale: 2 };
    const outer = {
      type: "record",
      name: "Outer",
      namespace: "a",
      fields: [
        { name: "money", type: money },
        { name: "again", type: "finance.Money" },
        // An inline record inherits the namespace a, and names Inner in it.
        {
          name: "inner",
          type: {
            type: "record",
            name: "Inner",
            fields: [
              { name: "self", type: ["null", "Inner"] },
              { name: "up", type: ["null", "Outer"] },
            ],
          },
        },
        { name: "same", type: "a.Inner" },
        { name: "imported", type: "shop.Address" },
      ],
    };
    const source = registry([
      avroSchemas[0]!,
      { id: 4, schemaType: "AVRO", schema: JSON.stringify(outer), references: [{ name: "shop.Address", subject: "address-value", version: 1 }] },
    ]);
    const columns = await columnsOf(source, 4);
    expectValid(columns);
    const inner: ColumnType = {
      kind: "struct",
      fields: [
        { name: "self", type: json },
        { name: "up", type: json },
      ],
    };
    expect(byName(columns)).toEqual({
      money: { kind: "decimal", precision: 9, scale: 2 },
      again: { kind: "decimal", precision: 9, scale: 2 },
      inner,
      same: inner,
      imported: { kind: "struct", fields: [{ name: "city", type: string }] },
    });
  });

  it("type a decimal beyond 38 digits, or not well formed, as json, which keeps the decoder's number as sent", async () => {
    const record = {
      type: "record",
      name: "D",
      fields: [
        { name: "wide", type: { type: "bytes", logicalType: "decimal", precision: 60, scale: 30 } },
        { name: "noPrecision", type: { type: "bytes", logicalType: "decimal" } },
        { name: "scaleOverPrecision", type: { type: "bytes", logicalType: "decimal", precision: 2, scale: 4 } },
        { name: "widest", type: { type: "bytes", logicalType: "decimal", precision: 38, scale: 38 } },
      ],
    };
    const source = registry([{ id: 5, schemaType: "AVRO", schema: JSON.stringify(record), references: [] }]);
    const columns = await columnsOf(source, 5);
    expectValid(columns);
    expect(byName(columns)).toEqual({ wide: json, noPrecision: json, scaleOverPrecision: json, widest: { kind: "decimal", precision: 38, scale: 38 } });
    const type = avroType(record);
    const value = { wide: twos(-(10n ** 60n - 1n)), noPrecision: twos(123n), scaleOverPrecision: twos(-99n), widest: twos(-(10n ** 38n - 1n)) };
    const lines = await decodeAll(source, [wire(5, type.toBuffer(value))]);
    expect(lines[0]).toBe(`{"wide":-${"9".repeat(30)}.${"9".repeat(30)},"noPrecision":123,"scaleOverPrecision":-0.0099,"widest":-0.${"9".repeat(38)}}`);
    expectFit(lines, columns);
    const row = readRow(lines[0]!, parquetTable(["value"], columns).rowOf);
    expect("row" in row).toBe(true);
  });

  it("nest no deeper than columns may: deeper records are json", async () => {
    // Level n holds level n + 1: 40 levels of records, each a different one.
    let schema: Record<string, unknown> = { type: "record", name: "L40", fields: [{ name: "leaf", type: "string" }] };
    for (let level = 39; level >= 0; level -= 1) schema = { type: "record", name: `L${level}`, fields: [{ name: "down", type: schema }] };
    const source = registry([{ id: 6, schemaType: "AVRO", schema: JSON.stringify(schema), references: [] }]);
    const columns = await columnsOf(source, 6);
    expectValid(columns);
    let type = columns[0]!.type;
    let depth = 0;
    while (type.kind === "struct") {
      type = type.fields[0]!.type;
      depth += 1;
    }
    expect({ depth, type }).toEqual({ depth: maxColumnDepth, type: json });
    let value: Record<string, unknown> = { leaf: "bottom" };
    for (let level = 39; level >= 0; level -= 1) value = { down: value };
    const lines = await decodeAll(source, [wire(6, avroType(schema).toBuffer(value))]);
    expectFit(lines, columns);
  });
});

// ---- Protobuf ---------------------------------------------------------------------------------

const wellKnownFiles = ["timestamp", "duration", "field_mask", "struct", "any", "empty", "wrappers"];
const proto = `syntax = "proto3";
package shop;
${wellKnownFiles.map((name) => `import "google/protobuf/${name}.proto";`).join("\n")}
message First { string a = 1; }
message Order {
  int32 i32 = 1;
  sint32 s32 = 2;
  sfixed32 sf32 = 3;
  uint32 u32 = 4;
  fixed32 f32 = 5;
  int64 i64 = 6;
  sint64 s64 = 7;
  sfixed64 sf64 = 8;
  uint64 u64 = 9;
  fixed64 f64 = 10;
  double d = 11;
  float f = 12;
  bool ok = 13;
  string text = 14;
  bytes blob = 15;
  Status status = 16;
  Line line = 17;
  repeated Line lines = 18;
  repeated int64 ids = 19;
  repeated Status statuses = 20;
  map<string, Line> by_sku = 21;
  map<int64, string> by_id = 22;
  map<bool, uint64> by_flag = 23;
  map<uint32, Status> by_code = 24;
  oneof payment {
    string card = 25;
    int64 cash_cents = 26;
    Line voucher = 27;
  }
  optional double discount = 28;
  google.protobuf.Timestamp placed_at = 29;
  google.protobuf.Duration took = 30;
  google.protobuf.FieldMask mask = 31;
  google.protobuf.Struct extra = 32;
  google.protobuf.Value any_value = 33;
  google.protobuf.ListValue list_value = 34;
  google.protobuf.Any packed = 35;
  google.protobuf.Empty nothing = 36;
  google.protobuf.DoubleValue w_double = 37;
  google.protobuf.FloatValue w_float = 38;
  google.protobuf.Int64Value w_int64 = 39;
  google.protobuf.UInt64Value w_uint64 = 40;
  google.protobuf.Int32Value w_int32 = 41;
  google.protobuf.UInt32Value w_uint32 = 42;
  google.protobuf.BoolValue w_bool = 43;
  google.protobuf.StringValue w_string = 44;
  google.protobuf.BytesValue w_bytes = 45;
  repeated google.protobuf.Timestamp times = 46;
  repeated google.protobuf.Int64Value w_ids = 47;
  Order parent = 48;
  Node tree = 49;
  Blank blank = 50;
  message Line { string sku = 1; uint64 qty = 2; Order order = 3; }
  enum Status { STATUS_UNSPECIFIED = 0; PAID = 1; }
}
message Node { string name = 1; repeated Node children = 2; map<string, Node> named = 3; }
message Blank {}
`;

const protoRoot = (() => {
  const root = new protobuf.Root();
  for (const name of wellKnownFiles) root.addJSON((protobuf.common.get(`google/protobuf/${name}.proto`) as { nested: protobuf.INamespace["nested"] }).nested!);
  protobuf.parse(proto, root, { keepCase: true });
  root.resolveAll();
  return root;
})();
const Order = protoRoot.lookupType("shop.Order");

/** The payload after the schema id: message indexes (a lone 0 for the first message), then the message. */
function protoPayload(indexes: number[], message: Uint8Array): Buffer {
  const writer = protobuf.Writer.create();
  if (indexes.length === 1 && indexes[0] === 0) writer.sint32(0);
  else {
    writer.sint32(indexes.length);
    for (const index of indexes) writer.sint32(index);
  }
  return Buffer.concat([writer.finish(), message]);
}

const anOrderMessage = (fields: Record<string, unknown>) => Order.encode(Order.fromObject(fields)).finish();

const protoLine: ColumnType = {
  kind: "struct",
  fields: [
    { name: "sku", type: string },
    { name: "qty", type: { kind: "decimal", precision: 20, scale: 0 } },
    { name: "order", type: json },
  ],
};
const node: ColumnType = {
  kind: "struct",
  fields: [
    { name: "name", type: string },
    { name: "children", type: { kind: "list", items: json } },
    { name: "named", type: { kind: "map", values: json } },
  ],
};
const uint64: ColumnType = { kind: "decimal", precision: 20, scale: 0 };

describe("the columns of a Protobuf schema", () => {
  const source = registry([{ id: 10, schemaType: "PROTOBUF", schema: proto, references: [] }]);

  it("type every field by its .proto name as the decoder writes it, the message the indexes name", async () => {
    const columns = await columnsOf(source, 10, [1]);
    expectValid(columns);
    expect(columns.map((column) => column.name)).toEqual(Order.fieldsArray.map((field) => field.name));
    expect(byName(columns)).toEqual({
      i32: int32,
      s32: int32,
      sf32: int32,
      u32: int64,
      f32: int64,
      i64: int64,
      s64: int64,
      sf64: int64,
      u64: uint64,
      f64: uint64,
      d: double,
      f: double,
      ok: boolean,
      text: string,
      blob: string,
      status: string,
      line: protoLine,
      lines: { kind: "list", items: protoLine },
      ids: { kind: "list", items: int64 },
      statuses: { kind: "list", items: string },
      by_sku: { kind: "map", values: protoLine },
      by_id: { kind: "map", values: string },
      by_flag: { kind: "map", values: uint64 },
      by_code: { kind: "map", values: string },
      card: string,
      cash_cents: int64,
      voucher: protoLine,
      discount: double,
      placed_at: string,
      took: string,
      mask: string,
      extra: json,
      any_value: json,
      list_value: json,
      packed: json,
      nothing: json,
      w_double: double,
      w_float: double,
      w_int64: int64,
      w_uint64: uint64,
      w_int32: int32,
      w_uint32: int64,
      w_bool: boolean,
      w_string: string,
      w_bytes: string,
      times: { kind: "list", items: string },
      w_ids: { kind: "list", items: int64 },
      parent: json,
      tree: node,
      blank: json,
    });
    expect(await columnsOf(source, 10, [0])).toEqual([{ name: "a", type: string }]);
    expect(await columnsOf(source, 10, [2])).toEqual(node.fields);
  });

  it("fit every line the decoder writes, at the edges of every type", async () => {
    const columns = await columnsOf(source, 10, [1]);
    expectValid(columns);
    const messages = [
      // Nothing set: defaults, and null for unset messages, oneof members and optionals.
      anOrderMessage({}),
      anOrderMessage({
        i32: 2 ** 31 - 1,
        s32: -(2 ** 31),
        sf32: -(2 ** 31),
        u32: 2 ** 32 - 1,
        f32: 2 ** 32 - 1,
        i64: "9223372036854775807",
        s64: "-9223372036854775808",
        sf64: "-9223372036854775808",
        u64: "18446744073709551615",
        f64: "18446744073709551615",
        d: Number.NaN,
        f: Number.NEGATIVE_INFINITY,
        ok: true,
        text: 'é\u2028😀\n"',
        blob: Buffer.from([0, 0xff, 0x10]),
        status: "PAID",
        line: { sku: "a", qty: "18446744073709551615", order: { i64: "-1" } },
        lines: [{ sku: "b" }, { qty: 1 }],
        ids: ["9223372036854775807", "-9223372036854775808", 0],
        statuses: ["PAID", "STATUS_UNSPECIFIED"],
        by_sku: { x: { sku: "x" }, "": {} },
        by_id: { "9223372036854775807": "max", "-9223372036854775808": "min", "3472328296227680304": "ascii" },
        by_flag: { true: "18446744073709551615", false: 0 },
        by_code: { 4294967295: "PAID" },
        cash_cents: "-9223372036854775808",
        discount: 0,
        placed_at: { seconds: -1, nanos: 123456789 },
        took: { seconds: -3, nanos: -500000000 },
        mask: { paths: ["a.b", "c"] },
        extra: { fields: { a: { numberValue: 1.5 }, b: { listValue: { values: [{ stringValue: "x" }, { nullValue: 0 }] } }, n: { numberValue: Number.NaN } } },
        any_value: { structValue: { fields: { deep: { boolValue: true } } } },
        list_value: { values: [{ numberValue: 2 }, { stringValue: "two" }] },
        packed: { type_url: "type.googleapis.com/shop.First", value: Buffer.from([10, 1, 97]) },
        nothing: {},
        w_double: { value: Number.POSITIVE_INFINITY },
        w_float: { value: 0.1 },
        w_int64: { value: "-9223372036854775808" },
        w_uint64: { value: "18446744073709551615" },
        w_int32: { value: -(2 ** 31) },
        w_uint32: { value: 2 ** 32 - 1 },
        w_bool: { value: false },
        w_string: { value: "" },
        w_bytes: { value: Buffer.from("bytes") },
        times: [{ seconds: "-62135596800" }, { seconds: "253402300799", nanos: 999999999 }],
        w_ids: [{ value: "9223372036854775807" }, {}],
        parent: { card: "4111", parent: { voucher: { sku: "v" } } },
        tree: { name: "root", children: [{ name: "leaf", children: [{ name: "deeper" }] }], named: { x: { name: "x", named: { y: {} } } } },
        blank: {},
      }),
      anOrderMessage({ voucher: { sku: "v", qty: 3 }, d: -0, f: 3.4028234663852886e38, placed_at: { seconds: 1764936000 }, took: { nanos: 1 } }),
      anOrderMessage({ card: "", d: Number.POSITIVE_INFINITY, f: Number.NaN, placed_at: { seconds: 1764936000, nanos: 5_000_000 } }),
    ];
    const lines = await decodeAll(
      source,
      messages.map((message) => wire(10, protoPayload([1], message))),
    );
    // What the decoder writes, which the columns are chosen for.
    expect(JSON.parse(lines[0]!)).toMatchObject({ i64: 0, u64: 0, status: "STATUS_UNSPECIFIED", card: null, cash_cents: null, discount: null, line: null });
    const second = JSON.parse(lines[1]!) as Record<string, unknown>;
    expect(second).toMatchObject({ d: "NaN", f: "-Infinity", placed_at: "1969-12-31T23:59:59.123456789Z", took: "-3.500s", u32: 4294967295, status: "PAID" });
    expect(lines[1]).toContain('"u64":18446744073709551615,');
    expect(lines[1]).toContain('"i64":9223372036854775807,');
    expect(lines[1]).toContain('"by_id":{"9223372036854775807":"max","-9223372036854775808":"min","3472328296227680304":"ascii"}');
    expectFit(lines, columns);
  });

  it("fit any message of the schema's values (generated)", async () => {
    const columns = await columnsOf(source, 10, [1]);
    expectValid(columns);
    const decoder = new SchemaDecoder(source);
    await decoder.prepare([10]);
    const long = fc.bigInt({ min: int64Min, max: int64Max }).map(String);
    const unsignedLong = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
    fc.assert(
      fc.property(
        fc.record({
          i32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
          u32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          i64: long,
          s64: long,
          u64: unsignedLong,
          f64: unsignedLong,
          d: fc.double(),
          f: fc.float(),
          text: fc.string({ unit: "grapheme" }),
          blob: fc.uint8Array(),
          by_id: fc.dictionary(long, fc.string()),
          by_flag: fc.dictionary(fc.constantFrom("true", "false"), unsignedLong),
          ids: fc.array(long),
          placed_at: fc.record({ seconds: fc.integer({ min: -62_135_596_800, max: 253_402_300_799 }), nanos: fc.integer({ min: 0, max: 999_999_999 }) }),
          w_uint64: fc.record({ value: unsignedLong }),
          w_double: fc.record({ value: fc.double() }),
        }),
        (fields) => {
          const decoded = decoder.decode(wire(10, protoPayload([1], anOrderMessage(fields))));
          expect(decoded.kind).toBe("json");
          expect(misfit((decoded as { text: string }).text, columns)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it("number messages as a descriptor does (map entries included), and nested messages by their path", async () => {
    const text = `syntax = "proto3"; package d; message Outer { map<string, int32> m = 1; message Inner { sint64 s = 1; } Inner inner = 2; }`;
    const { base64, root: own } = descriptorBase64(text, "d/outer.proto");
    const described = registry([{ id: 11, schemaType: "PROTOBUF", schema: base64, references: [] }]);
    // The map's entry is the Outer's nested message 0, Inner is 1.
    expect(await columnsOf(described, 11, [0, 1])).toEqual([{ name: "s", type: int64 }]);
    expect(await columnsOf(described, 11, [0])).toEqual([
      { name: "m", type: { kind: "map", values: int32 } },
      { name: "inner", type: { kind: "struct", fields: [{ name: "s", type: int64 }] } },
    ]);
    const Inner = own.lookupType("d.Outer.Inner");
    const lines = await decodeAll(described, [wire(11, protoPayload([0, 1], Inner.encode(Inner.fromObject({ s: "-9223372036854775808" })).finish()))]);
    expect(lines).toEqual(['{"s":-9223372036854775808}']);
    expectFit(lines, (await columnsOf(described, 11, [0, 1])) as Column[]);
  });

  it("take a message from an imported file, through the schema's references", async () => {
    const common = `syntax = "proto3"; package common; message Money { string currency = 1; sint64 units = 2; }`;
    const main = `syntax = "proto3"; package billing; import "common/money.proto"; message Invoice { common.Money total = 1; repeated common.Money parts = 2; }`;
    const money: ColumnType = {
      kind: "struct",
      fields: [
        { name: "currency", type: string },
        { name: "units", type: int64 },
      ],
    };
    const withImport = registry([
      { id: 12, subject: "common/money.proto", version: 3, schemaType: "PROTOBUF", schema: common, references: [] },
      { id: 13, schemaType: "PROTOBUF", schema: main, references: [{ name: "common/money.proto", subject: "common/money.proto", version: 3 }] },
    ]);
    expect(await columnsOf(withImport, 13)).toEqual([
      { name: "total", type: money },
      { name: "parts", type: { kind: "list", items: money } },
    ]);
  });

  it("write a number for an enum value the schema does not name, which a string column does not take", async () => {
    const columns = await columnsOf(source, 10, [1]);
    expectValid(columns);
    const [line] = await decodeAll(source, [wire(10, protoPayload([1], anOrderMessage({ status: 7 })))]);
    expect(JSON.parse(line!)).toMatchObject({ status: 7 });
    expect(misfit(line!, columns)).toEqual({ path: "status", problem: "a number, where the column is string" });
  });

  it("say why a message's values cannot be rows, or the schema cannot be read", async () => {
    const protobufSchema = (schema: string): RegisteredSchema => ({ id: 14, schemaType: "PROTOBUF", schema, references: [] });
    expect(writerColumns(protobufSchema(proto), [], [3])).toBe("schema id 14's message shop.Blank has no fields, which makes no columns");
    expect(writerColumns(protobufSchema(proto), [], [9])).toBe(
      "schema id 14 cannot be read as Protobuf (the value names message 9, which the schema does not have)",
    );
    expect(writerColumns(protobufSchema(`syntax = "proto3"; message M { Missing m = 1; }`), [], [0])).toMatch(/^schema id 14 cannot be read as Protobuf \(/);
  });

  it("nest no deeper than columns may: deeper messages are json", async () => {
    const levels = Array.from({ length: 40 }, (_, level) => `message L${level} { L${level + 1} down = 1; repeated string tags = 2; }`);
    const deep = `syntax = "proto3"; package deep; ${levels.join(" ")} message L40 { string leaf = 1; }`;
    const deepSource = registry([{ id: 15, schemaType: "PROTOBUF", schema: deep, references: [] }]);
    const columns = await columnsOf(deepSource, 15);
    expectValid(columns);
    let type: ColumnType = { kind: "struct", fields: columns };
    let depth = -1;
    while (type.kind === "struct") {
      // The list beside each struct nests one deeper: json where it would be too deep.
      expect(type.fields[1]?.type).toEqual(depth + 1 < maxColumnDepth ? { kind: "list", items: string } : json);
      type = type.fields[0]!.type;
      depth += 1;
    }
    expect({ depth, type }).toEqual({ depth: maxColumnDepth, type: json });
    const own = new protobuf.Root();
    protobuf.parse(deep, own, { keepCase: true });
    own.resolveAll();
    let value: Record<string, unknown> = { leaf: "bottom" };
    for (let level = 39; level >= 0; level -= 1) value = { down: value, tags: ["t"] };
    const L0 = own.lookupType("deep.L0");
    const lines = await decodeAll(deepSource, [wire(15, protoPayload([0], L0.encode(L0.fromObject(value)).finish()))]);
    expectFit(lines, columns);
  });
});

// ---- JSON Schema ------------------------------------------------------------------------------

const customer = {
  $id: "https://example.com/customer.json",
  type: "object",
  properties: { name: { type: "string" }, since: { $ref: "#/$defs/day" } },
  $defs: { day: { type: "string", format: "date" } },
};
const jsonOrder = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  additionalProperties: false,
  definitions: {
    address: { type: "object", properties: { city: { type: "string" }, zip: { type: ["string", "null"] } } },
    node: { type: "object", properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/definitions/node" } } } },
  },
  properties: {
    id: { type: "string", format: "uuid" },
    n: { type: "integer" },
    ratio: { type: ["number", "null"] },
    ok: { type: "boolean" },
    at: { type: "string", format: "date-time" },
    tags: { type: "array", items: { type: "string" } },
    matrix: { type: "array", items: { type: "array", items: { type: "number" } } },
    anyItems: { type: "array" },
    tuple: { type: "array", items: [{ type: "string" }, { type: "integer" }] },
    ship: { $ref: "#/definitions/address" },
    lines: { type: "array", items: { type: "object", properties: { sku: { type: "string" }, qty: { type: "integer" } }, additionalProperties: false } },
    attributes: { type: "object", additionalProperties: { type: "string" } },
    labelled: { type: "object", properties: { a: { type: "string" } }, additionalProperties: true },
    patterned: { type: "object", properties: { a: { type: "string" } }, patternProperties: { "^x-": { type: "string" } } },
    empty: { type: "object", properties: {} },
    bare: { type: "object" },
    tree: { $ref: "#/definitions/node" },
    self: { $ref: "#" },
    buyer: { $ref: "customer.json" },
    buyerName: { $ref: "customer.json#/properties/name" },
    byId: { $ref: "https://example.com/customer.json" },
    missing: { $ref: "other.json" },
    anything: {},
    allowed: true,
    either: { type: ["string", "integer"] },
    oneOf: { oneOf: [{ type: "string" }, { type: "integer" }] },
    choice: { enum: ["a", "b"] },
    nothing: { type: "null" },
  },
};

describe("the columns of a JSON Schema", () => {
  const source = registry([
    { id: 20, subject: "customer", version: 2, schemaType: "JSON", schema: JSON.stringify(customer), references: [] },
    { id: 21, schemaType: "JSON", schema: JSON.stringify(jsonOrder), references: [{ name: "customer.json", subject: "customer", version: 2 }] },
  ]);
  const customerColumns: ColumnType = {
    kind: "struct",
    fields: [
      { name: "name", type: string },
      { name: "since", type: string },
    ],
  };

  it("type properties by their declared types, following local references and other registered schemas'", async () => {
    const columns = await columnsOf(source, 21);
    expectValid(columns);
    expect(columns.map((column) => column.name)).toEqual(Object.keys(jsonOrder.properties));
    expect(byName(columns)).toEqual({
      id: string,
      n: int64,
      ratio: double,
      ok: boolean,
      at: string,
      tags: { kind: "list", items: string },
      matrix: { kind: "list", items: { kind: "list", items: double } },
      anyItems: json,
      tuple: json,
      ship: {
        kind: "struct",
        fields: [
          { name: "city", type: string },
          { name: "zip", type: string },
        ],
      },
      lines: {
        kind: "list",
        items: {
          kind: "struct",
          fields: [
            { name: "sku", type: string },
            { name: "qty", type: int64 },
          ],
        },
      },
      attributes: json,
      labelled: json,
      patterned: json,
      empty: json,
      bare: json,
      tree: {
        kind: "struct",
        fields: [
          { name: "name", type: string },
          { name: "children", type: { kind: "list", items: json } },
        ],
      },
      self: json,
      buyer: customerColumns,
      buyerName: string,
      byId: customerColumns,
      missing: json,
      anything: json,
      allowed: json,
      either: json,
      oneOf: json,
      choice: json,
      nothing: json,
    });
  });

  it("fit the JSON producers write for it", async () => {
    const columns = await columnsOf(source, 21);
    expectValid(columns);
    const values = [
      {},
      { id: null, n: null, ratio: null, ship: null, lines: null, tree: null, buyer: null },
      {
        id: "x",
        n: 9223372036854775807n,
        ratio: 1e308,
        ok: false,
        at: "1969-12-31T23:59:59.999999999+01:00",
        tags: ["a", null],
        matrix: [[1, 2.5, -1e-300], []],
        anyItems: [1, "two", { three: 3 }],
        tuple: ["a", 1],
        ship: { city: "Lyon", zip: null },
        lines: [{ sku: "a", qty: -9223372036854775808n }, { sku: "b" }],
        attributes: { a: "1", b: "2" },
        labelled: { a: "x", extra: 1 },
        patterned: { "x-y": "z" },
        empty: { anything: [1] },
        bare: { nested: { deep: true } },
        tree: { name: "root", children: [{ name: "leaf", children: [] }] },
        self: { id: "inner", self: { n: 1 } },
        buyer: { name: "Ann", since: "2020-01-01" },
        buyerName: "Ann",
        byId: { name: "Bob" },
        missing: 12,
        anything: [null],
        allowed: "yes",
        either: 3,
        oneOf: "three",
        choice: "a",
        nothing: null,
      },
      { n: -1.0, ratio: 5, either: "three", anything: { a: 1 } },
    ];
    // JSON.rawJSON (Node 21 on; not yet in TypeScript's lib): a producer's 64-bit integers, every digit.
    const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;
    const texts = values.map((value) => JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? rawJson(item.toString()) : item)));
    const lines = await decodeAll(
      source,
      texts.map((text) => wire(21, Buffer.from(text))),
    );
    expect(lines[2]).toContain('"n":9223372036854775807');
    expectFit(lines, columns);
    expectFit(['{"n":1.0,"ratio":1E+400,"matrix":[[1e-400]]}'], columns);
  });

  it("do not take what the schema does not declare: an integer past int64, a field it does not list", async () => {
    const columns = await columnsOf(source, 21);
    expectValid(columns);
    expect(misfit('{"n":9223372036854775808}', columns)).toEqual({ path: "n", problem: "9223372036854775808, which is beyond an int64's range" });
    expect(misfit('{"ship":{"city":"Lyon","country":"FR"}}', columns)).toMatchObject({ path: "ship.country", problem: "a field the columns do not have" });
  });

  it("say why values that are not objects with properties cannot be rows", () => {
    const jsonSchema = (schema: unknown): RegisteredSchema => ({ id: 22, schemaType: "JSON", schema: JSON.stringify(schema), references: [] });
    expect(writerColumns(jsonSchema({ type: "string" }), [], [0])).toBe("schema id 22 is a JSON Schema of a string, not an object with properties");
    expect(writerColumns(jsonSchema({ type: "array", items: { type: "integer" } }), [], [0])).toBe(
      "schema id 22 is a JSON Schema of an array, not an object with properties",
    );
    expect(writerColumns(jsonSchema({ type: "object" }), [], [0])).toBe(
      "schema id 22 is a JSON Schema of an object without properties, not an object with properties",
    );
    expect(writerColumns(jsonSchema({ type: "object", properties: {} }), [], [0])).toBe(
      "schema id 22 is a JSON Schema of an object without properties, which makes no columns",
    );
    expect(writerColumns(jsonSchema({ properties: { a: { type: "string" } } }), [], [0])).toBe(
      "schema id 22 is a JSON Schema of values of no declared type, not an object with properties",
    );
    expect(writerColumns(jsonSchema({ type: ["object", "array"] }), [], [0])).toBe(
      "schema id 22 is a JSON Schema of values of several types, not an object with properties",
    );
    expect(writerColumns(jsonSchema(true), [], [0])).toBe("schema id 22 is a JSON Schema of values of no declared type, not an object with properties");
    expect(writerColumns({ id: 23, schemaType: "JSON", schema: "{not json", references: [] }, [], [0])).toMatch(
      /^schema id 23 cannot be read as JSON Schema \(/,
    );
    // A top level by reference is followed.
    expect(
      writerColumns(jsonSchema({ $ref: "#/$defs/top", $defs: { top: { type: ["object", "null"], properties: { a: { type: "integer" } } } } }), [], [0]),
    ).toEqual([{ name: "a", type: int64 }]);
  });
});
