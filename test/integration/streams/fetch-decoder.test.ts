// The batch-level fetch decoder (main/core/streams/fetch-response.ts) against kafkajs's own
// per-record decoder, on real fetch responses from the stack's broker: batches written by Java's
// client and librdkafka in every codec, with keys, repeated and null headers, tombstones, binary
// values and old timestamps, and transactions committed and aborted. For every response, at
// fetch offsets anywhere in its batches and with its records cut off anywhere (as a byte limit
// cuts a fetch), both must give the same records (offsets, timestamps, keys, headers, values),
// and the files built from them must be the same bytes.
import { createRequire } from "node:module";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Batch } from "../../../main/core/exporters/files/batch.js";
import { lineFormat } from "../../../main/core/exporters/lines/line-format.js";
import { recordOf, type KafkaRecord } from "../../../main/core/exporters/lines/records.js";
import { registerCodecs, type CodecName } from "../../../main/core/streams/codecs.js";
import { decodeFetchResponse, type FetchedEntry } from "../../../main/core/streams/fetch-response.js";
import { forEachRecord, kafkaRecordOf } from "../../../main/core/streams/record-batch.js";
import { kafka, uniqueName } from "../../support/clients.js";
import { javaProduce, kcatProduce, type ForeignRecord } from "../../support/foreign-producers.js";

const require = createRequire(import.meta.url);
type PartitionData = { partition: number; messages: unknown[] };
type Response = { responses: { topicName: string; partitions: PartitionData[] }[] };
const kafkajsV11 = require("kafkajs/src/protocol/requests/fetch/v11/response") as { decode(raw: Buffer): Promise<Response> };
const KafkajsBatch = require("kafkajs/src/consumer/batch") as new (topic: string, fetchedOffset: string, data: PartitionData) => { messages: unknown[] };

const codecs: CodecName[] = ["none", "gzip", "snappy", "lz4", "zstd"];

/** Records that exercise every field: keys null, text and binary; headers repeated, null, empty; tombstones; binary values. */
function records(tag: string, count: number): ForeignRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    partition: i % 2,
    key: i % 5 === 0 ? null : i % 5 === 1 ? Buffer.from([0xff, 0x00, i & 0xff]) : `${tag}-${i}`,
    value:
      i % 11 === 3
        ? null
        : i % 7 === 2
          ? Buffer.from([0xc3, 0x28, i & 0xff])
          : JSON.stringify({ tag, i, text: "ünï ’ 😀".repeat(i % 4), nested: { deep: [i, { i }] } }),
    headers:
      i % 3 === 0
        ? []
        : [
            { key: "h", value: `${i}` },
            { key: "h", value: null },
            { key: "", value: Buffer.alloc(0) },
          ],
    ...(i % 4 === 0 ? { timestamp: 1_500_000_000_000 + i } : {}),
  }));
}

interface Captured {
  raw: Buffer;
  version: number;
}

