// DuckDB over a Parquet exporter's files (issue #36): real Kafka, real worker processes writing
// `.parquet` files into S3 (moto), downloaded as they are; the DuckDB definition Streamdrop prints
// (`read_parquet` over the exporter's event files), executed as printed, gives every event once
// with the columns' types, and the partition columns, and never reads the `-invalid` companions
// (JSON Lines beside the Parquet files) nor the `.strm_test_*.parquet` validation files.
// - Event values, hive folders, and a second columns version mid-run: files of the first version
//   read its new column as null.
// - Envelopes in folders that are not hive style: the partition columns from each file's name.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { download, query, viewOf } from "../../support/duckdb.js";
import { ExportHarness, isInvalidFile, isValidationFile } from "../../support/export-harness.js";
import { waitFor } from "../../support/wait-for.js";

const columns = "id string, strmMeta struct<schemaId string, nonce int64, timestamp int64>, url string";

/** Each column's type as DuckDB names it, through the view. */
async function viewTypes(sql: string): Promise<Record<string, string>> {
  const rows = await query(`${sql}\nDESCRIBE SELECT * FROM ${viewOf(sql)};`);
  return Object.fromEntries(rows.map((row) => [row.column_name as string, row.column_type as string]));
}

describe("DuckDB over a Parquet exporter of event values, in hive folders, across a change of columns", () => {
  const harness = new ExportHarness({
    kafkaBrokers: inject("kafkaBrokers"),
    s3Endpoint: inject("s3Endpoint"),
    partitions: 3,
    intervalSeconds: 1,
    format: "parquet",
    columns,
    pathTemplate: "dt={date}/hour={hour}",
  });
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it("reads every event once, typed, with its partitions, through the definition Streamdrop prints", { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "streamdrop-duckdb-parquet-"));
    // Version 1: plain events, and two records that do not fit the columns (-invalid JSON Lines beside the Parquet files).
    const first = await harness.produce(1200);
    await harness.produceRaw([{ value: "not json" }, { value: JSON.stringify({ id: "misfit", url: 5 }) }]);
    let engine = await harness.startEngine();
    await harness.waitForIds(first, 90_000);
    await waitFor("the -invalid records", async () => ((engine.statuses()[0]?.invalidExported ?? 0) >= 2 ? true : undefined), 60_000);
    await engine.stop();

    // Version 2 adds a column; events that carry it are written with it.
    await harness.core.exporters.update(harness.exporter.name, { columns: `${columns}, coupon string` });
    const second = Array.from({ length: 300 }, (_, n) => `${harness.topic}-v2-${n}`);
    await harness.produceRaw(
      second.map((id, n) => ({
        key: id,
        value: JSON.stringify({ id, strmMeta: { schemaId: "clickstream", nonce: n, timestamp: Date.now() }, url: "https://example.test/", coupon: `C${n}` }),
      })),
    );
    engine = await harness.startEngine();
    await harness.waitForIds(second, 90_000);
    await engine.stop();

    const keys = await download(harness, dir);
    expect(keys.some((key) => key.endsWith(".parquet") && !isValidationFile(key))).toBe(true);
    expect(keys.some(isInvalidFile)).toBe(true);
    expect(keys.some((key) => isValidationFile(key) && key.endsWith(".parquet"))).toBe(true);

    const definition = await harness.core.tables.definition({ exporterName: harness.exporter.name, engine: "duckdb", localRoot: dir });
    expect(definition.sql).toContain("read_parquet(");
    expect(definition.notes).toContain("Files written with an earlier version of the columns lack coupon, added since: those files read them as null.");
    expect(Number((await query(definition.sql))[0]!.events)).toBe(first.length + second.length);

    expect(await viewTypes(definition.sql)).toEqual({
      id: "VARCHAR",
      strmMeta: 'STRUCT(schemaId VARCHAR, nonce BIGINT, "timestamp" BIGINT)',
      url: "VARCHAR",
      coupon: "VARCHAR",
      dt: "DATE",
      hour: "INTEGER",
    });
    const rows = await query(`${definition.sql}\nSELECT * FROM ${viewOf(definition.sql)};`);
    expect(rows.map((row) => row.id as string).sort()).toEqual([...first, ...second].sort());
    const byId = new Map(rows.map((row) => [row.id as string, row]));
    expect(first.every((id) => byId.get(id)!.coupon === null)).toBe(true);
    expect(second.map((id) => byId.get(id)!.coupon)).toEqual(second.map((_, n) => `C${n}`));
    expect(rows.every((row) => typeof row.strmMeta === "object" && (row.strmMeta as { schemaId: string }).schemaId === "clickstream")).toBe(true);
    const days = [0, 1].map((back) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10));
    expect(rows.every((row) => days.includes(row.dt as string) && Number.isInteger(row.hour) && (row.hour as number) < 24)).toBe(true);
  });
});

describe("DuckDB over a Parquet exporter of envelopes, in folders that are not hive style", () => {
  const fields = ["topic", "partition", "offset", "timestamp", "key", "headers", "value"];
  const harness = new ExportHarness({
    kafkaBrokers: inject("kafkaBrokers"),
    s3Endpoint: inject("s3Endpoint"),
    partitions: 2,
    intervalSeconds: 1,
    fields,
    format: "parquet",
    compression: "snappy",
    columns,
    pathTemplate: "{yyyy}/{MM}/{dd}/{HH}",
  });
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it("reads every envelope once, its fields typed as the files hold them, the folders' columns from the file names", { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "streamdrop-duckdb-parquet-envelope-"));
    const produced = await harness.produce(800);
    const engine = await harness.startEngine();
    await waitFor("every event", async () => ((engine.statuses()[0]?.eventsExported ?? 0) >= produced.length ? true : undefined), 90_000);
    await engine.stop();
    await download(harness, dir);

    const definition = await harness.core.tables.definition({ exporterName: harness.exporter.name, engine: "duckdb", localRoot: dir });
    expect(definition.sql).toContain("filename = 'streamdrop_file'");
    expect(await viewTypes(definition.sql)).toEqual({
      topic: "VARCHAR",
      partition: "INTEGER",
      offset: "BIGINT",
      timestamp: "TIMESTAMP WITH TIME ZONE",
      key: "VARCHAR",
      keyEncoding: "VARCHAR",
      headers: 'STRUCT("key" VARCHAR, "value" VARCHAR, valueEncoding VARCHAR)[]',
      value: 'STRUCT(id VARCHAR, strmMeta STRUCT(schemaId VARCHAR, nonce BIGINT, "timestamp" BIGINT), url VARCHAR)',
      year: "INTEGER",
      month: "INTEGER",
      day: "INTEGER",
      hour: "INTEGER",
    });
    const rows = await query(`${definition.sql}\nSELECT *, value.id AS id FROM ${viewOf(definition.sql)};`);
    expect(rows.map((row) => row.id as string).sort()).toEqual([...produced].sort());
    expect(rows.every((row) => row.topic === harness.topic && row.key === row.id)).toBe(true);
    // Each partition's offsets once each, from 0.
    for (const partition of [0, 1]) {
      const offsets = rows.filter((row) => row.partition === partition).map((row) => Number(row.offset));
      expect(offsets.sort((a, b) => a - b)).toEqual(offsets.map((_, n) => n));
    }
    const year = new Date().getUTCFullYear();
    expect(rows.every((row) => [year - 1, year].includes(row.year as number) && (row.month as number) >= 1 && (row.hour as number) <= 23)).toBe(true);
  });
});
