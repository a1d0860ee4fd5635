// kafkajs against the real Kafka 4.3.1 broker of the local stack.
import { expect, inject, it } from "vitest";
import { kafka, uniqueName } from "../support/clients.js";

it("round-trips a message through a real topic with a committed consumer group", async () => {
  const client = kafka(inject("kafkaBrokers"));
  const topic = uniqueName("roundtrip");
  const groupId = uniqueName("group");
  const admin = client.admin();
  const producer = client.producer();
  const consumer = client.consumer({ groupId });
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await producer.connect();
    const event = JSON.stringify({ strmMeta: { schemaId: "clickstream", nonce: 42 }, url: "https://example.test/" });
    await producer.send({ topic, messages: [{ key: "k", value: event }] });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ value: string; partition: number; offset: string }>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ message, partition }) => {
          await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
          resolve({ value: message.value!.toString(), partition, offset: message.offset });
        },
      });
    });
    expect(received.value).toBe(event);

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const partition = committed!.partitions.find((entry) => entry.partition === received.partition);
    expect(partition?.offset).toBe(String(Number(received.offset) + 1));
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  }
});
