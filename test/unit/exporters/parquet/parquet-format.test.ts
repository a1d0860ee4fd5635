// Parquet files through the format seam, read by DuckDB (a reader written by others): the types
// readers agree on, records that do not fit going to `-invalid` with the reason, row groups cut by
// our own rules, and the same lines always giving the same bytes.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fileFormatOf } from "../../../../main/core/exporters/files/file-format.js";
import { firstLines } from "../../../../main/core/stores/preview.js";
import { fileShapeOf } from "../../../../main/core/exporters/file-shape.js";
import { memorySpills } from "../../../../main/core/exporters/files/spills-and-sinks.js";
import { groupRows } from "../../../../main/core/exporters/parquet/parquet-rules.js";
import type { KafkaRecord } from "../../../../main/core/exporters/lines/records.js";
import { parseColumns, type Column } from "../../../../common/table-columns.js";
import type { ParquetCompression } from "../../../../common/record-format.js";
import { queryParquet } from "../../../support/parquet-rows.js";

const query = queryParquet;

const columns = (text: string): Column[] => (parseColumns(text) as { columns: Column[] }).columns;

const shapeOf = (fields: string[], text: string, compression: ParquetCompression = "zstd", tombstones = "invalid") =>
  fileShapeOf({
    compression: "none",
    fields,
    tombstones,
    parquet: { compression },
    columns: [{ version: 3, columns: columns(text), createdAt: "2026-12-06T00:00:00Z" }],
  });

const record = (offset: number, value: unknown, extra: Partial<KafkaRecord> = {}): KafkaRecord => ({
  partition: 0,
  offset: String(offset),
  timestamp: String(1_796_551_200_000 + offset),
  key: Buffer.from(`k${offset}`),
  value: value === null ? null : Buffer.from(typeof value === "string" ? value : JSON.stringify(value)),
  headers: [{ key: "trace", value: Buffer.from(`t${offset}`) }],
  ...extra,
});

describe("a Parquet file of envelope rows", () => {
  const value = "id int64, amount decimal(18,2), at timestamp(micros), tags list<string>, address struct<city string>, attrs map<double>";
  const format = fileFormatOf(shapeOf(["topic", "partition", "offset", "timestamp", "key", "headers", "value"], value, "zstd", "keep"));

  it("holds every envelope field and the value's columns, typed as readers agree", async () => {
    const batch = format.newBatch("orders", memorySpills);
    batch.add(
      record(1, { id: 1, amount: "9007199254740993.35", at: "2026-12-06T10:00:00.123456Z", tags: ["a"], address: { city: "Zoë ✓ 東京" }, attrs: { x: 1.5 } }),
    );
    batch.add(record(2, null));
    const content = batch.content();
    expect([content.eventCount, content.invalidCount]).toEqual([2, 0]);
    const body = (await format.finish("events", content.events!)) as Buffer;
    expect(format.kindOf("events")).toBe("parquet");
    const types = Object.fromEntries((await query(body, (file) => `DESCRIBE SELECT * FROM ${file}`)).map((row) => [row.column_name, row.column_type]));
    expect(types).toEqual({
      topic: "VARCHAR",
      partition: "INTEGER",
      offset: "BIGINT",
      timestamp: "TIMESTAMP WITH TIME ZONE",
      key: "VARCHAR",
      keyEncoding: "VARCHAR",
      headers: 'STRUCT("key" VARCHAR, "value" VARCHAR, valueEncoding VARCHAR)[]',
      value: 'STRUCT(id BIGINT, amount DECIMAL(18,2), "at" TIMESTAMP WITH TIME ZONE, tags VARCHAR[], address STRUCT(city VARCHAR), attrs MAP(VARCHAR, DOUBLE))',
    });
    const rows = await query(
      body,
      (file) =>
        `SELECT "offset", epoch_ms("timestamp") AS ms, key, headers[1].value AS header, value.amount::VARCHAR AS amount, epoch_us(value.at) AS at, value.address.city AS city, value IS NULL AS tombstone FROM ${file} ORDER BY "offset"`,
    );
    expect(rows).toEqual([
      {
        offset: "1",
        ms: "1796551200001",
        key: "k1",
        header: "t1",
        amount: "9007199254740993.35",
        at: "1796551200123456",
        city: "Zoë ✓ 東京",
        tombstone: false,
      },
      { offset: "2", ms: "1796551200002", key: "k2", header: "t2", amount: null, at: null, city: null, tombstone: true },
    ]);
  });

  it("sends a record that does not fit to -invalid with the field and the columns' version, and one with a new field too", async () => {
    const batch = format.newBatch("orders", memorySpills);
    batch.add(record(1, { id: "one" }));
    batch.add(record(2, { id: 2, coupon: "X" }));
    batch.add(record(3, "plain text"));
    batch.add(record(4, { id: 4 }));
    const content = batch.content();
    expect([content.eventCount, content.invalidCount]).toEqual([1, 3]);
    const invalid = content
      .invalid!.toString("utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { reason: string; offset: number });
    expect(invalid.map((line) => [line.offset, line.reason])).toEqual([
      [1, 'the field "value.id" is a string, where the column is int64 (columns version 3)'],
      [2, 'the field "value.coupon" is a field the columns do not have (columns version 3)'],
      [3, 'the field "value" is a string, where the column holds an object of fields (columns version 3)'],
    ]);
    expect(format.kindOf("invalid")).toBe("none");
    expect([format.hidden("events"), format.hidden("invalid")]).toEqual([false, true]);
    expect(await format.finish("invalid", content.invalid!)).toEqual(content.invalid);
  });
});

describe("Parquet files of value rows", () => {
  const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ id: index, name: `event ${index}`, score: index / 7 }));
  const gathered = (compression: ParquetCompression, count: number) => {
    const format = fileFormatOf(shapeOf(["value"], "id int64, name string, score double", compression));
    const batch = format.newBatch("scores", memorySpills);
    rows(count).forEach((row, index) => batch.add(record(index, row)));
    return { format, lines: batch.content().events! };
  };

  it.each(["zstd", "snappy", "gzip", "none"] as const)("are compressed with %s, and the same lines give the same bytes", async (compression) => {
    const { format, lines } = gathered(compression, 1000);
    const [first, second] = [(await format.finish("events", lines)) as Buffer, (await format.finish("events", lines)) as Buffer];
    expect(first.equals(second)).toBe(true);
    const codecs = await query(first, (file) => `SELECT DISTINCT compression FROM parquet_metadata(${file})`);
    expect(codecs).toEqual([{ compression: compression === "none" ? "UNCOMPRESSED" : compression.toUpperCase() }]);
    const [summary] = await query(first, (file) => `SELECT count(*) AS n, sum(id) AS ids FROM ${file}`);
    expect(summary).toEqual({ n: "1000", ids: String((999 * 1000) / 2) });
  });

  it("cuts row groups by our own rule, and says who wrote the file", async () => {
    const { format, lines } = gathered("zstd", groupRows * 2 + 5);
    const body = (await format.finish("events", lines)) as Buffer;
    const groups = await query(body, (file) => `SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata(${file}) ORDER BY row_group_id`);
    expect(groups.map((group) => Number(group.row_group_num_rows))).toEqual([groupRows, groupRows, 5]);
    const [meta] = await query(body, (file) => `SELECT created_by FROM parquet_file_metadata(${file})`);
    expect(meta!.created_by).toBe("streamdrop parquet writer 1 (parquet-wasm 0.8.0)");
  });
});

