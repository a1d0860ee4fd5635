// Avro values that PyPI's confluent-kafka serialized (librdkafka and fastavro underneath) against
// the stack's Schema Registry, decoded by Streamdrop's decoder to faithful JSON: every logical
// type, nested records, arrays, maps, enums, nullable unions, an Avro key, and a schema that
// evolves mid-topic (each value keeps its own writer's fields).
import { expect, inject, it } from "vitest";
import { RegistryClient } from "../../../main/core/schemas/registry-client.js";
import { SchemaDecoder } from "../../../main/core/schemas/schema-decoder.js";
import { kafka, uniqueName } from "../../support/clients.js";
import { produceAvro } from "../../support/schema-producers.js";

const v1 = {
  type: "record",
  name: "Order",
  namespace: "shop",
  fields: [
    { name: "id", type: { type: "string", logicalType: "uuid" } },
    { name: "quantity", type: "int" },
    { name: "total", type: "long" },
    { name: "price", type: { type: "bytes", logicalType: "decimal", precision: 12, scale: 3 } },
    { name: "placed", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "placedMicros", type: { type: "long", logicalType: "timestamp-micros" } },
    { name: "day", type: { type: "int", logicalType: "date" } },
    { name: "opens", type: { type: "int", logicalType: "time-millis" } },
    { name: "ratio", type: "float" },
    { name: "score", type: "double" },
    { name: "note", type: ["null", "string"], default: null },
    { name: "state", type: { type: "enum", name: "State", symbols: ["NEW", "PAID"] } },
    { name: "tags", type: { type: "array", items: "string" } },
    { name: "counts", type: { type: "map", values: "long" } },
    { name: "ship", type: ["null", { type: "record", name: "Address", fields: [{ name: "city", type: "string" }] }], default: null },
    { name: "raw", type: "bytes" },
  ],
};
const v2 = { ...v1, fields: [...v1.fields, { name: "coupon", type: ["null", "string"], default: null }] };

const order = (n: number) => ({
  id: { $uuid: `7b0a7c1e-3f0c-4d55-9a8e-1b2c3d4e5f${String(n).padStart(2, "0")}` },
  quantity: n,
  total: { $long: "9007199254740993" },
  price: { $decimal: n % 2 === 0 ? "-123.456" : "0.010" },
  placed: { $timestamp: "2025-12-05T12:00:00.123000+00:00" },
  placedMicros: { $timestamp: "2025-12-05T12:00:00.123456+00:00" },
  day: { $date: "2025-12-05" },
  opens: { $time: "09:00:00.500000" },
  ratio: 0.1,
  score: 2.5,
  note: n % 2 === 0 ? null : `note ${n}`,
  state: "PAID",
  tags: ["a", "b"],
  counts: { x: 1 },
  ship: n % 2 === 0 ? null : { city: "Lyon" },
  raw: { $bytes: Buffer.from("hi").toString("base64") },
});

it("decodes what confluent-kafka's AvroSerializer wrote, exactly, across a schema change", { timeout: 120_000 }, async () => {
  const brokers = inject("kafkaBrokers");
  const registry = inject("schemaRegistryUrl");
  const topic = uniqueName("avro-orders");
  const admin = kafka(brokers).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const keySchema = { type: "record", name: "OrderKey", namespace: "shop", fields: [{ name: "customer", type: "long" }] };
  await produceAvro({ brokers, registry, topic, schema: v1, keySchema, records: [1, 2].map((n) => ({ key: { customer: n }, value: order(n) })) });
  await produceAvro({ brokers, registry, topic, schema: v2, keySchema, records: [{ key: { customer: 3 }, value: { ...order(3), coupon: "WINTER" } }] });

  // The raw records, as a worker fetches them.
  const consumer = kafka(brokers).consumer({ groupId: uniqueName("avro-reader") });
  const raw: Array<{ key: Buffer | null; value: Buffer | null }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        raw.push({ key: message.key, value: message.value });
        if (raw.length === 3) resolve();
      },
    });
  });
  await consumer.disconnect();

  const decoder = new SchemaDecoder(new RegistryClient({ url: registry }));
  await decoder.prepareValues(raw.flatMap((record) => [record.key, record.value]));
  const values = raw.map((record) => decoder.decode(record.value));
  const keys = raw.map((record) => decoder.decode(record.key));
  expect(values.map((value) => value.kind)).toEqual(["json", "json", "json"]);
  expect(keys.map((key) => (key.kind === "json" ? JSON.parse(key.text) : key))).toEqual([{ customer: 1 }, { customer: 2 }, { customer: 3 }]);
  const texts = values.map((value) => (value.kind === "json" ? value.text : ""));

  expect(JSON.parse(texts[0]!)).toEqual({
    id: "7b0a7c1e-3f0c-4d55-9a8e-1b2c3d4e5f01",
    quantity: 1,
    total: 9007199254740992, // JSON.parse rounds it; the text below has it exact.
    price: 0.01,
    placed: "2025-12-05T12:00:00.123Z",
    placedMicros: "2025-12-05T12:00:00.123456Z",
    day: "2025-12-05",
    opens: "09:00:00.500",
    ratio: 0.1,
    score: 2.5,
    note: "note 1",
    state: "PAID",
    tags: ["a", "b"],
    counts: { x: 1 },
    ship: { city: "Lyon" },
    raw: "aGk=",
  });
  expect(texts[0]).toContain('"total":9007199254740993');
  expect(texts[0]).toContain('"price":0.010');
  expect(texts[1]).toContain('"price":-123.456');
  expect(JSON.parse(texts[1]!)).toMatchObject({ note: null, ship: null });
  // v1's values have v1's fields; the value written with v2 has the new one.
  expect(Object.keys(JSON.parse(texts[1]!))).not.toContain("coupon");
  expect(JSON.parse(texts[2]!)).toMatchObject({ quantity: 3, coupon: "WINTER" });
  const ids = values.map((value) => (value.kind === "json" ? value.schemaId : -1));
  expect(ids[0]).toBe(ids[1]);
  expect(ids[2]).not.toBe(ids[0]);
});
