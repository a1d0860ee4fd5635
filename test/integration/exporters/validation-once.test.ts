// Validation files once per change of what they check (the credentials, the prefix, the
// compression), on the real core, Kafka and moto: not at each save of other settings, each
// resume, or each start of the app, which wrote three a minute before.
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { ExportHarness, isValidationFile } from "../../support/export-harness.js";

const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 1, prefix: "events" });

beforeAll(() => harness.setUp(), 60_000);
afterAll(() => harness.tearDown());

const validationKeys = async () => (await harness.objects()).map((object) => object.key).filter(isValidationFile);

/** Events produced now are stored: the workers the last change started are running. */
async function exported(): Promise<void> {
  await harness.engine!.nudge();
  const ids = await harness.produce(5);
  const seen = new Set(ExportHarness.eventIds(await harness.waitForIds(ids, 60_000)));
  expect(ids.every((id) => seen.has(id))).toBe(true);
}

it("writes a validation file when what it proves changes, and at no other save, resume or start", { timeout: 240_000 }, async () => {
  const name = harness.exporter.name;
  // The sink's, and the exporter's when it was created.
  expect(await validationKeys()).toHaveLength(2);

  await harness.startEngine();
  await exported();
  expect(await validationKeys(), "the first start of the workers").toHaveLength(2);

  await harness.core.exporters.update(name, { intervalSeconds: 3, tombstones: "skip" });
  await exported();
  expect(await validationKeys(), "a save of the interval and tombstones").toHaveLength(2);

  await harness.core.exporters.setPaused(name, true);
  await harness.engine!.nudge();
  await harness.core.exporters.setPaused(name, false);
  await exported();
  expect(await validationKeys(), "a pause and a resume").toHaveLength(2);

  await harness.core.exporters.update(name, { compression: "gzip" });
  await exported();
  const afterGzip = await validationKeys();
  expect(afterGzip, "a change of compression: one file, of the new suffix").toHaveLength(3);
  expect(afterGzip.filter((key) => key.endsWith(".jsonl.gz"))).toHaveLength(1);

  // New credentials (the same key given again): the sink proves them, and the exporter's workers prove its suffix with them.
  const key = JSON.stringify({ AccessKey: { AccessKeyId: "AKIAEXPORTTESTEXPORT", SecretAccessKey: "another-not-real-secret" } });
  await harness.core.sinks.replaceCredentials("s3", { from: "text", text: key, label: "(test key)" });
  await exported();
  const afterCredentials = await validationKeys();
  expect(afterCredentials, "new credentials: the sink's file and the exporter's").toHaveLength(5);
  expect(afterCredentials.filter((key) => key.endsWith(".jsonl.gz"))).toHaveLength(2);

  // The app started again: nothing it checks changed.
  await harness.engine!.stop();
  await harness.startEngine();
  await exported();
  expect(await validationKeys(), "a new start of the engine").toHaveLength(5);

  const logged = (await harness.core.exportLog.read(harness.exporter.id)).filter((entry) => entry.kind === "validation");
  // The exporter's three (creation, gzip, new credentials) are in its export log; the sink's two are the sink's.
  expect(logged).toHaveLength(3);
  expect(logged.every((entry) => afterCredentials.includes(entry.key) && entry.checks !== undefined)).toBe(true);
});
