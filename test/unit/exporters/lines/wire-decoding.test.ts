// Decoding in the record's path: a batch whose shape decodes turns wire-format values (and keys)
// into their JSON, through the kernel's hot path as through record-by-record lines; what does not
// decode goes to -invalid with its bytes and the reason; schema ids are lines' fields; the
// registry is asked once per id, with backoff while it is unreachable and a stop when it refuses.
import { describe, expect, it } from "vitest";
import { Batch } from "../../../../main/core/exporters/files/batch.js";
import { lineFormat, lineOf } from "../../../../main/core/exporters/lines/line-format.js";
import { madeOnPrepare, registryDecoding, wireSchemaIds } from "../../../../main/core/exporters/lines/wire-decoding.js";
import { NeedsPersonError } from "../../../../main/core/exporters/needs-person.js";
import { avroType } from "../../../../main/core/schemas/avro-json.js";
import { RegistryError, type RegisteredSchema } from "../../../../main/core/schemas/registry-client.js";
import { SchemaDecoder, type SchemaSource } from "../../../../main/core/schemas/schema-decoder.js";
import type { FetchedEntry } from "../../../../main/core/streams/fetch-response.js";
import { RecordBatch } from "../../../../main/core/streams/record-batch.js";
import { encodeBatch, encodeRecord } from "../../../support/record-batches.js";

const click = {
  type: "record",
  name: "Click",
  fields: [
    { name: "id", type: "long" },
    { name: "url", type: ["null", "string"] },
  ],
};
const clickType = avroType(click);
const schemas: Record<number, RegisteredSchema> = {
  7: { id: 7, schemaType: "AVRO", schema: JSON.stringify(click), references: [] },
  8: { id: 8, schemaType: "JSON", schema: '{"type":"object"}', references: [] },
  9: { id: 9, schemaType: "AVRO", schema: '"string"', references: [] },
};

function registry(failures: RegistryError[] = []): SchemaSource & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    async schema(id) {
      asked.push(id);
      const failure = failures.shift();
      if (failure) throw failure;
      const found = schemas[id];
      if (!found) throw new RegistryError("unknown", `no schema ${id}`);
      return found;
    },
    async version() {
      throw new Error("no references here");
    },
  };
}

const wire = (id: number, payload: Buffer) => Buffer.concat([Buffer.from([0]), Buffer.from([0, 0, 0, id]), payload]);
const aClick = (id: bigint, url: string | null) => wire(7, clickType.toBuffer({ id, url: url === null ? null : { string: url } }));

/** A fetched record batch of these keys and values, from offset 100. */
async function entryOf(records: { key?: Buffer | null; value: Buffer | null }[]): Promise<FetchedEntry> {
  const encoded = await encodeBatch({
    firstOffset: "100",
    firstTimestamp: 1_764_000_000_000,
    maxTimestamp: 1_764_000_000_000,
    lastOffsetDelta: records.length - 1,
    records: records.map((record, index) => encodeRecord({ offsetDelta: index, timestampDelta: 0, key: record.key ?? null, value: record.value, headers: {} })),
  });
  const recordBatch = new RecordBatch(encoded.buffer);
  return { offset: String(100 + records.length - 1), key: null, isControlRecord: false, recordBatch } as unknown as FetchedEntry;
}

const decoding = (source: SchemaSource, onRetry?: () => void) =>
  registryDecoding(new SchemaDecoder(source), { baseDelayMs: 1, maxDelayMs: 1, ...(onRetry ? { onRetry } : {}) });

async function gathered(records: { key?: Buffer | null; value: Buffer | null }[], fields = ["value"], source = registry()) {
  const batch = new Batch(lineFormat(fields, "invalid"), "clicks", undefined, undefined, decoding(source));
  const entry = await entryOf(records);
  await batch.prepare(entry, 100);
  batch.addEntry(0, entry, { from: 100 });
  const content = batch.content();
  const lines = (body?: Buffer) => (body ? body.toString("utf8").split("\n").filter(Boolean) : []);
  return { events: lines(content.events), invalid: lines(content.invalid).map((line) => JSON.parse(line) as Record<string, unknown>), source };
}

