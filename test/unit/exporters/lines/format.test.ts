import { describe, expect, it } from "vitest";
import { Batch } from "../../../../main/core/exporters/files/batch.js";
import { decodeMetadata, encodeMetadata, fitsMetadata } from "../../../../main/core/exporters/commit/commit-metadata.js";
import { fileShapeOf } from "../../../../main/core/exporters/file-shape.js";
import { maxPartitionsPerFile } from "../../../../main/core/exporters/commit/file-intents.js";
import { batchFileKey, formatFileTime, longestKeyBytes, maxGroupNameChars, nextCut } from "../../../../main/core/exporters/file-names.js";
import { maxTemplateBytes } from "../../../../common/path-template.js";
import { minifyJson } from "../../../../main/core/exporters/lines/jsonl.js";
import { defaultLineFormat, lineFormat, lineOf } from "../../../../main/core/exporters/lines/line-format.js";
import type { KafkaRecord } from "../../../../main/core/exporters/lines/records.js";
import { invalidBytes } from "../../../support/file-lines.js";
import { ClickstreamGenerator } from "../../../../main/core/simulate/clickstream.js";

const message = (value: Buffer | string | null, offset = 0, partition = 0): KafkaRecord => ({
  partition,
  offset: String(offset),
  timestamp: "1700000000000",
  key: null,
  value: typeof value === "string" ? Buffer.from(value) : value,
  headers: [],
});
const convertMessage = (record: KafkaRecord) => lineOf(record, defaultLineFormat, "t");

describe("the next cut", () => {
  it("is the first interval boundary strictly after now, in whole UTC seconds", () => {
    expect(nextCut(1_700_000_000_000, 60)).toBe(1_700_000_040);
    expect(nextCut(1_700_000_039_999, 60)).toBe(1_700_000_040);
    expect(nextCut(1_700_000_040_000, 60)).toBe(1_700_000_100);
    expect(nextCut(1_700_000_000_500, 1)).toBe(1_700_000_001);
  });
});

describe("batch file names", () => {
  it("follow <prefix>/<UTC time>-<topic>---<partitions>[.n][-invalid].jsonl", () => {
    expect(formatFileTime(1616752590)).toBe("2021-03-26T09:56:30");
    const name = { prefix: "events", time: 1616752590, topic: "stream-151daf78", partitions: [0, 1, 2, 3, 4], counter: 0 };
    expect(batchFileKey(name)).toBe("events/2021-03-26T09:56:30-stream-151daf78---0-1-2-3-4.jsonl");
    expect(batchFileKey({ ...name, counter: 2 })).toBe("events/2021-03-26T09:56:30-stream-151daf78---0-1-2-3-4.2.jsonl");
    // A Parquet exporter's files, and its -invalid part, hidden from engines that read whole folders.
    expect(batchFileKey(name, "events", "parquet")).toBe("events/2021-03-26T09:56:30-stream-151daf78---0-1-2-3-4.parquet");
    expect(batchFileKey(name, "invalid", "none", true)).toBe("events/_2021-03-26T09:56:30-stream-151daf78---0-1-2-3-4-invalid.jsonl");
    expect(batchFileKey({ ...name, prefix: undefined }, "invalid")).toBe("2021-03-26T09:56:30-stream-151daf78---0-1-2-3-4-invalid.jsonl");
  });

  it("measure the longest possible key in bytes", () => {
    const settings = { prefix: "events", topic: "t", partitionCount: 3, maxPartitionsPerFile };
    expect(longestKeyBytes({ ...settings, prefix: "é".repeat(500) })).toBeGreaterThan(1000);
    expect(longestKeyBytes(settings)).toBe(Buffer.byteLength("events/9999-12-31T23:59:59-t---0-1-2.999999-invalid.jsonl"));
    expect(longestKeyBytes({ ...settings, template: "{topic}/dt={date}", compression: "zstd" })).toBe(
      Buffer.byteLength("events/t/dt=9999-12-31/9999-12-31T23:59:59-t---0-1-2.999999-invalid.jsonl.zst"),
    );
    // A Parquet file per writer schema: its longest group name outgrows the hidden -invalid name.
    expect(longestKeyBytes({ ...settings, compression: "none", hidden: true, schemaGroups: true })).toBe(
      Buffer.byteLength(`events/9999-12-31T23:59:59-t---0-1-2.999999.s${"9".repeat(maxGroupNameChars)}.parquet`),
    );
  });
});

