// Parquet files of a Schema Registry topic: each event in the file of its writer schema, whose
// columns it takes, read back by DuckDB (a reader written by others). A cut stores at most one file
// per schema its events were written with, however often producers switch between them; a kept
// tombstone has a file without a value column; what has no schema goes to `-invalid` with the
// reason; the same records always give the same groups, names and bytes.
import { describe, expect, it } from "vitest";
import { fileFormatOf } from "../../../../main/core/exporters/files/file-format.js";
import { fileShapeOf } from "../../../../main/core/exporters/file-shape.js";
import { batchFileKey } from "../../../../main/core/exporters/file-names.js";
import { memorySpills } from "../../../../main/core/exporters/files/spills-and-sinks.js";
import { decodeMetadata, encodeMetadata, type FileIntent } from "../../../../main/core/exporters/commit/commit-metadata.js";
import { lineFormat } from "../../../../main/core/exporters/lines/line-format.js";
import type { KafkaRecord } from "../../../../main/core/exporters/lines/records.js";
import { avroType } from "../../../../main/core/schemas/avro-json.js";
import { RegistryError, type RegisteredSchema } from "../../../../main/core/schemas/registry-client.js";
import { SchemaDecoder } from "../../../../main/core/schemas/schema-decoder.js";
import { parseBatchKey } from "../../../../main/core/tables/stored-keys.js";
import { queryParquet } from "../../../support/parquet-rows.js";

const v1 = { type: "record", name: "Order", fields: [{ name: "id", type: "long" }] };
const v2 = {
  type: "record",
  name: "Order",
  fields: [
    { name: "id", type: "long" },
    { name: "price", type: ["null", { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 }], default: null },
    { name: "at", type: { type: "long", logicalType: "timestamp-micros" } },
  ],
};
const schemas: Record<number, RegisteredSchema> = {
  11: { id: 11, schemaType: "AVRO", schema: JSON.stringify(v1), references: [] },
  12: { id: 12, schemaType: "AVRO", schema: JSON.stringify(v2), references: [] },
  13: { id: 13, schemaType: "AVRO", schema: '"string"', references: [] },
};

const decoder = () =>
  new SchemaDecoder({
    async schema(id) {
      const found = schemas[id];
      if (!found) throw new RegistryError("unknown", `no schema ${id}`);
      return found;
    },
    async version() {
      throw new Error("no references here");
    },
  });

const wire = (id: number, payload: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0, id]), payload]);
const [type1, type2, type13] = [avroType(v1), avroType(v2), avroType(JSON.parse(schemas[13]!.schema))];
const cents = (value: bigint) => Buffer.from(value.toString(16).padStart(4, "0"), "hex");

/** Producers switching schemas every three records, on two partitions, with a tombstone and values no schema names. */
function records(): KafkaRecord[] {
  const made: KafkaRecord[] = [];
  for (let offset = 0; offset < 12; offset += 1)
    for (const partition of [0, 1]) {
      const id = BigInt(offset * 10 + partition);
      const value =
        Math.floor(offset / 3) % 2 === 0
          ? wire(11, type1.toBuffer({ id }))
          : wire(12, type2.toBuffer({ id, price: { bytes: cents(1999n + id) }, at: 1_796_551_200_000_000n + id }));
      made.push({ partition, offset: String(offset), timestamp: "0", key: Buffer.from(`k${id}`), value, headers: [] });
    }
  const tail: Array<Buffer | null> = [null, Buffer.from('{"id":1}'), wire(13, type13.toBuffer("text")), wire(99, Buffer.from([2]))];
  tail.forEach((value, index) => made.push({ partition: 0, offset: String(12 + index), timestamp: "0", key: Buffer.from("gone"), value, headers: [] }));
  return made;
}

const shape = fileShapeOf({
  compression: "none",
  fields: ["key", "value"],
  tombstones: "keep",
  parquet: { compression: "zstd", columnsFrom: "registry" },
  decode: "registry",
});

async function gather() {
  const schemaDecoder = decoder();
  const format = fileFormatOf(shape);
  const batch = format.newBatch("orders", memorySpills, schemaDecoder);
  const all = records();
  await schemaDecoder.prepare([11, 12, 13, 99]);
  for (const record of all) batch.add(record);
  const content = batch.content();
  const files = await Promise.all(
    (content.groups ?? []).map(async ({ group, body }) => ({ name: group.name, body: (await format.finish("events", body, group)) as Buffer })),
  );
  return { format, content, files };
}

