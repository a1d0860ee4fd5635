// Reads exact offset ranges of any partitions, whoever owns them now: a short-lived consumer in a
// throwaway group (kafkajs has no assign()) seeks to each range's start and stops at its end.
// Recovery uses it to re-create a file exactly as it was meant to be: it reads through the same
// batch decoder as the worker and adds to a Batch as the worker does, so the bytes are the same.
import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import { StreamdropError } from "../errors.js";
import { decodeFetchResponse, type FetchedEntry } from "../streams/fetch-response.js";
import type { Batch, OffsetRange } from "./batch.js";

/**
 * Adds the records of `ranges` to `into` as they are fetched. Never kept for later: an entry's
 * bytes are a view of its fetch response, and kafkajs's connection reuses that buffer two fetches
 * on (the ResponseRing in patches/kafkajs+2.2.4.patch). A file's bytes do not depend on the order
 * partitions arrive in (files list them ascending), only on each partition's records in order.
 */
export async function readRanges(kafka: Kafka, topic: string, groupIdBase: string, ranges: OffsetRange[], into: Batch, timeoutMs = 120_000): Promise<void> {
  const wanted = new Map(ranges.map((range) => [range.partition, range]));
  const groupId = `${groupIdBase}.recovery.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 3000, maxWaitTimeInMs: 250, allowAutoTopicCreation: false, decodeFetchResponse });
  const admin = kafka.admin();
  // Per partition, the first offset not added yet: a batch fetched again is not added twice.
  const next = new Map(ranges.map((range) => [range.partition, range.first]));
  const done = new Set<number>();
  let failed = false;
  try {
    await consumer.connect();
    await admin.connect();
    const earliest = await admin.fetchTopicOffsets(topic);
    for (const range of ranges) {
      const low = Number(earliest.find((entry) => entry.partition === range.partition)?.low ?? 0);
      if (low > range.first) {
        throw new StreamdropError(
          "storage",
          `Cannot re-create a pending file: offsets ${range.first}-${range.last} of ${topic} partition ${range.partition} are gone (the earliest kept is ${low}; retention deleted them before recovery).`,
        );
      }
    }
    await consumer.subscribe({ topic, fromBeginning: true });
    const finished = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new StreamdropError("storage", `Reading offsets back from ${topic} took over ${timeoutMs / 1000} s.`)), timeoutMs);
      void consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch, resolveOffset }) => {
            const range = wanted.get(batch.partition);
            if (!range || done.has(batch.partition) || failed) return;
            try {
              for (const entry of batch.messages as FetchedEntry[]) {
                resolveOffset(entry.offset);
                const from = next.get(batch.partition)!;
                // An entry's records may reach before the range (a compressed batch) or past it: the span cuts them.
                if (Number(entry.offset) >= from) into.addEntry(batch.partition, entry, { from, through: range.last });
                next.set(batch.partition, Math.max(from, Number(entry.offset) + 1));
                if (Number(entry.offset) >= range.last) break;
              }
            } catch (error) {
              // Ours to report (a batch no codec reads), not kafkajs's to retry.
              failed = true;
              clearTimeout(timer);
              reject(error);
              return;
            }
            // Done once the fetch has passed the range's end (offsets may have gaps).
            if (Number(batch.lastOffset()) >= range.last) {
              done.add(batch.partition);
              consumer.pause([{ topic, partitions: [batch.partition] }]);
            }
            if (done.size === wanted.size) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    const others = earliest.map((entry) => entry.partition).filter((partition) => !wanted.has(partition));
    if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
    for (const range of ranges) consumer.seek({ topic, partition: range.partition, offset: String(range.first) });
    await finished;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
