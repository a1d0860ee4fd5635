// Lines with record fields: nesting, text and base64 by content, header order and repeats, the
// tombstone policies, and the settings' errors.
import { describe, expect, it } from "vitest";
import { Batch } from "../../../../main/core/exporters/files/batch.js";
import { lineFormat, lineFormatWarnings, lineOf, parseFields, type LineFormat } from "../../../../main/core/exporters/lines/line-format.js";
import type { KafkaRecord } from "../../../../main/core/exporters/lines/records.js";

const record = (overrides: Partial<KafkaRecord> = {}): KafkaRecord => ({
  partition: 3,
  offset: "9007199254740993", // above 2^53: must stay digit for digit
  timestamp: "1700000000123",
  key: Buffer.from("user-1"),
  value: Buffer.from('{"id": 1, "n": 12345678901234567890}'),
  headers: [],
  ...overrides,
});

const all = lineFormat(["topic", "partition", "offset", "timestamp", "key", "headers", "value"]);
const text = (format: LineFormat, input: KafkaRecord) => {
  const line = lineOf(input, format, "clicks");
  if (line.kind !== "event") throw new Error(`expected an event line, got ${line.kind}`);
  return line.line.toString("utf8");
};

describe("lines with record fields", () => {
  it("hold the chosen fields in the order given, numbers digit for digit, JSON values nested as their own bytes", () => {
    expect(text(all, record())).toBe(
      '{"topic":"clicks","partition":3,"offset":9007199254740993,"timestamp":1700000000123,"key":"user-1","headers":[],"value":{"id": 1, "n": 12345678901234567890}}',
    );
    expect(text(lineFormat(["value", "offset"]), record())).toBe('{"value":{"id": 1, "n": 12345678901234567890},"offset":9007199254740993}');
  });

  it("nest any JSON, minified; keep other UTF-8 as a string; base64 anything else with a sibling encoding", () => {
    const format = lineFormat(["key", "value"]);
    expect(JSON.parse(text(format, record({ value: Buffer.from("[1,\n 2]") })))).toEqual({ key: "user-1", value: [1, 2] });
    expect(text(format, record({ value: Buffer.from('{\n  "a": "x  y"\n}') }))).toBe('{"key":"user-1","value":{"a":"x  y"}}');
    expect(text(format, record({ key: Buffer.from("42"), value: Buffer.from('hello "world"\n') }))).toBe('{"key":42,"value":"hello \\"world\\"\\n"}');
    const binary = Buffer.from([0x00, 0xff, 0xc3, 0x28]);
    expect(JSON.parse(text(format, record({ key: binary, value: binary })))).toEqual({
      key: binary.toString("base64"),
      keyEncoding: "base64",
      value: binary.toString("base64"),
      valueEncoding: "base64",
    });
    expect(JSON.parse(text(format, record({ key: null, value: Buffer.alloc(0) })))).toEqual({ key: null, value: "" });
    // Text that starts like JSON but is not JSON stays text.
    expect(JSON.parse(text(format, record({ value: Buffer.from("{not json") })))).toEqual({ key: "user-1", value: "{not json" });
  });

  it("write headers as a list in Kafka's order, with repeated keys apart and binary values in base64", () => {
    const headers = [
      { key: "trace", value: Buffer.from("abc") },
      { key: "10", value: Buffer.from('{"n":1}') },
      { key: "trace", value: Buffer.from([0xff, 0x00]) },
      { key: "2", value: null },
    ];
    const line = JSON.parse(text(lineFormat(["headers"]), record({ headers })));
    expect(line).toEqual({
      headers: [
        { key: "trace", value: "abc" },
        { key: "10", value: { n: 1 } },
        { key: "trace", value: "/wA=", valueEncoding: "base64" },
        { key: "2", value: null },
      ],
    });
  });

  it("are a pure function of the record: the same record, the same bytes", () => {
    const input = record({ headers: [{ key: "h", value: Buffer.from([1, 2, 3]) }] });
    const copy = {
      ...input,
      key: Buffer.from(input.key!),
      value: Buffer.from(input.value!),
      headers: input.headers.map((header) => ({ key: header.key, value: Buffer.from(header.value!) })),
    };
    expect(lineOf(input, all, "clicks")).toEqual(lineOf(copy, all, "clicks"));
  });
});