describe("JSON Lines conversion", () => {
  it("passes one-line JSON objects through byte for byte", () => {
    const value = Buffer.from('{"a": 1.50, "b": "x"}');
    const converted = convertMessage(message(value));
    expect(converted).toEqual({ kind: "event", line: value });
    expect(converted.kind === "event" && converted.line).toBe(value); // the message's own bytes, not a copy
  });

  it("minifies pretty-printed JSON without touching strings or numbers", () => {
    expect(minifyJson('{\n  "a" : 12345678901234567890,\n  "s": "keep  \\" spaces\\n"\n}')).toBe('{"a":12345678901234567890,"s":"keep  \\" spaces\\n"}');
    expect(convertMessage(message('{\r\n "x": [1, 2]\r\n}'))).toEqual({ kind: "event", line: Buffer.from('{"x":[1,2]}') });
    expect(convertMessage(message('  {"t": "trimmed"} \t'))).toEqual({ kind: "event", line: Buffer.from('{"t": "trimmed"}') });
  });

  it.each([
    ["plain text", "hello"],
    ["a JSON array", "[1]"],
    ["a JSON string", '"x"'],
    ["broken JSON", '{"a":'],
    ["empty", ""],
    ["binary", Buffer.from([0xc3, 0x28])],
    ["a tombstone", null],
  ])("sends %s to the invalid file, text as text and binary as base64", (_, value) => {
    const converted = convertMessage(message(value as string | Buffer | null, 7, 2));
    if (converted.kind !== "invalid") throw new Error(`expected an invalid line, got ${converted.kind}`);
    const record = JSON.parse(converted.line.toString());
    expect(record).toMatchObject({ partition: 2, offset: 7, timestamp: 1700000000000, key: null });
    if (value === null) return expect(record.value).toBe(null);
    const bytes = Buffer.from(value as string | Buffer);
    const text = typeof value === "string";
    expect(record.valueEncoding).toBe(text ? "utf8" : "base64");
    expect(record.value).toBe(bytes.toString(text ? "utf8" : "base64"));
    expect(invalidBytes(record)).toEqual(bytes);
  });
});

describe("Batch", () => {
  it("orders files by partition then offset, whatever the arrival order, and tracks ranges", () => {
    const batch = new Batch();
    batch.add(message('{"p":2,"o":5}', 5, 2));
    batch.add(message('{"p":0,"o":1}', 1, 0));
    batch.add(message("junk", 6, 2));
    batch.add(message('{"p":0,"o":2}', 2, 0));
    const content = batch.content();
    expect(content.ranges).toEqual([
      { partition: 0, first: 1, last: 2 },
      { partition: 2, first: 5, last: 6 },
    ]);
    expect(content.events!.toString()).toBe('{"p":0,"o":1}\n{"p":0,"o":2}\n{"p":2,"o":5}\n');
    expect(content.eventCount).toBe(3);
    expect(content.invalidCount).toBe(1);
    expect(batch.content([2]).ranges).toEqual([{ partition: 2, first: 5, last: 6 }]);
  });

  it("refuses offsets that go backwards within a partition", () => {
    const batch = new Batch();
    batch.add(message("{}", 5));
    expect(() => batch.add(message("{}", 5))).toThrow("offset 5 of partition 0 arrived after 5");
  });
});