describe("a batch that decodes", () => {
  it("writes wire-format Avro values as their JSON between plain events, each id asked once", async () => {
    const { events, invalid, source } = await gathered([
      { value: Buffer.from('{"plain":1}') },
      { value: aClick(9007199254740993n, "https://example.test/\u2028") },
      { value: aClick(2n, null) },
      { value: Buffer.from('{"plain":2}') },
    ]);
    expect(events).toEqual(['{"plain":1}', '{"id":9007199254740993,"url":"https://example.test/\\u2028"}', '{"id":2,"url":null}', '{"plain":2}']);
    expect(invalid).toEqual([]);
    expect(source.asked).toEqual([7]);
  });

  it("sends what does not decode to -invalid with its bytes and the reason: an unknown id, a truncated payload, a value that is not an object", async () => {
    const unknown = wire(42, Buffer.from([2]));
    const truncated = aClick(5n, "https://example.test/").subarray(0, 8);
    const notObject = wire(9, avroType("string").toBuffer("just text"));
    const { events, invalid } = await gathered([{ value: unknown }, { value: truncated }, { value: notObject }, { value: aClick(1n, null) }]);
    expect(events).toEqual(['{"id":1,"url":null}']);
    expect(invalid.map((line) => [line.offset, line.value, line.reason])).toEqual([
      [100, unknown.toString("base64"), "the Schema Registry does not know schema id 42"],
      [101, truncated.toString("base64"), expect.stringContaining("the bytes do not decode with schema id 7")],
      [102, notObject.toString("base64"), "decoded with schema id 9, but not an object"],
    ]);
  });

  it("checks a JSON Schema value as any JSON value is: minified, or -invalid when it is not JSON", async () => {
    const pretty = wire(8, Buffer.from('{\n  "a": [1, 2]\n}'));
    const broken = wire(8, Buffer.from("{nope"));
    const { events, invalid } = await gathered([{ value: pretty }, { value: broken }]);
    expect(events).toEqual(['{"a":[1,2]}']);
    expect(invalid.map((line) => line.reason)).toEqual(["not JSON, though schema id 8 is a JSON Schema"]);
  });

  it("decodes keys and values in an envelope, with their schema ids as fields; a key that does not decode stays its bytes, a value sends the record to -invalid", async () => {
    const key = wire(7, clickType.toBuffer({ id: 3n, url: null }));
    // A big-endian long key starts with a 0 byte, as the wire format does: it names "schema id 0".
    const longKey = Buffer.from([0, 0, 0, 0, 0, 0, 0, 42]);
    const { events, invalid } = await gathered(
      [
        { key, value: aClick(3n, "a") },
        { key: Buffer.from("plain-key"), value: Buffer.from('{"b":1}') },
        { key: longKey, value: aClick(4n, "b") },
        { key: Buffer.from("k"), value: wire(42, Buffer.from([0])) },
      ],
      ["offset", "key", "keySchemaId", "value", "valueSchemaId"],
    );
    expect(events).toEqual([
      '{"offset":100,"key":{"id":3,"url":null},"keySchemaId":7,"value":{"id":3,"url":"a"},"valueSchemaId":7}',
      '{"offset":101,"key":"plain-key","keySchemaId":null,"value":{"b":1},"valueSchemaId":null}',
      `{"offset":102,"key":"${longKey.toString("base64")}","keyEncoding":"base64","keySchemaId":0,"value":{"id":4,"url":"b"},"valueSchemaId":7}`,
    ]);
    expect(invalid.map((line) => [line.offset, line.reason])).toEqual([[103, "the value: the Schema Registry does not know schema id 42"]]);
  });

  it("asks the registry for no key's schema when lines do not hold keys", async () => {
    const { events, source } = await gathered([{ key: Buffer.from([0, 0, 0, 0, 9, 1]), value: aClick(1n, null) }]);
    expect(events).toEqual(['{"id":1,"url":null}']);
    expect(source.asked).toEqual([7]);
  });

  it("names the schema ids of an entry from the span's first offset on", async () => {
    const entry = await entryOf([
      { value: aClick(1n, null) },
      { key: wire(8, Buffer.from("{}")), value: wire(9, Buffer.from("x")) },
      { value: Buffer.from("{}") },
    ]);
    expect([...wireSchemaIds(entry, 100, true)].sort()).toEqual([7, 8, 9]);
    expect([...wireSchemaIds(entry, 101, true)].sort()).toEqual([8, 9]);
    expect([...wireSchemaIds(entry, 100, false)].sort()).toEqual([7, 9]);
  });
});

