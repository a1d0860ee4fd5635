// DuckDB over an exporter's decoded files: values confluent-kafka's AvroSerializer wrote against
// the stack's Apicurio, exported by real workers into moto, read through the definition Streamdrop
// prints, whose columns come from the registered schema (the latest version, so a field only v2
// has is a column, null in v1's lines): the row count equals the events, decimals come back as
// DECIMAL with their scale, timestamps as TIMESTAMPTZ, nested records as STRUCTs. The same for
// Protobuf values (ProtobufSerializer): a Timestamp, a uint64 past a BIGINT, a nested message.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, inject, it } from "vitest";
import { download, query, viewOf } from "../../support/duckdb.js";
import { ExportHarness } from "../../support/export-harness.js";
import { produceAvro, produceProtobuf } from "../../support/schema-producers.js";

const v1 = {
  type: "record",
  name: "Payment",
  namespace: "shop",
  fields: [
    { name: "id", type: "string" },
    { name: "amount", type: { type: "bytes", logicalType: "decimal", precision: 12, scale: 2 } },
    { name: "at", type: { type: "long", logicalType: "timestamp-micros" } },
    { name: "day", type: { type: "int", logicalType: "date" } },
    { name: "payer", type: { type: "record", name: "Payer", fields: [{ name: "country", type: "string" }] } },
    { name: "method", type: { type: "enum", name: "Method", symbols: ["CARD", "WIRE"] } },
    { name: "note", type: ["null", "string"], default: null },
  ],
};
const v2 = { ...v1, fields: [...v1.fields, { name: "coupon", type: ["null", "string"], default: null }] };
const payment = (id: string, n: number) => ({
  id,
  amount: { $decimal: `${n}.05` },
  at: { $timestamp: "2025-12-05T12:00:00.123456+00:00" },
  day: { $date: "2025-12-05" },
  payer: { country: "FR" },
  method: "WIRE",
  note: null,
});

it("reads decoded Avro files through the definition, typed from the registered schema", { timeout: 180_000 }, async () => {
  const brokers = inject("kafkaBrokers");
  const registry = inject("schemaRegistryUrl");
  const harness = new ExportHarness({ kafkaBrokers: brokers, s3Endpoint: inject("s3Endpoint"), partitions: 2, intervalSeconds: 1, schemaRegistry: registry });
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-duckdb-registry-"));
  try {
    await harness.setUp();
    const first = Array.from({ length: 40 }, (_, n) => `${harness.topic}-${n}`);
    const later = Array.from({ length: 10 }, (_, n) => `${harness.topic}-v2-${n}`);
    await produceAvro({ brokers, registry, topic: harness.topic, schema: v1, records: first.map((id, n) => ({ value: payment(id, n) })) });
    await produceAvro({
      brokers,
      registry,
      topic: harness.topic,
      schema: v2,
      records: later.map((id, n) => ({ value: { ...payment(id, n), coupon: "WINTER" } })),
    });
    await harness.startEngine();
    await harness.waitForIds([...first, ...later], 90_000);
    await harness.engine!.stop();
    await download(harness, dir);

    const definition = await harness.core.tables.definition({ exporterName: harness.exporter.name, engine: "duckdb", localRoot: dir, sample: 5 });
    expect(definition.notes.join("\n")).toContain(`Columns from the registered schema ${harness.topic}-value version 2`);
    expect(definition.sql).toContain("'amount': 'DECIMAL(12, 2)'");
    expect(definition.sql).toContain("'at': 'TIMESTAMPTZ'");
    const view = viewOf(definition.sql);
    const count = await query(definition.sql);
    expect(Number(count[0]!.events)).toBe(first.length + later.length);
    const rows = await query(
      `${definition.sql}\nSELECT id, CAST(amount AS VARCHAR) AS amount, strftime(timezone('UTC', "at"), '%Y-%m-%dT%H:%M:%S.%f') AS "at", CAST(day AS VARCHAR) AS day, payer.country AS country, method, coupon FROM ${view} ORDER BY id;`,
    );
    expect(rows.find((row) => row.id === first[3])).toEqual({
      id: first[3],
      amount: "3.05",
      at: "2025-12-05T12:00:00.123456",
      day: "2025-12-05",
      country: "FR",
      method: "WIRE",
      coupon: null,
    });
    expect(rows.find((row) => row.id === later[1])).toMatchObject({ amount: "1.05", coupon: "WINTER" });
  } finally {
    await harness.tearDown();
  }
});

it("reads decoded Protobuf files through the definition, typed from the registered schema", { timeout: 180_000 }, async () => {
  const brokers = inject("kafkaBrokers");
  const registry = inject("schemaRegistryUrl");
  const harness = new ExportHarness({ kafkaBrokers: brokers, s3Endpoint: inject("s3Endpoint"), partitions: 1, intervalSeconds: 1, schemaRegistry: registry });
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-duckdb-protobuf-"));
  const file = `bench_${Date.now().toString(36)}/visit.proto`;
  const proto = `syntax = "proto3";
package visits;
import "google/protobuf/timestamp.proto";
message Visit {
  string id = 1;
  google.protobuf.Timestamp at = 2;
  uint64 huge = 3;
  Page page = 4;
  repeated string tags = 5;
  message Page { string path = 1; int32 status = 2; }
}`;
  try {
    await harness.setUp();
    const ids = Array.from({ length: 12 }, (_, n) => `${harness.topic}-${n}`);
    await produceProtobuf({
      brokers,
      registry,
      topic: harness.topic,
      protos: { [file]: proto },
      message: "visits.Visit",
      records: ids.map((id, n) => ({
        value: { id, at: "2025-12-05T12:00:00.250Z", huge: "18446744073709551615", page: { path: `/p/${n}`, status: 200 }, tags: ["a"] },
      })),
    });
    await harness.startEngine();
    await harness.waitForIds(ids, 90_000);
    await harness.engine!.stop();
    await download(harness, dir);
    const definition = await harness.core.tables.definition({ exporterName: harness.exporter.name, engine: "duckdb", localRoot: dir, sample: 5 });
    expect(definition.sql).toContain("'at': 'TIMESTAMPTZ', 'huge': 'DECIMAL(20, 0)', 'page': 'STRUCT(\"path\" VARCHAR, \"status\" BIGINT)'");
    const view = viewOf(definition.sql);
    expect(Number((await query(definition.sql))[0]!.events)).toBe(ids.length);
    const rows = await query(
      `${definition.sql}\nSELECT id, strftime(timezone('UTC', "at"), '%Y-%m-%dT%H:%M:%S.%g') AS "at", CAST(huge AS VARCHAR) AS huge, page.path AS path, tags FROM ${view} ORDER BY id;`,
    );
    expect(rows.find((row) => row.id === ids[4])).toEqual({
      id: ids[4],
      at: "2025-12-05T12:00:00.250",
      huge: "18446744073709551615",
      path: "/p/4",
      tags: ["a"],
    });
  } finally {
    await harness.tearDown();
  }
});
