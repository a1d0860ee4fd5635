// Several exporters whose workers are threads of one worker host, against the real Kafka and moto:
// each exports its topic exactly once; one whose topic is deleted fails alone (the host and the
// others run on); one paused stops alone; and when the host is SIGKILLed, every exporter restarts
// in a new host and recovery keeps every event exactly once.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Producer } from "kafkajs";
import type { ExportEngine } from "../../../main/core/exporters/control/engine.js";
import { kafka, uniqueName } from "../../support/clients.js";
import { duplicatesAndMissing, ExportHarness } from "../../support/export-harness.js";
import { waitFor } from "../../support/wait-for.js";

describe("exporters sharing a worker host", () => {
  const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 2, intervalSeconds: 2 });
  const admin = kafka(inject("kafkaBrokers")).admin();
  let producer: Producer;
  let engine: ExportEngine;
  /** The exporters beside the harness's, each with a topic of its own. */
  const more = ["second", "third", "doomed"].map((name) => ({ name, topic: uniqueName(name) }));
  const produced = new Map<string, string[]>();
  let sent = 0;

  /** `count` events to `topic`, ids `<topic>-<n>`, kept for the exactly-once check. */
  async function produce(topic: string, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => `${topic}-${(sent += 1)}`);
    await producer.send({ topic, messages: ids.map((id) => ({ key: id, value: JSON.stringify({ id }) })) });
    produced.set(topic, [...(produced.get(topic) ?? []), ...ids]);
    return ids;
  }

  const running = [harness.topic, more[0]!.topic, more[1]!.topic];
  const produceToRunning = async (count: number) => (await Promise.all(running.map((topic) => produce(topic, count)))).flat();
  const runningNames = () => [harness.exporter.name, "second", "third"];
  const pids = (name: string) => engine.workerPids()[name] ?? [];
  const stateOf = (name: string) => engine.statuses().find((status) => status.name === name)?.state;
  /** Once `ids` are stored: every event produced so far, of every topic, against the bucket's. */
  const exactlyOnce = async (ids: string[]) => {
    const exported = ExportHarness.eventIds(await harness.waitForIds(ids, 90_000));
    return duplicatesAndMissing([...produced.values()].flat(), exported);
  };

  beforeAll(async () => {
    await harness.setUp();
    await admin.connect();
    await admin.createTopics({ topics: more.map(({ topic }) => ({ topic, numPartitions: 2 })), waitForLeaders: true });
    for (const { name, topic } of more) {
      await harness.core.streams.create({ name, bootstrapServers: inject("kafkaBrokers"), topic });
      await harness.core.exporters.create({ streamName: name, sinkName: "s3", name, intervalSeconds: 2, includeExistingEvents: true });
    }
    producer = kafka(inject("kafkaBrokers")).producer();
    await producer.connect();
    await produce(more[2]!.topic, 50);
    engine = await harness.startEngine(6000);
  }, 120_000);

  afterAll(async () => {
    await harness.tearDown();
    await producer.disconnect();
    await admin.disconnect();
  });

  it("runs every exporter's worker as a thread of one process, each exporting its topic exactly once", { timeout: 120_000 }, async () => {
    const names = [harness.exporter.name, ...more.map(({ name }) => name)];
    await waitFor("every exporter running", async () => (names.every((name) => stateOf(name) === "running") ? true : undefined));
    const hosts = new Set(names.flatMap(pids));
    expect(hosts.size).toBe(1);
    const ids = [...(await produceToRunning(300)), ...produced.get(more[2]!.topic)!];
    expect(await exactlyOnce(ids)).toEqual({ missing: [], doubled: [], unexpected: [] });
  });

  it("fails one exporter alone when its topic is deleted: the host and the others run on", { timeout: 120_000 }, async () => {
    const [host] = pids(harness.exporter.name);
    await admin.deleteTopics({ topics: [more[2]!.topic] });
    await waitFor("the doomed exporter in error", async () => (stateOf("doomed") === "error" ? true : undefined), 60_000);
    expect(engine.statuses().find((status) => status.name === "doomed")?.problem).toBe("topic-deleted");
    const ids = await produceToRunning(200);
    expect(await exactlyOnce(ids)).toEqual({ missing: [], doubled: [], unexpected: [] });
    for (const name of runningNames()) expect(pids(name)).toEqual([host]);
  });

  it("stops a paused exporter's thread alone", { timeout: 120_000 }, async () => {
    const [host] = pids(harness.exporter.name);
    await harness.core.exporters.setPaused("second", true);
    await waitFor("the second exporter paused", async () => (pids("second").length === 0 && stateOf("second") === "paused" ? true : undefined));
    const [first, third] = [await produce(harness.topic, 200), await produce(more[1]!.topic, 200)];
    expect(await exactlyOnce([...first, ...third])).toEqual({ missing: [], doubled: [], unexpected: [] });
    expect([...pids(harness.exporter.name), ...pids("third")]).toEqual([host, host]);
    await harness.core.exporters.setPaused("second", false);
    await waitFor("the second exporter back, in the same host", async () => (pids("second")[0] === host && stateOf("second") === "running" ? true : undefined));
  });

  it("restarts every exporter in a new host when the host is SIGKILLed, with every event exactly once", { timeout: 180_000 }, async () => {
    const [host] = pids(harness.exporter.name);
    const during = produceToRunning(500);
    process.kill(host!, "SIGKILL");
    await during;
    await waitFor("every running exporter back in a new host", async () => {
      const now = new Set(runningNames().flatMap(pids));
      return now.size === 1 && !now.has(host!) ? true : undefined;
    });
    await produceToRunning(200);
    const all = running.flatMap((topic) => produced.get(topic)!);
    expect(await exactlyOnce(all)).toEqual({ missing: [], doubled: [], unexpected: [] });
  });
});
