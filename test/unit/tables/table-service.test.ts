// Issue #34, point 3: a definition for an exporter whose topic cannot be read (deleted, emptied,
// unreachable), from its stored settings and its export log (a real one, in a data folder): the
// columns kept from the last definition made from the topic, else what the settings say; never
// "topic does not exist" when the export log holds files, and that error, as it is, when it holds none.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bytesPerMiB } from "../../../common/exporter-settings.js";
import type { FileKind } from "../../../common/record-format.js";
import type { BatchExporterRecord, SinkRecord, StreamRecord } from "../../../main/core/config/schema.js";
import { StreamdropError } from "../../../main/core/errors.js";
import type { ExporterService } from "../../../main/core/exporters/control/exporter-service.js";
import { ExportLog } from "../../../main/core/exporters/export-log.js";
import { batchFileKey } from "../../../main/core/exporters/file-names.js";
import type { SinkService } from "../../../main/core/sinks/sink-service.js";
import type { StreamService } from "../../../main/core/streams/stream-service.js";
import type { TopicSample } from "../../../main/core/streams/topic-check.js";
import { ExporterHistory } from "../../../main/core/tables/exporter-history.js";
import { TableService } from "../../../main/core/tables/table-service.js";

const stream = {
  id: randomUUID(),
  name: "clicks",
  bootstrapServers: ["127.0.0.1:1"],
  topic: "clicks",
  ssl: false,
  createdAt: new Date().toISOString(),
} satisfies StreamRecord;
const sink = {
  id: randomUUID(),
  name: "s3",
  type: "S3",
  bucket: "my-bucket",
  pathPrefix: "events",
  credentials: { source: "default-chain" },
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
} satisfies SinkRecord;
const exporterOf = (changes: Partial<BatchExporterRecord> = {}): BatchExporterRecord => ({
  id: randomUUID(),
  name: "s3-clicks",
  streamName: stream.name,
  sinkName: sink.name,
  pathPrefix: "events",
  intervalSeconds: 60,
  includeExistingEvents: false,
  workers: 1,
  maxBatchBytes: 16 * bytesPerMiB,
  fields: ["value"],
  tombstones: "invalid",
  compression: "none",
  paused: false,
  createdAt: "2026-12-01T10:00:00.000Z",
  ...changes,
});

const gone = () => new StreamdropError("not-found", "Topic clicks of stream clicks does not exist on 127.0.0.1:1.");

/** A sample of `values` (JSON text) as the topic check's reader gives it. */
const sampleOf = (values: string[]): TopicSample =>
  ({
    topic: "clicks",
    partitions: [],
    recent: { records: 0, windowMs: 1 },
    records: values.map((value, offset) => ({ partition: 0, offset: String(offset), timestamp: "0", key: null, value: Buffer.from(value), headers: [] })),
  }) as unknown as TopicSample;

/**
 * The service over one exporter, the topic read by `sample`, with a real export log (holding
 * `files` event files, of `kinds[n]` or plain JSON Lines) and kept columns in a fresh data folder.
 */
async function setUp(exporter: BatchExporterRecord, files: number, kinds: readonly FileKind[] = []) {
  const dataDir = mkdtempSync(join(tmpdir(), "streamdrop-tables-"));
  const log = new ExportLog(dataDir);
  for (let n = 0; n < files; n += 1) {
    const time = Date.parse("2026-12-01T10:00:00Z") / 1000 + n;
    const key = batchFileKey({ prefix: "events", time, topic: "clicks", partitions: [0], counter: 0 }, "events", kinds[n] ?? "none");
    await log.append(exporter.id, {
      at: "",
      exporter: exporter.name,
      key,
      uri: `s3://my-bucket/${key}`,
      kind: "events",
      bytes: 10,
      records: 2,
      partitions: [],
    });
  }
  let sample: () => Promise<TopicSample> = async () => {
    throw gone();
  };
  let samples = 0;
  const exporters = {
    get: async () => exporter,
    sample: () => {
      samples += 1;
      return sample();
    },
  } as unknown as ExporterService;
  const tables = new TableService({
    exporters,
    sinks: { get: async () => sink } as unknown as SinkService,
    streams: { get: async () => stream } as unknown as StreamService,
    history: new ExporterHistory(log, dataDir),
  });
  return {
    define: (engine = "duckdb") => tables.definition({ exporterName: exporter.name, engine }),
    topicReads: (values: string[]) => (sample = async () => sampleOf(values)),
    samples: () => samples,
    topicFails: (error: Error) =>
      (sample = async () => {
        throw error;
      }),
  };
}

