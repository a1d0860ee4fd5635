// The worker's 5-second look at the cluster: the topic's presence from its own metadata, and the
// lag read again only when it may have moved.
import type { Admin } from "kafkajs";
import { describe, expect, it } from "vitest";
import { caughtUpReadMs, ClusterWatch } from "../../../../main/core/exporters/worker/cluster-watch.js";
import type { WorkerStatusKeeper } from "../../../../main/core/exporters/worker/worker-status.js";

function watched(options: { end?: number; committed?: number; topic?: "there" | "gone" | "down" } = {}) {
  const asked: string[] = [];
  const seen: Array<{ lag: unknown }> = [];
  const state = { end: options.end ?? 10, committed: options.committed ?? 10, topic: options.topic ?? "there", now: 0, batches: 0, joins: 1, gone: 0 };
  const probe = {
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
      asked.push(`metadata ${topics.join(",")}`);
      if (state.topic === "down") throw Object.assign(new Error("Connection refused"), { type: undefined });
      if (state.topic === "gone") throw Object.assign(new Error("This server does not host this topic-partition"), { type: "UNKNOWN_TOPIC_OR_PARTITION" });
      return { topics: [{ name: topics[0], partitions: [] }] };
    },
    fetchTopicOffsets: async () => (asked.push("ends"), [{ partition: 0, offset: String(state.end), high: String(state.end), low: "0" }]),
    fetchOffsets: async () => (asked.push("committed"), [{ topic: "clicks", partitions: [{ partition: 0, offset: String(state.committed) }] }]),
    listTopics: async () => {
      throw new Error("the watch asks for one topic's metadata, never every topic's");
    },
  } as unknown as Admin;
  const status = {
    reachable: () => asked.push("reachable"),
    unreachable: () => asked.push("unreachable"),
    lagSeen: (lag: unknown) => seen.push({ lag }),
  } as unknown as WorkerStatusKeeper;
  const watch = new ClusterWatch({
    probe,
    topic: "clicks",
    groupId: "group",
    status,
    assignment: () => [0],
    activity: () => ({ batches: state.batches, joins: state.joins }),
    topicGone: () => (state.gone += 1),
    now: () => state.now,
  });
  const look = async () => {
    asked.length = 0;
    await watch.look();
    return [...asked];
  };
  return { state, look, seen };
}

describe("the cluster watch", () => {
  it("asks for its own topic's metadata, not the cluster's whole list, and needs a person once the topic is gone twice running", async () => {
    const { state, look } = watched({ topic: "gone" });
    expect(await look()).toEqual(["metadata clicks", "reachable"]);
    expect(state.gone).toBe(0);
    await look();
    expect(state.gone).toBe(1);
  });

  it("says the cluster is unreachable when the metadata request fails", async () => {
    const { look, seen } = watched({ topic: "down" });
    expect(await look()).toEqual(["metadata clicks", "unreachable"]);
    expect(seen).toEqual([]);
  });

  it("reads the lag at every look while something is behind", async () => {
    const { look, seen } = watched({ end: 12, committed: 10 });
    for (let n = 0; n < 3; n++) expect(await look()).toEqual(expect.arrayContaining(["ends", "committed"]));
    expect(seen).toHaveLength(3);
  });

  it("skips the lag while caught up and idle, and reads it again after a batch, a join, or a minute", async () => {
    const { state, look, seen } = watched();
    expect(await look()).toEqual(expect.arrayContaining(["ends", "committed"]));
    expect(await look()).toEqual(["metadata clicks", "reachable"]);
    state.now += 5000;
    expect(await look()).toEqual(["metadata clicks", "reachable"]);
    expect(seen).toHaveLength(1);

    state.batches += 1;
    expect(await look()).toEqual(expect.arrayContaining(["ends", "committed"]));
    expect(await look()).toEqual(["metadata clicks", "reachable"]);
    state.joins += 1;
    expect(await look()).toEqual(expect.arrayContaining(["ends", "committed"]));
    state.now += caughtUpReadMs;
    expect(await look()).toEqual(expect.arrayContaining(["ends", "committed"]));
    expect(seen).toHaveLength(4);
  });

  it("reads the lag again after a read that found events behind, even with no batch since", async () => {
    const { state, look } = watched();
    await look();
    state.end = 15;
    state.batches += 1;
    await look();
    // Still behind: every look reads, though no batch came (a worker retrying its storage holds its batch).
    expect(await look()).toEqual(expect.arrayContaining(["ends", "committed"]));
    state.committed = 15;
    await look();
    expect(await look()).toEqual(["metadata clicks", "reachable"]);
  });
});
