// DuckDB, the real downstream reader: exporters with each compression, flat and templated paths,
// value-only and envelope lines write files from the real Kafka into S3 (gofakes3) through real
// worker processes; the files are downloaded as they are, and DuckDB reads them:
// - by itself (read_json over the folder, hive partitioning on), every event once, partition
//   columns present;
// - through the definition `table batch-exporter --engine duckdb --files` gives, executed as
//   printed: every event, typed columns, partition columns equal to each file's own time.
// Records that are not JSON objects go to -invalid files, which neither way reads as events.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, inject, it } from "vitest";
import { ExportHarness, isDataFile } from "../../support/export-harness.js";

/** Every file under the exporter's prefix, downloaded byte for byte into `dir` (as `aws s3 sync` would). */
async function download(harness: ExportHarness, dir: string): Promise<string[]> {
  const listed = await harness.s3.send(new ListObjectsV2Command({ Bucket: harness.bucket, Prefix: "events/" }));
  const keys = (listed.Contents ?? []).map((object) => object.Key!);
  for (const key of keys) {
    const object = await harness.s3.send(new GetObjectCommand({ Bucket: harness.bucket, Key: key }));
    const path = join(dir, key.slice("events/".length));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.from(await object.Body!.transformToByteArray()));
  }
  return keys;
}

async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    // The definition as printed: its statements one by one (comments and all), the last one's rows back.
    const statements = sql.split(/;\s*\n/).map((statement) => statement.trim()).filter((statement) => statement.replace(/^--.*$/gm, "").trim() !== "");
    let rows: Array<Record<string, unknown>> = [];
    for (const statement of statements) rows = (await connection.runAndReadAll(statement)).getRowObjectsJson() as Array<Record<string, unknown>>;
    return rows;
  } finally {
    connection.closeSync();
  }
}

const cases = [
  { compression: "none", fields: undefined, template: undefined, glob: "*.jsonl", columns: [] },
  { compression: "gzip", fields: undefined, template: "dt={date}/hour={hour}", glob: "*/*/*.jsonl.gz", columns: ["dt", "hour"] },
  { compression: "zstd", fields: ["topic", "partition", "offset", "key", "value"], template: "{yyyy}/{MM}/{dd}/{HH}", glob: "*/*/*/*/*.jsonl.zst", columns: ["year", "month", "day", "hour"] },
  { compression: "gzip", fields: ["offset", "timestamp", "key", "value"], template: "{topic}/dt={date}", glob: "*/*/*.jsonl.gz", columns: ["dt"] },
] as const;

describe.each(cases)("DuckDB over an exporter's files (compression $compression, template $template, fields $fields)", ({ compression, fields, template, glob, columns }) => {
  it("reads them as they are, and through the definition Streamdrop prints, every event once", { timeout: 150_000 }, async () => {
    const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 3, intervalSeconds: 1, compression, ...(fields ? { fields: [...fields] } : {}), ...(template ? { pathTemplate: template } : {}) });
    const dir = mkdtempSync(join(tmpdir(), "streamdrop-duckdb-"));
    try {
      await harness.setUp();
      const produced = await harness.produce(1500);
      await harness.produceRaw([{ value: "not json" }, { value: "[1,2]" }]);
      await harness.startEngine();
      // Every event (and, value-only, the two invalid records) stored: the exporter's status says so.
      const expected = produced.length + (fields ? 2 : 0);
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        const status = harness.engine!.statuses()[0];
        if ((status?.eventsExported ?? 0) >= expected && (fields || (status?.invalidExported ?? 0) >= 2)) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await harness.engine!.stop();
      const keys = await download(harness, dir);
      expect(keys.filter(isDataFile).length).toBeGreaterThan(0);
      const ids = (rows: Array<Record<string, unknown>>) => rows.map((row) => String(row.id)).sort();

      // DuckDB by itself: the event files only (names end in a digit before the suffix), hive partitioning on.
      const plain = await query(`SELECT ${fields ? "json_extract_string(to_json(value), '$.id')" : "id"} AS id FROM read_json('${dir}/${glob.replace(/\*\.jsonl/, "*[0-9].jsonl")}', format = 'newline_delimited', hive_partitioning = ${columns.length > 0 && template?.includes("=") ? "true" : "false"}) ${fields ? "WHERE json_type(to_json(value)) = 'OBJECT'" : ""}`);
      expect(ids(plain)).toEqual([...produced].sort());

      // The definition, executed as printed.
      const definition = await harness.core.tables.definition({ exporterName: harness.exporter.name, engine: "duckdb", localRoot: dir, sample: 50 });
      expect(definition.sql).toContain("CREATE OR REPLACE VIEW");
      const view = definition.sql.match(/CREATE OR REPLACE VIEW (\w+)/)![1]!;
      const count = await query(definition.sql);
      expect(Number(count[0]!.events)).toBe(fields ? produced.length + 2 : produced.length);
      const rows = await query(`${definition.sql}\nSELECT * FROM ${view};`);
      // An envelope's value is JSON text when the sample saw values of several kinds, a struct otherwise.
      const valueOf = (value: unknown) => (typeof value === "string" ? (JSON.parse(value) as unknown) : value);
      const events = fields ? rows.map((row) => valueOf(row.value)).filter((value): value is Record<string, unknown> => typeof value === "object" && value !== null && "id" in value) : rows;
      expect(ids(events)).toEqual([...produced].sort());
      for (const column of columns) expect(Object.keys(rows[0]!)).toContain(column);
      if (fields) expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining([...fields, ...columns]));
      else expect(typeof rows[0]!.strmMeta).toBe("object");
      if ((columns as readonly string[]).includes("dt")) {
        const today = new Date().toISOString().slice(0, 10);
        expect(rows.every((row) => row.dt === today || row.dt === new Date(Date.now() - 86_400_000).toISOString().slice(0, 10))).toBe(true);
      }
      if ((columns as readonly string[]).includes("hour")) expect(rows.every((row) => Number.isInteger(row.hour) && (row.hour as number) >= 0 && (row.hour as number) < 24)).toBe(true);
    } finally {
      await harness.tearDown();
    }
  });
});
