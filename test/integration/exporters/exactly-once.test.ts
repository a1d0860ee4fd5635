// A known set of events, exported by real worker processes from the real Kafka into moto, read
// back: every event exactly once, in correctly named files, plus the validation file; and every
// kind of message that is not one-line JSON accounted for in the `-invalid` companion files.
import { Partitioners, type PartitionMetadata } from "kafkajs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { duplicatesAndMissing, ExportHarness, isDataFile, isInvalidFile, isValidationFile, type StoredObject } from "../../support/export-harness.js";
import { invalidBytes } from "../../support/file-lines.js";

const fileName = /^events\/(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)-(.+)---(\d+(?:-\d+)*)(?:\.(\d+))?(-invalid)?\.jsonl$/;

describe("exporting a known set of events", () => {
  const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 3, intervalSeconds: 2 });
  let produced: string[];
  /** Every event id in the order it was produced (one producer, one request at a time). */
  let productionOrder: string[];
  let objects: StoredObject[];
  const statusEvents: string[] = [];
  const badMessages = [
    { value: '{\n  "id": "pretty-1",\n  "nested": { "n": 12345678901234567890, "s": "a \\"quoted\\" value" }\n}' },
    { value: "plain text, not JSON" },
    { value: Buffer.from([0xff, 0xfe, 0x00, 0x01]) },
    { value: "" },
    { key: "tombstone-key", value: null },
    { value: "[1, 2, 3]" },
    // JSON readers do not all read alike: through the gather kernel's own check, to -invalid.
    { value: '{"id":"uneven-1","s":"\\ud800"}' },
    { value: '{"id":"uneven-2","n":1e400}' },
    { value: '{"id":"uneven-3","a":1,"a":2}' },
  ];

  beforeAll(async () => {
    await harness.setUp();
    produced = await harness.produce(3000);
    await harness.produceRaw(badMessages.map((message) => ({ ...message, partition: 1 })));
    const engine = await harness.startEngine();
    engine.on("status", (status) => statusEvents.push(status.state));
    produced.push(...(await harness.produce(2000)));
    productionOrder = [...produced.slice(0, 3000), "pretty-1", ...produced.slice(3000)];
    objects = await harness.waitForIds([...produced, "pretty-1"], 60_000);
    // One more interval so a stray extra file would show up too.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    objects = await harness.objects();
  }, 120_000);

  afterAll(() => harness.tearDown());

  it("publishes status changes as events", () => {
    expect(statusEvents).toContain("running");
  });

  it("stores every event exactly once", () => {
    const exported = ExportHarness.eventIds(objects).filter((id) => id !== "pretty-1");
    expect(duplicatesAndMissing(produced, exported)).toEqual({ missing: [], doubled: [], unexpected: [] });
    expect(exported).toHaveLength(produced.length);
  });

  it("names files <time>-<topic>---<partitions>.jsonl on interval boundaries, with the partitions the worker held", () => {
    const dataFiles = objects.filter((object) => !isValidationFile(object.key));
    expect(dataFiles.length).toBeGreaterThan(0);
    for (const { key } of dataFiles) {
      const match = fileName.exec(key);
      expect(match, key).not.toBeNull();
      expect(match![2]).toBe(harness.topic);
      expect(match![3]).toBe("0-1-2");
      if (!match![4]) expect(Number(match![1]!.slice(-2)) % 2).toBe(0);
    }
  });

  it("writes no empty data files, keeps each file's lines in partition-offset order, and leaves the validation file", async () => {
    expect(objects.filter((object) => isValidationFile(object.key)).every((object) => object.body === "")).toBe(true);
    expect(objects.some((object) => isValidationFile(object.key))).toBe(true);
    for (const object of objects.filter((candidate) => isDataFile(candidate.key))) expect(object.body.length).toBeGreaterThan(0);

    // Where each event is in the topic: its partition is the one the harness's producer chose
    // (kafkajs's default partitioner, murmur2 of the key as Java's; pretty-1 was sent to 1), and
    // within a partition offsets follow the order the one producer sent them in.
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata: PartitionMetadata[] = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));
    const rank = new Map(productionOrder.map((id, index) => [id, index]));
    const placeOf = (id: string) => ({
      id,
      partition: id === "pretty-1" ? 1 : partitioner({ topic: harness.topic, partitionMetadata, message: { key: id, value: null } }),
      rank: rank.get(id)!,
    });
    const entries = await harness.core.exportLog.read(harness.exporter.id);
    let spanningFiles = 0;
    for (const object of objects.filter((candidate) => isDataFile(candidate.key))) {
      const places = object.body
        .split("\n")
        .filter(Boolean)
        .map((line) => placeOf((JSON.parse(line) as { id: string }).id));
      const misplaced = places.findIndex(
        (place, at) =>
          at > 0 && (place.partition < places[at - 1]!.partition || (place.partition === places[at - 1]!.partition && place.rank < places[at - 1]!.rank)),
      );
      expect(misplaced, `${object.key}: line ${misplaced + 1} (${places[misplaced]?.id}) comes after ${places[misplaced - 1]?.id}`).toBe(-1);
      if (new Set(places.map((place) => place.partition)).size > 1) spanningFiles += 1;
      // The partitions worked out above are Kafka's: in partitions 0 and 2 (events only) the file
      // holds exactly the offsets its log entry names.
      const logged = entries.find((entry) => entry.key === object.key)!;
      for (const partition of [0, 2]) {
        const range = logged.partitions.find((candidate) => candidate.partition === partition);
        expect(places.filter((place) => place.partition === partition).length, `${object.key}, partition ${partition}`).toBe(
          range ? range.last - range.first + 1 : 0,
        );
      }
    }
    expect(spanningFiles).toBeGreaterThan(0);
  });

  it("records every file in the export log with its offset ranges", async () => {
    const entries = await harness.core.exportLog.read(harness.exporter.id);
    const logged = entries
      .filter((entry) => entry.kind !== "validation")
      .map((entry) => entry.key)
      .sort();
    expect(logged).toEqual(
      objects
        .filter((object) => !isValidationFile(object.key))
        .map((object) => object.key)
        .sort(),
    );
    const events = entries.filter((entry) => entry.kind === "events").reduce((total, entry) => total + entry.records, 0);
    expect(events).toBe(produced.length + 1);
    for (const entry of entries.filter((candidate) => candidate.kind === "events")) {
      expect(entry.partitions.every((range) => range.last >= range.first)).toBe(true);
    }
  });

  it("writes pretty-printed JSON as one line, numbers untouched", () => {
    const line = objects
      .filter((object) => isDataFile(object.key))
      .flatMap((object) => object.body.split("\n"))
      .find((candidate) => candidate.includes('"pretty-1"'));
    expect(line).toBe('{"id":"pretty-1","nested":{"n":12345678901234567890,"s":"a \\"quoted\\" value"}}');
  });

  it("puts text, binary, empty, tombstone, non-object and uneven JSON messages in the -invalid companion file, text as text and binary in base64, each with its reason", () => {
    const invalidFiles = objects.filter((object) => isInvalidFile(object.key));
    expect(invalidFiles).toHaveLength(1);
    expect(isDataFile(invalidFiles[0]!.key.replace("-invalid.jsonl", ".jsonl"))).toBe(true);
    expect(objects.map((object) => object.key)).toContain(invalidFiles[0]!.key.replace("-invalid.jsonl", ".jsonl"));
    const records = invalidFiles[0]!.body
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { partition: number; offset: number; timestamp: number; key: string | null; value: string | null; reason: string });
    const values = records.map((record) => invalidBytes(record));
    expect(values).toEqual([
      Buffer.from("plain text, not JSON"),
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
      Buffer.alloc(0),
      null,
      Buffer.from("[1, 2, 3]"),
      Buffer.from('{"id":"uneven-1","s":"\\ud800"}'),
      Buffer.from('{"id":"uneven-2","n":1e400}'),
      Buffer.from('{"id":"uneven-3","a":1,"a":2}'),
    ]);
    expect(records.map((record) => record.reason)).toEqual([
      "not JSON",
      "not UTF-8 text",
      "empty",
      "a tombstone (the record has no value)",
      "JSON, but not an object",
      'a string in the value of "s" holds half of a surrogate pair, which is not a character',
      'a number in the value of "n" is past the range of a double, which readers read as infinity or refuse',
      'the name "a" is given twice in one object, which readers read differently or refuse',
    ]);
    expect(records.every((record) => record.partition === 1 && Number.isInteger(record.offset) && record.timestamp > 0)).toBe(true);
    expect(records[3]).toMatchObject({ key: "tombstone-key", keyEncoding: "utf8" });
    expect(records.map((record) => (record as { valueEncoding?: string }).valueEncoding)).toEqual([
      "utf8",
      "base64",
      "utf8",
      undefined,
      "utf8",
      "utf8",
      "utf8",
      "utf8",
    ]);
    expect(records[0]!.key).toBeNull();
  });
});

