// The commit protocol's consumer group on Kafka: the worker's consumer commits, an admin reads the
// committed offsets back, and pending files' ranges are read with a throwaway consumer
// (range-reader.ts).
// Every commit counts only once the broker acknowledged it: kafkajs's commitOffsets returns
// quietly, having sent nothing, while its consumer is not running (a broker outage, a restart).
import type { Admin, Consumer, Kafka } from "kafkajs";
import type { Batch, OffsetRange } from "../files/batch.js";
import type { CommittedOffset, GroupOffsets, OffsetCommit } from "./commit-protocol.js";
import { readRanges } from "./range-reader.js";

const rebalanceErrors = /REBALANCE_IN_PROGRESS|ILLEGAL_GENERATION|UNKNOWN_MEMBER_ID|FENCED_INSTANCE_ID|rebalanc/i;

export interface KafkaGroup {
  kafka: Kafka;
  topic: string;
  groupId: string;
  /** Created when the worker starts consuming; the protocol commits only after a join. */
  consumer(): Consumer;
  admin(): Admin;
  warn(message: string, fields: Record<string, unknown>): void;
}

export function kafkaGroupOffsets(group: KafkaGroup): GroupOffsets {
  return {
    async committed(): Promise<CommittedOffset[]> {
      const [committed] = await group.admin().fetchOffsets({ groupId: group.groupId, topics: [group.topic] });
      return (committed?.partitions ?? []).map(({ partition, offset, metadata }) => ({ partition, offset: Number(offset), metadata }));
    },
    commit: (commits) => commitAcknowledged(group, commits),
    read: (ranges: OffsetRange[], into: Batch) => readRanges(group.kafka, group.topic, group.groupId, ranges, into),
  };
}

async function commitAcknowledged(group: KafkaGroup, commits: OffsetCommit[]): Promise<boolean> {
  const consumer = group.consumer();
  const sent = commits.map(({ partition, offset, metadata }) => ({ topic: group.topic, partition, offset: String(offset), metadata }));
  // kafkajs emits COMMIT_OFFSETS only after the coordinator answered; commits never overlap (CommitProtocol sends them one at a time).
  let acknowledged = false;
  const stopListening = consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
    acknowledged ||= sameCommits(payload.topics, sent);
  });
  try {
    await consumer.commitOffsets(sent);
    if (!acknowledged)
      group.warn("a commit was not acknowledged by Kafka (its consumer is not running); it counts as not made", {
        partitions: commits.map((commit) => commit.partition),
      });
    return acknowledged;
  } catch (error) {
    if (rebalanceErrors.test(`${(error as Error).name} ${(error as Error).message} ${(error as { type?: string }).type}`)) return false;
    throw error;
  } finally {
    stopListening();
  }
}

/** Whether an acknowledged commit (kafkajs's COMMIT_OFFSETS payload) is the one we sent. */
function sameCommits(
  acknowledged: Array<{ topic: string; partitions: Array<{ partition: number; offset: unknown; metadata?: string | null }> }>,
  sent: Array<{ topic: string; partition: number; offset: string; metadata: string }>,
): boolean {
  const seen = new Map(
    acknowledged.flatMap((topic) =>
      topic.partitions.map((entry) => [`${topic.topic}/${entry.partition}`, `${String(entry.offset)}|${entry.metadata ?? ""}`] as const),
    ),
  );
  return sent.every((commit) => seen.get(`${commit.topic}/${commit.partition}`) === `${commit.offset}|${commit.metadata}`);
}
