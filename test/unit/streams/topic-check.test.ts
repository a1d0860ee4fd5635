// The topic check's judgement, on samples made up here: the kinds of value, what the exporter
// would write, and the advice, including partitions without a leader and empty topics.
import { describe, expect, it } from "vitest";
import { lineFormat } from "../../../main/core/exporters/lines/line-format.js";
import { judgeSample, valueKind, type SampledRecord, type TopicSample } from "../../../main/core/streams/topic-check.js";
import { avroType } from "../../../main/core/schemas/avro-json.js";

const record = (offset: number, value: Buffer | string | null, extra: Partial<SampledRecord> = {}): SampledRecord => ({
  partition: 0,
  offset: String(offset),
  timestamp: "1700000000000",
  key: null,
  value: typeof value === "string" ? Buffer.from(value) : value,
  headers: [],
  codec: "snappy",
  ...extra,
});

const sample = (
  records: SampledRecord[],
  partitions: TopicSample["partitions"] = [{ partition: 0, leader: 1, low: 0, high: records.length }],
): TopicSample => ({ topic: "orders", partitions, retentionMs: 86_400_000, recent: { records: 600, windowMs: 300_000 }, records });
const place = { prefix: "events", intervalSeconds: 60, now: Date.UTC(2026, 0, 2, 3, 4, 5) };

it("tells the kinds of value apart", () => {
  expect(valueKind(Buffer.from('{"a":1}'))).toBe("jsonObject");
  expect(valueKind(Buffer.from("[1]"))).toBe("otherJson");
  expect(valueKind(Buffer.from([0, 0, 0, 0, 9, 2]))).toBe("confluentWire");
  expect(valueKind(Buffer.from("héllo"))).toBe("text");
  expect(valueKind(Buffer.from([0xc3, 0x28]))).toBe("binary");
  expect(valueKind(null)).toBe("tombstone");
});

