// The engine's own look at an exporter's lag (while no worker runs: paused, failing), against the
// real broker: per partition, from the group's committed offsets, or from the start when nothing
// was committed yet; and where a new exporter's group starts.
import { randomUUID } from "node:crypto";
import { expect, inject, it } from "vitest";
import type { BatchExporterRecord } from "../../../main/core/config/schema.js";
import { consumerGroupId } from "../../../main/core/exporters/control/exporter-service.js";
import { kafkaLagProbe } from "../../../main/core/exporters/control/lag-probe.js";
import type { StreamService } from "../../../main/core/streams/stream-service.js";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { kafka, s3Client, testCredentials, uniqueName } from "../../support/clients.js";
import { testCore } from "../../support/core.js";

it("reads each partition's lag of the exporter's group", async () => {
  const topic = uniqueName("lag-probe");
  const brokers = inject("kafkaBrokers").split(",");
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  const producer = kafka(inject("kafkaBrokers")).producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [...Array.from({ length: 5 }, () => ({ partition: 0, value: "{}" })), ...Array.from({ length: 3 }, () => ({ partition: 1, value: "{}" }))],
  });
  await producer.disconnect();
  const exporter = { id: randomUUID(), name: "probed", streamName: "s" } as BatchExporterRecord;
  const streams = {
    get: async () => ({ name: "s", topic, bootstrapServers: brokers, ssl: false }),
    connection: async () => ({ brokers, ssl: false }),
  } as unknown as StreamService;
  const probe = kafkaLagProbe(streams);

  expect(await probe(exporter)).toEqual([
    { partition: 0, committed: 0, end: 5 },
    { partition: 1, committed: 0, end: 3 },
  ]);
  await admin.setOffsets({ groupId: consumerGroupId(exporter), topic, partitions: [{ partition: 0, offset: "4" }] });
  // A broker just started may take a few seconds to load its group coordinator.
  await expect
    .poll(() => probe(exporter), { timeout: 20_000, interval: 500 })
    .toEqual([
      { partition: 0, committed: 4, end: 5 },
      { partition: 1, committed: 0, end: 3 },
    ]);
  await admin.disconnect();
});

it("leaves a deleted topic deleted: no lag, and the broker does not create it again", async () => {
  const topic = uniqueName("lag-probe-gone");
  const brokers = inject("kafkaBrokers").split(",");
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  const streams = {
    get: async () => ({ name: "s", topic, bootstrapServers: brokers, ssl: false }),
    connection: async () => ({ brokers, ssl: false }),
  } as unknown as StreamService;
  expect(await kafkaLagProbe(streams)({ id: randomUUID(), name: "gone", streamName: "s" } as BatchExporterRecord)).toEqual([]);
  expect(await admin.listTopics()).not.toContain(topic);
  await admin.disconnect();
});

it(
  "starts an exporter that skips existing events at the topic's end, committed, so a restart before its first file loses nothing",
  { timeout: 60_000 },
  async () => {
    const topic = uniqueName("starts-at-end");
    const bucket = uniqueName("starts-at-end");
    await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
    const admin = kafka(inject("kafkaBrokers")).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka(inject("kafkaBrokers")).producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 5 }, () => ({ value: "{}" })) });
    const core = testCore();
    await core.sinks.create({ name: "s3", bucket, credentials: { from: "access-key", accessKey: testCredentials }, endpoint: inject("s3Endpoint") });
    await core.streams.create({ name: "orders", bootstrapServers: inject("kafkaBrokers"), topic });
    const exporter = await core.exporters.create({ streamName: "orders", sinkName: "s3" });
    // Before any worker ran: the 5 existing events are skipped, the 7 new ones are still to export.
    await producer.send({ topic, messages: Array.from({ length: 7 }, () => ({ value: "{}" })) });
    await producer.disconnect();
    expect(await kafkaLagProbe(core.streams)(exporter)).toEqual([{ partition: 0, committed: 5, end: 12 }]);
    await admin.disconnect();
  },
);
