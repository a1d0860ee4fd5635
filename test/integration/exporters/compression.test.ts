// Compressed exports, from the real Kafka into moto through real worker processes: gzip and zstd
// files named `.jsonl.gz` and `.jsonl.zst`, stored as themselves (their own Content-Type, no
// Content-Encoding), holding every event exactly once across a worker SIGKILLed mid-run, and
// validation files that prove the permission those names need.
import { describe, expect, inject, it } from "vitest";
import { duplicatesAndMissing, ExportHarness, isDataFile, isValidationFile } from "../../support/export-harness.js";

describe.each([
  ["gzip", ".jsonl.gz", "application/gzip"],
  ["zstd", ".jsonl.zst", "application/zstd"],
] as const)("an exporter with --compression %s", (compression, suffix, contentType) => {
  it("stores every event once in compressed files, across a worker killed mid-run", { timeout: 150_000 }, async () => {
    const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 3, intervalSeconds: 1, compression });
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
