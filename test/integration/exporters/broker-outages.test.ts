// The broker goes away for 30 s, five times (kill -9 and SIGTERM), while files are being stored
// over a slow S3 path, and comes back through the stack's own command (`stack:up` on a private
// stack folder). Before each judgement the test checks that the restart kept the cluster: the
// topic, its partitions and the group's committed offsets. Every event must land exactly once,
// and the status must show each outage within 10 s.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { consumerGroupId } from "../../../main/core/exporters/control/exporter-service.js";
import { kafka } from "../../support/clients.js";
import { duplicatesAndMissing, ExportHarness, harnessBehindProxy, isDataFile } from "../../support/export-harness.js";
import { freePort } from "../../support/ports.js";
import { parseEndpoints, runStackCli } from "../../support/stack-setup.js";
import type { TcpProxy } from "../../support/tcp-proxy.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stackDir = mkdtempSync(join(tmpdir(), "streamdrop-outage-stack-"));
let stackEnv: NodeJS.ProcessEnv;
let proxy: TcpProxy;
let harness: ExportHarness;

/** `stack:up` for the private stack: what users run to bring a dead broker back. */
async function stackUp(): Promise<string> {
  const run = await runStackCli("up", stackEnv, ["kafka"]);
  if (run.code !== 0) throw new Error(`stack:up failed (exit ${run.code}):\n${run.stderr}`);
  return parseEndpoints(run.stdout).kafkaBrokers;
}

const brokerPid = () => (JSON.parse(readFileSync(join(stackDir, "state.json"), "utf8")) as { kafka: { pid: number } }).kafka.pid;

beforeAll(async () => {
  stackEnv = {
    ...process.env,
    STREAMDROP_STACK_DIR: stackDir,
    STREAMDROP_KAFKA_PORT: String(await freePort()),
    STREAMDROP_KAFKA_CONTROLLER_PORT: String(await freePort()),
    STREAMDROP_KAFKA_SASL_PORT: String(await freePort()),
    STREAMDROP_KAFKA_SSL_PORT: String(await freePort()),
    STREAMDROP_KAFKA_MTLS_PORT: String(await freePort()),
    STREAMDROP_KAFKA_OAUTH_PORT: String(await freePort()),
    STREAMDROP_OIDC_PORT: String(await freePort()),
    STREAMDROP_MOTO_PORT: String(await freePort()),
  };
  const brokers = await stackUp();
  ({ harness, proxy } = await harnessBehindProxy({ kafkaBrokers: brokers, partitions: 3, intervalSeconds: 1 }));
}, 240_000);

afterAll(async () => {
  await harness?.tearDown();
  await proxy?.close();
  await runStackCli("down", stackEnv);
});

/** The cluster as the restart left it; right after a restart the group coordinator may still be loading, so ask until it answers. */
async function clusterSnapshot(): Promise<Awaited<ReturnType<typeof snapshotOnce>>> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      return await snapshotOnce();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(1000);
    }
  }
}

async function snapshotOnce() {
  const admin = kafka(harness.options.kafkaBrokers).admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [harness.topic] });
    const [committed] = await admin.fetchOffsets({ groupId: consumerGroupId(harness.exporter), topics: [harness.topic] });
    return {
      partitions: metadata.topics[0]!.partitions.length,
      committed: new Map(committed!.partitions.map((entry) => [entry.partition, Number(entry.offset)])),
    };
  } finally {
    await admin.disconnect();
  }
}

it("stores every event exactly once through five 30-second broker outages, and shows each within 10 s", { timeout: 900_000 }, async () => {
  const engine = await harness.startEngine();
  const status = () => engine.statuses().find((candidate) => candidate.name === harness.exporter.name)!;
  // Slow uploads (every chunk of a PUT held 400 ms), so a file is in flight when the broker goes.
  proxy.setDelay((chunk) => (chunk.subarray(0, 4).toString() === "PUT " ? 400 : 0));
  const produced: string[] = [];
  for (const signal of ["SIGKILL", "SIGTERM", "SIGKILL", "SIGTERM", "SIGKILL"] as const) {
    produced.push(...(await harness.produce(1500, 100)));
    await sleep(2500);
    const before = await clusterSnapshot();
    process.kill(brokerPid(), signal);
    const gone = Date.now();
    // Said by the worker while it reconnects, or by its supervisor while it restarts: since when, and how far behind.
    const outage = /(since \d\d:\d\d:\d\d UTC.*\d+ events were still to export when (it was )?last (reachable|seen); nothing is lost meanwhile\.)$/;
    while (!(status().state === "retrying" && outage.test(status().lastError ?? "")) && Date.now() - gone < 10_000) await sleep(250);
    expect(status().lastError ?? "", `the status ${Date.now() - gone} ms after ${signal}: ${JSON.stringify(status())}`).toMatch(outage);
    expect(status().state).toBe("retrying");
    await sleep(Math.max(0, 30_000 - (Date.now() - gone)));
    await stackUp();
    // The restart kept the cluster: the same topic and partitions, committed offsets no lower than before.
    const after = await clusterSnapshot();
    expect(after.partitions).toBe(before.partitions);
    for (const [partition, offset] of before.committed) expect(after.committed.get(partition)!, `partition ${partition}`).toBeGreaterThanOrEqual(offset);
  }
  produced.push(...(await harness.produce(1500, 100)));
  proxy.setDelay(undefined);
  const objects = await harness.waitForIds(produced, 240_000);
  expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
  // And every data file stored is in the export log, the user's only inventory.
  const logged = new Set((await harness.core.exportLog.read(harness.exporter.id)).map((entry) => entry.key));
  expect(objects.map((object) => object.key).filter((key) => isDataFile(key) && !logged.has(key))).toEqual([]);
});
