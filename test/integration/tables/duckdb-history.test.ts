// Issue #34: "Query your data" over everything an exporter wrote, on the real stack (Kafka, S3 on
// moto, worker processes, the export log) with DuckDB as the reader:
// - an exporter writes flat, plain files, then is changed (through the core's update, as the
//   window and `update batch-exporter` do) to hive folders and gzip, and writes more: the one
//   definition counts every event of both, once;
// - a second exporter on the same sink and prefix, of a topic whose name ends in the first's,
//   writes files beside them: neither definition counts the other's events;
// - the topic is deleted: the definition is still made (from the columns kept from the last one,
//   and, without those, each line whole) and still counts every event.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kafka } from "../../support/clients.js";
import { download, query, viewOf } from "../../support/duckdb.js";
import { ExportHarness, isDataFile } from "../../support/export-harness.js";
import { createTopic } from "../../support/store-export.js";
import type { BatchExporterRecord } from "../../../main/core/config/schema.js";

const before = 240;
const after = 260;
const others = 120;

describe("DuckDB over an exporter's files before and after a change of folders and compression", () => {
  const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 2, intervalSeconds: 1 });
  // `other-<topic>`: a glob of `*-<topic>---` would take its files too.
  const otherTopic = `other-${harness.topic}`;
  let other: BatchExporterRecord;
  const produced: string[] = [];
  const otherIds: string[] = [];
  let dir: string;

  const definition = (exporterName = harness.exporter.name) => harness.core.tables.definition({ exporterName, engine: "duckdb", localRoot: dir, sample: 50 });
  const stored = async (exporter: BatchExporterRecord) =>
    (await harness.core.exportLog.read(exporter.id)).filter((entry) => entry.kind === "events").reduce((sum, entry) => sum + entry.records, 0);
  async function until(what: string, done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 90_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  beforeAll(async () => {
    await harness.setUp();
    await createTopic(otherTopic, 1);
    await harness.core.streams.create({ name: "others", bootstrapServers: inject("kafkaBrokers"), topic: otherTopic });
    // The same sink, so the same prefix (the sink's), flat and plain like the first exporter's earlier files.
    other = await harness.core.exporters.create({ streamName: "others", sinkName: "s3", intervalSeconds: 1, includeExistingEvents: true });
    const producer = kafka(inject("kafkaBrokers")).producer();
    await producer.connect();
    await producer.send({
      topic: otherTopic,
      messages: Array.from({ length: others }, (_, n) => {
        otherIds.push(`other-${n}`);
        return { value: JSON.stringify({ id: `other-${n}`, strmMeta: { schemaId: "clickstream", nonce: n, timestamp: Date.now() }, url: "x" }) };
      }),
    });
    await producer.disconnect();

    // Flat, plain files.
    produced.push(...(await harness.produce(before)));
    await harness.startEngine();
    await until("the first events and the other exporter's", async () => (await stored(harness.exporter)) >= before && (await stored(other)) >= others);

    // Hive folders and gzip from now on: the engine restarts the workers with the new settings.
    await harness.core.exporters.update(harness.exporter.name, { compression: "gzip", pathTemplate: "dt={date}/hour={hour}" });
    await harness.engine!.nudge();
    produced.push(...(await harness.produce(after)));
    await until("the events after the change", async () => (await stored(harness.exporter)) >= before + after);
    await harness.engine!.stop();

    dir = mkdtempSync(join(tmpdir(), "streamdrop-duckdb-history-"));
    const keys = (await download(harness, dir)).filter(isDataFile);
    // Both layouts, and the other exporter's files beside the first's, are in the copy: what the definitions must tell apart.
    expect(keys.some((key) => /^events\/[^/]+\.jsonl$/.test(key) && key.includes(`-${harness.topic}---`))).toBe(true);
    expect(keys.some((key) => /^events\/dt=[^/]+\/hour=[^/]+\/[^/]+\.jsonl\.gz$/.test(key))).toBe(true);
    expect(keys.some((key) => key.includes(`-${otherTopic}---`))).toBe(true);
  }, 240_000);

  afterAll(async () => {
    await harness.tearDown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every event of the first exporter once, and none of the other's, through the definition as printed. */
  async function expectEveryEvent(sql: string, id: (row: Record<string, unknown>) => string): Promise<Array<Record<string, unknown>>> {
    expect(Number((await query(sql))[0]!.events)).toBe(before + after);
    const rows = await query(`${sql}\nSELECT * FROM ${viewOf(sql)};`);
    expect(rows.map(id).sort()).toEqual([...produced].sort());
    return rows;
  }

  it("reads the files of both layouts, each event once, with the partition columns on every row", async () => {
    const { sql, notes } = await definition();
    expect(sql).toContain("UNION ALL BY NAME");
    expect(notes.some((note) => note.startsWith("The exporter's files are in 2 layouts"))).toBe(true);
    const rows = await expectEveryEvent(sql, (row) => String(row.id));
    // The flat files' dt and hour come from the time in their names: what their folders would have been.
    const days = [0, 1].map((ago) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10));
    for (const row of rows) {
      expect(days).toContain(row.dt);
      expect(row.hour).toBeGreaterThanOrEqual(0);
      expect(row.hour).toBeLessThanOrEqual(23);
    }
    expect(typeof rows[0]!.strmMeta).toBe("object");
  });

  it("keeps exporters that share a prefix apart: the other's definition counts its own events alone", async () => {
    const { sql } = await definition(other.name);
    expect(Number((await query(sql))[0]!.events)).toBe(others);
    const rows = await query(`${sql}\nSELECT id FROM ${viewOf(sql)};`);
    expect(rows.map((row) => String(row.id)).sort()).toEqual([...otherIds].sort());
  });

  it("still defines the table once the topic is deleted, and still counts every event", async () => {
    const admin = kafka(inject("kafkaBrokers")).admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [harness.topic] });
      await until("the topic to be gone", async () => !(await admin.listTopics()).includes(harness.topic));
    } finally {
      await admin.disconnect();
    }

    // The columns kept from the last definition.
    const remembered = await definition();
    expect(remembered.notes[1]).toMatch(/^Columns from the definition made .*: the topic cannot be read now \(Topic .* does not exist/);
    const rows = await expectEveryEvent(remembered.sql, (row) => String(row.id));
    expect(typeof rows[0]!.strmMeta).toBe("object");

    // Without them (a definition never asked for before the topic went): each line whole, every event still counted.
    rmSync(join(harness.core.dataDir, "tables", `${harness.exporter.id}.json`));
    const whole = await definition();
    expect(whole.notes[1]).toMatch(/^No columns are known: the topic cannot be read now/);
    expect(whole.sql).toContain("records = false");
    await expectEveryEvent(whole.sql, (row) => (JSON.parse(String(row.line)) as { id: string }).id);
  });
});
