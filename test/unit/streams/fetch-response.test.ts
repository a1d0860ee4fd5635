// The fetch decoder's fallback for message formats v0 and v1 (brokers before 0.11, or logs they
// wrote), which the stack's Kafka 4 cannot produce: such record sets go to kafkajs's own decoder,
// and the exporter writes their records like any other (they have no headers).
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { Batch } from "../../../main/core/exporters/files/batch.js";
import { decodeFetchResponse, isBatchEntry, type FetchedEntry } from "../../../main/core/streams/fetch-response.js";

const require = createRequire(import.meta.url);
const MessageSet = require("kafkajs/src/protocol/messageSet") as (spec: {
  messageVersion: number;
  compression: number;
  entries: { key: string | null; value: string; timestamp?: number }[];
}) => { buffer: Buffer };

/** A v1 message set with offsets from `first` (a producer sends -1; the broker writes them). */
function messageSetV1(first: number, values: string[]): Buffer {
  const bytes = Buffer.from(
    MessageSet({
      messageVersion: 1,
      compression: 0,
      entries: values.map((value, i) => ({ key: i % 2 ? `k${i}` : null, value, timestamp: 1_600_000_000_000 + i })),
    }).buffer,
  );
  for (let at = 0, offset = first; at < bytes.length; offset += 1) {
    bytes.writeBigInt64BE(BigInt(offset), at);
    at += 12 + bytes.readInt32BE(at + 8);
  }
  return bytes;
}

/** A Fetch v4 response for one partition holding `records`. */
function fetchV4(topic: string, records: Buffer): Buffer {
  const name = Buffer.from(topic);
  const head = Buffer.alloc(4 + 4 + 2);
  head.writeInt32BE(1, 4); // one topic
  head.writeInt16BE(name.length, 8);
  const partition = Buffer.alloc(4 + 4 + 2 + 8 + 8 + 4 + 4);
  partition.writeInt32BE(1, 0); // one partition
  partition.writeInt32BE(0, 4); // partition 0, error 0
  partition.writeBigInt64BE(100n, 10); // high watermark
  partition.writeBigInt64BE(100n, 18); // last stable offset
  partition.writeInt32BE(0, 26); // no aborted transactions
  partition.writeInt32BE(records.length, 30);
  return Buffer.concat([head, name, partition, records]);
}

describe("fetch responses in the old message formats", () => {
  it("go to kafkajs's decoder, and their records are written like any other", async () => {
    const values = ['{"id":1}', "not json", '{"id":3}'];
    const response = (await decodeFetchResponse(4, fetchV4("old", messageSetV1(40, values))))!;
    const messages = response.responses[0]!.partitions[0]!.messages as FetchedEntry[];
    expect(messages.map((message) => isBatchEntry(message))).toEqual([false, false, false]);
    expect(messages.map((message) => message.offset)).toEqual(["40", "41", "42"]);
    const batch = new Batch();
    for (const message of messages) batch.addEntry(0, message, { from: 41 });
    const content = batch.content();
    expect(content.ranges).toEqual([{ partition: 0, first: 41, last: 42 }]);
    expect(content.events?.toString()).toBe('{"id":3}\n');
    const invalid = JSON.parse(content.invalid!.toString()) as { offset: number; key: string; value: string; timestamp: number };
    expect(invalid).toMatchObject({
      offset: 41,
      key: "k1",
      keyEncoding: "utf8",
      value: "not json",
      valueEncoding: "utf8",
      timestamp: 1_600_000_000_001,
    });
  });

  it("leaves versions it does not speak to kafkajs", async () => {
    expect(await decodeFetchResponse(3, Buffer.alloc(0))).toBeNull();
    expect(await decodeFetchResponse(12, Buffer.alloc(0))).toBeNull();
  });
});
