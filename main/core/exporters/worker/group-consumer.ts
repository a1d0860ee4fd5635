// The worker's consumer in the exporter's group: how it joins, how much it fetches, and what it
// decodes the fetched records with.
import type { Consumer, Kafka } from "kafkajs";
import { decodeFetchResponse } from "../../streams/fetch-response.js";
import type { WorkerSpec } from "../worker-protocol.js";

/**
 * Fetch sizes, smaller than kafkajs's defaults (1 MiB per partition, 10 MiB per fetch). Each
 * fetch response arrives as socket chunks that kafkajs joins into one buffer; both become garbage
 * once the batch is gathered, but live long enough to wait for a full collection, so a worker's
 * resident memory grows by several responses between collections. Kafka still returns a record
 * batch larger than these whole (KIP-74), so they bound memory, not what can be read. Measured in
 * docs/BENCHMARKS.md ("What each change bought", item 8): ArrayBuffers at the peak 62–81 MiB
 * against 87–112, the drain rate within the noise.
 */
export const fetchSizes = { maxBytesPerPartition: 256 * 1024, maxBytes: 2 * 1024 * 1024 };

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