describe("a batch that does not decode", () => {
  it("keeps wire-format values as bytes (base64 in -invalid for value-only lines), and still names their schema ids", async () => {
    const value = aClick(1n, null);
    const batch = new Batch(lineFormat(["valueSchemaId", "value"], "invalid"), "clicks");
    const entry = await entryOf([{ value }]);
    await batch.prepare(entry, 100);
    batch.addEntry(0, entry, { from: 100 });
    expect(batch.content().events!.toString("utf8")).toBe(`{"valueSchemaId":7,"value":"${value.toString("base64")}","valueEncoding":"base64"}\n`);
  });

  it("re-creates a file planned under line rules 2 as they wrote it: such bytes as a string when they are UTF-8", () => {
    const value = aClick(1n, null);
    const line = lineOf({ partition: 0, offset: "5", timestamp: "0", key: null, value, headers: [] }, lineFormat(["value", "offset"], "invalid"), "t", 2);
    expect(line.kind === "event" && line.line.toString("utf8")).toBe(JSON.stringify({ value: value.toString("utf8"), offset: 5 }));
  });
});

describe("the registry's failures", () => {
  it("waits for a registry that cannot be reached, saying so, then decodes", async () => {
    const source = registry([new RegistryError("unavailable", "connect ECONNREFUSED"), new RegistryError("unavailable", "503")]);
    let retries = 0;
    const decoder = decoding(source, () => (retries += 1));
    await decoder.prepare([7]);
    expect(retries).toBe(2);
    expect(decoder.decode(aClick(1n, null))).toMatchObject({ kind: "json", text: '{"id":1,"url":null}' });
  });

  it("stops on refused credentials with the cause named, never retrying", async () => {
    const source = registry([new RegistryError("refused", "The Schema Registry at http://127.0.0.1:18081 refused the credentials of reader (HTTP 401).")]);
    const failure = await decoding(source, () => expect.fail("retried a refusal"))
      .prepare([7])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NeedsPersonError);
    expect(failure).toMatchObject({ problem: "registry-refused", message: expect.stringContaining("refused the credentials of reader (HTTP 401)") });
  });
});

describe("a decoder made on the first prepare (the worker's: its module loads only then)", () => {
  it("is made by the first prepare, once however many prepare together, and then decodes as made", async () => {
    let made = 0;
    const decoder = madeOnPrepare(async () => {
      made += 1;
      return decoding(registry());
    });
    expect(made).toBe(0);
    expect(() => decoder.decode(aClick(1n, null))).toThrow("the wire decoder was used before any prepare");
    await Promise.all([decoder.prepare([7]), decoder.prepare([7, 9])]);
    await decoder.prepare([]);
    expect(made).toBe(1);
    expect(decoder.decode(aClick(1n, "/a"))).toMatchObject({ kind: "json", text: '{"id":1,"url":"/a"}' });
    expect(decoder.decode(Buffer.from("plain"))).toEqual({ kind: "plain" });
    expect(decoder.writerColumns(aClick(2n, null))).toMatchObject({ group: { name: "7" } });
    expect(decoder.columnsOf(7, [0])).toMatchObject({ group: { name: "7" } });
  });

  it("fails the prepare whose making failed, as the making failed, and makes it again on the next", async () => {
    const makes: Array<() => Promise<ReturnType<typeof decoding>>> = [
      () => Promise.reject(new Error("Cannot find package 'avsc'")),
      async () => decoding(registry()),
    ];
    const decoder = madeOnPrepare(() => makes.shift()!());
    await expect(decoder.prepare([7])).rejects.toThrow("Cannot find package 'avsc'");
    expect(() => decoder.decode(aClick(1n, null))).toThrow("before any prepare");
    await decoder.prepare([7]);
    expect(makes).toEqual([]);
    expect(decoder.decode(aClick(1n, null))).toMatchObject({ kind: "json", text: '{"id":1,"url":null}' });
  });

  it("passes the made decoder's failures through: a refusal still needs a person", async () => {
    const source = registry([new RegistryError("refused", "refused the credentials of reader (HTTP 401)")]);
    const decoder = madeOnPrepare(async () => decoding(source));
    const failure = await decoder.prepare([7]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ problem: "registry-refused" });
  });
});
