// Each limit of an exporter's settings is said once (common/exporter-settings.ts), and every place
// that checks it reads it there: the config schema, the IPC contract and the core's services each
// take exactly the ends of each range and refuse one past either end.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bytesPerMiB, exporterLimits, isWithin, rangeText, sampleDefaults, type WholeRange } from "../../../common/exporter-settings.js";
import {
  batchExporterRecord,
  configSchema,
  emptyConfig,
  type BatchExporterRecord,
  type Config,
  type SinkRecord,
  type StreamRecord,
} from "../../../main/core/config/schema.js";
import type { ConfigStore } from "../../../main/core/config/store.js";
import { StreamdropError } from "../../../main/core/errors.js";
import { exporterDefaults, ExporterService } from "../../../main/core/exporters/control/exporter-service.js";
import { silentLogger } from "../../../main/core/log.js";
import type { SinkService } from "../../../main/core/sinks/sink-service.js";
import type { StreamService } from "../../../main/core/streams/stream-service.js";
import { TableService } from "../../../main/core/tables/table-service.js";
import { inputSchemas } from "../../../preload/contract.js";

/** The ends of a range, which every place must take, and one past each, which every place must refuse. */
const ends = (range: WholeRange) => [range.min, range.max];
const pastEnds = (range: WholeRange) => [range.min - 1, range.max + 1];

const stream = {
  id: randomUUID(),
  name: "orders",
  bootstrapServers: ["127.0.0.1:1"],
  topic: "orders",
  ssl: false,
  createdAt: new Date().toISOString(),
} satisfies StreamRecord;
const sink = {
  id: randomUUID(),
  name: "s3",
  type: "S3",
  bucket: "events",
  credentials: { source: "default-chain" },
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
} satisfies SinkRecord;
const record: BatchExporterRecord = {
  id: randomUUID(),
  name: "s3-orders",
  streamName: stream.name,
  sinkName: sink.name,
  intervalSeconds: 60,
  includeExistingEvents: false,
  workers: 1,
  maxBatchBytes: 16 * bytesPerMiB,
  fields: ["value"],
  tombstones: "invalid",
  compression: "none",
  paused: false,
  createdAt: new Date().toISOString(),
};

/** The sampling stops here: the settings were taken by then. */
class Sampled extends Error {
  constructor(readonly perPartition: number) {
    super(`sampled ${perPartition}`);
  }
}

/**
 * The service over fakes: a config holding one exporter, read fresh each time, where every update
 * must pass the config schema (so what the service takes, the config keeps) and is not kept.
 */
function service() {
  const base: Config = { ...emptyConfig(), batchExporters: [record] };
  const config = {
    read: async () => structuredClone(base),
    update: async <T>(change: (config: Config) => T | Promise<T>) => {
      const copy = structuredClone(base);
      const result = await change(copy);
      configSchema.parse(copy);
      return result;
    },
  } as unknown as ConfigStore;
  const sinks = { get: async () => sink, validateAt: async () => undefined } as unknown as SinkService;
  const streams = { get: async () => stream, partitionCount: async () => 3, startGroupAtEnd: async () => undefined } as unknown as StreamService;
  const exporters = new ExporterService({ config, sinks, streams, log: silentLogger() });
  exporters.sample = async (_stream, perPartition) => {
    throw new Sampled(perPartition);
  };
  return exporters;
}

/** What the service made of a setting: its value, or the setting it refused. */
async function outcome<T>(run: () => Promise<T>): Promise<T | { refused: string | undefined }> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StreamdropError && error.code === "invalid-input")
      return { refused: error.fixes[0]?.id === "set" ? error.fixes[0].setting : undefined };
    throw error;
  }
}