describe("offset commit metadata", () => {
  it("round-trips an intent and the last name used, within Kafka's 4096-byte limit at the partition cap", () => {
    const held = Array.from({ length: maxPartitionsPerFile }, (_, i) => i + 10_000);
    const ranges = held.map((partition) => ({ partition, first: 2 ** 52, last: 2 ** 52 + 99_999 }));
    // The longest template allowed, and a compression: everything an intent can carry.
    const template = `dt={date}/${"x".repeat(maxTemplateBytes - "dt={date}/".length)}`;
    const shape = fileShapeOf({
      compression: "zstd",
      pathTemplate: template,
      fields: ["topic", "partition", "offset", "timestamp", "key", "headers", "value"],
      tombstones: "keep",
    });
    const metadata = { intent: { time: 1_764_000_000, counter: 12, held, ranges, shape }, last: { time: 1_763_999_999, counter: 3 } };
    const encoded = encodeMetadata(metadata);
    expect(Buffer.byteLength(encoded)).toBeLessThanOrEqual(4096);
    expect(fitsMetadata(metadata.intent)).toBe(true);
    expect(decodeMetadata(encoded, fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" }))).toEqual(metadata);
    // With the longest prefix too, 64 such ranges no longer fit: the worker plans smaller files (see export-worker.test.ts).
    expect(fitsMetadata({ ...metadata.intent, shape: { ...shape, prefix: "p".repeat(900) } })).toBe(false);
  });

  const plain = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" });
  it("reads foreign or empty metadata as none", () => {
    expect(decodeMetadata(null, plain)).toEqual({});
    expect(decodeMetadata("", plain)).toEqual({});
    expect(decodeMetadata("set by another tool", plain)).toEqual({});
    expect(decodeMetadata('{"v":2}', plain)).toEqual({});
  });
});

describe("simulated clickstream events", () => {
  it("look like the product page's example", () => {
    const { key, event } = new ClickstreamGenerator(3).next(1625820808909);
    expect(event).toMatchObject({
      strmMeta: { schemaId: "clickstream", timestamp: 1625820808909, billingId: "streamdrop-demo" },
      eventType: expect.any(String),
      conversion: expect.any(Number),
      abTests: [],
    });
    expect(event.strmMeta.keyLink).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isInteger(event.strmMeta.nonce)).toBe(true);
    expect(event.strmMeta.consentLevels).toEqual(expect.any(Array));
    expect(event.url).toMatch(/^https:\/\//);
    expect(key).toBe(event.producerSessionId);
  });
});

describe("what counts as JSON, exactly", () => {
  const line = (value: string | Buffer) => convertMessage(message(value));

  it("ignores a leading byte order mark, as RFC 8259 allows, and writes the line without it", () => {
    expect(line('\uFEFF{"a":1}')).toEqual({ kind: "event", line: Buffer.from('{"a":1}') });
  });

  it("takes only JSON whitespace around a value: a trailing no-break space or line separator makes it not JSON", () => {
    expect(line('{"a":1}\u00A0').kind).toBe("invalid");
    expect(line('{"a":1}\u2028').kind).toBe("invalid");
    expect(line(' \t{"a":1}\r\n')).toEqual({ kind: "event", line: Buffer.from('{"a":1}') });
  });

  it("escapes raw U+2028 and U+2029 inside strings, so no reader splits the line there", () => {
    const converted = line('{"s":"one\u2028two\u2029three"}');
    expect(converted).toEqual({ kind: "event", line: Buffer.from('{"s":"one\\u2028two\\u2029three"}') });
    if (converted.kind !== "event") throw new Error("not an event");
    expect(JSON.parse(converted.line.toString())).toEqual({ s: "one\u2028two\u2029three" });
    expect(converted.line.toString().split(/\r\n|\r|\n|\u2028|\u2029/)).toHaveLength(1);
  });

  it("applies the same rules to values nested in an envelope", () => {
    const format = lineFormat(["key", "value"]);
    const nested = lineOf({ ...message('\uFEFF{"s":"a\u2028b"}'), key: Buffer.from("k") }, format, "t");
    expect(nested.kind === "event" && nested.line.toString()).toBe('{"key":"k","value":{"s":"a\\u2028b"}}');
    const padded = lineOf({ ...message('{"a":1}\u00A0'), key: null }, format, "t");
    expect(padded.kind === "event" && JSON.parse(padded.line.toString())).toEqual({ key: null, value: '{"a":1}\u00A0' });
  });
});
