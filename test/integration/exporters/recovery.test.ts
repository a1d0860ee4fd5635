// Recovery, made deterministic: a worker "crashed" after committing a file's intent (the intent
// is committed by hand, exactly as a worker would), and the next worker re-creates that very file
// (same key, exactly the intended offsets) before it exports anything else.
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { encodeMetadata } from "../../../main/core/exporters/commit/commit-metadata.js";
import { consumerGroupId } from "../../../main/core/exporters/control/exporter-service.js";
import { batchFileKey } from "../../../main/core/exporters/file-names.js";
import { fileShapeOf } from "../../../main/core/exporters/file-shape.js";
import { kafka } from "../../support/clients.js";
import { duplicatesAndMissing, ExportHarness } from "../../support/export-harness.js";

const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 3, intervalSeconds: 2 });

beforeAll(() => harness.setUp(), 60_000);
afterAll(() => harness.tearDown());

it("re-creates a file left pending by a crash, under the intended key with exactly the intended events", async () => {
  const produced = await harness.produce(900, 300);
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(harness.topic);
  await admin.disconnect();
  // The intent: partitions 0 and 2 up to offsets 9 and 19, in a file named for all three.
  const intent = {
    time: 1_700_000_000,
    counter: 3,
    held: [0, 1, 2],
    ranges: [
      { partition: 0, first: 0, last: 9 },
      { partition: 2, first: 0, last: 19 },
    ],
    shape: fileShapeOf(harness.exporter),
  };
  expect(Number(ends.find((end) => end.partition === 2)!.high)).toBeGreaterThan(20);
  await harness.commitAsAWorker(
    consumerGroupId(harness.exporter),
    intent.ranges.map((range) => ({ partition: range.partition, offset: String(range.first), metadata: encodeMetadata({ intent }) })),
  );

  await harness.startEngine();
  const objects = await harness.waitForIds(produced, 60_000);
  const key = batchFileKey({ prefix: "events", time: intent.time, topic: harness.topic, partitions: [0, 1, 2], counter: 3 });
  expect(key).toBe(`events/2023-11-14T22:13:20-${harness.topic}---0-1-2.3.jsonl`);
  const recreated = objects.find((object) => object.key === key);
  expect(recreated, "the pending file").toBeDefined();
  expect(recreated!.body.trim().split("\n")).toHaveLength(30);

  const entry = (await harness.core.exportLog.read(harness.exporter.id)).find((candidate) => candidate.key === key);
  expect(entry).toMatchObject({ recovered: true, records: 30, partitions: intent.ranges });
  expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
});

it("re-creates a pending file in the folders and the compression its intent planned, though the exporter has neither now", { timeout: 90_000 }, async () => {
  const changed = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 3, intervalSeconds: 2 });
  try {
    await changed.setUp();
    expect(changed.exporter.pathTemplate).toBeUndefined();
    const produced = await changed.produce(300, 300);
    // Planned before the settings changed: gzip, in dt=/hour= folders.
    const intent = {
      time: 1_700_000_000,
      counter: 0,
      held: [0, 1, 2],
      ranges: [{ partition: 1, first: 0, last: 4 }],
      shape: { ...fileShapeOf(changed.exporter), compression: "gzip" as const, template: "dt={date}/hour={hour}" },
    };
    await changed.commitAsAWorker(consumerGroupId(changed.exporter), [{ partition: 1, offset: "0", metadata: encodeMetadata({ intent }) }]);

    await changed.startEngine();
    const objects = await changed.waitForIds(produced, 60_000);
    const key = `events/dt=2023-11-14/hour=22/2023-11-14T22:13:20-${changed.topic}---0-1-2.jsonl.gz`;
    const recreated = objects.find((object) => object.key === key);
    expect(recreated, `the pending file at ${key}`).toBeDefined();
    expect(recreated!.body.trim().split("\n")).toHaveLength(5);
    // Everything after it follows the exporter's settings now: plain files at the prefix itself.
    expect(
      objects
        .filter((object) => object.key !== key && /\.jsonl$/.test(object.key) && !object.key.includes(".strm_test_"))
        .every((object) => /^events\/[^/]+\.jsonl$/.test(object.key)),
    ).toBe(true);
    expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
  } finally {
    await changed.tearDown();
  }
});
