// Reads exact offset ranges of any partitions, whoever owns them now (streams/offset-ranges.ts).
// Recovery uses it to re-create a file exactly as it was meant to be: it reads through the same
// batch decoder as the worker and adds to a Batch as the worker does, so the bytes are the same.
import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import { StreamdropError } from "../../errors.js";
import { decodeFetchResponse, type FetchedEntry } from "../../streams/fetch-response.js";
import { readOffsetRanges } from "../../streams/offset-ranges.js";
import type { Batch, OffsetRange } from "../files/batch.js";

/**
 * Adds the records of `ranges` to `into` as they are fetched. Never kept for later: an entry's
 * bytes are a view of its fetch response, and kafkajs's connection reuses that buffer two fetches
 * on (the ResponseRing in patches/kafkajs+2.2.4.patch). A file's bytes do not depend on the order
 * partitions arrive in (files list them ascending), only on each partition's records in order.
 */
export async function readRanges(kafka: Kafka, topic: string, groupIdBase: string, ranges: OffsetRange[], into: Batch, timeoutMs = 120_000): Promise<void> {
  // Per partition, the first offset not added yet: a batch fetched again is not added twice.
  const next = new Map(ranges.map((range) => [range.partition, range.first]));
  const spans = new Map(ranges.map((range) => [range.partition, range]));
  await readOffsetRanges(kafka, {
    topic,
    groupId: `${groupIdBase}.recovery.${randomUUID()}`,
    decodeFetchResponse,
    timeoutMs,
    timedOut: () => new StreamdropError("storage", `Reading offsets back from ${topic} took over ${timeoutMs / 1000} s.`),
    plan: async (admin) => {
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
      return { spans, partitions: earliest.map((entry) => entry.partition) };
    },
    eachBatch: async (batch, resolveOffset) => {
      const range = spans.get(batch.partition)!;
      for (const entry of batch.messages as FetchedEntry[]) {
        resolveOffset(entry.offset);
        const from = next.get(batch.partition)!;
        // An entry's records may reach before the range (a compressed batch) or past it: the span cuts them.
        if (Number(entry.offset) >= from) {
          await into.prepare(entry, from);
          into.addEntry(batch.partition, entry, { from, through: range.last });
        }
        next.set(batch.partition, Math.max(from, Number(entry.offset) + 1));
        if (Number(entry.offset) >= range.last) break;
      }
    },
  });
}
