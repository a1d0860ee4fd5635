// How far a consumer group is behind its topic, per partition: a worker's cluster watch reads it
// for the partitions it holds, and the engine's lag probe (lag-probe.ts) for exporters with no
// worker running.
import type { Admin } from "kafkajs";
import type { PartitionLag } from "../../../common/exporter-status.js";

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