describe("following the config", () => {
  const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 2, intervalSeconds: 1 });
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  const until = async (what: string, check: () => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it("publishes status changes, stops workers on pause and starts them on resume, without losing events", { timeout: 120_000 }, async () => {
    const engine = await harness.startEngine();
    const seen: string[] = [];
    engine.on("status", (status) => seen.push(status.state));
    const name = harness.exporter.name;
    const produced = await harness.produce(500);
    await harness.waitForIds(produced, 30_000);
    expect(seen).toContain("running");

    await harness.core.exporters.setPaused(name, true);
    await until("the worker stopped", () => (engine.workerPids()[name] ?? []).length === 0 && engine.statuses()[0]?.state === "paused");
    produced.push(...(await harness.produce(500)));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(ExportHarness.eventIds(await harness.objects())).toHaveLength(500);

    await harness.core.exporters.setPaused(name, false);
    await until("the worker is back", () => (engine.workerPids()[name] ?? []).length === 1);
    const objects = await harness.waitForIds(produced, 60_000);
    expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
  });
});

describe("several files in one second", () => {
  const harness = new ExportHarness({
    kafkaBrokers: inject("kafkaBrokers"),
    s3Endpoint: inject("s3Endpoint"),
    partitions: 1,
    intervalSeconds: 60,
    maxBatchMb: 1,
  });
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it("get counters in their names, so no file replaces another", { timeout: 120_000 }, async () => {
    // About 6 MiB of events (some 140 bytes each), cut at 1 MiB: several cuts land in one second.
    const produced = await harness.produce(45_000, 5000);
    await harness.startEngine();
    // The last partial batch waits for the 60 s boundary; the full ones are enough to look at.
    const deadline = Date.now() + 60_000;
    let objects = await harness.objects();
    while (objects.filter((object) => isDataFile(object.key)).length < 4 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      objects = await harness.objects();
    }
    const keys = objects.filter((object) => isDataFile(object.key)).map((object) => object.key);
    expect(
      keys.some((key) => /---0\.\d+\.jsonl$/.test(key)),
      keys.join("\n"),
    ).toBe(true);
    const exported = ExportHarness.eventIds(objects);
    expect(new Set(exported).size).toBe(exported.length);
    const producedSet = new Set(produced);
    expect(exported.every((id) => producedSet.has(id))).toBe(true);
  });
});
