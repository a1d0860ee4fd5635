// Columns from a registered Avro schema: every field typed as the decoder writes it, logical types
// as each engine's own (decimal, timestamp, date), referenced and recursive types, unions; and the
// engines' names for them (DuckDB's run in test/integration/tables/duckdb-registry.test.ts).
import { describe, expect, it } from "vitest";
import { athenaTable } from "../../../main/core/tables/athena.js";
import { bigqueryTable } from "../../../main/core/tables/bigquery.js";
import { duckdbTable } from "../../../main/core/tables/duckdb.js";
import { avroColumns, jsonSchemaColumns, protobufColumns } from "../../../main/core/tables/registered-columns.js";
import { protobufMessage } from "../../../main/core/schemas/protobuf-json.js";
import { sampleSource } from "../../support/table-sample.js";

const address = { type: "record", name: "Address", namespace: "shop", fields: [{ name: "city", type: "string" }] };
const order = {
  type: "record",
  name: "Order",
  namespace: "shop",
  fields: [
    { name: "id", type: "long" },
    { name: "price", type: { type: "bytes", logicalType: "decimal", precision: 12, scale: 3 } },
    { name: "wide", type: { type: "bytes", logicalType: "decimal", precision: 40, scale: 10 } },
    { name: "placed", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "local", type: { type: "long", logicalType: "local-timestamp-millis" } },
    { name: "day", type: { type: "int", logicalType: "date" } },
    { name: "uuid", type: { type: "string", logicalType: "uuid" } },
    { name: "ship", type: ["null", "Address"] },
    { name: "either", type: ["null", "string", "long"] },
    { name: "tags", type: { type: "array", items: "string" } },
    { name: "counts", type: { type: "map", values: "long" } },
    { name: "state", type: { type: "enum", name: "State", symbols: ["NEW"] } },
    { name: "parent", type: ["null", "Order"], default: null },
    { name: "ratio", type: "float" },
  ],
};

describe("columns from a registered Avro schema", () => {
  it("type every field as the decoder writes it", () => {
    const columns = avroColumns(JSON.stringify(order), [JSON.stringify(address)]);
    expect(Object.fromEntries(columns!.map((field) => [field.name, field.type]))).toEqual({
      id: { kind: "integer" },
      price: { kind: "decimal", precision: 12, scale: 3 },
      wide: { kind: "decimal", precision: 40, scale: 10 },
      placed: { kind: "timestamp" },
      local: { kind: "string" },
      day: { kind: "date" },
      uuid: { kind: "string" },
      ship: { kind: "struct", fields: [{ name: "city", type: { kind: "string" } }] },
      either: { kind: "json" },
      tags: { kind: "array", element: { kind: "string" } },
      counts: { kind: "json" },
      state: { kind: "string" },
      parent: { kind: "json" },
      ratio: { kind: "double" },
    });
  });

  it("give none for values that are not records", () => {
    expect(avroColumns('"string"')).toBeUndefined();
    expect(avroColumns(JSON.stringify({ type: "array", items: "long" }))).toBeUndefined();
  });

  it("are named in each engine's types", () => {
    const schema = {
      fields: avroColumns(JSON.stringify(order), [JSON.stringify(address)])!,
      notes: [],
      sampled: 3,
      registered: { subject: "orders-value", version: 2, id: 7 },
    };
    const input = { source: sampleSource, schema };
    const duck = duckdbTable(input);
    expect(duck.sql).toContain("'price': 'DECIMAL(12, 3)', 'wide': 'DOUBLE', 'placed': 'TIMESTAMPTZ'");
    expect(duck.sql).toContain("'day': 'DATE'");
    expect(duck.notes).toContain(
      "Columns from the registered schema orders-value version 2 (id 7), the latest the sampled events name. A field a later version adds (an optional one, as compatible evolution allows) becomes a column when you ask for the definition again and define the table anew; lines written before it read it as null.",
    );
    expect(athenaTable(input).sql).toMatch(/`price` decimal\(12,3\),\s+`wide` double,\s+`placed` timestamp/);
    expect(bigqueryTable(input).sql).toMatch(/`price` NUMERIC,\s+`wide` BIGNUMERIC,\s+`placed` TIMESTAMP/);
  });
});

describe("columns from a registered Protobuf schema", () => {
  it("type every field by its .proto name as the decoder writes it", () => {
    const proto = `syntax = "proto3";
package p;
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";
message First { string a = 1; }
message Order {
  int64 id = 1;
  uint64 huge = 2;
  google.protobuf.Timestamp placed_at = 3;
  google.protobuf.Int64Value count = 4;
  google.protobuf.Struct extra = 5;
  repeated Line lines = 6;
  map<string, int64> counters = 7;
  Status status = 8;
  bytes blob = 9;
  Order parent = 10;
  message Line { string sku = 1; double price = 2; }
  enum Status { UNKNOWN = 0; }
}`;
    const columns = protobufColumns(protobufMessage([proto], [1]));
    expect(Object.fromEntries(columns.map((field) => [field.name, field.type]))).toEqual({
      id: { kind: "integer" },
      huge: { kind: "decimal", precision: 20, scale: 0 },
      placed_at: { kind: "timestamp" },
      count: { kind: "integer" },
      extra: { kind: "json" },
      lines: {
        kind: "array",
        element: {
          kind: "struct",
          fields: [
            { name: "sku", type: { kind: "string" } },
            { name: "price", type: { kind: "double" } },
          ],
        },
      },
      counters: { kind: "json" },
      status: { kind: "string" },
      blob: { kind: "string" },
      parent: { kind: "json" },
    });
  });
});

describe("columns from a registered JSON Schema", () => {
  it("type properties by their declared types, following local references", () => {
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      definitions: { address: { type: "object", properties: { city: { type: "string" } } } },
      properties: {
        id: { type: "string" },
        n: { type: "integer" },
        ratio: { type: ["number", "null"] },
        ok: { type: "boolean" },
        tags: { type: "array", items: { type: "string" } },
        ship: { $ref: "#/definitions/address" },
        anything: {},
        either: { type: ["string", "integer"] },
      },
    };
    expect(Object.fromEntries(jsonSchemaColumns(JSON.stringify(schema))!.map((field) => [field.name, field.type]))).toEqual({
      id: { kind: "string" },
      n: { kind: "integer" },
      ratio: { kind: "double" },
      ok: { kind: "boolean" },
      tags: { kind: "array", element: { kind: "string" } },
      ship: { kind: "struct", fields: [{ name: "city", type: { kind: "string" } }] },
      anything: { kind: "json" },
      either: { kind: "json" },
    });
    expect(jsonSchemaColumns(JSON.stringify({ type: "string" }))).toBeUndefined();
  });
});