describe("Parquet files and bad input", () => {
  it("keep a 5 MB value whole", async () => {
    const format = fileFormatOf(shapeOf(["value"], "id int64, blob string"));
    const batch = format.newBatch("big", memorySpills);
    const blob = "x".repeat(5 * 1024 * 1024);
    batch.add(record(0, { id: 0, blob }));
    batch.add(record(1, { id: 1, blob: "small" }));
    const body = (await format.finish("events", batch.content().events!)) as Buffer;
    expect(await query(body, (file) => `SELECT id, length(blob) AS n FROM ${file} ORDER BY id`)).toEqual([
      { id: "0", n: String(blob.length) },
      { id: "1", n: "5" },
    ]);
  });

  it("keep deep JSON as text, and send JSON too deep to write as text to -invalid instead of failing", async () => {
    const format = fileFormatOf(shapeOf(["key", "value"], "id int64, deep json"));
    const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const batch = format.newBatch("deep", memorySpills);
    batch.add(record(0, `{"id":0,"deep":${nested(200)}}`));
    batch.add(record(1, `{"id":1,"deep":${nested(20_000)}}`));
    batch.add(record(2, `{"id":2}`, { key: Buffer.from(nested(20_000)) }));
    const content = batch.content();
    expect([content.eventCount, content.invalidCount]).toEqual([1, 2]);
    expect(
      content
        .invalid!.toString("utf8")
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { reason: string }).reason),
    ).toEqual([
      "the row is JSON nested 20002 levels deep, deeper than the 512 a Parquet file's line may be (columns version 3)",
      "the row is JSON nested 20001 levels deep, deeper than the 512 a Parquet file's line may be (columns version 3)",
    ]);
    const body = (await format.finish("events", content.events!)) as Buffer;
    expect(await query(body, (file) => `SELECT value.id AS id, length(value.deep) AS n FROM ${file}`)).toEqual([{ id: "0", n: "400" }]);
  });

  it.each([
    ["invalid", [1, 1, 0]],
    ["skip", [1, 0, 1]],
    ["keep", [2, 0, 0]],
  ] as const)("follow the tombstone policy %s", (tombstones, [events, invalid, skipped]) => {
    const format = fileFormatOf(shapeOf(["key", "value"], "id int64", "zstd", tombstones));
    const batch = format.newBatch("deletes", memorySpills);
    batch.add(record(0, { id: 0 }));
    batch.add(record(1, null));
    const content = batch.content();
    expect([content.eventCount, content.invalidCount, content.skippedCount]).toEqual([events, invalid, skipped]);
  });

  it("hold a file's events in one Parquet file however often their fields change: the -invalid part takes what does not fit", () => {
    const format = fileFormatOf(shapeOf(["value"], "id int64, a string"));
    const batch = format.newBatch("changing", memorySpills);
    // A schema change every three records: 300 records, 100 changes.
    for (let id = 0; id < 300; id++) batch.add(record(id, Math.floor(id / 3) % 2 === 0 ? { id, a: "x" } : { id, b: 1 }));
    const content = batch.content();
    // Two parts at most, whatever the number of changes: the columns are the exporter's, not each record's.
    expect([content.eventCount, content.invalidCount]).toEqual([150, 150]);
    expect(Buffer.isBuffer(content.events) && Buffer.isBuffer(content.invalid)).toBe(true);
  });
});

