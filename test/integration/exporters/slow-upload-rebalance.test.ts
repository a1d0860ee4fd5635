// A worker whose partitions are revoked while its upload is slow: a second host joins the group
// while the first one's PutObject is held back by the store. Neither a loss nor a duplicate.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ExportEngine } from "../../../main/core/exporters/control/engine.js";
import { duplicatesAndMissing, ExportHarness, harnessBehindProxy } from "../../support/export-harness.js";
import type { TcpProxy } from "../../support/tcp-proxy.js";

let proxy: TcpProxy;
let harness: ExportHarness;
let secondHost: ExportEngine | undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  ({ harness, proxy } = await harnessBehindProxy({ partitions: 4, intervalSeconds: 2 }));
}, 60_000);

afterAll(async () => {
  await secondHost?.stop();
  await harness?.tearDown();
  await proxy?.close();
});

it("keeps every event exactly once when partitions move away from a worker in the middle of a slow upload", { timeout: 240_000 }, async () => {
  await harness.startEngine();
  const produced = await harness.produce(1000);
  await harness.waitForIds(produced, 60_000);

  // Batch files (not validation files) now take 12 s to reach the store.
  proxy.setDelay((chunk) => (/^PUT \S+\.jsonl/.test(chunk.toString("latin1", 0, 300)) && !chunk.includes(".strm_test_") ? 12_000 : 0));
  produced.push(...(await harness.produce(2000)));
  const deadline = Date.now() + 30_000;
  while (proxy.held === 0 && Date.now() < deadline) await sleep(100);
  expect(proxy.held, "an upload is held back").toBeGreaterThan(0);

  // A second host joins the exporter's group while that upload hangs: a rebalance.
  secondHost = harness.core.engine({ restartBackoff: { initialMs: 300, maxMs: 2000 } });
  await secondHost.start();
  await sleep(15_000);
  proxy.setDelay(undefined);
  produced.push(...(await harness.produce(2000)));

  const objects = await harness.waitForIds(produced, 120_000);
  expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
  // Each engine shows the exporter's one status, merged from both hosts' parts: the partitions are shared between the two.
  for (const engine of [harness.engine!, secondHost]) expect(engine.statuses()[0]!.assignments.filter((set) => set.length > 0)).toHaveLength(2);
  const recovered = (await harness.core.exportLog.read(harness.exporter.id)).filter((entry) => entry.recovered);
  console.info(`slow upload: ${recovered.length} files re-created from intents after the rebalance`);
});
