// Parquet exports from the real Kafka into moto through real worker processes, read back by
// readers written by others (DuckDB, and pyarrow from PyPI): every event exactly once across a
// worker SIGKILLed mid-run, the envelope's fields and the value's columns typed as readers agree,
// records that do not fit in `-invalid` with the reason, and a file re-created by recovery
// identical byte for byte to the first attempt.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ExportLogEntry } from "../../../main/core/exporters/worker-protocol.js";
import { duplicatesAndMissing, ExportHarness, isDataFile, isInvalidFile, isValidationFile, type StoredObject } from "../../support/export-harness.js";
import { javaProduce, type ForeignRecord } from "../../support/foreign-producers.js";
import { parquetTypes, pyarrowRead } from "../../support/parquet-rows.js";
import { columnsText } from "../../../common/table-columns.js";
import { waitFor } from "../../support/wait-for.js";

const brokers = inject("kafkaBrokers");

/** What pyarrow makes of the files: rows in all, and each column's Arrow type (the same in every file). */
function pyarrowAll(objects: StoredObject[]): { rows: number; types: Record<string, string> } {
  const read = pyarrowRead(objects.map((object) => object.raw));
  for (const file of read) expect(file.types).toEqual(read[0]!.types);
  return { rows: read.reduce((rows, file) => rows + file.rows, 0), types: read[0]!.types };
}

describe("a Parquet exporter of event values", () => {
  const harness = new ExportHarness({
    kafkaBrokers: brokers,
    s3Endpoint: inject("s3Endpoint"),
    partitions: 3,
    intervalSeconds: 1,
    format: "parquet",
    columns: "id string, strmMeta struct<schemaId string, nonce int64, timestamp int64>, url string",
  });
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it("stores every event once in .parquet files that DuckDB and pyarrow read, across a worker killed mid-run", { timeout: 180_000 }, async () => {
    expect(harness.exporter.parquet).toEqual({ compression: "zstd" });
    const produced = await harness.produce(3000);
    const engine = await harness.startEngine();
    await waitFor("the first events", async () => ((engine.statuses()[0]?.eventsExported ?? 0) > 0 ? true : undefined), 60_000);
    const killed = engine.workerPids()[harness.exporter.name] ?? [];
    expect(killed.length).toBeGreaterThan(0);
    for (const pid of killed) process.kill(pid, "SIGKILL");
    produced.push(...(await harness.produce(3000)));
    await harness.waitForIds(produced, 120_000);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // A doubled file would show by now.
    const objects = await harness.objects();

    expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
    const data = objects.filter((object) => isDataFile(object.key));
    expect(data.length).toBeGreaterThan(1);
    for (const object of data) {
      expect(object.key.endsWith(".parquet"), object.key).toBe(true);
      expect(object.contentType).toBe("application/vnd.apache.parquet");
    }
    expect(objects.filter((object) => isInvalidFile(object.key))).toEqual([]);
    // The exporter's validation file proves the permission `.parquet` names need: it is a Parquet file too.
    const validation = objects.filter((object) => isValidationFile(object.key) && object.key.endsWith(".parquet"));
    expect(validation.length).toBeGreaterThan(0);
    expect(validation[0]!.raw.subarray(0, 4).toString()).toBe("PAR1");

    expect(await parquetTypes(data[0]!.raw)).toEqual({
      id: "VARCHAR",
      strmMeta: 'STRUCT(schemaId VARCHAR, nonce BIGINT, "timestamp" BIGINT)',
      url: "VARCHAR",
    });
    const read = pyarrowAll(data);
    expect(read.rows).toBe(produced.length);
    expect(read.types).toEqual({ id: "string", strmMeta: "struct<schemaId: string, nonce: int64, timestamp: int64>", url: "string" });
  });
});