/** Reads the whole topic through kafkajs, keeping each fetch response's raw bytes. */
async function captureFetches(brokers: string, topic: string, total: number): Promise<Captured[]> {
  const captured: Captured[] = [];
  const consumer = kafka(brokers).consumer({
    groupId: uniqueName("fetch-capture"),
    maxBytesPerPartition: 1024,
    maxBytes: 4096,
    decodeFetchResponse: (version, raw) => {
      captured.push({ version, raw: Buffer.from(raw) });
      return null; // kafkajs decodes it itself
    },
  });
  let seen = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${seen} of ${total} records`)), 60_000);
      void consumer
        .run({
          eachBatch: async ({ batch }) => {
            seen += batch.messages.length;
            if (seen >= total) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return captured;
}

/** Where each partition's record set lies in a v11 response (one topic). */
function recordSets(raw: Buffer): { partition: number; sizeAt: number; start: number; end: number }[] {
  let at = 4 + 2 + 4; // throttle, error, session
  const topics = raw.readInt32BE(at);
  at += 4;
  expect(topics).toBe(1);
  at += 2 + raw.readInt16BE(at);
  const sets = [];
  for (let count = raw.readInt32BE((at += 4) - 4); count > 0; count -= 1) {
    const partition = raw.readInt32BE(at);
    at += 4 + 2 + 8 + 8 + 8;
    const aborted = raw.readInt32BE(at);
    at += 4 + Math.max(aborted, 0) * 16 + 4;
    const size = raw.readInt32BE(at);
    sets.push({ partition, sizeAt: at, start: at + 4, end: at + 4 + Math.max(size, 0) });
    at += 4 + Math.max(size, 0);
  }
  return sets;
}

/** The response with partition `index`'s record set cut to `length` bytes. */
function cut(raw: Buffer, index: number, length: number): Buffer {
  const set = recordSets(raw)[index]!;
  const size = Buffer.alloc(4);
  size.writeInt32BE(length);
  return Buffer.concat([raw.subarray(0, set.sizeAt), size, raw.subarray(set.start, set.start + length), raw.subarray(set.end)]);
}

const hex = (bytes: Buffer | null) => (bytes === null ? null : bytes.toString("hex"));
const comparable = (record: KafkaRecord) => ({
  offset: record.offset,
  timestamp: record.timestamp,
  key: hex(record.key),
  value: hex(record.value),
  headers: record.headers.map((header) => ({ key: header.key, value: hex(header.value) })),
});

/** What each decoder hands the exporter for each partition, fetched from `fetchedOffset`. */
async function bothWays(raw: Buffer, topic: string, fetchedOffset: number) {
  const theirs = await kafkajsV11.decode(raw);
  const ours = (await decodeFetchResponse(11, raw))!;
  return theirs.responses[0]!.partitions.map((data, index) => {
    const partition = data.partition;
    const kafkajsMessages = new KafkajsBatch(topic, String(fetchedOffset), data).messages as Parameters<typeof recordOf>[1][];
    const entries = new KafkajsBatch(topic, String(fetchedOffset), ours.responses[0]!.partitions[index] as PartitionData).messages as FetchedEntry[];
    const expected = kafkajsMessages.map((message) => recordOf(partition, message));
    const actual: KafkaRecord[] = [];
    for (const entry of entries)
      if ("recordBatch" in entry && entry.recordBatch)
        forEachRecord(entry.recordBatch, fetchedOffset, (record) => void actual.push(kafkaRecordOf(partition, record)));
    return { partition, expected, actual, entries };
  });
}

/** The files both would write, in the default format and in an envelope of every field. */
function sameFiles(partition: number, expected: KafkaRecord[], entries: FetchedEntry[], from: number): void {
  for (const format of [lineFormat(), lineFormat(["topic", "partition", "offset", "timestamp", "key", "headers", "value"], "keep")]) {
    const viaKafkajs = new Batch(format, "t");
    for (const record of expected) viaKafkajs.add(record);
    const viaBatches = new Batch(format, "t");
    for (const entry of entries) viaBatches.addEntry(partition, entry, { from });
    expect(viaBatches.content()).toEqual(viaKafkajs.content());
  }
}

describe("the batch-level fetch decoder, against kafkajs's own, on the broker's bytes", () => {
  const brokers = inject("kafkaBrokers");
  const topic = uniqueName("fetch-decoder");
  let fetches: Captured[] = [];
  let committed = 0;

  beforeAll(async () => {
    registerCodecs();
    const admin = kafka(brokers).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    for (const codec of codecs) {
      const batch = records(`java-${codec}`, 60);
      await javaProduce({ brokers, topic, compression: codec, records: batch, lingerMs: 50, batchSize: 4096 });
      await kcatProduce({
        brokers,
        topic,
        compression: codec,
        partition: 1,
        headers: [
          { key: "k", value: "v" },
          { key: "k", value: null },
        ],
        records: batch.map(({ key, value }) => ({ key, value })),
      });
      committed += 2 * batch.length;
    }
    const transactions = [
      { records: records("txn-a", 20), outcome: "commit" as const },
      { records: records("txn-b", 20), outcome: "abort" as const },
      { records: records("txn-c", 20), outcome: "commit" as const },
      { records: records("txn-d", 10), outcome: "abort" as const },
      { records: records("txn-e", 10), outcome: "commit" as const },
    ];
    await javaProduce({ brokers, topic, compression: "lz4", transactions });
    committed += 50;
    fetches = await captureFetches(brokers, topic, committed);
  }, 180_000);

  afterAll(async () => {
    const admin = kafka(brokers).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("gives every record kafkajs gives, field for field, from every fetch of the topic", async () => {
    expect(fetches.length).toBeGreaterThan(5);
    expect(new Set(fetches.map((fetch) => fetch.version))).toEqual(new Set([11]));
    let total = 0;
    for (const { raw } of fetches) {
      for (const { partition, expected, actual, entries } of await bothWays(raw, topic, 0)) {
        expect(actual.map(comparable)).toEqual(expected.map(comparable));
        sameFiles(partition, expected, entries, 0);
        total += actual.length;
      }
    }
    // Every committed record once; none of the aborted ones, no control record.
    expect(total).toBe(committed);
  });

  it("agrees at any fetch offset, and with the records cut off anywhere", async () => {
    const withRecords = fetches.filter(({ raw }) => recordSets(raw).some((set) => set.end - set.start >= 61));
    const cases = fc.record({
      fetch: fc.nat(withRecords.length - 1),
      partitionPick: fc.nat(),
      cutAt: fc.double({ min: 0, max: 1, noNaN: true }),
      offsetPick: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ fetch, partitionPick, cutAt, offsetPick }) => {
        const raw = withRecords[fetch]!.raw;
        const sets = recordSets(raw);
        const nonEmpty = sets.map((set, index) => ({ set, index })).filter(({ set }) => set.end - set.start >= 61);
        const { set, index } = nonEmpty[partitionPick % nonEmpty.length]!;
        // kafkajs reads a magic byte at offset 16 before checking the length: shorter cuts crash it, not us.
        const length = Math.min(set.end - set.start, 17 + Math.floor(cutAt * (set.end - set.start)));
        const cutRaw = cut(raw, index, length);
        // The broker answers from the batch holding the fetch offset: any offset of the first batch.
        const base = Number(raw.readBigInt64BE(set.start));
        const fetchedOffset = base + Math.floor(offsetPick * (raw.readInt32BE(set.start + 23) + 1));
        // The picked partition only: the offset belongs to its first batch. Elsewhere it could lie past
        // an abort marker the broker still lists, which no broker sends and kafkajs misreads.
        const { partition, expected, actual, entries } = (await bothWays(cutRaw, topic, fetchedOffset))[index]!;
        expect(actual.map(comparable)).toEqual(expected.map(comparable));
        sameFiles(partition, expected, entries, fetchedOffset);
      }),
      { numRuns: 250 },
    );
  });
});
