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
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const committedOf = new Map((committed[0]?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]));
  return (partitions ?? ends.map((entry) => entry.partition)).map((partition) => {
    const end = ends.find((entry) => entry.partition === partition);
    const done = committedOf.get(partition) ?? -1;
    return { partition, committed: done < 0 ? Number(end?.low ?? 0) : done, end: Number(end?.high ?? 0) };
  });
}

export type LagProbe = (exporter: BatchExporterRecord) => Promise<PartitionLag[]>;

/** One short look per call, failing fast: an unreachable cluster leaves the last lag shown. */
export function kafkaLagProbe(streams: StreamService): LagProbe {
  return async (exporter) => {
    const stream = await streams.get(exporter.streamName);
    // A few quick retries: the first request after connecting may find the broker pool not yet filled.
    const admin = kafkaClient(await streams.connection(stream), `streamdrop-${exporter.name}-lag`, undefined, { retries: 2 }).admin({ retry: { retries: 2, initialRetryTime: 100 } });
    await admin.connect();
    try {
      return await groupLag(admin, stream.topic, consumerGroupId(exporter));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
}
