// Tombstones the policy skips are written nowhere, yet counted: from the export log, so the count
// survives restarts, and once. A cut of nothing but skipped tombstones stores no file; its count is
// logged all the same (a "skipped" line under the key its intent names, listed as no file), and
// such a cut left pending by a crash is counted once when recovery re-runs it (issue #32).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import type { ExporterStatus } from "../../../common/exporter-status.js";
import { encodeMetadata } from "../../../main/core/exporters/commit/commit-metadata.js";
import { consumerGroupId } from "../../../main/core/exporters/control/exporter-service.js";
import { batchFileKey } from "../../../main/core/exporters/file-names.js";
import { fileShapeOf } from "../../../main/core/exporters/file-shape.js";
import type { LogEntry, SkippedLogEntry } from "../../../main/core/exporters/worker-protocol.js";
import { kafka } from "../../support/clients.js";
import { duplicatesAndMissing, ExportHarness, isDataFile, isInvalidFile, isValidationFile } from "../../support/export-harness.js";
import { waitFor } from "../../support/wait-for.js";

const brokers = inject("kafkaBrokers");
const harness = new ExportHarness({
  kafkaBrokers: brokers,
  s3Endpoint: inject("s3Endpoint"),
  partitions: 2,
  intervalSeconds: 2,
  fields: ["value"],
  tombstones: "skip",
});

beforeAll(() => harness.setUp(), 60_000);
afterAll(() => harness.tearDown());

/** Waits for `probe` to give a value; an error (a broker just started: "not the coordinator") is a "not yet". */

const statusOf = (): ExporterStatus | undefined => harness.engine?.statuses().find((status) => status.name === harness.exporter.name);

/** The group's committed offset per partition. */
async function committed(): Promise<Map<number, number>> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    const [topic] = await admin.fetchOffsets({ groupId: consumerGroupId(harness.exporter), topics: [harness.topic] });
    return new Map((topic?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]));
  } finally {
    await admin.disconnect();
  }
}