describe("the exporter's limits", () => {
  it("are the ranges and defaults the product has always had", () => {
    expect(exporterLimits).toMatchObject({
      intervalSeconds: { min: 1, max: 3600, default: 60 },
      workers: { min: 1, max: 64, default: 1 },
      maxBatchMb: { min: 1, max: 1024, default: 16 },
      sample: { min: 1, max: 1000 },
    });
    expect(sampleDefaults).toEqual({ topicCheck: 20, table: 100 });
    expect(exporterDefaults).toEqual({ intervalSeconds: 60, maxBatchMb: 16, workers: 1 });
    expect(rangeText(exporterLimits.intervalSeconds)).toBe("1 to 3600");
    for (const range of Object.values(exporterLimits)) {
      for (const value of ends(range)) expect(isWithin(range, value)).toBe(true);
      for (const value of [...pastEnds(range), range.min + 0.5]) expect(isWithin(range, value)).toBe(false);
      if ("default" in range) expect(isWithin(range, range.default)).toBe(true);
    }
  });

  describe("in the config schema", () => {
    const takes = (changes: Partial<BatchExporterRecord>) => batchExporterRecord.safeParse({ ...record, ...changes }).success;

    it.each([
      ["intervalSeconds", exporterLimits.intervalSeconds],
      ["workers", exporterLimits.workers],
    ] as const)("takes %s at its ends and refuses one past", (key, range) => {
      for (const value of ends(range)) expect(takes({ [key]: value })).toBe(true);
      for (const value of pastEnds(range)) expect(takes({ [key]: value })).toBe(false);
    });

    it("takes the batch size, kept in bytes, at its ends in whole MiB, and refuses one MiB past or part of one", () => {
      for (const mb of ends(exporterLimits.maxBatchMb)) expect(takes({ maxBatchBytes: mb * bytesPerMiB })).toBe(true);
      for (const mb of pastEnds(exporterLimits.maxBatchMb)) expect(takes({ maxBatchBytes: mb * bytesPerMiB })).toBe(false);
      expect(takes({ maxBatchBytes: exporterLimits.maxBatchMb.max * bytesPerMiB + 1 })).toBe(false);
      expect(takes({ maxBatchBytes: exporterLimits.maxBatchMb.min * bytesPerMiB - 1 })).toBe(false);
      expect(takes({ maxBatchBytes: 1.5 * bytesPerMiB })).toBe(false);
    });
  });

  describe("in the contract", () => {
    const create = (changes: Record<string, number>) =>
      inputSchemas["exporters:create"].safeParse({ streamName: "orders", sinkName: "s3", ...changes }).success;
    const update = (changes: Record<string, number>) =>
      inputSchemas["exporters:update"].safeParse({ name: "s3-orders", changes }).success &&
      inputSchemas["exporters:planUpdate"].safeParse({ name: "s3-orders", changes }).success;
    const inspect = (changes: Record<string, number>) => inputSchemas["streams:inspect"].safeParse({ name: "orders", ...changes }).success;

    it.each([
      ["intervalSeconds", exporterLimits.intervalSeconds],
      ["workers", exporterLimits.workers],
      ["maxBatchMb", exporterLimits.maxBatchMb],
    ] as const)("creating and changing an exporter take %s at its ends and refuse one past", (key, range) => {
      for (const value of ends(range)) {
        expect(create({ [key]: value })).toBe(true);
        expect(update({ [key]: value })).toBe(true);
      }
      for (const value of pastEnds(range)) {
        expect(create({ [key]: value })).toBe(false);
        expect(update({ [key]: value })).toBe(false);
      }
    });

    it("the topic check takes its sample and interval at their ends and refuses one past", () => {
      for (const [key, range] of [
        ["sample", exporterLimits.sample],
        ["intervalSeconds", exporterLimits.intervalSeconds],
      ] as const) {
        for (const value of ends(range)) expect(inspect({ [key]: value })).toBe(true);
        for (const value of pastEnds(range)) expect(inspect({ [key]: value })).toBe(false);
      }
    });
  });

  describe("in the service", () => {
    const cases = [
      ["intervalSeconds", "interval", exporterLimits.intervalSeconds],
      ["workers", "workers", exporterLimits.workers],
      ["maxBatchMb", "max-batch", exporterLimits.maxBatchMb],
    ] as const;
    const kept = (made: BatchExporterRecord, key: (typeof cases)[number][0]) => (key === "maxBatchMb" ? made.maxBatchBytes / bytesPerMiB : made[key]);

    it.each(cases)("create takes %s at its ends and refuses one past, naming the setting", async (key, setting, range) => {
      for (const value of ends(range)) {
        const made = await service().create({ streamName: "orders", sinkName: "s3", name: `at-${key}-${value}`, includeExistingEvents: true, [key]: value });
        expect(kept(made, key)).toBe(value);
      }
      for (const value of pastEnds(range)) {
        expect(
          await outcome(() =>
            service().create({ streamName: "orders", sinkName: "s3", name: `past-${key}-${value}`, includeExistingEvents: true, [key]: value }),
          ),
        ).toEqual({ refused: setting });
      }
    });

    it.each(cases)("a change takes %s at its ends and refuses one past, naming the setting", async (key, setting, range) => {
      for (const value of ends(range)) expect(kept((await service().planUpdate("s3-orders", { [key]: value })).after, key)).toBe(value);
      for (const value of ends(range)) expect(kept(await service().update("s3-orders", { [key]: value }), key)).toBe(value);
      for (const value of pastEnds(range)) expect(await outcome(() => service().planUpdate("s3-orders", { [key]: value }))).toEqual({ refused: setting });
    });

    it("scaling takes the workers at their ends and refuses one past", async () => {
      for (const value of ends(exporterLimits.workers)) expect((await service().setWorkers("s3-orders", value)).workers).toBe(value);
      for (const value of pastEnds(exporterLimits.workers))
        expect(await outcome(() => service().setWorkers("s3-orders", value))).toEqual({ refused: "workers" });
    });

    it("says the limit it refused in the words it always used", async () => {
      await expect(service().create({ streamName: "orders", sinkName: "s3", intervalSeconds: 3601 })).rejects.toThrow(
        "The interval must be a whole number of seconds from 1 to 3600 (got 3601).",
      );
      await expect(service().setWorkers("s3-orders", 65)).rejects.toThrow("The number of workers must be a whole number of workers from 1 to 64 (got 65).");
      await expect(service().planUpdate("s3-orders", { maxBatchMb: 0 })).rejects.toThrow(
        "The batch size must be a whole number of MiB from 1 to 1024 (got 0).",
      );
      await expect(service().inspect({ streamName: "orders", sample: 1001 })).rejects.toThrow(
        "The sample must be a whole number of records per partition from 1 to 1000 (got 1001).",
      );
    });

    it("uses the defaults when a setting is not given", async () => {
      const made = await service().create({ streamName: "orders", sinkName: "s3", name: "defaults", includeExistingEvents: true });
      expect({ intervalSeconds: made.intervalSeconds, workers: made.workers, maxBatchMb: made.maxBatchBytes / bytesPerMiB }).toEqual({
        intervalSeconds: exporterLimits.intervalSeconds.default,
        workers: exporterLimits.workers.default,
        maxBatchMb: exporterLimits.maxBatchMb.default,
      });
      await expect(service().inspect({ streamName: "orders" })).rejects.toEqual(new Sampled(sampleDefaults.topicCheck));
    });

    it("the topic check takes its sample and interval at their ends and refuses one past", async () => {
      for (const [key, setting, range] of [
        ["sample", "sample", exporterLimits.sample],
        ["intervalSeconds", "interval", exporterLimits.intervalSeconds],
      ] as const) {
        // Taken: the check goes on to read the sample.
        for (const value of ends(range)) await expect(service().inspect({ streamName: "orders", [key]: value })).rejects.toBeInstanceOf(Sampled);
        for (const value of pastEnds(range))
          expect(await outcome(() => service().inspect({ streamName: "orders", [key]: value }))).toEqual({ refused: setting });
      }
    });

    it("the table definition samples within the same limit, 100 records per partition when not told", async () => {
      const tables = (exporters: ExporterService) =>
        new TableService({
          exporters,
          sinks: { get: async () => sink } as unknown as SinkService,
          streams: { get: async () => stream } as unknown as StreamService,
        });
      const define = (sample?: number) =>
        tables(service()).definition({ exporterName: "s3-orders", engine: "duckdb", ...(sample !== undefined ? { sample } : {}) });
      await expect(define()).rejects.toEqual(new Sampled(sampleDefaults.table));
      for (const value of ends(exporterLimits.sample)) await expect(define(value)).rejects.toEqual(new Sampled(value));
      for (const value of pastEnds(exporterLimits.sample)) expect(await outcome(() => define(value))).toEqual({ refused: "sample" });
    });
  });
});