describe("judging a sample", () => {
  it("counts, measures and previews what the exporter would write with its settings", () => {
    const records = [
      record(0, '{"id":1}', { key: Buffer.from("a"), headers: [{ key: "h", value: null }] }),
      record(1, null, { codec: "zstd" }),
      record(2, "text"),
      record(3, '{"id":2}'),
    ];
    const check = judgeSample(sample(records), lineFormat(["value"], "skip"), place);
    expect(check).toMatchObject({
      sampled: 4,
      eventsPerSecond: 2,
      codecs: { snappy: 3, zstd: 1 },
      withKey: 1,
      withHeaders: 1,
      headerKeys: ["h"],
      valueBytes: { min: 4, median: 8, max: 8 },
    });
    expect(check.values).toEqual({ jsonObject: 2, otherJson: 0, confluentWire: 0, text: 1, binary: 0, tombstone: 1 });
    expect(check.preview).toMatchObject({
      nextKey: "events/2026-01-02T03:05:00-orders---0.jsonl",
      lines: ['{"id":1}', '{"id":2}'],
      events: 2,
      invalid: 1,
      skipped: 1,
    });
    expect(check.recommendations.map((advice) => advice.code)).toEqual(["not-json", "keys-or-headers"]);
    // A Parquet exporter's next file, under its own suffix.
    expect(judgeSample(sample(records), lineFormat(["value"], "skip"), { ...place, compression: "parquet" }).preview.nextKey).toBe(
      "events/2026-01-02T03:05:00-orders---0.parquet",
    );
  });

  it("recommends skipping tombstones, with the share seen", () => {
    const records = [...Array.from({ length: 22 }, (_, i) => record(i, '{"ok":true}')), ...Array.from({ length: 3 }, (_, i) => record(22 + i, null))];
    const [advice] = judgeSample(sample(records), lineFormat(), place).recommendations;
    expect(advice).toEqual({
      code: "skip-tombstones",
      message: "12% of the sampled records are tombstones (deleted keys): skip them, rather than send them to the -invalid file?",
      settings: { tombstones: "skip" },
    });
  });

  it("warns that values in Confluent's wire format need the stream's registry, and says where they go without one", () => {
    const advice = judgeSample(sample([record(0, Buffer.from([0, 0, 0, 0, 1, 8]))]), lineFormat(), place).recommendations;
    expect(advice.map((entry) => entry.code)).toEqual(["no-registry", "confluent-wire"]);
    expect(advice[0]!.message).toBe(
      "100% of the values are in Confluent's wire format (a schema id, then Avro, Protobuf or JSON Schema data): give the stream its Schema Registry, and they are decoded to JSON with their own schemas.",
    );
    expect(advice[1]).toMatchObject({ settings: { fields: ["key", "value"] }, message: expect.stringContaining("go to the -invalid file, base64") });
  });

  it("judged with the stream's registry, previews decoded lines, names the schemas and says what does not decode", () => {
    const click = avroType({ type: "record", name: "Click", fields: [{ name: "id", type: "long" }] });
    const wire = (id: number, payload: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0, id]), payload]);
    const decoder = {
      prepare: async () => undefined,
      decode: (bytes: Buffer | null) => {
        const id = bytes?.[0] === 0 ? bytes.readUInt32BE(1) : undefined;
        if (id === undefined) return { kind: "plain" as const };
        return id === 5
          ? { kind: "json" as const, schemaId: 5, text: `{"id":${String(click.fromBuffer(bytes!.subarray(5)).id)}}` }
          : { kind: "invalid" as const, schemaId: id, reason: `the Schema Registry does not know schema id ${id}` };
      },
      writerColumns: () => ({ problem: "not asked of a topic check" }),
      columnsOf: () => ({ problem: "not asked of a topic check" }),
    };
    const describe = (id: number) =>
      id === 5 ? { type: "AVRO" as const, subjects: [{ subject: "orders-value", version: 2 }] } : { type: "unknown" as const, subjects: [] };
    const records = [record(0, wire(5, click.toBuffer({ id: 41n }))), record(1, wire(5, click.toBuffer({ id: 42n }))), record(2, wire(9, Buffer.from([1])))];
    const check = judgeSample(sample(records), lineFormat(), place, { decoder, describe });
    expect(check.preview).toMatchObject({ lines: ['{"id":41}', '{"id":42}'], events: 2, invalid: 1 });
    expect(check.schemas).toEqual([
      { id: 5, type: "AVRO", subjects: [{ subject: "orders-value", version: 2 }], values: 2, keys: 0 },
      { id: 9, type: "unknown", subjects: [], values: 1, keys: 0 },
    ]);
    expect(check.recommendations).toEqual([
      {
        code: "undecodable",
        message:
          "1 of the sampled wire-format records do not decode (the Schema Registry does not know schema id 9): they will go to the -invalid file with their bytes and the reason.",
      },
    ]);
  });

  it("says plainly which partitions have no leader, and that an empty topic is empty", () => {
    const partitions = [
      { partition: 0, leader: 1, low: 0, high: 0 },
      { partition: 1, leader: null, low: 0, high: 0 },
      { partition: 2, leader: null, low: 0, high: 0 },
    ];
    const advice = judgeSample(sample([], partitions), lineFormat(), place).recommendations;
    expect(advice.map((entry) => entry.message)).toEqual([
      "Partitions 1, 2 have no leader now, so they could not be read: a broker is down or the partition is offline. The exporter waits for a leader; nothing there is lost.",
      "Topic orders holds no records yet. An exporter starts with the next record produced.",
    ]);
    const emptied = judgeSample(sample([], [{ partition: 0, leader: 1, low: 50, high: 50 }]), lineFormat(), place).recommendations;
    expect(emptied[0]!.message).toBe(
      "Topic orders holds no records any more (all it had were deleted by retention or compaction). An exporter starts with the next record produced.",
    );
  });
});
