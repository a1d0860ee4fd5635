// The worker's consumer in the exporter's group: how it joins, how much it fetches, and what it
// decodes the fetched records with.
import type { Consumer, Kafka } from "kafkajs";
import { decodeFetchResponse } from "../../streams/fetch-response.js";
import type { WorkerSpec } from "../worker-protocol.js";

/**
 * Fetch sizes. Per fetch, smaller than kafkajs's default (10 MiB): the response is read into one
 * of two recycled buffers (patches/), so this bounds what a worker holds while it gathers.
 * Per partition, Kafka's own default (1 MiB, as the Java client and librdkafka fetch): a
 * partition's data that does not fit its share is cut mid-batch, and the broker hands out a batch
 * larger than the share whole only for the first partition of a response (KIP-74). At 256 KiB,
 * topics written in batches of up to 1 MiB (librdkafka's default) came back as one partition's
 * batch and five others cut short, read and thrown away: 866 fetches for 1M events, 4,210 of
 * their 5,196 partitions empty, the broker spending twice the CPU per event it spends at 1 MiB
 * (docs/BENCHMARKS.md, "Fetch sizes and upload pieces").
 */
export const fetchSizes = { maxBytesPerPartition: 1024 * 1024, maxBytes: 2 * 1024 * 1024 };

/** How often kafkajs heartbeats, at most: between fetches, and (export-worker.ts) while a batch is handled. */
export const heartbeatMs = (sessionTimeoutMs: number): number => Math.min(3000, sessionTimeoutMs / 3);

/**
 * How long the broker holds a fetch that finds nothing new: what an idle worker's fetches cost
 * (about a millisecond of CPU each, docs/BENCHMARKS.md). kafkajs heartbeats after a fetch only
 * once a heartbeat interval has passed, so two heartbeats may be an interval and a wait apart;
 * with the wait at half of what the session leaves after an interval, that is about two thirds
 * of the session (6.5 s of 10, with the wait at 3.5 s). A stop does not wait for the
 * fetch: the consumer leaves the group once no batch is being handled, and its disconnect drops
 * the fetch (patches/, Runner#stop).
 */
export const idleFetchWaitMs = (sessionTimeoutMs: number): number => Math.min(5000, Math.floor((sessionTimeoutMs - heartbeatMs(sessionTimeoutMs)) / 2));

export function groupConsumer(kafka: Kafka, spec: Pick<WorkerSpec, "groupId" | "sessionTimeoutMs">): Consumer {
  return kafka.consumer({
    groupId: spec.groupId,
    sessionTimeout: spec.sessionTimeoutMs,
    heartbeatInterval: heartbeatMs(spec.sessionTimeoutMs),
    rebalanceTimeout: 30_000,
    retry: { retries: 8 },
    // An exporter reads; a deleted topic must stay deleted, not come back empty on a broker that auto-creates.
    allowAutoTopicCreation: false,
    // Record batches, not kafkajs's per-record objects: see fetch-response.ts.
    decodeFetchResponse,
    ...fetchSizes,
    maxWaitTimeInMs: idleFetchWaitMs(spec.sessionTimeoutMs),
  });
}
