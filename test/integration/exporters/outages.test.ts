// Outages: the Kafka broker restarts mid-export, and the object store is unreachable for longer
// than several intervals. Both end with every event stored exactly once. They share nothing (a
// private broker, a proxy of its own), so they run together: most of each is waiting out the outage.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { duplicatesAndMissing, ExportHarness, harnessBehindProxy } from "../../support/export-harness.js";
import { startPrivateKafka, type PrivateKafka } from "../../support/private-kafka.js";
import type { TcpProxy } from "../../support/tcp-proxy.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.concurrent("a broker restart", () => {
  let broker: PrivateKafka;
  let harness: ExportHarness;

  beforeAll(async () => {
    broker = await startPrivateKafka();
    harness = new ExportHarness({ kafkaBrokers: broker.brokers, s3Endpoint: inject("s3Endpoint"), partitions: 3, intervalSeconds: 2 });
    await harness.setUp();
  }, 180_000);

  afterAll(async () => {
    await harness?.tearDown();
    await broker?.stop();
  });

  it("loses and doubles nothing", { timeout: 300_000 }, async () => {
    await harness.startEngine();
    const produced = await harness.produce(3000);
    await sleep(3000);
    await broker.restart(5000);
    produced.push(...(await harness.produce(3000)));
    const objects = await harness.waitForIds(produced, 180_000);
    expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
  });
});

describe.concurrent("a storage outage longer than several intervals", () => {
  let proxy: TcpProxy;
  let harness: ExportHarness;

  beforeAll(async () => {
    ({ harness, proxy } = await harnessBehindProxy({ partitions: 3, intervalSeconds: 1 }));
  }, 60_000);

  afterAll(async () => {
    await harness?.tearDown();
    await proxy?.close();
  });

  it("retries, says so in the status, and then stores everything exactly once", { timeout: 300_000 }, async () => {
    const engine = await harness.startEngine();
    const produced = await harness.produce(2000);
    await harness.waitForIds(produced, 60_000);
    await proxy.down();
    produced.push(...(await harness.produce(2000)));
    // Ten intervals without storage.
    await sleep(10_000);
    const during = engine.statuses().find((status) => status.name === harness.exporter.name)!;
    expect(during.state).toBe("retrying");
    expect(during.lastError).toMatch(/Storing a file failed/);
    await proxy.up();
    produced.push(...(await harness.produce(1000)));
    const objects = await harness.waitForIds(produced, 120_000);
    expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
    await sleep(2000);
    expect(engine.statuses().find((status) => status.name === harness.exporter.name)!.state).toBe("running");
  });
});
