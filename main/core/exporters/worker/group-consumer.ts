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

/**
 * How long the broker holds a fetch that finds nothing new. Leaving the group waits for the fetch
 * in flight, so kafkajs's 5 s default made every clean stop of an idle worker take 5 s of the
 * supervisor's grace; a second costs an idle worker one small request per second.
 */
export const idleFetchWaitMs = 1000;

export function groupConsumer(kafka: Kafka, spec: Pick<WorkerSpec, "groupId" | "sessionTimeoutMs">): Consumer {
  return kafka.consumer({
    groupId: spec.groupId,
    sessionTimeout: spec.sessionTimeoutMs,
    heartbeatInterval: Math.min(3000, spec.sessionTimeoutMs / 3),
    rebalanceTimeout: 30_000,
    retry: { retries: 8 },
    // An exporter reads; a deleted topic must stay deleted, not come back empty on a broker that auto-creates.
    allowAutoTopicCreation: false,
    // Record batches, not kafkajs's per-record objects: see fetch-response.ts.
    decodeFetchResponse,
    ...fetchSizes,
    maxWaitTimeInMs: idleFetchWaitMs,
  });
}
