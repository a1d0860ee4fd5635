// What an idle exporter's worker asks of the cluster, against the stack's broker, with kafkajs
// as patched (patches/kafkajs+2.2.4.patch). The broker holds a fetch that finds nothing new for
// the consumer's whole wait, and a stop leaves the group and disconnects without waiting for it
// (upstream waited, so every stop of an idle worker took the wait; the wait here is far longer
// than a stop may take, so the test cannot pass by luck). The cluster watch's look at its topic is
// one metadata request (upstream: two, as an admin keeps no metadata).
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { kafkaErrorChain } from "../../../main/core/exporters/needs-person.js";
import { kafka, uniqueName } from "../../support/clients.js";

const heldMs = 90_000;
const topic = uniqueName("idle-stop");
const admin = kafka(inject("kafkaBrokers")).admin();

beforeAll(async () => {
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

it("leaves the group and disconnects while the broker still holds its fetch", async () => {
  const groupId = uniqueName("idle-stop-group");
  // The session outlasts the wait: kafkajs heartbeats between fetches.
  const consumer = kafka(inject("kafkaBrokers")).consumer({ groupId, maxWaitTimeInMs: heldMs, sessionTimeout: 2 * heldMs + 10_000 });
  let fetchesSent = 0;
  let fetchesAnswered = 0;
  consumer.on(consumer.events.FETCH_START, () => (fetchesSent += 1));
  consumer.on(consumer.events.FETCH, () => (fetchesAnswered += 1));
  let handled = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachBatch: async () => void (handled += 1) });
  // The topic is empty, so the broker holds the first fetch.
  await expect.poll(() => fetchesSent, { timeout: 30_000 }).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(fetchesAnswered).toBe(0);

  const began = Date.now();
  await consumer.disconnect();
  const tookMs = Date.now() - began;

  expect(tookMs).toBeLessThan(heldMs / 2);
  expect(handled).toBe(0);
  // Left, not merely gone: a member that had not left would stay until its session ended.
  const { groups } = await admin.describeGroups([groupId]);
  expect(groups[0]).toMatchObject({ groupId, state: "Empty", members: [] });
});

it("leaves the group only once the batch being handled is done", async () => {
  const groupId = uniqueName("busy-stop-group");
  const producer = kafka(inject("kafkaBrokers")).producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: "one" }] });
  await producer.disconnect();
  const consumer = kafka(inject("kafkaBrokers")).consumer({ groupId, maxWaitTimeInMs: heldMs, sessionTimeout: 2 * heldMs + 10_000 });
  const order: string[] = [];
  consumer.on(consumer.events.REQUEST, ({ payload }) => void (payload.apiName === "LeaveGroup" && order.push("LeaveGroup sent")));
  let finish: () => void = () => undefined;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async () => {
      order.push("batch handled");
      await new Promise<void>((resolve) => (finish = resolve));
      order.push("batch done");
    },
  });
  await expect.poll(() => order, { timeout: 30_000 }).toEqual(["batch handled"]);
  const stopped = consumer.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(order).toEqual(["batch handled"]);
  finish();
  await stopped;
  expect(order).toEqual(["batch handled", "batch done", "LeaveGroup sent"]);
});

it("looks at one topic's metadata with one request, and still finds a topic gone", async () => {
  const probe = kafka(inject("kafkaBrokers")).admin({ retry: { retries: 0 } });
  const asked: string[] = [];
  probe.on(probe.events.REQUEST, ({ payload }) => asked.push(payload.apiName));
  await probe.connect();
  try {
    asked.length = 0;
    for (let look = 0; look < 3; look += 1) {
      const { topics } = await probe.fetchTopicMetadata({ topics: [topic] });
      expect(topics.map((one) => [one.name, one.partitions.length])).toEqual([[topic, 2]]);
    }
    expect(asked).toEqual(["Metadata", "Metadata", "Metadata"]);

    const gone = uniqueName("idle-gone");
    const refused = await probe.fetchTopicMetadata({ topics: [gone] }).catch((error: unknown) => error);
    expect(kafkaErrorChain(refused).map((link) => link.type)).toContain("UNKNOWN_TOPIC_OR_PARTITION");
  } finally {
    await probe.disconnect();
  }
});