describe("Parquet files with each writer schema's columns", () => {
  it("stores a file per writer schema in a cut, each with its schema's columns, read by DuckDB", async () => {
    const { content, files } = await gather();
    expect(files.map((file) => file.name)).toEqual(["11", "12"]);
    expect(content.groups!.map((group) => group.count)).toEqual([12, 12]);
    expect([content.eventCount, content.invalidCount]).toEqual([25, 3]);
    const types = async (body: Buffer) =>
      Object.fromEntries((await queryParquet(body, (file) => `DESCRIBE SELECT * FROM ${file}`)).map((row) => [row.column_name, row.column_type]));
    expect(await types(files[0]!.body)).toMatchObject({ key: "VARCHAR", value: "STRUCT(id BIGINT)" });
    expect(await types(files[1]!.body)).toMatchObject({ value: 'STRUCT(id BIGINT, price DECIMAL(10,2), "at" TIMESTAMP WITH TIME ZONE)' });
    const rows = await queryParquet(files[1]!.body, (file) => `SELECT value.id AS id, value.price::VARCHAR AS price, epoch_us(value.at) AS at FROM ${file}`);
    // Partition 0's lines, then partition 1's, each in offset order: the file's order.
    expect(rows.map((row) => row.id)).toEqual(["30", "40", "50", "90", "100", "110", "31", "41", "51", "91", "101", "111"]);
    expect(rows[0]).toEqual({ id: "30", price: "20.29", at: "1796551200000030" });
  });

  it("keeps a tombstone in a file without a value column, and sends values without a schema's columns to -invalid with the reason", async () => {
    const { format, content } = await gather();
    const tombstones = (await format.finish("events", content.events!)) as Buffer;
    expect(await queryParquet(tombstones, (file) => `SELECT * FROM ${file}`)).toEqual([{ key: "gone", keyEncoding: null }]);
    const reasons = content
      .invalid!.toString("utf8")
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { reason: string }).reason);
    expect(reasons).toEqual([
      "the value is not in the Schema Registry's wire format, and this file's columns are those of each value's registered schema",
      "schema id 13 is an Avro string, not a record",
      "the value: the Schema Registry does not know schema id 99",
    ]);
  });

  it("gives the same files, byte for byte, for the same records; names each after its schema", async () => {
    const [first, second] = [await gather(), await gather()];
    expect(second.files.map((file) => file.body.equals(first.files.find((other) => other.name === file.name)!.body))).toEqual([true, true]);
    const key = batchFileKey({ prefix: "p", time: 1_796_551_200, topic: "orders", partitions: [0, 1], counter: 2 }, "events", "parquet", false, "12");
    expect(key).toBe("p/2026-12-06T10:00:00-orders---0-1.2.s12.parquet");
    expect(parseBatchKey(key)).toMatchObject({ topic: "orders", kind: "events", compression: "parquet" });
    expect(parseBatchKey("p/2026-12-06T10:40:00-orders---0.s12-1-0.parquet")).toMatchObject({ topic: "orders" });
  });

  it("records each writer schema's columns in the intent, which recovery reads back (and refuses rules it does not know)", () => {
    const intent: FileIntent = { time: 1_796_551_200, counter: 0, held: [0], ranges: [{ partition: 0, first: 0, last: 9 }], shape };
    const text = encodeMetadata({ intent });
    expect(JSON.parse(text).i.q).toEqual([0, "zstd", 1, 1]);
    const legacy = { lines: lineFormat() };
    expect(decodeMetadata(text, legacy).intent?.shape).toEqual(shape);
    expect(decodeMetadata(text.replace('"q":[0,"zstd",1,1]', '"q":[0,"zstd",1,9]'), legacy).unreadable).toContain(
      "its Parquet columns come from writer schemas by rules 9, and this version knows 1",
    );
  });

  it("holds a batch of many partitions and schemas in memory near what its lines take, not a chunk per group", async () => {
    const schemaDecoder = decoder();
    await schemaDecoder.prepare([11, 12]);
    const batch = fileFormatOf(shape).newBatch("orders", memorySpills, schemaDecoder);
    const before = process.memoryUsage().arrayBuffers;
    for (let partition = 0; partition < 128; partition += 1)
      for (const value of [wire(11, type1.toBuffer({ id: 1n })), wire(12, type2.toBuffer({ id: 2n, price: null, at: 0n }))])
        batch.add({ partition, offset: String(value[4] === 11 ? 0 : 1), timestamp: "0", key: null, value, headers: [] });
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(batch.content().groups?.map((group) => group.count)).toEqual([128, 128]);
    // 256 groups of one short line: a 256 KiB chunk each would be 64 MiB.
    expect(grown).toBeLessThan(8 * 1024 * 1024);
  });
});
