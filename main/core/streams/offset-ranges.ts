// Reads exact offset ranges of some of a topic's partitions, whoever owns them, committing nothing:
// a short-lived consumer in a throwaway group (kafkajs has no assign()) seeks each range's start,
// hands each fetched batch over, and pauses a partition once the fetch has passed its range's end.
// The exporter's recovery reads a pending file's ranges back with it; the topic check reads each
// partition's latest records. The group is deleted afterwards.
import type { Admin, Batch, ConsumerConfig, Kafka } from "kafkajs";

/** Inclusive offsets. */
export interface OffsetSpan {
  first: number;
  last: number;
}

export interface RangeRead {
  topic: string;
  /** The throwaway group's id: unique per read. */
  groupId: string;
  /** With the reader's admin, before anything is fetched: the spans to read, and every partition of the topic (the others are paused). */
  plan(admin: Admin): Promise<{ spans: ReadonlyMap<number, OffsetSpan>; partitions: readonly number[] }>;
  /** Each fetched batch of a partition still being read; throwing ends the read with that error. */
  eachBatch(batch: Batch, resolveOffset: (offset: string) => void): void | Promise<void>;
  timeoutMs: number;
  /** A read that has not finished by then: undefined ends it with what it has; an error fails it. */
  timedOut(): Error | undefined;
  /** How the consumer decodes fetches, when not as kafkajs does. */
  decodeFetchResponse?: ConsumerConfig["decodeFetchResponse"];
}

export async function readOffsetRanges(kafka: Kafka, read: RangeRead): Promise<void> {
  const admin = kafka.admin();
  const consumer = kafka.consumer({
    groupId: read.groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 3000,
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
    ...(read.decodeFetchResponse ? { decodeFetchResponse: read.decodeFetchResponse } : {}),
  });
  let connected = false;
  try {
    await admin.connect();
    const { spans, partitions } = await read.plan(admin);
    if (spans.size === 0) return;
    connected = true;
    await consumer.connect();
    await consumer.subscribe({ topic: read.topic, fromBeginning: true });
    const done = new Set<number>();
    let failed = false;
    const finished = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = read.timedOut();
        if (error) reject(error);
        else resolve();
      }, read.timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        resolve();
      };
      const fail = (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(`Reading offsets of ${read.topic} failed: ${String(error)}`));
      };
      void consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch, resolveOffset }) => {
            const span = spans.get(batch.partition);
            if (!span || done.has(batch.partition) || failed) return;
            try {
              await read.eachBatch(batch, resolveOffset);
            } catch (error) {
              // Ours to report (a batch no codec reads), not kafkajs's to retry.
              failed = true;
              return fail(error);
            }
            // Done once the fetch has passed the span's end (offsets may have gaps).
            if (Number(batch.lastOffset()) >= span.last) {
              done.add(batch.partition);
              consumer.pause([{ topic: read.topic, partitions: [batch.partition] }]);
            }
            if (done.size === spans.size) finish();
          },
        })
        .catch(fail);
    });
    const others = partitions.filter((partition) => !spans.has(partition));
    if (others.length > 0) consumer.pause([{ topic: read.topic, partitions: others }]);
    for (const [partition, span] of spans) consumer.seek({ topic: read.topic, partition, offset: String(span.first) });
    await finished;
  } finally {
    if (connected) {
      await consumer.disconnect().catch(() => undefined);
      await admin.deleteGroups([read.groupId]).catch(() => undefined);
    }
    await admin.disconnect().catch(() => undefined);
  }
}
