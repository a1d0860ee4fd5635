// Parquet through IPC: the contract takes the format, either format's compression and the columns
// as text (and nothing else), the handlers give them to the core as given, propose columns from
// the stream with its decoding, name a Parquet exporter's previewed file as the core names its
// files, and the exporter's view says its format, codec and latest columns version.
import { describe, expect, it, vi } from "vitest";
import { inputSchemas } from "../../../preload/contract.js";
import type { Core } from "../../../main/core/index.js";
import type { BatchExporterRecord, StreamRecord } from "../../../main/core/config/schema.js";
import type { Column } from "../../../common/table-columns.js";
import { createHandlers } from "../../../main/ipc/handlers.js";
import { exporterInfo } from "../../../main/ipc/views.js";

const stream = { id: "s1", name: "orders", topic: "orders", bootstrapServers: ["b:9092"], ssl: false, createdAt: "2026-01-01T00:00:00.000Z" } as StreamRecord;
const columns: Column[] = [{ name: "id", type: { kind: "int64" } }];
const exporter = {
  id: "e1",
  name: "s3-orders",
  streamName: "orders",
  sinkName: "s3",
  intervalSeconds: 60,
  includeExistingEvents: false,
  workers: 1,
  maxBatchBytes: 16 * 1024 * 1024,
  fields: ["value"],
  tombstones: "invalid",
  compression: "none",
  parquet: { compression: "snappy" },
  columns: [
    { version: 1, columns, createdAt: "2026-01-01T00:00:00.000Z" },
    { version: 2, columns: [...columns, { name: "coupon", type: { kind: "string" } }], createdAt: "2026-01-02T00:00:00.000Z" },
  ],
  paused: false,
  createdAt: "2026-01-01T00:00:00.000Z",
} as BatchExporterRecord;

function handlers() {
  const check = { topic: "orders", preview: { nextKey: "events/2026-01-01T00:01:00-orders---0.jsonl", lines: [], events: 0, invalid: 0, skipped: 0 } };
  const core = {
    streams: { get: vi.fn(async () => stream), list: async () => [stream] },
    exporters: {
      create: vi.fn(async () => exporter),
      inspect: vi.fn(async () => check),
      proposeColumns: vi.fn(async () => ({ columns })),
      list: async () => [exporter],
    },
  };
  const made = createHandlers({
    appInfo: { name: "Streamdrop", version: "0", dataDir: "/data" },
    core: core as unknown as Core,
    engine: { statuses: () => [], nudge: async () => {} },
    settings: { openAtLogin: () => false, setOpenAtLogin: () => {} },
    openExternal: async () => {},
  });
  return { made, core };
}

describe("the contract", () => {
  const create = inputSchemas["exporters:create"];
  const changes = inputSchemas["exporters:update"];
  const base = { streamName: "orders", sinkName: "s3" };

  it.each([
    { format: "parquet" },
    { format: "parquet", compression: "snappy", columns: "id int64, at timestamp(micros)" },
    { format: "jsonl", compression: "zstd" },
  ])("takes %j on create and in changes", (settings) => {
    expect(create.safeParse({ ...base, ...settings }).success).toBe(true);
    expect(changes.safeParse({ name: "s3-orders", changes: settings }).success).toBe(true);
  });

  it.each([{ format: "csv" }, { compression: "lz4" }, { columns: "" }, { columns: ["id int64"] }])("refuses %j", (settings) => {
    expect(create.safeParse({ ...base, ...settings }).success).toBe(false);
    expect(changes.safeParse({ name: "s3-orders", changes: settings }).success).toBe(false);
  });

  it("asks for proposed columns by the stream's name, with a sample and a decoding at most", () => {
    const propose = inputSchemas["streams:proposeColumns"];
    expect(propose.safeParse({ name: "orders", decode: "registry", sample: 50 }).success).toBe(true);
    expect(propose.safeParse({ name: "orders", topic: "other" }).success).toBe(false);
    expect(propose.safeParse({ name: "orders", sample: 0 }).success).toBe(false);
  });
});

describe("the handlers", () => {
  it("create a Parquet exporter with the format, codec and columns as given", async () => {
    const { made, core } = handlers();
    const input = { ...{ streamName: "orders", sinkName: "s3" }, format: "parquet" as const, compression: "snappy" as const, columns: "id int64" };
    const created = await made["exporters:create"](input);
    expect(core.exporters.create).toHaveBeenCalledWith(input);
    expect(created).toMatchObject({ format: "parquet", parquetCompression: "snappy", columns: { version: 2 } });
  });

  it("propose columns from the stream's latest events, decoded as the exporter would decode them", async () => {
    const { made, core } = handlers();
    await expect(made["streams:proposeColumns"]({ name: "orders" })).resolves.toEqual({ columns });
    expect(core.streams.get).toHaveBeenCalledWith("orders");
    // No registry on the stream: nothing to decode with, whatever is asked.
    await made["streams:proposeColumns"]({ name: "orders", decode: "registry", sample: 5 });
    expect(core.exporters.proposeColumns.mock.calls).toEqual([
      [stream, "none", 20, { fromEvents: false }],
      [stream, "none", 5, { fromEvents: false }],
    ]);
  });

  it("ask the core for a Parquet exporter's preview, which names its next file (test/unit/topic-check*)", async () => {
    const { made, core } = handlers();
    await made["streams:inspect"]({ name: "orders", format: "parquet", compression: "snappy" });
    expect(core.exporters.inspect).toHaveBeenCalledWith({ streamName: "orders", format: "parquet", compression: "snappy" });
    await made["streams:inspect"]({ name: "orders", compression: "gzip" });
    expect(core.exporters.inspect).toHaveBeenLastCalledWith({ streamName: "orders", compression: "gzip" });
  });
});

describe("the exporter's view", () => {
  it("says a Parquet exporter's format, codec and latest columns version", () => {
    expect(exporterInfo(exporter, [stream])).toMatchObject({
      format: "parquet",
      compression: "none",
      parquetCompression: "snappy",
      columns: { version: 2, columns: [...columns, { name: "coupon", type: { kind: "string" } }] },
    });
  });

  it("says a JSON Lines exporter's, keeping its columns for a switch back", () => {
    const { parquet: _parquet, ...jsonl } = exporter;
    const info = exporterInfo({ ...jsonl, compression: "gzip" }, [stream]);
    expect(info).toMatchObject({ format: "jsonl", compression: "gzip", columns: { version: 2 } });
    expect(info).not.toHaveProperty("parquetCompression");
    expect(exporterInfo({ ...jsonl, columns: undefined } as BatchExporterRecord, [stream])).not.toHaveProperty("columns");
  });
});