describe("a Parquet exporter of envelopes", () => {
  const at = 1_796_551_200_000;
  const harness = new ExportHarness({
    kafkaBrokers: brokers,
    s3Endpoint: inject("s3Endpoint"),
    partitions: 1,
    intervalSeconds: 2,
    fields: ["topic", "partition", "offset", "timestamp", "key", "headers", "value"],
    tombstones: "keep",
    format: "parquet",
    compression: "snappy",
    columns: "id string, amount decimal(10,2), at timestamp(micros), tags list<string>",
  });
  const records: ForeignRecord[] = [
    {
      partition: 0,
      key: "order-1",
      value: '{"id":"o1","amount":"12.34","at":"2026-12-06T10:00:00.123456Z","tags":["new"]}',
      timestamp: at,
      headers: [
        { key: "trace", value: "t-1" },
        { key: "bin", value: Buffer.from([0xff, 0x00]) },
      ],
    },
    // A field whose type flips, and a field the columns lack: -invalid with the reason.
    { partition: 0, key: "order-2", value: '{"id":"o2","amount":"lots"}', timestamp: at + 1 },
    { partition: 0, key: "order-3", value: '{"id":"o3","coupon":"X1"}', timestamp: at + 2 },
    // A tombstone, kept: a row whose value is null.
    { partition: 0, key: "order-1", value: null, timestamp: at + 3 },
  ];
  let file: ExportLogEntry;
  let body: Buffer;

  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it("writes the envelope as columns readers agree on, and the records that do not fit to -invalid with why", { timeout: 120_000 }, async () => {
    await javaProduce({ brokers, topic: harness.topic, compression: "zstd", records });
    const engine = await harness.startEngine();
    file = await waitFor("the data file", async () => (await harness.core.exportLog.read(harness.exporter.id)).find((entry) => entry.kind === "events"));
    await waitFor("the -invalid file", async () => (await harness.core.exportLog.read(harness.exporter.id)).find((entry) => entry.kind === "invalid"));
    // The field the columns lack is proposed for the next version; the type that flipped is not.
    const proposal = await waitFor("the columns proposal", async () => engine.statuses()[0]?.columnsProposal);
    expect(proposal).toEqual({ basedOn: 1, fields: ["coupon"], columns: expect.any(Array) });
    expect(columnsText(proposal.columns)).toBe("id string, amount decimal(10,2), at timestamp(micros), tags list<string>, coupon string");
    await engine.stop();
    const objects = await harness.objects();
    const events = objects.find((object) => object.key === file.key)!;
    body = events.raw;
    expect(file.key).toMatch(/\.parquet$/);
    expect(file.records).toBe(2);
    expect(await parquetTypes(body)).toEqual({
      topic: "VARCHAR",
      partition: "INTEGER",
      offset: "BIGINT",
      timestamp: "TIMESTAMP WITH TIME ZONE",
      key: "VARCHAR",
      keyEncoding: "VARCHAR",
      headers: 'STRUCT("key" VARCHAR, "value" VARCHAR, valueEncoding VARCHAR)[]',
      value: 'STRUCT(id VARCHAR, amount DECIMAL(10,2), "at" TIMESTAMP WITH TIME ZONE, tags VARCHAR[])',
    });
    const rows = events.body
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => [row.offset, row.key, row.value])).toEqual([
      [0, "order-1", { id: "o1", amount: 12.34, at: "2026-12-06 10:00:00.123456+00", tags: ["new"] }],
      [3, "order-1", null],
    ]);
    expect(rows[0]!.headers).toEqual([
      { key: "trace", value: "t-1", valueEncoding: null },
      { key: "bin", value: "/wA=", valueEncoding: "base64" },
    ]);
    const invalid = objects.find((object) => isInvalidFile(object.key))!;
    // Named with a leading _, which Athena, Hive and Spark skip: a JSON Lines file among Parquet ones would fail their queries.
    expect(invalid.key).toMatch(/\/_\d{4}-\d\d-\d\dT[^/]*-invalid\.jsonl$/);
    expect(
      invalid.body
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { reason: string }).reason),
    ).toEqual([
      'the field "value.amount" is a string, where the column is decimal(10,2) (columns version 1)',
      'the field "value.coupon" is a field the columns do not have (columns version 1)',
    ]);
    const read = pyarrowAll([events]);
    expect(read.rows).toBe(2);
    expect(read.types).toMatchObject({
      offset: "int64",
      timestamp: "timestamp[ms, tz=UTC]",
      headers: "list<element: struct<key: string, value: string, valueEncoding: string>>",
      value: "struct<id: string, amount: decimal128(10, 2), at: timestamp[us, tz=UTC], tags: list<element: string>>",
    });
  });

  it("re-creates that file after a crash byte for byte", { timeout: 90_000 }, async () => {
    const again = await harness.recreate(file);
    expect(again.intent.shape.parquet?.columns).toMatchObject({ version: 1 });
    expect(again.raw.equals(body)).toBe(true);
  });

  it("keeps the new field once a person accepts the proposed columns, as version 2", { timeout: 90_000 }, async () => {
    const accepted = "id string, amount decimal(10,2), at timestamp(micros), tags list<string>, coupon string";
    const updated = await harness.core.exporters.update(harness.exporter.name, { columns: accepted });
    expect(updated.columns?.map((version) => version.version)).toEqual([1, 2]);
    await javaProduce({ brokers, topic: harness.topic, records: [{ partition: 0, key: "order-4", value: '{"id":"o4","coupon":"X4"}', timestamp: at + 10 }] });
    const engine = await harness.startEngine();
    const file = await waitFor("a file with the new columns", async () =>
      (await harness.core.exportLog.read(harness.exporter.id)).find((entry) => entry.kind === "events" && entry.partitions?.[0]?.first === 4),
    );
    const object = (await harness.objects()).find((candidate) => candidate.key === file.key)!;
    expect((await parquetTypes(object.raw)).value).toBe(
      'STRUCT(id VARCHAR, amount DECIMAL(10,2), "at" TIMESTAMP WITH TIME ZONE, tags VARCHAR[], coupon VARCHAR)',
    );
    expect(JSON.parse(object.body.trim()).value).toMatchObject({ id: "o4", coupon: "X4" });
    // Nothing is proposed any more: the columns keep what the events hold.
    expect(engine.statuses()[0]?.columnsProposal).toBeUndefined();
  });
});
