// Parquet files of a Schema Registry topic, from what PyPI's confluent-kafka AvroSerializer wrote
// against the stack's Apicurio, through real worker processes into moto: each file has the columns
// of its events' writer schema (a file per schema in each cut, named by the schema id), across a
// schema change mid-run and back, every event exactly once across a worker SIGKILLed mid-run, read
// by DuckDB and pyarrow; a file re-created by recovery is identical byte for byte.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ExportLogEntry } from "../../../main/core/exporters/worker-protocol.js";
import { duplicatesAndMissing, ExportHarness, isDataFile, isInvalidFile } from "../../support/export-harness.js";
import { parquetTypes, pyarrowRead } from "../../support/parquet-rows.js";
import { download, query, viewOf } from "../../support/duckdb.js";
import { produceAvro } from "../../support/schema-producers.js";
import { waitFor } from "../../support/wait-for.js";

const brokers = inject("kafkaBrokers");

const v1 = {
  type: "record",
  name: "Order",
  namespace: "shop",
  fields: [
    { name: "id", type: "string" },
    { name: "total", type: "long" },
    { name: "at", type: { type: "long", logicalType: "timestamp-micros" } },
  ],
};
const v2 = {
  ...v1,
  fields: [
    ...v1.fields,
    { name: "price", type: ["null", { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 }], default: null },
    { name: "tags", type: { type: "array", items: "string" }, default: [] },
  ],
};

const order = (id: string, n: number) => ({
  id,
  total: { $long: String(9_007_199_254_740_993n + BigInt(n)) },
  at: { $timestamp: "2026-12-06T10:00:00.123456+00:00" },
});
const orderV2 = (id: string, n: number) => ({ ...order(id, n), price: { $decimal: `${n}.25` }, tags: ["new", `n${n}`] });

/** The subject's schema ids, oldest version first. */
async function schemaIds(registry: string, subject: string): Promise<number[]> {
  const versions = (await (await fetch(`${registry}/subjects/${subject}/versions`)).json()) as number[];
  return Promise.all(
    versions.map(async (version) => ((await (await fetch(`${registry}/subjects/${subject}/versions/${version}`)).json()) as { id: number }).id),
  );
}