async function topicEnds(): Promise<Map<number, number>> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(harness.topic)).map((entry) => [entry.partition, Number(entry.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Every line of the export log, as written (ExportLog.read lists only stored files). */
const logLines = (): LogEntry[] =>
  readFileSync(harness.core.exportLog.fileOf(harness.exporter.id), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry);

const tombstones = (count: number, partition: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ key: `gone-${from + i}`, value: null, partition }));

it("counts a batch of nothing but skipped tombstones, then with events, and still after the engine restarts", { timeout: 120_000 }, async () => {
  await harness.produceRaw(tombstones(7, 0));
  await harness.startEngine();
  // The cut is committed past the tombstones, with no file stored for them...
  await waitFor("the tombstones committed", async () => ((await committed()).get(0) === 7 ? true : undefined));
  // ...and they are counted (before #32 they never were: the worker's own count reached no status).
  await waitFor("the skipped count", async () => (statusOf()?.tombstonesSkipped === 7 ? true : undefined), 15_000);
  expect(statusOf()).toMatchObject({ filesWritten: 0, eventsExported: 0, invalidExported: 0 });
  expect((await harness.objects()).filter((object) => !isValidationFile(object.key))).toEqual([]);
  expect((await harness.core.exportLog.read(harness.exporter.id)).filter((entry) => entry.kind !== "validation")).toEqual([]);
  expect(logLines().filter((line) => line.kind === "skipped")).toEqual([
    expect.objectContaining({ kind: "skipped", tombstonesSkipped: 7, partitions: [{ partition: 0, first: 0, last: 6 }] }),
  ]);

  // Events now, and tombstones beside them: those ride on a file, or are a cut of their own.
  const ids = await harness.produce(10, 10);
  await harness.produceRaw([...tombstones(2, 0, 7), ...tombstones(3, 1, 9)]);
  const objects = await harness.waitForIds(ids, 60_000);
  expect(duplicatesAndMissing(ids, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
  const ends = await waitFor("the topic's ends", topicEnds);
  await waitFor("everything committed", async () => {
    const now = await committed();
    return [...ends].every(([partition, end]) => now.get(partition) === end) ? true : undefined;
  });
  await waitFor("the skipped count", async () => (statusOf()?.tombstonesSkipped === 12 ? true : undefined), 15_000);
  const dataFiles = objects
    .filter((object) => isDataFile(object.key))
    .map((object) => object.key)
    .sort();
  expect(objects.filter((object) => isInvalidFile(object.key))).toEqual([]);
  expect(statusOf()).toMatchObject({ eventsExported: 10, filesWritten: dataFiles.length });
  // The files listed (`streamdrop files`, the app's files view) are what the store holds, no more.
  const listed = (await harness.core.exportLog.read(harness.exporter.id)).filter((entry) => entry.kind !== "validation");
  expect(listed.map((entry) => entry.key).sort()).toEqual(dataFiles);
  expect(await harness.core.exportLog.totals(harness.exporter.id)).toMatchObject({ events: 10, files: dataFiles.length, tombstonesSkipped: 12 });

  // A new engine over the same data folder: the count is read back from the export log.
  await harness.engine!.stop();
  await harness.startEngine();
  expect(statusOf()).toMatchObject({ tombstonesSkipped: 12, eventsExported: 10, filesWritten: dataFiles.length });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect(statusOf()).toMatchObject({ tombstonesSkipped: 12, eventsExported: 10, filesWritten: dataFiles.length });
});

it("counts a pending cut of skipped tombstones once, whether the crashed worker logged it or not", { timeout: 120_000 }, async () => {
  await harness.engine!.stop();
  const before = (await harness.core.exportLog.totals(harness.exporter.id)).tombstonesSkipped;
  const starts = await waitFor("the topic's ends", topicEnds);
  await harness.produceRaw([...tombstones(4, 0, 100), ...tombstones(5, 1, 200)]);
  // Two workers "crashed" after committing their intents (by hand, as a worker does): the one for
  // partition 0 after logging its skipped tombstones, the one for partition 1 before.
  const shape = fileShapeOf(harness.exporter);
  const intentOf = (partition: number, count: number) => ({
    time: 1_700_000_000,
    counter: 0,
    held: [partition],
    ranges: [{ partition, first: starts.get(partition)!, last: starts.get(partition)! + count - 1 }],
    shape,
  });
  const intents = [intentOf(0, 4), intentOf(1, 5)];
  await harness.commitAsAWorker(
    consumerGroupId(harness.exporter),
    intents.map((intent) => ({ partition: intent.held[0]!, offset: String(intent.ranges[0]!.first), metadata: encodeMetadata({ intent }) })),
  );
  const keyOf = (partition: number) => batchFileKey({ prefix: "events", time: 1_700_000_000, topic: harness.topic, partitions: [partition], counter: 0 });
  const logged: SkippedLogEntry = {
    at: new Date().toISOString(),
    exporter: harness.exporter.name,
    key: keyOf(0),
    kind: "skipped",
    partitions: intents[0]!.ranges,
    tombstonesSkipped: 4,
  };
  await harness.core.exportLog.append(harness.exporter.id, logged);

  await harness.startEngine();
  await waitFor("both pending cuts re-run and committed", async () => {
    const now = await committed();
    return now.get(0) === starts.get(0)! + 4 && now.get(1) === starts.get(1)! + 5 ? true : undefined;
  });
  const recovered = logLines().filter((line) => line.kind === "skipped" && line.recovered);
  expect(recovered.map((line) => [line.key, line.kind === "skipped" ? line.tombstonesSkipped : 0]).sort()).toEqual([
    [keyOf(0), 4],
    [keyOf(1), 5],
  ]);
  await waitFor("the skipped count", async () => (statusOf()?.tombstonesSkipped === before + 9 ? true : undefined), 15_000);
  expect(await harness.core.exportLog.totals(harness.exporter.id)).toMatchObject({ tombstonesSkipped: before + 9 });
  // No object has those keys: nothing was stored for them.
  const keys = (await harness.objects()).map((object) => object.key);
  expect(keys).not.toContain(keyOf(0));
  expect(keys).not.toContain(keyOf(1));
  // And it stays so after a restart, and a while after.
  await harness.engine!.stop();
  await harness.startEngine();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect(statusOf()).toMatchObject({ tombstonesSkipped: before + 9 });
});
