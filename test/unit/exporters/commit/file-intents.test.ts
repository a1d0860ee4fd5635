// How a cut is planned into files: groups of at most 64 partitions, split further when an intent
// would not fit in Kafka's offset metadata, every intent carrying the shape its file is written in.
import { describe, expect, it } from "vitest";
import type { OffsetRange } from "../../../../main/core/exporters/files/batch.js";
import { decodeMetadata, encodeMetadata, fitsMetadata, maxMetadataBytes } from "../../../../main/core/exporters/commit/commit-metadata.js";
import { maxPartitionsPerFile, planIntents } from "../../../../main/core/exporters/commit/file-intents.js";
import { fileShapeOf } from "../../../../main/core/exporters/file-shape.js";

const held = Array.from({ length: 200 }, (_, partition) => partition);
const rangesOf = (group: number[]): OffsetRange[] =>
  group.filter((partition) => partition % 7 !== 3).map((partition) => ({ partition, first: 2 ** 50, last: 2 ** 50 + 123_456 }));

describe("planning a cut into files", () => {
  it("names at most 64 partitions per file, and plans none for a group without records", () => {
    const shape = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" });
    const intents = planIntents({ time: 1_764_000_000, held, shape, rangesOf, counterOf: () => 0 });
    expect(intents.map((intent) => intent.held.length)).toEqual([64, 64, 64, 8]);
    expect(intents.flatMap((intent) => intent.held)).toEqual(held);
    // Named for every partition held, holding the ranges of those with records.
    expect(
      planIntents({ time: 1, held: [3, 11], shape, rangesOf, counterOf: () => 0 }).map((intent) => [
        intent.held,
        intent.ranges.map((range) => range.partition),
      ]),
    ).toEqual([[[3, 11], [11]]]);
    expect(planIntents({ time: 1, held: [3], shape, rangesOf, counterOf: () => 0 })).toEqual([]);
    expect(maxPartitionsPerFile).toBe(64);
  });

  it("splits a group whose intent would not fit in the offset metadata, so the longest prefix and template still commit", () => {
    const shape = fileShapeOf({
      pathPrefix: "p/".repeat(450).slice(0, 899),
      pathTemplate: `dt={date}/${"t".repeat(190)}`,
      compression: "zstd",
      fields: ["topic", "partition", "offset", "timestamp", "key", "headers", "value"],
      tombstones: "keep",
    });
    const many = held.map((partition) => partition + 10_000);
    const full = (group: number[]) => group.map((partition) => ({ partition, first: 2 ** 52, last: 2 ** 52 + 123_456 }));
    const intents = planIntents({ time: 1_764_000_000, held: many, shape, rangesOf: full, counterOf: (group) => group[0]! % 1000 });
    expect(intents.length).toBeGreaterThan(4);
    expect(intents.flatMap((intent) => intent.held)).toEqual(many);
    for (const intent of intents) {
      expect(intent.held.length).toBeLessThanOrEqual(maxPartitionsPerFile);
      const encoded = encodeMetadata({ intent, last: { time: intent.time, counter: 999_999 } });
      expect(Buffer.byteLength(encoded)).toBeLessThanOrEqual(maxMetadataBytes);
      // The whole shape comes back from Kafka, whatever the worker's settings are by then.
      expect(decodeMetadata(encoded, fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" })).intent).toEqual(intent);
    }
  });
});

describe("the shape an intent records", () => {
  const now = fileShapeOf({ pathPrefix: "now", compression: "none", fields: ["value"], tombstones: "invalid" });
  const intent = { time: 1_764_000_000, counter: 0, held: [0], ranges: [{ partition: 0, first: 0, last: 9 }] };

  it.each([
    ["the prefix", { pathPrefix: "before/v1" }],
    ["the folders", { pathTemplate: "dt={date}" }],
    ["the compression", { compression: "gzip" as const }],
    ["the fields", { fields: ["offset", "value"] }],
    ["the tombstones", { fields: ["key", "value"], tombstones: "keep" }],
    ["decoding with the registry", { decode: "registry" as const }],
    ["the schema id fields", { fields: ["valueSchemaId", "value"] }],
  ])("comes back with %s it was planned with, not the exporter's settings now", (_, settings) => {
    const planned = fileShapeOf({ pathPrefix: "now", compression: "none", fields: ["value"], tombstones: "invalid", ...settings });
    expect(decodeMetadata(encodeMetadata({ intent: { ...intent, shape: planned } }), now).intent?.shape).toEqual(planned);
  });

  it("reads an intent from before the shape was recorded whole with the worker's prefix and lines, as those versions re-created it", () => {
    const legacy = '{"v":1,"i":{"t":1764000000,"c":0,"h":[0],"r":[[0,0,9]],"z":"gzip","p":"dt={date}"}}';
    expect(decodeMetadata(legacy, now).intent?.shape).toEqual({
      prefix: "now",
      template: "dt={date}",
      compression: "gzip",
      lines: now.lines,
      decode: "none",
      rules: 1,
    });
  });

  it.each([
    ["line rules it does not have", encodeMetadata({ intent: { ...intent, shape: { ...now, rules: 99 } } }), "rules version 99"],
    ["a key it does not know (a newer setting)", '{"v":1,"i":{"t":1,"c":0,"h":[0],"r":[[0,0,9]],"n":1,"k":"new"}}', "Unrecognized key"],
    ["a line format no exporter may have", '{"v":1,"i":{"t":1,"c":0,"h":[0],"r":[[0,0,9]],"n":1,"b":"keep"}}', "Keeping tombstones needs fields besides value"],
    ["fields named twice", '{"v":1,"i":{"t":1,"c":0,"h":[0],"r":[[0,0,9]],"n":1,"f":"value,value"}}', "listed twice"],
    ["a prefix that is not one", '{"v":1,"i":{"t":1,"c":0,"h":[0],"r":[[0,0,9]],"n":1,"x":"../other"}}', "not a path prefix"],
    ["folders that are not a template", '{"v":1,"i":{"t":1,"c":0,"h":[0],"r":[[0,0,9]],"n":1,"p":"dt={day}"}}', "not a path template"],
    ["a decoding it does not know", '{"v":1,"i":{"t":1,"c":0,"h":[0],"r":[[0,0,9]],"n":2,"d":"glue"}}', 'expected "registry"'],
  ])("says it cannot re-create an intent with %s, rather than write another file", (_, text, why) => {
    const decoded = decodeMetadata(text, now);
    expect(decoded.intent).toBeUndefined();
    expect(decoded.unreadable).toContain(why);
    expect(decoded.unreadable).toContain("newer version");
  });
});

describe("a Parquet file's intent", () => {
  const versions = [
    { version: 1, columns: [{ name: "id", type: { kind: "int64" as const } }], createdAt: "2026-12-01T00:00:00Z" },
    {
      version: 2,
      columns: [
        { name: "id", type: { kind: "int64" as const } },
        { name: "coupon", type: { kind: "string" as const } },
      ],
      createdAt: "2026-12-02T00:00:00Z",
    },
  ];
  const now = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid", parquet: { compression: "snappy" }, columns: versions });
  const intent = { time: 1764000000, counter: 0, held: [0], ranges: [{ partition: 0, first: 0, last: 9 }], shape: now };
  const columnsOf = (version: number) => versions.find((kept) => kept.version === version)?.columns;

  it("records the columns' version, the codec and the writer rules, and is re-created with that version's columns", () => {
    const planned = { ...now, parquet: { ...now.parquet!, columns: { version: 1, columns: versions[0]!.columns } } };
    const encoded = encodeMetadata({ intent: { ...intent, shape: planned } });
    expect(JSON.parse(encoded).i.q).toEqual([1, "snappy", 1]);
    // Not the columns themselves: they are the exporter's, kept by version, and Kafka's metadata is small.
    expect(encoded).not.toContain("coupon");
    expect(decodeMetadata(encoded, now, columnsOf).intent?.shape).toEqual(planned);
  });

  it("is unreadable when the exporter lacks its columns' version or the writer rules are unknown", () => {
    const encoded = encodeMetadata({ intent });
    expect(decodeMetadata(encoded, now).unreadable).toContain("its Parquet columns are version 2, which the exporter no longer has");
    const newer = encoded.replace('"q":[2,"snappy",1]', '"q":[2,"snappy",9]');
    expect(decodeMetadata(newer, now, columnsOf).unreadable).toContain("writer rules 9");
  });
});

describe("two cuts in flight: a partition's two intents", () => {
  const shape = fileShapeOf({ pathPrefix: "events", compression: "gzip", fields: ["value"], tombstones: "invalid" });
  const first = { time: 1_764_000_000, counter: 0, held: [0, 1], ranges: [{ partition: 0, first: 10, last: 19 }], shape };
  const second = { time: 1_764_000_060, counter: 0, held: [0, 1], ranges: [{ partition: 0, first: 20, last: 29 }], shape };

  it("are a list, oldest first, and come back so; one intent stays an object, as earlier versions wrote it", () => {
    const two = encodeMetadata({ intent: first, next: second, last: { time: 1_764_000_060, counter: 0 } });
    expect(Array.isArray(JSON.parse(two).i)).toBe(true);
    expect(decodeMetadata(two, shape)).toEqual({ intent: first, next: second, last: { time: 1_764_000_060, counter: 0 } });
    const one = encodeMetadata({ intent: first });
    expect(Array.isArray(JSON.parse(one).i)).toBe(false);
    expect(decodeMetadata(one, shape)).toEqual({ intent: first });
  });

  it("are unreadable when either cannot be re-created exactly, or when there are more than two", () => {
    const two = JSON.parse(encodeMetadata({ intent: first, next: second })) as { i: Array<Record<string, unknown>> };
    two.i[1]!.n = 99;
    expect(decodeMetadata(JSON.stringify(two), shape).unreadable).toContain("rules version 99");
    const three = JSON.parse(encodeMetadata({ intent: first, next: second })) as { i: unknown[] };
    three.i.push(three.i[1]);
    const decoded = decodeMetadata(JSON.stringify(three), shape);
    expect(decoded.intent).toBeUndefined();
    expect(decoded.unreadable).toContain("expected array to have <=2 items");
  });

  it("must fit Kafka's limit together: an intent that fits alone may not fit beside another", () => {
    const long = fileShapeOf({ pathPrefix: "p/".repeat(450).slice(0, 899), compression: "none", fields: ["value"], tombstones: "invalid" });
    const wide = (from: number) => ({
      ...first,
      shape: long,
      held: Array.from({ length: 40 }, (_, partition) => partition),
      ranges: Array.from({ length: 40 }, (_, partition) => ({ partition, first: from, last: from + 9 })),
    });
    expect(fitsMetadata(wide(2 ** 40))).toBe(true);
    expect(fitsMetadata(wide(2 ** 40 + 10), wide(2 ** 40))).toBe(false);
    expect(fitsMetadata(second, first)).toBe(true);
  });
});
