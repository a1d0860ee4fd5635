// Topics as users have them: batches from Java's own client and from librdkafka (kcat), in every
// codec, interleaved in the same partitions; and a transactional producer that aborts some of its
// transactions. Every committed event must land exactly once, with a worker SIGKILLed mid-run.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CodecName } from "../../../main/core/streams/codecs.js";
import { duplicatesAndMissing, ExportHarness, isValidationFile } from "../../support/export-harness.js";
import { javaProduce, kcatProduce, type ForeignRecord } from "../../support/foreign-producers.js";

const codecs: CodecName[] = ["none", "gzip", "snappy", "lz4", "zstd"];
const partitions = [0, 1, 2];
const perCall = 60;

/** A compressible event (librdkafka sends a batch plain when compressing would not shrink it). */
const event = (id: string, codec: CodecName, producer: string) =>
  JSON.stringify({ id, codec, producer, page: "https://example.test/products/".repeat(3), n: Number(id.split("-").at(-1)) });

/** One round: for each codec, Java's client then librdkafka, into every partition. Returns the ids. */
async function produceRound(harness: ExportHarness, round: number): Promise<string[]> {
  const ids: string[] = [];
  const brokers = harness.options.kafkaBrokers;
  for (const codec of codecs) {
    const javaRecords: ForeignRecord[] = partitions.flatMap((partition) =>
      Array.from({ length: perCall }, (_, i) => {
        const id = `r${round}-java-${codec}-${partition}-${i}`;
        ids.push(id);
        return { partition, key: id, value: event(id, codec, "java") };
      }),
    );
    await javaProduce({ brokers, topic: harness.topic, compression: codec, records: javaRecords, lingerMs: 100 });
    for (const partition of partitions) {
      const records = Array.from({ length: perCall }, (_, i) => {
        const id = `r${round}-kcat-${codec}-${partition}-${i}`;
        ids.push(id);
        return { key: id, value: event(id, codec, "kcat") };
      });
      await kcatProduce({ brokers, topic: harness.topic, compression: codec, partition, records });
    }
  }
  return ids;
}

describe("a topic written by Java's client and librdkafka in every codec", () => {
  const harness = new ExportHarness({
    kafkaBrokers: inject("kafkaBrokers"),
    s3Endpoint: inject("s3Endpoint"),
    partitions: partitions.length,
    intervalSeconds: 2,
    maxBatchMb: 1,
  });

  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it("holds every codec in every partition, as the topic check reads it", { timeout: 120_000 }, async () => {
    await produceRound(harness, 1);
    const check = await harness.core.exporters.inspect({ streamName: "clicks", sample: 1000 });
    const perCodec = perCall * 2 * partitions.length;
    expect(check.codecs).toEqual(Object.fromEntries(codecs.map((codec) => [codec, perCodec])));
    expect(check.values).toMatchObject({ jsonObject: perCodec * codecs.length, tombstone: 0, text: 0, binary: 0 });
  });

  it("exports every event exactly once, with the worker SIGKILLed mid-run", { timeout: 240_000 }, async () => {
    const first = await harness.core.exporters.inspect({ streamName: "clicks", sample: 1000 });
    expect(first.sampled).toBe(perCall * 2 * partitions.length * codecs.length);
    const engine = await harness.startEngine();
    const stored = new Promise<void>((resolve) => engine.on("file", (entry) => entry.kind === "events" && resolve()));
    await stored;
    const [pid] = engine.workerPids()[harness.exporter.name]!;
    process.kill(pid!, "SIGKILL");
    // More of the same while the worker restarts: the kill lands mid-run, between rounds.
    const produced = [...roundIds(1), ...(await produceRound(harness, 2))];
    const objects = await harness.waitForIds(produced, 150_000);
    expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
    expect(objects.filter((object) => object.key.endsWith("-invalid.jsonl"))).toEqual([]);
    // One validation file, written when the exporter was created: none for the engine's start or the worker's restart after the kill.
    const log = await harness.core.exportLog.read(harness.exporter.id);
    expect(log.filter((entry) => entry.kind === "validation")).toHaveLength(1);
    expect(objects.filter((object) => isValidationFile(object.key)).map((object) => object.key)).toContain(
      log.find((entry) => entry.kind === "validation")!.key,
    );
  });
});

/** The ids round `round` produces (their names are deterministic). */
const roundIds = (round: number) =>
  codecs.flatMap((codec) =>
    ["java", "kcat"].flatMap((producer) =>
      partitions.flatMap((partition) => Array.from({ length: perCall }, (_, i) => `r${round}-${producer}-${codec}-${partition}-${i}`)),
    ),
  );

describe("a transactional producer that aborts some transactions", () => {
  const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 2, intervalSeconds: 2 });

  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it("exports only the committed records, and never a control record", { timeout: 120_000 }, async () => {
    const transaction = (name: string, outcome: "commit" | "abort") => ({
      outcome,
      records: Array.from({ length: 40 }, (_, i) => ({ partition: i % 2, key: `${name}-${i}`, value: JSON.stringify({ id: `${name}-${i}`, outcome }) })),
    });
    const transactions = [
      transaction("t1", "commit"),
      transaction("t2", "abort"),
      transaction("t3", "commit"),
      transaction("t4", "abort"),
      transaction("t5", "commit"),
    ];
    await javaProduce({ brokers: harness.options.kafkaBrokers, topic: harness.topic, compression: "lz4", transactions });
    const committed = transactions.filter((t) => t.outcome === "commit").flatMap((t) => t.records.map((record) => JSON.parse(record.value).id as string));

    await harness.startEngine();
    const objects = await harness.waitForIds(committed, 60_000);
    // Give an aborted record time to show up, were it (wrongly) exported after the committed ones.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const after = await harness.objects();
    expect(duplicatesAndMissing(committed, ExportHarness.eventIds(after))).toEqual({ missing: [], doubled: [], unexpected: [] });
    // Control records (commit and abort markers) are neither events nor invalid lines.
    expect(after.filter((object) => object.key.endsWith("-invalid.jsonl"))).toEqual([]);
    expect(objects.length).toBeGreaterThan(0);
  });
});
