// Recovery re-creates a pending file from its offset ranges (range-reader.ts). A 16 MiB file's
// ranges take many fetches to read back, and kafkajs's connection reuses a fetch response's
// buffer two fetches later (the ResponseRing in patches/kafkajs+2.2.4.patch): what a range reader
// keeps of a fetch past its handler must be copies, or the re-created file holds other bytes.
// Uncompressed batches, written by kcat (librdkafka), are the ones read in place.
import { describe, expect, inject, it } from "vitest";
import { Batch } from "../../../main/core/exporters/files/batch.js";
import { readRanges } from "../../../main/core/exporters/commit/range-reader.js";
import { kafkaClient } from "../../../main/core/streams/kafka-client.js";
import { kafka, uniqueName } from "../../support/clients.js";
import { kcatProduce } from "../../support/foreign-producers.js";

const brokers = inject("kafkaBrokers");

/** Unique events of about 1 KB, so that each partition's range spans several fetches of 1 MiB. */
const events = (partition: number, count: number) =>
  Array.from({ length: count }, (_, i) => JSON.stringify({ id: `p${partition}-${i}`, pad: `${i}`.repeat(1000 / String(i).length + 1).slice(0, 1000) }));

describe("reading offset ranges back for recovery", () => {
  it("gives exactly the ranges' events, in order, however many fetches they take", { timeout: 120_000 }, async () => {
    const topic = uniqueName("range-reader");
    const admin = kafka(brokers).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const produced = [events(0, 5000), events(1, 5000)];
    for (const [partition, values] of produced.entries())
      await kcatProduce({ brokers, topic, partition, records: values.map((value) => ({ value })), lingerMs: 5 });
    // Partition 0 whole (5 MB, five fetches and more), partition 1 from inside to inside.
    const ranges = [
      { partition: 0, first: 0, last: 4999 },
      { partition: 1, first: 123, last: 4321 },
    ];
    const batch = new Batch();
    await readRanges(kafkaClient({ brokers: [brokers], ssl: false }, "range-reader-test"), topic, uniqueName("range-reader-group"), ranges, batch);
    const content = batch.content();
    const expected = [...produced[0]!, ...produced[1]!.slice(123, 4322)].map((value) => `${value}\n`).join("");
    expect(content.ranges).toEqual(ranges);
    expect(content.eventCount).toBe(5000 + 4322 - 123);
    expect(content.events?.toString()).toBe(expected);
  });
});
