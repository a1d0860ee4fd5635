// The worker's 5-second look at the cluster: the topic's presence from its own metadata, and the
// lag read again only when it may have moved.
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, type Admin } from "kafkajs";
import { describe, expect, it } from "vitest";
import { caughtUpReadMs, ClusterWatch } from "../../../../main/core/exporters/worker/cluster-watch.js";
import type { WorkerStatusKeeper } from "../../../../main/core/exporters/worker/worker-status.js";

// Errors as kafkajs throws them: a protocol error carries its type; with no retries left, a
// metadata refresh wraps it (LEADER_NOT_AVAILABLE) in NumberOfRetriesExceeded.
const refusal = (type: string) => Object.assign(new KafkaJSProtocolError(new Error(`${type} happened`)), { type });
const wrapped = (error: Error) => new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 0, retryTime: 300 });
const metadataFailures = {
  gone: () => refusal("UNKNOWN_TOPIC_OR_PARTITION"),
  leaderless: () => wrapped(refusal("LEADER_NOT_AVAILABLE")),
  down: () => new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:9092"),
  unauthorized: () => refusal("TOPIC_AUTHORIZATION_FAILED"),
};

function watched(options: { end?: number; committed?: number; topic?: "there" | keyof typeof metadataFailures } = {}) {
  const asked: string[] = [];
  const seen: Array<{ lag: unknown }> = [];
  const state = {
    end: options.end ?? 10,
    committed: options.committed ?? 10,
    topic: options.topic ?? "there",
    now: 0,
    batches: 0,
    joins: 1,
    gone: 0,
    duringRead: () => {},
  };
  const refusedWith: unknown[] = [];
  const probe = {
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
      asked.push(`metadata ${topics.join(",")}`);
      if (state.topic !== "there") throw metadataFailures[state.topic]();
      return { topics: [{ name: topics[0], partitions: [] }] };
    },
    fetchTopicOffsets: async () => (asked.push("ends"), [{ partition: 0, offset: String(state.end), high: String(state.end), low: "0" }]),
    fetchOffsets: async () => {
      asked.push("committed");
      state.duringRead();
      return [{ topic: "clicks", partitions: [{ partition: 0, offset: String(state.committed) }] }];
    },
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
    // As the worker decides (kafkaProblem): an authorization refusal needs a person.
    refused: (error) => {
      const needsPerson = (error as { type?: string }).type === "TOPIC_AUTHORIZATION_FAILED";
      if (needsPerson) refusedWith.push(error);
      return needsPerson;
    },
    now: () => state.now,
  });
  const look = async () => {
    asked.length = 0;
    await watch.look();
    return [...asked];
  };
  return { state, look, seen, refusedWith };
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

  it("counts a topic without a leader as there, though kafkajs wraps that refusal", async () => {
    const { state, look } = watched({ topic: "leaderless" });
    const asked = await look();
    expect(asked).toContain("reachable");
    expect(asked).not.toContain("unreachable");
    await look();
    expect(state.gone).toBe(0);
  });

  it("hands a refusal that needs a person to the worker, not to the outage status", async () => {
    const { look, refusedWith } = watched({ topic: "unauthorized" });
    expect(await look()).toEqual(["metadata clicks"]);
    expect(refusedWith).toHaveLength(1);
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

  it("counts the activity from before a read: a batch during the read makes the next look read again", async () => {
    const { state, look } = watched();
    state.duringRead = () => (state.batches += 1);
    await look();
    state.duringRead = () => {};
    expect(await look()).toEqual(expect.arrayContaining(["ends", "committed"]));
    expect(await look()).toEqual(["metadata clicks", "reachable"]);
  });

  it("is not caught up when committed offsets lie past the end (the topic was made again), or after an outage", async () => {
    const { state, look } = watched({ end: 3, committed: 10 });
    await look();
    expect(await look()).toEqual(expect.arrayContaining(["ends", "committed"]));
    state.end = 10;
    await look();
    state.topic = "down";
    await look();
    state.topic = "there";
    expect(await look()).toEqual(expect.arrayContaining(["ends", "committed"]));
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