describe("Parquet files and what the writer must never meet unchecked", () => {
  it("read a row's own fields only: a column named like an object's property is null when absent", async () => {
    const format = fileFormatOf(shapeOf(["value"], "a int64, constructor string, toString json"));
    const batch = format.newBatch("odd", memorySpills);
    batch.add(record(0, { a: 1 }));
    batch.add(record(1, { a: 2, constructor: "made" }));
    const body = (await format.finish("events", batch.content().events!)) as Buffer;
    expect(await query(body, (file) => `SELECT a, "constructor" AS c, "toString" AS t FROM ${file} ORDER BY a`)).toEqual([
      { a: "1", c: null, t: null },
      { a: "2", c: "made", t: null },
    ]);
  });

  it("check the envelope's own fields: schema ids as the wire format's unsigned numbers, timestamps no reader refuses", async () => {
    const format = fileFormatOf(shapeOf(["timestamp", "keySchemaId", "value"], "id int64"));
    const batch = format.newBatch("wire", memorySpills);
    batch.add(record(0, { id: 0 }, { key: Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0x01]) }));
    batch.add(record(1, { id: 1 }, { timestamp: "1796551200000000001" }));
    const content = batch.content();
    expect([content.eventCount, content.invalidCount]).toEqual([1, 1]);
    expect((JSON.parse(content.invalid!.toString("utf8")) as { reason: string }).reason).toMatch(
      /^the field "timestamp" is 1796551200000000001 milliseconds since 1970, which is outside the years 1 to 9999/,
    );
    const body = (await format.finish("events", content.events!)) as Buffer;
    expect(await query(body, (file) => `SELECT keySchemaId FROM ${file}`)).toEqual([{ keySchemaId: "4294967295" }]);
  });

  // The writer's bytes are part of exactly-once: a change to them (the writer's version, arrow-columns.ts,
  // the cut) must come with a new parquet-rules.ts version, and this golden file says when one is due.
  it("are the same bytes as the writer rules' golden file", async () => {
    const format = fileFormatOf(
      shapeOf(["key", "value"], "id int64, at timestamp(micros), amount decimal(10,2), tags list<string>, meta map<string>", "zstd", "keep"),
    );
    const batch = format.newBatch("golden", memorySpills);
    batch.add(record(0, { id: 1, at: "2026-12-06T10:00:00.123456Z", amount: "12.34", tags: ["a", "b"], meta: { k: "v" } }));
    batch.add(record(1, null));
    const body = (await format.finish("events", batch.content().events!)) as Buffer;
    expect(createHash("sha256").update(body).digest("hex")).toBe("7af63ab4e151b13fcf7e15ad1ad62d4fbff12b4e39c1c9a42468813c5ac2ea64");
  });
});

describe("a Parquet file's preview", () => {
  it("shows its first rows as the JSON its lines held: times in UTC, decimals and 64-bit integers with every digit", async () => {
    const format = fileFormatOf(
      shapeOf(["key", "value"], "id int64, at timestamp(micros), day date, amount decimal(20,3), tags list<string>, m map<double>, s struct<a int32>"),
    );
    const batch = format.newBatch("preview", memorySpills);
    batch.add(
      record(
        0,
        '{"id":9007199254740993,"at":"2026-12-06T10:00:00.123457Z","day":"0050-01-01","amount":"-12345678901234567.891","tags":["a"],"m":{"x":1.5},"s":{"a":2}}',
      ),
    );
    for (let offset = 1; offset <= 25; offset++) batch.add(record(offset, { id: offset }));
    const body = (await format.finish("events", batch.content().events!)) as Buffer;
    const preview = await firstLines(body, true, "events/2026-12-06T10:00:00-orders---0.parquet");
    expect(preview.truncated).toBe(true);
    expect(preview.lines).toHaveLength(20);
    expect(preview.lines[0]).toBe(
      '{"key":"k0","keyEncoding":null,"value":{"id":9007199254740993,"at":"2026-12-06T10:00:00.123457Z","day":"0050-01-01","amount":-12345678901234567.891,"tags":["a"],"m":{"x":1.5},"s":{"a":2}}}',
    );
    // Only part of a file too big to read whole: no rows, and said to be cut short.
    expect(await firstLines(body.subarray(0, 100), false, "events/x.parquet")).toEqual({ lines: [], truncated: true });
  });
});
