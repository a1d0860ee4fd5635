// Chaos with two cuts in flight: a proxy in front of the store slows every batch file's upload, so
// the worker commits the next cut's intent while the last cut's files are still being stored. Each
// time the group's metadata names two files pending on a partition, the worker is killed -9; the
// supervisor restarts it, recovery re-creates both files in order, and every event lands exactly once.
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { decodeMetadata } from "../../../main/core/exporters/commit/commit-metadata.js";
import { consumerGroupId } from "../../../main/core/exporters/control/exporter-service.js";
import { fileShapeOf } from "../../../main/core/exporters/file-shape.js";
import { kafka } from "../../support/clients.js";
import { duplicatesAndMissing, ExportHarness, harnessBehindProxy } from "../../support/export-harness.js";
import type { TcpProxy } from "../../support/tcp-proxy.js";

const kills = 3;
const uploadDelayMs = 2500;
let proxy: TcpProxy;
let harness: ExportHarness;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  ({ harness, proxy } = await harnessBehindProxy({ partitions: 2, intervalSeconds: 1 }));
}, 60_000);

afterAll(async () => {
  await harness?.tearDown();
  await proxy?.close();
});

/** The group's committed metadata of the partitions that name two files pending right now. */
async function twoPending(): Promise<Map<number, string>> {
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: consumerGroupId(harness.exporter), topics: [harness.topic] });
    const legacy = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" });
    return new Map(
      (committed?.partitions ?? [])
        .filter((entry) => decodeMetadata(entry.metadata, legacy).next !== undefined)
        .map((entry) => [entry.partition, `${entry.offset} ${entry.metadata}`] as const),
    );
  } finally {
    await admin.disconnect();
  }
}

const workerPid = () => harness.engine!.workerPids()[harness.exporter.name]?.[0];

/** Waits for `ready()`, checking every 100 ms for a minute; an error (the group's coordinator not ready yet) is one more wait. */
async function until<T>(what: string, ready: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  let failure: unknown;
  for (;;) {
    try {
      const value = await ready();
      if (value !== undefined) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within 60 s`, { cause: failure });
    await sleep(100);
  }
}

it(`exports exactly once while a worker with two cuts in flight is killed -9 ${kills} times`, { timeout: 300_000 }, async () => {
  await harness.startEngine(6000);
  // Batch files (not the validation file the exporter writes first) reach the store slowly.
  proxy.setDelay((chunk) => (/^PUT \S+\.jsonl/.test(chunk.toString("latin1", 0, 300)) && !chunk.includes(".strm_test_") ? uploadDelayMs : 0));
  const producer = harness.produceSteadily(200, 200);

  const killed: Array<{ pid: number; partitions: number[] }> = [];
  // What the group said when the last worker was killed, once its successor was up: two files
  // pending that a worker wrote after it (not the ones the killed worker left) mean a new pair.
  let left = new Map<number, string>();
  while (killed.length < kills) {
    const pending = await until("a partition naming two new files pending", async () => {
      const now = await twoPending();
      return [...now].some(([partition, state]) => left.get(partition) !== state) ? now : undefined;
    });
    const pid = workerPid();
    if (pid === undefined) continue;
    process.kill(pid, "SIGKILL");
    killed.push({ pid, partitions: [...pending.keys()] });
    await until("a worker after the kill", async () => (workerPid() !== undefined && workerPid() !== pid ? true : undefined));
    left = await until("the group's offsets", twoPending);
  }
  proxy.setDelay(undefined);
  await sleep(3000);
  const produced = await producer.stop();

  const objects = await harness.waitForIds(produced, 120_000);
  const exported = ExportHarness.eventIds(objects);
  expect(duplicatesAndMissing(produced, exported)).toEqual({ missing: [], doubled: [], unexpected: [] });
  expect(exported.length).toBe(produced.length);
  expect(new Set(killed.map((kill) => kill.pid)).size).toBe(kills);
  // Each kill left files pending (two named a moment before); recovery re-created them.
  const recovered = (await harness.core.exportLog.read(harness.exporter.id)).filter((entry) => entry.recovered);
  expect(recovered.length).toBeGreaterThanOrEqual(kills);
  console.info(`two in flight: ${produced.length} events, ${objects.length} objects, ${kills} kills, ${recovered.length} files re-created from intents`);
});
