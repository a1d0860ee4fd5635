// Chaos: while events are produced, the worker process is killed with SIGKILL at random moments,
// again and again, and restarted by the supervisor. Every event still lands exactly once.
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { duplicatesAndMissing, ExportHarness } from "../../support/export-harness.js";

const kills = 10;
const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 4, intervalSeconds: 1, maxBatchMb: 1 });

beforeAll(() => harness.setUp(), 60_000);
afterAll(() => harness.tearDown());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function livePid(timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pid = harness.engine!.workerPids()[harness.exporter.name]?.[0];
    if (pid !== undefined) return pid;
    if (Date.now() > deadline) throw new Error("no worker came back");
    await sleep(100);
  }
}

it(`exports exactly once while the worker is killed -9 ${kills} times`, { timeout: 420_000 }, async () => {
  // The shortest session the broker allows, so a killed worker's partitions come back soon.
  await harness.startEngine(6000);
  const producer = harness.produceSteadily(400, 150);

  const killedPids: number[] = [];
  for (let round = 0; round < kills; round += 1) {
    const pid = await livePid(60_000);
    // Let it work a random while (joining, recovering, gathering, uploading, committing), then kill.
    await sleep(randomInt(300, 6000));
    try {
      process.kill(pid, "SIGKILL");
      killedPids.push(pid);
    } catch {
      // Already gone: it does not count.
      round -= 1;
    }
  }
  // After the last kill the supervisor restarts the worker, which rejoins, recovers and goes on.
  const lastKill = Date.now();
  const resumed = new Promise<number>((resolve) => harness.engine!.on("file", (entry) => entry.kind === "events" && resolve(Date.now() - lastKill)));
  const resumeMs = await Promise.race([resumed, sleep(60_000).then(() => Infinity)]);
  const produced = await producer.stop();

  const objects = await harness.waitForIds(produced, 120_000);
  const exported = ExportHarness.eventIds(objects);
  expect(new Set(killedPids).size).toBe(kills);
  expect(resumeMs, "from the last kill -9 to the next file stored").toBeLessThan(30_000);
  expect(duplicatesAndMissing(produced, exported)).toEqual({ missing: [], doubled: [], unexpected: [] });
  expect(exported.length).toBe(produced.length);
  const recovered = (await harness.core.exportLog.read(harness.exporter.id)).filter((entry) => entry.recovered);
  console.info(
    `chaos: ${produced.length} events, ${objects.length} objects, ${kills} kills, ${recovered.length} files re-created from intents, resumed ${resumeMs} ms after the last kill`,
  );
});
