// Protobuf and JSON Schema values that PyPI's confluent-kafka serialized (ProtobufSerializer with
// protos compiled by protoc, JSONSerializer) against the stack's Apicurio, exported by real
// workers into moto as faithful JSON: .proto field names, every field with its default, exact
// int64, Timestamp and Duration as strings, enums by name, bytes base64, an imported file (a
// schema reference), a nested message, a oneof, a repeated field, a map; the second message of a
// file; a key of a nested message numbered after a map entry; a JSON Schema value as it is.
import { randomBytes } from "node:crypto";
import { afterEach, expect, inject, it } from "vitest";
import { ExportHarness, type StoredObject } from "../../support/export-harness.js";
import { isInvalidFile } from "../../support/export-harness.js";
import { produceJsonSchema, produceProtobuf } from "../../support/schema-producers.js";

// Imported files are registered under their file name, shared by every topic: a name of this run's own.
const suffix = randomBytes(4).toString("hex");
const common = `syntax = "proto3";
package shop.common${suffix};
enum Currency { CURRENCY_UNSPECIFIED = 0; EUR = 1; USD = 2; }
message Money { Currency currency = 1; int64 units = 2; int32 nanos = 3; }
`;
const order = `syntax = "proto3";
package shop;
import "shop/common_${suffix}.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
message Order {
  string id = 1;
  shop.common${suffix}.Money total = 2;
  google.protobuf.Timestamp placed_at = 3;
  repeated Line lines = 4;
  map<string, int64> counters = 5;
  oneof payment { string card = 6; bytes voucher = 7; }
  int64 big = 8;
  Status status = 9;
  bytes blob = 10;
  google.protobuf.Duration wait = 11;
  uint64 huge = 12;
  double ratio = 13;
  message Line { string sku = 1; uint32 quantity = 2; }
  enum Status { STATUS_UNSPECIFIED = 0; PLACED = 1; SHIPPED = 2; }
}
message Refund { string order_id = 1; int64 amount = 2; }
`;
const protos = { [`shop/common_${suffix}.proto`]: common, [`shop/order_${suffix}.proto`]: order };

let harness: ExportHarness | undefined;
afterEach(async () => {
  await harness?.tearDown();
  harness = undefined;
});

const dataLines = (objects: StoredObject[]) =>
  objects.filter((object) => !isInvalidFile(object.key) && !object.key.includes(".strm_test_")).flatMap((object) => object.body.split("\n").filter(Boolean));

async function exported(fields: string[], produce: (topic: string) => Promise<unknown>, count: number): Promise<{ lines: string[]; invalid: number }> {
  harness = new ExportHarness({
    kafkaBrokers: inject("kafkaBrokers"),
    s3Endpoint: inject("s3Endpoint"),
    partitions: 1,
    intervalSeconds: 1,
    schemaRegistry: inject("schemaRegistryUrl"),
    fields,
  });
  await harness.setUp();
  await produce(harness.topic);
  await harness.startEngine();
  for (const deadline = Date.now() + 90_000; ; await new Promise((resolve) => setTimeout(resolve, 1000))) {
    const objects = await harness.objects();
    const lines = dataLines(objects);
    const invalid = objects.filter((object) => isInvalidFile(object.key)).flatMap((object) => object.body.split("\n").filter(Boolean));
    if (lines.length + invalid.length >= count || Date.now() > deadline) return { lines, invalid: invalid.length };
  }
}

it("exports Protobuf values and keys as proto3 JSON with .proto names, every field, exact int64", { timeout: 180_000 }, async () => {
  const brokers = inject("kafkaBrokers");
  const registry = inject("schemaRegistryUrl");
  const { lines, invalid } = await exported(
    ["offset", "key", "value"],
    async (topic) => {
      await produceProtobuf({
        brokers,
        registry,
        topic,
        protos,
        message: "shop.Order",
        keyMessage: "shop.Order.Line",
        records: [
          {
            key: { sku: "k", quantity: 1 },
            value: {
              id: "o-1",
              total: { currency: "EUR", units: "12", nanos: 300000000 },
              placedAt: "2025-12-05T12:00:00.123456Z",
              lines: [
                { sku: "a", quantity: 2 },
                { sku: "b", quantity: 1 },
              ],
              counters: { x: "9007199254740993" },
              card: "4111",
              big: "9007199254740993",
              status: "SHIPPED",
              blob: Buffer.from([0, 1, 2, 255]).toString("base64"),
              wait: "1.500s",
              huge: "18446744073709551615",
              ratio: "NaN",
            },
          },
          { key: { sku: "k2", quantity: 2 }, value: { id: "o-2", voucher: Buffer.from("v").toString("base64") } },
        ],
      });
      await produceProtobuf({
        brokers,
        registry,
        topic,
        protos,
        message: "shop.Refund",
        records: [{ value: { orderId: "o-1", amount: "-9007199254740993" } }],
      });
    },
    3,
  );
  expect(invalid).toBe(0);
  expect(lines).toEqual([
    '{"offset":0,"key":{"sku":"k","quantity":1},"value":{"id":"o-1","total":{"currency":"EUR","units":12,"nanos":300000000},"placed_at":"2025-12-05T12:00:00.123456Z","lines":[{"sku":"a","quantity":2},{"sku":"b","quantity":1}],"counters":{"x":9007199254740993},"card":"4111","voucher":null,"big":9007199254740993,"status":"SHIPPED","blob":"AAEC/w==","wait":"1.500s","huge":18446744073709551615,"ratio":"NaN"}}',
    // Defaults present: zero, the first enum value's name, empty lists and maps; unset messages and the oneof's other member null.
    '{"offset":1,"key":{"sku":"k2","quantity":2},"value":{"id":"o-2","total":null,"placed_at":null,"lines":[],"counters":{},"card":null,"voucher":"dg==","big":0,"status":"STATUS_UNSPECIFIED","blob":"","wait":null,"huge":0,"ratio":0}}',
    '{"offset":2,"key":null,"value":{"order_id":"o-1","amount":-9007199254740993}}',
  ]);
});

it("exports JSON Schema values as the JSON they are, exact digits kept", { timeout: 180_000 }, async () => {
  const { lines } = await exported(
    ["value"],
    (topic) =>
      produceJsonSchema({
        brokers: inject("kafkaBrokers"),
        registry: inject("schemaRegistryUrl"),
        topic,
        schema: {
          $schema: "http://json-schema.org/draft-07/schema#",
          title: "Thing",
          type: "object",
          properties: { id: { type: "string" }, big: { type: "integer" }, tags: { type: "array", items: { type: "string" } } },
          required: ["id"],
        },
        records: [{ value: { id: "é1", big: { $long: "9007199254740993" }, tags: ["a"] } }],
      }),
    1,
  );
  expect(lines).toEqual(['{"id":"é1","big":9007199254740993,"tags":["a"]}']);
});
