// The worker fetches at most 1 MiB per partition and 2 MiB per fetch (fetchSizes in
// worker/group-consumer.ts), to bound its memory. Kafka hands out a record batch larger than that whole
// (KIP-74): this proves it on the stack's broker with batches Java's own producer wrote (events of
// 1.5 MiB on a topic that allows them, uncompressed batches of up to 1 MiB, and lz4 batches of up to 1 MiB
// compressed, which hold far more than a whole fetch once decompressed), so no record stalls a partition.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fetchSizes } from "../../../main/core/exporters/worker/group-consumer.js";
import { duplicatesAndMissing, ExportHarness } from "../../support/export-harness.js";
import { javaProduce, type ForeignRecord } from "../../support/foreign-producers.js";

const brokers = inject("kafkaBrokers");

/** An event of about `bytes` bytes, with its id. */
const event = (id: string, bytes: number) => JSON.stringify({ id, pad: "x".repeat(bytes) });

describe("record batches larger than the worker's fetch sizes", () => {
  const recordLimit = 4 * 1024 * 1024;
  const harness = new ExportHarness({
    kafkaBrokers: brokers,
    s3Endpoint: inject("s3Endpoint"),
    partitions: 2,
    intervalSeconds: 2,
    topicConfig: { "max.message.bytes": String(recordLimit) },
  });

  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it("are read whole and exported exactly once", { timeout: 120_000 }, async () => {
    const big = fetchSizes.maxBytesPerPartition + 512 * 1024;
    // Partition 0: events each larger than a partition's fetch, then many small ones in one 1 MiB batch.
    const plain: ForeignRecord[] = [
      ...Array.from({ length: 3 }, (_, i) => ({ partition: 0, value: event(`big-${i}`, big) })),
      ...Array.from({ length: 900 }, (_, i) => ({ partition: 0, value: event(`small-${i}`, 1000) })),
    ];
    await javaProduce({ brokers, topic: harness.topic, records: plain, batchSize: 1024 * 1024, maxRequestBytes: recordLimit });
    // Partition 1: 3 MB of lz4-compressed events, more than a whole fetch.
    const compressed: ForeignRecord[] = Array.from({ length: 3000 }, (_, i) => ({ partition: 1, value: event(`lz4-${i}`, 1000) }));
    expect(3000 * 1000).toBeGreaterThan(fetchSizes.maxBytes);
    await javaProduce({ brokers, topic: harness.topic, compression: "lz4", records: compressed, batchSize: 1024 * 1024 });

    const ids = [...plain, ...compressed].map((record) => (JSON.parse(String(record.value)) as { id: string }).id);
    await harness.startEngine();
    const objects = await harness.waitForIds(ids, 90_000);
    expect(duplicatesAndMissing(ids, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
  });
});
