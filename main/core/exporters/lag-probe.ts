// How far an exporter's consumer group is behind its topic, per partition. Workers read it for the
// partitions they hold; the engine reads it for exporters with no worker running (paused, or
// waiting after a failure), so their lag keeps growing on screen as events pile up.
import type { Admin } from "kafkajs";
import type { PartitionLag } from "../../../common/exporter-status.js";
import type { BatchExporterRecord } from "../config/schema.js";
import { kafkaClient } from "../streams/kafka-client.js";
import type { StreamService } from "../streams/stream-service.js";
import { consumerGroupId } from "./exporter-service.js";

/** The group's lag on `partitions` (all of the topic's when absent); a partition never committed counts from its first offset. */
export async function groupLag(admin: Admin, topic: string, groupId: string, partitions?: number[]): Promise<PartitionLag[]> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), coordinated(() => admin.fetchOffsets({ groupId, topics: [topic] }))]);
  const committedOf = new Map((committed[0]?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]));
  return (partitions ?? ends.map((entry) => entry.partition).sort((a, b) => a - b)).map((partition) => {
    const end = ends.find((entry) => entry.partition === partition);
    const done = committedOf.get(partition) ?? -1;
    return { partition, committed: done < 0 ? Number(end?.low ?? 0) : done, end: Number(end?.high ?? 0) };
  });
}

const coordinatorBusy = new Set(["NOT_COORDINATOR_FOR_GROUP", "GROUP_LOAD_IN_PROGRESS", "GROUP_COORDINATOR_NOT_AVAILABLE"]);

/** Group offsets right after a broker starts: its group coordinator may still be loading (kafkajs does not retry that here). */
async function coordinated<T>(ask: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await ask();
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (attempt >= 10 || !coordinatorBusy.has(type ?? "")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

export type LagProbe = (exporter: BatchExporterRecord) => Promise<PartitionLag[]>;

/** One short look per call, failing fast: an unreachable cluster leaves the last lag shown. */
export function kafkaLagProbe(streams: StreamService): LagProbe {
  return async (exporter) => {
    const stream = await streams.get(exporter.streamName);
    // Some quick retries: the first request after connecting may find the broker pool not yet
    // filled, and a broker just started may still be loading its group coordinator.
    const admin = kafkaClient(await streams.connection(stream), `streamdrop-${exporter.name}-lag`, undefined, { retries: 5 }).admin({ retry: { retries: 5, initialRetryTime: 200 } });
    await admin.connect();
    try {
      // Asking for a missing topic's offsets would have the broker create it again (auto-creation):
      // a deleted topic must stay deleted, and its exporter says so (needs-person.ts).
      if (!(await admin.listTopics()).includes(stream.topic)) return [];
      return await groupLag(admin, stream.topic, consumerGroupId(exporter));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
}