describe("a Parquet exporter of a Schema Registry topic", () => {
  const registry = inject("schemaRegistryUrl");
  const harness = new ExportHarness({
    kafkaBrokers: brokers,
    s3Endpoint: inject("s3Endpoint"),
    partitions: 2,
    intervalSeconds: 1,
    format: "parquet",
    schemaRegistry: registry,
  });
  let file: ExportLogEntry;
  let body: Buffer;
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it(
    "writes a file per writer schema in each cut, with that schema's columns, every event once across a worker killed mid-run",
    { timeout: 240_000 },
    async () => {
      // Made on an empty topic of a stream with a registry: the columns are each event's writer schema's.
      expect(harness.exporter.parquet).toEqual({ compression: "zstd", columnsFrom: "registry" });
      expect(harness.exporter.columns).toBeUndefined();
      const topic = harness.topic;
      const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, n) => `${topic}-${prefix}-${n}`);
      const [first, second, third] = [ids("v1", 300), ids("v2", 300), ids("v1again", 200)];
      await produceAvro({ brokers, registry, topic, schema: v1, records: first.map((id, n) => ({ key: id, value: order(id, n) })) });
      const engine = await harness.startEngine();
      await waitFor("the first events", async () => ((engine.statuses()[0]?.eventsExported ?? 0) > 0 ? true : undefined), 60_000);
      const killed = engine.workerPids()[harness.exporter.name] ?? [];
      expect(killed.length).toBeGreaterThan(0);
      for (const pid of killed) process.kill(pid, "SIGKILL");
      // The schema changes mid-run, and producers of the old one go on beside it.
      await produceAvro({ brokers, registry, topic, schema: v2, records: second.map((id, n) => ({ key: id, value: orderV2(id, n) })) });
      await produceAvro({ brokers, registry, topic, schema: v1, records: third.map((id, n) => ({ key: id, value: order(id, n) })) });
      const produced = [...first, ...second, ...third];
      await harness.waitForIds(produced, 150_000);
      await new Promise((resolve) => setTimeout(resolve, 2500)); // A doubled file would show by now.
      await engine.stop();
      const objects = await harness.objects();

      expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
      expect(objects.filter((object) => isInvalidFile(object.key))).toEqual([]);
      const [id1, id2] = await schemaIds(registry, `${topic}-value`);
      const data = objects.filter((object) => isDataFile(object.key));
      const schemaOf = (key: string) => Number(/\.s(\d+)\.parquet$/.exec(key)?.[1]);
      expect(new Set(data.map((object) => schemaOf(object.key)))).toEqual(new Set([id1, id2]));
      // At most a file per schema in each cut: the cuts are the names without the schema.
      const cuts = new Map<string, number>();
      for (const object of data) cuts.set(object.key.replace(/\.s\d+\.parquet$/, ""), (cuts.get(object.key.replace(/\.s\d+\.parquet$/, "")) ?? 0) + 1);
      expect(Math.max(...cuts.values())).toBeLessThanOrEqual(2);

      const v1File = data.find((object) => schemaOf(object.key) === id1)!;
      const v2File = data.find((object) => schemaOf(object.key) === id2)!;
      expect(await parquetTypes(v1File.raw)).toEqual({ id: "VARCHAR", total: "BIGINT", at: "TIMESTAMP WITH TIME ZONE" });
      expect(await parquetTypes(v2File.raw)).toEqual({
        id: "VARCHAR",
        total: "BIGINT",
        at: "TIMESTAMP WITH TIME ZONE",
        price: "DECIMAL(10,2)",
        tags: "VARCHAR[]",
      });
      const read = pyarrowRead(data.map((object) => object.raw));
      expect(read.reduce((rows, one) => rows + one.rows, 0)).toBe(produced.length);
      expect(new Set(read.map((one) => JSON.stringify(one.types)))).toEqual(
        new Set([
          JSON.stringify({ id: "string", total: "int64", at: "timestamp[us, tz=UTC]" }),
          JSON.stringify({ id: "string", total: "int64", at: "timestamp[us, tz=UTC]", price: "decimal128(10, 2)", tags: "list<element: string>" }),
        ]),
      );
      // Every file as one table, united by name: the first schema's rows read the fields added since as null.
      const dir = mkdtempSync(join(tmpdir(), "duckdb-registry-"));
      data.forEach((object, index) => writeFileSync(join(dir, `${index}.parquet`), object.raw));
      const [totals] = await query(
        `SELECT count(*) AS rows, count(price) AS priced, sum(len(tags)) AS tags, min(total)::VARCHAR AS least FROM read_parquet('${dir}/*.parquet', union_by_name = true)`,
      );
      expect(totals).toEqual({ rows: String(produced.length), priced: String(second.length), tags: String(2 * second.length), least: "9007199254740993" });

      file = (await harness.core.exportLog.read(harness.exporter.id)).find(
        (entry) => entry.kind === "events" && schemaOf(entry.key) === id2 && !entry.recovered,
      )!;
      body = objects.find((object) => object.key === file.key)!.raw;
    },
  );

  it("defines tables with the latest registered schema's columns, which DuckDB runs over every file as printed", { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "duckdb-registry-table-"));
    await download(harness, dir);
    const definition = await harness.core.tables.definition({ exporterName: harness.exporter.name, engine: "duckdb", localRoot: dir });
    expect(definition.notes.join("\n")).toMatch(new RegExp(`Columns of schema ${harness.topic}-value version 2 \\(id \\d+\\), the latest registered`));
    expect(Number((await query(definition.sql))[0]!.events)).toBe(800);
    const rows = await query(
      `${definition.sql}\nSELECT count(price) AS priced, count(*) FILTER (WHERE price IS NULL) AS older FROM ${viewOf(definition.sql)};`,
    );
    expect(rows[0]).toEqual({ priced: "300", older: "500" });
    // Athena declares the columns: the latest schema's, every file read by name.
    const athena = await harness.core.tables.definition({ exporterName: harness.exporter.name, engine: "athena" });
    expect(athena.sql).toContain("`price` decimal(10,2)");
    expect(athena.sql).toContain("STORED AS PARQUET");
  });

  it("re-creates a file of the second schema after a crash byte for byte", { timeout: 90_000 }, async () => {
    const again = await harness.recreate(file);
    expect(again.intent.shape.parquet?.columns).toEqual({ registry: 1 });
    expect(again.raw.equals(body)).toBe(true);
  });
});
