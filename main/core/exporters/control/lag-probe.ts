// The engine's look at the lag of exporters with no worker running (paused, or waiting after a
// failure), so their lag keeps growing on screen as events pile up; running workers read their
// own (cluster-watch.ts). Both measure it as group-lag.ts does.
import type { PartitionLag } from "../../../../common/exporter-status.js";
import type { BatchExporterRecord } from "../../config/schema.js";
import { kafkaClient } from "../../streams/kafka-client.js";
import type { StreamService } from "../../streams/stream-service.js";
import { consumerGroupId } from "./exporter-service.js";
import { groupLag } from "../group-lag.js";

export type LagProbe = (exporter: BatchExporterRecord) => Promise<PartitionLag[]>;

/** One short look per call, failing fast: an unreachable cluster leaves the last lag shown. */
export function kafkaLagProbe(streams: StreamService): LagProbe {
  return async (exporter) => {
    const stream = await streams.get(exporter.streamName);
    // Some quick retries: the first request after connecting may find the broker pool not yet
    // filled, and a broker just started may still be loading its group coordinator.
    const admin = kafkaClient(await streams.connection(stream), `streamdrop-${exporter.name}-lag`, undefined, { retries: 5 }).admin({
      retry: { retries: 5, initialRetryTime: 200 },
    });
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
