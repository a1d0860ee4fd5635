// Parquet files of Protobuf and JSON Schema topics, from what PyPI's confluent-kafka serializers
// wrote against the stack's Apicurio, through real worker processes into moto, read by DuckDB: each
// Protobuf message of a file (named by its message indexes) has its own file and columns, a
// Timestamp with nanoseconds is kept as its RFC 3339 text (no Parquet timestamp readers agree on
// holds it), and a JSON Schema value with a field its schema does not declare goes to -invalid
// with the reason.
import { randomBytes } from "node:crypto";
import { afterEach, expect, inject, it } from "vitest";
import { ExportHarness, isDataFile, isInvalidFile, type StoredObject } from "../../support/export-harness.js";
import { parquetTypes } from "../../support/parquet-rows.js";
import { produceJsonSchema, produceProtobuf } from "../../support/schema-producers.js";

// A file is registered under its name, shared by every topic: a name of this run's own.
const suffix = randomBytes(4).toString("hex");
const proto = `syntax = "proto3";
package pq${suffix};
import "google/protobuf/timestamp.proto";
message Order {
  string id = 1;
  google.protobuf.Timestamp placed_at = 2;
  uint64 huge = 3;
  map<string, int32> counts = 4;
  repeated Line lines = 5;
  Status status = 6;
  message Line { string sku = 1; uint32 quantity = 2; }
  enum Status { STATUS_UNSPECIFIED = 0; PLACED = 1; }
}
message Refund { string order_id = 1; int64 amount = 2; }
`;
const protos = { [`pq/orders_${suffix}.proto`]: proto };

let harness: ExportHarness | undefined;
afterEach(async () => {
  await harness?.tearDown();
  harness = undefined;
});

/** A Parquet exporter of a registry stream's topic, fed by `produce`, until `count` records are stored. */
async function exported(produce: (topic: string) => Promise<unknown>, count: number): Promise<StoredObject[]> {
  harness = new ExportHarness({
    kafkaBrokers: inject("kafkaBrokers"),
    s3Endpoint: inject("s3Endpoint"),
    partitions: 1,
    intervalSeconds: 1,
    format: "parquet",
    schemaRegistry: inject("schemaRegistryUrl"),
  });
  await harness.setUp();
  expect(harness.exporter.parquet?.columnsFrom).toBe("registry");
  await produce(harness.topic);
  await harness.startEngine();
  for (const deadline = Date.now() + 90_000; ; await new Promise((resolve) => setTimeout(resolve, 1000))) {
    const objects = (await harness.objects()).filter((object) => isDataFile(object.key) || isInvalidFile(object.key));
    const stored = objects.reduce((total, object) => total + object.body.split("\n").filter(Boolean).length, 0);
    if (stored >= count || Date.now() > deadline) return objects;
  }
}

it(
  "writes each Protobuf message's values to a file of its own, named by its message indexes, Timestamps to the nanosecond as text",
  { timeout: 180_000 },
  async () => {
    const produce = (topic: string, message: string, records: Array<{ value: unknown }>) =>
      produceProtobuf({ brokers: inject("kafkaBrokers"), registry: inject("schemaRegistryUrl"), topic, protos, message, records });
    const objects = await exported(async (topic) => {
      await produce(topic, `pq${suffix}.Order`, [
        {
          value: {
            id: "o-1",
            placedAt: "2026-12-06T10:00:00.123456789Z",
            huge: "18446744073709551615",
            counts: { a: 1 },
            lines: [{ sku: "s", quantity: 4294967295 }],
            status: "PLACED",
          },
        },
        { value: { id: "o-2" } },
      ]);
      await produce(topic, `pq${suffix}.Refund`, [{ value: { orderId: "o-1", amount: "-9007199254740993" } }]);
    }, 3);
    expect(objects.filter((object) => isInvalidFile(object.key))).toEqual([]);
    const order = objects.find((object) => /\.s\d+\.parquet$/.test(object.key))!;
    const refund = objects.find((object) => /\.s\d+-1\.parquet$/.test(object.key))!;
    expect(await parquetTypes(order.raw)).toEqual({
      id: "VARCHAR",
      placed_at: "VARCHAR",
      huge: "DECIMAL(20,0)",
      counts: "MAP(VARCHAR, INTEGER)",
      lines: "STRUCT(sku VARCHAR, quantity BIGINT)[]",
      status: "VARCHAR",
    });
    expect(
      order.body
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      {
        id: "o-1",
        placed_at: "2026-12-06T10:00:00.123456789Z",
        // Every digit of it is checked on the text below.
        huge: expect.any(Number),
        counts: { a: 1 },
        lines: [{ sku: "s", quantity: 4294967295 }],
        status: "PLACED",
      },
      { id: "o-2", placed_at: null, huge: 0, counts: {}, lines: [], status: "STATUS_UNSPECIFIED" },
    ]);
    expect(order.body).toContain('"huge":18446744073709551615');
    expect(await parquetTypes(refund.raw)).toEqual({ order_id: "VARCHAR", amount: "BIGINT" });
    expect(refund.body).toContain('"amount":-9007199254740993');
  },
);

it(
  "writes JSON Schema values with their declared properties' columns, and one with a field the schema does not declare to -invalid",
  { timeout: 180_000 },
  async () => {
    const objects = await exported(
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
          records: [{ value: { id: "é1", big: { $long: "9007199254740993" }, tags: ["a"] } }, { value: { id: "é2", extra: true } }],
        }),
      2,
    );
    const data = objects.find((object) => isDataFile(object.key))!;
    expect(data.key).toMatch(/\.s\d+\.parquet$/);
    expect(await parquetTypes(data.raw)).toEqual({ id: "VARCHAR", big: "BIGINT", tags: "VARCHAR[]" });
    expect(data.body).toBe('{"id":"é1","big":9007199254740993,"tags":["a"]}\n');
    const invalid = objects.find((object) => isInvalidFile(object.key))!;
    expect((JSON.parse(invalid.body.trim()) as { reason: string }).reason).toMatch(
      /^the field "extra" is a field the columns do not have \(the columns of schema \d+\)$/,
    );
  },
);
