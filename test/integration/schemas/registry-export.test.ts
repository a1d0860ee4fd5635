// An exporter on a stream with a Schema Registry: what PyPI's confluent-kafka AvroSerializer wrote
// (against the stack's Apicurio) is stored as its JSON, through real worker processes into moto;
// each line has its own writer schema's fields across a schema change; what does not decode goes
// to -invalid with its bytes and the reason; keys decode too, with the schema ids as fields; an
// exporter that does not decode keeps the bytes.
import { afterEach, expect, inject, it } from "vitest";
import { ExportHarness, type StoredObject } from "../../support/export-harness.js";
import { duplicatesAndMissing, isInvalidFile } from "../../support/export-harness.js";
import { produceAvro } from "../../support/schema-producers.js";
import { invalidBytes } from "../../support/file-lines.js";

const v1 = {
  type: "record",
  name: "Click",
  namespace: "shop",
  fields: [
    { name: "id", type: "string" },
    { name: "total", type: "long" },
    { name: "price", type: { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 } },
    { name: "at", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "note", type: ["null", "string"], default: null },
  ],
};
const v2 = { ...v1, fields: [...v1.fields, { name: "coupon", type: ["null", "string"], default: null }] };
const keySchema = { type: "record", name: "ClickKey", namespace: "shop", fields: [{ name: "user", type: "long" }] };

const click = (id: string, n: number) => ({
  id,
  total: { $long: "9007199254740993" },
  price: { $decimal: `${n}.50` },
  at: { $timestamp: "2025-12-05T12:00:00.123000+00:00" },
  note: n % 2 === 0 ? null : `note ${n}`,
});

const wire = (id: number, payload: Buffer) => {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(id, 1);
  return Buffer.concat([header, payload]);
};

/** The id the registry gave the subject's latest schema. */
async function latestId(registry: string, subject: string): Promise<number> {
  const response = await fetch(`${registry}/subjects/${subject}/versions/latest`);
  return ((await response.json()) as { id: number }).id;
}

let harness: ExportHarness | undefined;
afterEach(async () => {
  await harness?.tearDown();
  harness = undefined;
});

const lines = (objects: StoredObject[], invalid: boolean) =>
  objects
    .filter((object) => isInvalidFile(object.key) === invalid && !object.key.includes(".strm_test_"))
    .flatMap((object) => object.body.split("\n").filter(Boolean));

/** Polls the bucket until `done` holds for its objects, or 90 s pass. */
async function until(done: (objects: StoredObject[]) => boolean): Promise<StoredObject[]> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const objects = await harness!.objects();
    if (done(objects) || Date.now() > deadline) return objects;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

it("stores Avro values as their JSON across a schema change, and what does not decode in -invalid with its bytes and why", { timeout: 180_000 }, async () => {
  const registry = inject("schemaRegistryUrl");
  const brokers = inject("kafkaBrokers");
  harness = new ExportHarness({ kafkaBrokers: brokers, s3Endpoint: inject("s3Endpoint"), partitions: 1, intervalSeconds: 1, schemaRegistry: registry });
  await harness.setUp();
  const topic = harness.topic;
  const first = Array.from({ length: 20 }, (_, n) => `${topic}-avro-${n}`);
  const later = Array.from({ length: 10 }, (_, n) => `${topic}-v2-${n}`);
  await produceAvro({ brokers, registry, topic, schema: v1, records: first.map((id, n) => ({ value: click(id, n) })) });
  const plain = await harness.produce(5);
  await produceAvro({ brokers, registry, topic, schema: v2, records: later.map((id, n) => ({ value: { ...click(id, n), coupon: "WINTER" } })) });
  const unknown = wire(2_000_000_000, Buffer.from([2, 4]));
  const truncated = wire(await latestId(registry, `${topic}-value`), Buffer.from([0x80]));
  await harness.produceRaw([{ value: unknown }, { value: truncated }]);

  await harness.startEngine();
  const ids = [...first, ...plain, ...later];
  const objects = await until((stored) => ExportHarness.eventIds(stored).length >= ids.length && lines(stored, true).length >= 2);
  expect(duplicatesAndMissing(ids, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });

  const events = lines(objects, false);
  // Exact digits: a long past 2^53 and a decimal with its scale, never rounded through a double.
  expect(events).toContain(`{"id":"${first[1]}","total":9007199254740993,"price":1.50,"at":"2025-12-05T12:00:00.123Z","note":"note 1"}`);
  const byId = new Map(events.map((line) => [(JSON.parse(line) as { id: string }).id, JSON.parse(line) as Record<string, unknown>]));
  for (const id of first) expect(Object.keys(byId.get(id)!)).toEqual(["id", "total", "price", "at", "note"]);
  for (const id of later) expect(byId.get(id)).toMatchObject({ id, coupon: "WINTER" });
  for (const id of plain) expect(byId.get(id)).toMatchObject({ id, url: "https://example.test/" });

  const invalid = lines(objects, true).map((line) => JSON.parse(line) as { value: string; valueEncoding: string; reason: string });
  // Wire-format bytes start with a NUL byte: binary, so base64 with its encoding named.
  expect(invalid.every((line) => line.valueEncoding === "base64")).toBe(true);
  expect(invalid.map((line) => [invalidBytes(line)!.equals(unknown) || invalidBytes(line)!.equals(truncated), line.reason])).toEqual([
    [true, "the Schema Registry does not know schema id 2000000000"],
    [true, expect.stringContaining(`the bytes do not decode with schema id ${truncated.readUInt32BE(1)}`)],
  ]);
  const statuses = await harness.engine!.statuses();
  expect(statuses[0]).toMatchObject({ state: "running", invalidExported: 2 });
});

