// Compressed exports, from the real Kafka into moto through real worker processes: gzip and zstd
// files named `.jsonl.gz` and `.jsonl.zst`, stored as themselves (their own Content-Type, no
// Content-Encoding), holding every event exactly once across a worker SIGKILLed mid-run, and
// validation files that prove the permission those names need. Each case has its own topic,
// bucket and engine, so they run together (most of each is the killed worker's group session ending).
import { describe, expect, inject, it } from "vitest";
import { duplicatesAndMissing, ExportHarness, isDataFile, isValidationFile } from "../../support/export-harness.js";

describe.concurrent.each([
  ["gzip", ".jsonl.gz", "application/gzip"],
  ["zstd", ".jsonl.zst", "application/zstd"],
] as const)("an exporter with --compression %s", (compression, suffix, contentType) => {
  it("stores every event once in compressed files, across a worker killed mid-run", { timeout: 150_000 }, async () => {
    const harness = new ExportHarness({
      kafkaBrokers: inject("kafkaBrokers"),
      s3Endpoint: inject("s3Endpoint"),
      partitions: 3,
      intervalSeconds: 1,
      compression,
    });
    try {
      await harness.setUp();
      expect(harness.exporter.compression).toBe(compression);
      const produced = await harness.produce(3000);
      const engine = await harness.startEngine();
      const deadline = Date.now() + 60_000;
      while ((engine.statuses()[0]?.eventsExported ?? 0) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      const killed = engine.workerPids()[harness.exporter.name] ?? [];
      expect(killed.length).toBeGreaterThan(0);
      for (const pid of killed) process.kill(pid, "SIGKILL");
      produced.push(...(await harness.produce(3000)));
      await harness.waitForIds(produced, 90_000);
      await new Promise((resolve) => setTimeout(resolve, 2500)); // A doubled file would show by now.
      const objects = await harness.objects();

      expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
      const data = objects.filter((object) => isDataFile(object.key));
      expect(data.length).toBeGreaterThan(0);
      for (const object of data) {
        expect(object.key.endsWith(suffix), object.key).toBe(true);
        expect(object.contentType).toBe(contentType);
        expect(object.contentEncoding).toBeUndefined();
        expect(object.bytes).toBeLessThan(Buffer.byteLength(object.body));
      }
      // The sink's own validation file is plain; the exporter's carry the suffix, as empty streams.
      const validations = objects.filter((object) => isValidationFile(object.key));
      expect(validations.some((object) => object.key.endsWith(suffix) && object.body === "" && object.bytes > 0)).toBe(true);
    } finally {
      await harness.tearDown();
    }
  });
});

describe.concurrent("an exporter with --path-template", () => {
  it("puts each file in the folders of its own cut time, every event once, across a worker killed mid-run", { timeout: 150_000 }, async () => {
    const harness = new ExportHarness({
      kafkaBrokers: inject("kafkaBrokers"),
      s3Endpoint: inject("s3Endpoint"),
      partitions: 3,
      intervalSeconds: 1,
      compression: "gzip",
      pathTemplate: "{topic}/dt={date}/hour={hour}",
    });
    try {
      await harness.setUp();
      expect(harness.exporter.pathTemplate).toBe("{topic}/dt={date}/hour={hour}");
      const produced = await harness.produce(2000);
      const engine = await harness.startEngine();
      const deadline = Date.now() + 60_000;
      while ((engine.statuses()[0]?.eventsExported ?? 0) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      for (const pid of engine.workerPids()[harness.exporter.name] ?? []) process.kill(pid, "SIGKILL");
      produced.push(...(await harness.produce(2000)));
      await harness.waitForIds(produced, 90_000);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const objects = await harness.objects();

      expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
      const data = objects.filter((object) => isDataFile(object.key));
      expect(data.length).toBeGreaterThan(0);
      for (const object of data) {
        // events/<topic>/dt=<date>/hour=<HH>/<date>T<HH>:mm:ss-<topic>---…: the folders are the name's own time.
        const match =
          /^events\/([^/]+)\/dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/(\d{4}-\d{2}-\d{2})T(\d{2}):\d{2}:\d{2}-([^/]+)---[\d-]+(\.\d+)?\.jsonl\.gz$/.exec(
            object.key,
          );
        expect(match, object.key).not.toBeNull();
        const [, folderTopic, date, hour, nameDate, nameHour, nameTopic] = match!;
        expect([folderTopic, date, hour]).toEqual([nameTopic, nameDate, nameHour]);
        expect(folderTopic).toBe(harness.topic);
      }
      // Validation files stay at the prefix itself, where the sink's policy is proven.
      expect(objects.filter((object) => isValidationFile(object.key)).every((object) => /^events\/\.strm_test_/.test(object.key))).toBe(true);
    } finally {
      await harness.tearDown();
    }
  });
});