describe("a definition when the topic cannot be read", () => {
  it("is the topic's error, as it is, when the exporter has stored nothing", async () => {
    const { define } = await setUp(exporterOf(), 0);
    await expect(define()).rejects.toEqual(gone());
  });

  it("reads each line whole when no definition was made before, for lines that are the events themselves", async () => {
    const { define } = await setUp(exporterOf(), 3);
    const { sql, notes } = await define();
    expect(sql).toContain("columns = {'line': 'JSON'}");
    expect(notes[1]).toContain("No columns are known: the topic cannot be read now (Topic clicks of stream clicks does not exist on 127.0.0.1:1.)");
  });

  it("keeps the columns of a definition made from the topic, and uses them once it is gone, saying when they are from", async () => {
    const exporter = exporterOf();
    const { define, topicReads, topicFails } = await setUp(exporter, 3);
    topicReads(['{"id":"a","n":1}', '{"id":"b","n":2}']);
    const live = await define();
    expect(live.sql).toContain("columns = {'id': 'VARCHAR', 'n': 'BIGINT'}");
    topicFails(gone());
    const later = await define("athena");
    expect(later.sql).toContain("  `id` string,\n  `n` bigint\n)");
    expect(later.notes[1]).toMatch(
      /^Columns from the definition made \d{4}-\d{2}-\d{2}T[0-9:.]+Z \(2 sampled lines\): the topic cannot be read now \(Topic clicks of stream clicks does not exist on 127\.0\.0\.1:1\.\)\. Fields added since are not columns\.$/,
    );
    // The topic emptied by retention: the same.
    topicReads([]);
    expect((await define()).sql).toContain("columns = {'id': 'VARCHAR', 'n': 'BIGINT'}");
  });

  it("does not use kept columns of lines shaped otherwise (the fields changed since): the envelope's own then", async () => {
    const exporter = exporterOf();
    const { define, topicReads, topicFails } = await setUp(exporter, 2);
    topicReads(['{"id":"a"}']);
    await define();
    exporter.fields = ["offset", "value"];
    topicFails(gone());
    const { sql } = await define();
    expect(sql).toContain("columns = {'offset': 'BIGINT', 'value': 'JSON', 'valueEncoding': 'VARCHAR'}");
  });

  it("still says a topic without events has none when nothing is stored, and reports a bug as a bug", async () => {
    const empty = await setUp(exporterOf(), 0);
    empty.topicReads([]);
    await expect(empty.define()).rejects.toThrow("Topic clicks has no events to read the columns from (0 records sampled");
    const stored = await setUp(exporterOf(), 2);
    stored.topicFails(new TypeError("a bug"));
    await expect(stored.define()).rejects.toThrow("a bug");
  });
});

describe("a Parquet exporter's definition", () => {
  const parquet = (changes: Partial<BatchExporterRecord> = {}) =>
    exporterOf({
      parquet: { compression: "zstd" },
      columns: [
        { version: 1, columns: [{ name: "id", type: { kind: "string" } }], createdAt: "2026-12-01T10:00:00.000Z" },
        {
          version: 2,
          columns: [
            { name: "id", type: { kind: "string" } },
            { name: "n", type: { kind: "int64" } },
          ],
          createdAt: "2026-12-02T10:00:00.000Z",
        },
      ],
      ...changes,
    });

  it("declares the exporter's latest columns without reading the topic, and reads its .parquet files", async () => {
    const { define, samples } = await setUp(parquet(), 2, ["parquet", "parquet"]);
    const athena = await define("athena");
    expect(athena.sql).toContain("  `id` string,\n  `n` bigint\n)\nSTORED AS PARQUET");
    expect(athena.notes).toContain("Files written with an earlier version of the columns lack n, added since: those files read them as null.");
    const duckdb = await define("duckdb");
    expect(duckdb.sql).toContain("FROM read_parquet(");
    expect(duckdb.sql).toContain("-clicks---*[0-9].parquet'");
    expect(duckdb.notes.join(" ")).not.toContain("The exporter also wrote");
    // The topic is gone, and was never sampled: Parquet files hold the exporter's columns.
    expect(samples()).toBe(0);
  });

  it("reads the Parquet files of an exporter that switched from JSON Lines, and names the JSON Lines ones in a note", async () => {
    const { define } = await setUp(parquet(), 3, ["none", "none", "parquet"]);
    const { sql, notes } = await define("duckdb");
    expect(sql).not.toContain(".jsonl");
    expect(notes).toContainEqual(
      expect.stringMatching(
        /^The exporter also wrote JSON Lines files before it switched to Parquet: s3:\/\/my-bucket\/events\/ \(plain JSON Lines, 2 files in the export log\)/,
      ),
    );
  });
});