it("decodes a value whose schema uses a type registered under another subject (a schema reference)", { timeout: 180_000 }, async () => {
  const registry = inject("schemaRegistryUrl");
  const brokers = inject("kafkaBrokers");
  harness = new ExportHarness({ kafkaBrokers: brokers, s3Endpoint: inject("s3Endpoint"), partitions: 1, intervalSeconds: 1, schemaRegistry: registry });
  await harness.setUp();
  const topic = harness.topic;
  const address = {
    type: "record",
    name: "Address",
    namespace: "shared",
    fields: [
      { name: "city", type: "string" },
      { name: "zip", type: ["null", "string"], default: null },
    ],
  };
  const shipment = {
    type: "record",
    name: "Shipment",
    namespace: "shop",
    fields: [
      { name: "id", type: "string" },
      { name: "to", type: "shared.Address" },
      { name: "from", type: ["null", "shared.Address"], default: null },
    ],
  };
  await produceAvro({
    brokers,
    registry,
    topic,
    schema: shipment,
    references: [{ name: "shared.Address", subject: `${topic}-shared.Address`, schema: address }],
    records: [{ value: { id: `${topic}-0`, to: { city: "Lyon", zip: "69001" }, from: null } }],
  });
  await harness.startEngine();
  const objects = await until((stored) => lines(stored, false).length >= 1);
  expect(lines(objects, false)).toEqual([`{"id":"${topic}-0","to":{"city":"Lyon","zip":"69001"},"from":null}`]);
});

it("decodes keys in an envelope, with the schema ids as fields; an exporter told not to decode keeps the bytes", { timeout: 180_000 }, async () => {
  const registry = inject("schemaRegistryUrl");
  const brokers = inject("kafkaBrokers");
  for (const decode of ["registry", "none"] as const) {
    harness = new ExportHarness({
      kafkaBrokers: brokers,
      s3Endpoint: inject("s3Endpoint"),
      partitions: 1,
      intervalSeconds: 1,
      schemaRegistry: registry,
      fields: ["offset", "key", "keySchemaId", "value", "valueSchemaId"],
      decode,
    });
    await harness.setUp();
    const topic = harness.topic;
    await produceAvro({ brokers, registry, topic, schema: v1, keySchema, records: [{ key: { user: 7 }, value: click(`${topic}-0`, 3) }] });
    const [keyId, valueId] = [await latestId(registry, `${topic}-key`), await latestId(registry, `${topic}-value`)];
    await harness.startEngine();
    const objects = await until((stored) => lines(stored, false).length >= 1);
    const [line] = lines(objects, false);
    if (decode === "registry") {
      expect(line).toBe(
        `{"offset":0,"key":{"user":7},"keySchemaId":${keyId},"value":{"id":"${topic}-0","total":9007199254740993,"price":3.50,"at":"2025-12-05T12:00:00.123Z","note":"note 3"},"valueSchemaId":${valueId}}`,
      );
    } else {
      const record = JSON.parse(line!) as Record<string, unknown>;
      expect(record).toMatchObject({ offset: 0, keySchemaId: keyId, keyEncoding: "base64", valueSchemaId: valueId, valueEncoding: "base64" });
      expect(Buffer.from(record.value as string, "base64").readUInt32BE(1)).toBe(valueId);
    }
    await harness.tearDown();
    harness = undefined;
  }
});