describe("tombstones", () => {
  const tombstone = record({ value: null });

  it("go to the -invalid file by default, nothing lost", () => {
    const line = lineOf(tombstone, lineFormat(), "clicks");
    expect(line.kind).toBe("invalid");
    expect(line.kind === "invalid" && JSON.parse(line.line.toString())).toEqual({
      partition: 3,
      offset: 9007199254740992,
      timestamp: 1700000000123,
      key: "user-1",
      keyEncoding: "utf8",
      value: null,
      reason: "a tombstone (the record has no value)",
    });
  });

  it("keep text as text in -invalid lines, base64 only for binary, each with its encoding", () => {
    const headers = [
      { key: "source", value: Buffer.from("web") },
      { key: "trace", value: Buffer.from([0xff, 0x00]) },
      { key: "empty", value: null },
    ];
    const wire = Buffer.from([0, 0, 0, 0, 7, 0x41]);
    const line = lineOf(record({ key: wire, value: Buffer.from("not json"), headers }), lineFormat(), "clicks");
    expect(line.kind === "invalid" && JSON.parse(line.line.toString())).toMatchObject({
      key: wire.toString("base64"),
      keyEncoding: "base64",
      value: "not json",
      valueEncoding: "utf8",
      headers: [
        { key: "source", value: "web", valueEncoding: "utf8" },
        { key: "trace", value: "/wA=", valueEncoding: "base64" },
        { key: "empty", value: null },
      ],
    });
    // Files planned under rules 3 are re-created as they were: every byte string in base64.
    const old = lineOf(record({ value: Buffer.from("not json"), headers }), lineFormat(), "clicks", 3);
    expect(old.kind === "invalid" && JSON.parse(old.line.toString())).toMatchObject({
      key: Buffer.from("user-1").toString("base64"),
      value: Buffer.from("not json").toString("base64"),
      headers: [
        { key: "source", value: "d2Vi" },
        { key: "trace", value: "/wA=" },
        { key: "empty", value: null },
      ],
    });
    expect(old.kind === "invalid" && old.line.toString()).not.toContain("Encoding");
  });

  it("are skipped with skip, and counted by the batch (their offsets still in its ranges)", () => {
    const format = lineFormat(["key", "value"], "skip");
    expect(lineOf(tombstone, format, "clicks")).toEqual({ kind: "skipped" });
    const batch = new Batch(format, "clicks");
    batch.add(record({ offset: "1" }));
    batch.add(record({ offset: "2", value: null }));
    const content = batch.content();
    expect(content).toMatchObject({ eventCount: 1, invalidCount: 0, skippedCount: 1, ranges: [{ partition: 3, first: 1, last: 2 }] });
  });

  it("become a line with value null with keep", () => {
    expect(text(lineFormat(["key", "value"], "keep"), tombstone)).toBe('{"key":"user-1","value":null}');
  });
});

describe("the settings", () => {
  it("refuse an unknown field, listing the allowed names", () => {
    expect(() => parseFields("key,vaule")).toThrow(
      'Unknown field "vaule". The fields a line can hold are: topic, partition, offset, timestamp, key, keySchemaId, headers, value, valueSchemaId.',
    );
  });

  it("refuse a repeated or empty field", () => {
    expect(() => parseFields("key,value,key")).toThrow('The field "key" is listed twice.');
    expect(() => parseFields("key,,value")).toThrow("have an empty name");
  });

  it("refuse keeping tombstones with the value alone, naming the fix", () => {
    expect(() => lineFormat(["value"], "keep")).toThrow(/Keeping tombstones needs fields besides value \(for example key,value\)/);
    expect(() => lineFormat(["value"], "forget")).toThrow('Unknown tombstone policy "forget"');
  });

  it("read a comma list with spaces", () => {
    expect(parseFields(" key , value ")).toEqual(["key", "value"]);
  });

  it("take fields without value (keys alone may be the point), with a warning that no event values are exported", () => {
    expect(lineFormat(["key"]).fields).toEqual(["key"]);
    expect(lineFormatWarnings(["key", "timestamp"])).toEqual([
      {
        code: "no-values",
        message: "The fields (key, timestamp) leave out value: the files hold no event values. Add value to the fields to export the events too.",
      },
    ]);
    expect(lineFormatWarnings(["value"])).toEqual([]);
    expect(lineFormatWarnings(["key", "value"])).toEqual([]);
    // The core's words are shown as they are where no front end words them: never a flag.
    expect(lineFormatWarnings(["key"])[0]!.message).not.toMatch(/--/);
  });
});
