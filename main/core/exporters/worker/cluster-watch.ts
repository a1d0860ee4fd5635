// A worker's look at the cluster every 5 s, with an admin that does not retry: is the topic still
// there, how far behind are we, how close is the oldest event to the topic's retention. An
// unreachable cluster shows as retrying within seconds, with since when and how far behind; a
// topic gone twice running (not a metadata race) needs a person.
import kafkajs, { type Admin } from "kafkajs";
import { groupLag } from "../group-lag.js";
import { kafkaErrorChain } from "../needs-person.js";
import type { WorkerStatusKeeper } from "./worker-status.js";

export interface ClusterWatchDeps {
  /** The admin that does not retry. */
  probe: Admin;
  topic: string;
  groupId: string;
  status: WorkerStatusKeeper;
  assignment(): readonly number[];
  /** Batches handled and groups joined so far: counts that move when the lag may have. */
  activity(): { batches: number; joins: number };
  /** The topic is gone: the worker stops, and says a person must act. */
  topicGone(): void;
  /** Stops the worker when the look's failure needs a person (an authorization refusal, say); false for an outage. */
  refused(error: unknown): boolean;
  now(): number;
}

/** How often a caught-up, idle worker reads its lag all the same. */
export const caughtUpReadMs = 60_000;

export class ClusterWatch {
  /** Consecutive looks that found the topic gone. */
  private topicMissing = 0;
  /** The topic's retention.ms (undefined: unknown or infinite), for the lag warning. */
  private retentionMs?: number;
  /** The last lag read that found nothing behind: the activity and the time then. */
  private caughtUp?: { batches: number; joins: number; at: number };

  constructor(private readonly deps: ClusterWatchDeps) {}

  /** Once, at start: what retention warnings compare with. */
  async readRetention(admin: Admin): Promise<void> {
    try {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: this.deps.topic, configNames: ["retention.ms"] }],
      });
      const value = Number(described.resources[0]?.configEntries.find((entry) => entry.configName === "retention.ms")?.configValue);
      this.retentionMs = Number.isFinite(value) && value > 0 ? value : undefined;
    } catch {
      this.retentionMs = undefined;
    }
  }

  async look(): Promise<void> {
    let present: boolean;
    try {
      present = await topicPresent(this.deps.probe, this.deps.topic);
    } catch (error) {
      if (this.deps.refused(error)) return;
      this.caughtUp = undefined;
      this.deps.status.unreachable(error);
      return;
    }
    this.deps.status.reachable();
    this.topicMissing = present ? 0 : this.topicMissing + 1;
    if (this.topicMissing >= 2) return this.deps.topicGone();
    if (this.topicMissing > 0) return;
    if (this.stillCaughtUp()) return;
    // Lag is informational: a failed refresh waits for the next look.
    try {
      const activity = this.deps.activity();
      const lag = await groupLag(this.deps.probe, this.deps.topic, this.deps.groupId, [...this.deps.assignment()]);
      // Committed past the end is no catching up: the topic was made again, and starts anew.
      this.caughtUp = lag.every((partition) => partition.committed === partition.end) ? { ...activity, at: this.deps.now() } : undefined;
      this.deps.status.lagSeen(lag, (oldest) => retentionWarning(this.deps.topic, this.retentionMs, oldest, this.deps.now()));
    } catch {
      // The next look tries again.
    }
  }

  /**
   * Nothing was behind at the last read, and no batch or join came since: the lag is still nothing,
   * because a fetch returns as soon as an event arrives and its batch counts. An idle worker so
   * skips the four requests a read takes (most of its idle cost), but reads once a minute anyway.
   */
  private stillCaughtUp(): boolean {
    const { batches, joins } = this.deps.activity();
    const seen = this.caughtUp;
    return seen !== undefined && seen.batches === batches && seen.joins === joins && this.deps.now() - seen.at < caughtUpReadMs;
  }
}

/**
 * Whether the cluster has the topic, from its metadata alone: the list of every topic (what
 * kafkajs's listTopics asks for) is thousands of entries on some clusters, decoded every 5 s by
 * every worker. A topic without a leader for the moment is there. Throws when the cluster does not
 * answer. The probe keeps no metadata (kafkajs's default maximum age for it is 0), so each call asks
 * the cluster: with cached metadata, kafkajs would answer for a deleted topic with a TypeError.
 */
async function topicPresent(probe: Admin, topic: string): Promise<boolean> {
  try {
    await probe.fetchTopicMetadata({ topics: [topic] });
    return true;
  } catch (error) {
    // kafkajs wraps some refusals (LEADER_NOT_AVAILABLE in NumberOfRetriesExceeded): the type is below.
    const types = kafkaErrorChain(error).map((link) => link.type);
    if (types.includes("UNKNOWN_TOPIC_OR_PARTITION")) return false;
    if (types.includes("LEADER_NOT_AVAILABLE")) return true;
    throw error;
  }
}

/** Says so when the oldest event still to export is 80% of the way to the topic deleting it. */
export function retentionWarning(topic: string, retentionMs: number | undefined, oldest: number | undefined, now: number): string | undefined {
  if (!retentionMs || oldest === undefined) return undefined;
  const age = now - oldest;
  if (age < 0.8 * retentionMs) return undefined;
  const hours = (ms: number) => (ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${Math.round(ms / 60_000)} min`);
  return `Lag is close to the topic's retention: the oldest event not yet exported is ${hours(age)} old, and ${topic} deletes events after ${hours(retentionMs)}. Add workers or hosts, or raise the topic's retention.ms, or those events will be lost.`;
}
