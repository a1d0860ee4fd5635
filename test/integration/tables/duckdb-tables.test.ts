// DuckDB, the real downstream reader: exporters with each compression, flat and templated paths,
// value-only and envelope lines write files from the real Kafka into S3 (gofakes3) through real
// worker processes; the files are downloaded as they are, and DuckDB reads them:
// - by itself (read_json over the folder, hive partitioning on), every event once, partition
//   columns present;
// - through the definition `table batch-exporter --engine duckdb --files` gives, executed as
//   printed: every event, typed columns, partition columns equal to each file's own time.
// Records that are not JSON objects go to -invalid files, which neither way reads as events.
// Then events whose field names no engine foresees (issue #31, point 3): each definition executes.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { download, query, viewOf } from "../../support/duckdb.js";
import { ExportHarness, isDataFile } from "../../support/export-harness.js";
import { duckdbTable } from "../../../main/core/tables/duckdb.js";
import type { TableSource } from "../../../main/core/tables/layout.js";
import { shownName } from "../../../main/core/tables/names.js";
import { inferSchema } from "../../../main/core/tables/schema.js";

const cases = [
  { compression: "none", fields: undefined, template: undefined, glob: "*.jsonl", columns: [] },
  { compression: "gzip", fields: undefined, template: "dt={date}/hour={hour}", glob: "*/*/*.jsonl.gz", columns: ["dt", "hour"] },
  {
    compression: "zstd",
    fields: ["topic", "partition", "offset", "key", "value"],
    template: "{yyyy}/{MM}/{dd}/{HH}",
    glob: "*/*/*/*/*.jsonl.zst",
    columns: ["year", "month", "day", "hour"],
  },
  { compression: "gzip", fields: ["offset", "timestamp", "key", "value"], template: "{topic}/dt={date}", glob: "*/*/*.jsonl.gz", columns: ["dt"] },
] as const;

describe.each(cases)(
  "DuckDB over an exporter's files (compression $compression, template $template, fields $fields)",
  ({ compression, fields, template, glob, columns }) => {
    it("reads them as they are, and through the definition Streamdrop prints, every event once", { timeout: 150_000 }, async () => {
      const harness = new ExportHarness({
        kafkaBrokers: inject("kafkaBrokers"),
        s3Endpoint: inject("s3Endpoint"),
        partitions: 3,
        intervalSeconds: 1,
        compression,
        ...(fields ? { fields: [...fields] } : {}),
        ...(template ? { pathTemplate: template } : {}),
      });
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
        const plain = await query(
          `SELECT ${fields ? "json_extract_string(to_json(value), '$.id')" : "id"} AS id FROM read_json('${dir}/${glob.replace(/\*\.jsonl/, "*[0-9].jsonl")}', format = 'newline_delimited', hive_partitioning = ${columns.length > 0 && template?.includes("=") ? "true" : "false"}) ${fields ? "WHERE json_type(to_json(value)) = 'OBJECT'" : ""}`,
        );
        expect(ids(plain)).toEqual([...produced].sort());

        // The definition, executed as printed.
        const definition = await harness.core.tables.definition({ exporterName: harness.exporter.name, engine: "duckdb", localRoot: dir, sample: 50 });
        expect(definition.sql).toContain("CREATE OR REPLACE VIEW");
        const view = viewOf(definition.sql);
        const count = await query(definition.sql);
        expect(Number(count[0]!.events)).toBe(fields ? produced.length + 2 : produced.length);
        const rows = await query(`${definition.sql}\nSELECT * FROM ${view};`);
        // An envelope's value is JSON text when the sample saw values of several kinds, a struct otherwise.
        const valueOf = (value: unknown) => (typeof value === "string" ? (JSON.parse(value) as unknown) : value);
        const events = fields
          ? rows
              .map((row) => valueOf(row.value))
              .filter((value): value is Record<string, unknown> => typeof value === "object" && value !== null && "id" in value)
          : rows;
        expect(ids(events)).toEqual([...produced].sort());
        for (const column of columns) expect(Object.keys(rows[0]!)).toContain(column);
        if (fields) expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining([...fields, ...columns]));
        else expect(typeof rows[0]!.strmMeta).toBe("object");
        if ((columns as readonly string[]).includes("dt")) {
          const today = new Date().toISOString().slice(0, 10);
          expect(rows.every((row) => row.dt === today || row.dt === new Date(Date.now() - 86_400_000).toISOString().slice(0, 10))).toBe(true);
        }
        if ((columns as readonly string[]).includes("hour"))
          expect(rows.every((row) => Number.isInteger(row.hour) && (row.hour as number) >= 0 && (row.hour as number) < 24)).toBe(true);
      } finally {
        await harness.tearDown();
      }
    });
  },
);

/** A name of `length` characters starting with `first`. */
const long = (length: number, first: string) => first + "a".repeat(length - 1);

// Issue #31, point 3: field names no engine's rules foresee, each in every event beside plain
// fields, exported from Kafka into non-hive folders (so the path column is in play). Whether DuckDB
// names the field (`named`), or leaves it out with a note; either way the definition executes.
const oddFields = [
  { label: "an empty name", name: "", named: false, value: (n: number) => n },
  { label: "streamdrop_file (the path column's name)", name: "streamdrop_file", named: true, value: (n: number) => `mine-${n}` },
  { label: "300 characters", name: long(300, "c"), named: true, value: (n: number) => n },
  { label: "400 characters", name: long(400, "e"), named: true, value: (n: number) => n },
  { label: "a NUL", name: "nul\u0000", named: false, value: (n: number) => n },
  { label: "a line feed", name: "lf\n", named: false, value: (n: number) => n },
  { label: "a tab", name: "tab\t", named: false, value: (n: number) => n },
  { label: "an escape", name: "esc\u001b", named: false, value: (n: number) => n },
  { label: "DEL", name: "del\u007f", named: false, value: (n: number) => n },
  { label: "a C1 control (NEL)", name: "nel\u0085", named: false, value: (n: number) => n },
  { label: "a.b", name: "a.b", named: true, value: (n: number) => n },
  { label: "a keyword (select)", name: "select", named: true, value: (n: number) => `picked-${n}` },
  { label: "letters beyond ASCII", name: "naïve", named: true, value: (n: number) => `ü-${n}` },
  // An object with an empty key cannot be a STRUCT: read as JSON text.
  { label: "an empty key inside an object", name: "nested", named: true, value: (n: number) => ({ "": n, ok: n }) },
];

describe("DuckDB over events with odd field names", () => {
  const template = "{yyyy}/{MM}/{dd}/{HH}";
  const count = 40;
  let harness: ExportHarness;
  let dir: string;
  let source: TableSource;
  const ids = Array.from({ length: count }, (_, n) => `odd-${n}`);
  /** A column's values as the events held them: DuckDB gives BIGINT as text, and JSON as its text. */
  const valuesOf = (rows: Array<Record<string, unknown>>, name: string) =>
    rows.map((row) => (typeof row[name] === "string" && /^[[{]/.test(row[name]) ? (JSON.parse(row[name]) as unknown) : row[name]));
  const expected = (value: (n: number) => unknown) => ids.map((_, n) => (typeof value(n) === "number" ? String(value(n)) : value(n)));

  beforeAll(async () => {
    harness = new ExportHarness({
      kafkaBrokers: inject("kafkaBrokers"),
      s3Endpoint: inject("s3Endpoint"),
      partitions: 2,
      intervalSeconds: 1,
      compression: "none",
      pathTemplate: template,
    });
    dir = mkdtempSync(join(tmpdir(), "streamdrop-duckdb-odd-"));
    await harness.setUp();
    const events = ids.map((id, n) => ({ id, n, ...Object.fromEntries(oddFields.map((odd) => [odd.name, odd.value(n)])) }));
    await harness.produceRaw(events.map((event) => ({ key: event.id, value: JSON.stringify(event) })));
    await harness.startEngine();
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && (harness.engine!.statuses()[0]?.eventsExported ?? 0) < count) await new Promise((resolve) => setTimeout(resolve, 500));
    await harness.engine!.stop();
    expect((await download(harness, dir)).filter(isDataFile).length).toBeGreaterThan(0);
    source = {
      exporter: harness.exporter.name,
      store: "S3",
      bucket: harness.bucket,
      prefix: "events",
      topic: harness.topic,
      compression: "none",
      template,
      fields: ["value"],
      createdAt: harness.exporter.createdAt,
    };
  }, 150_000);

  afterAll(async () => {
    await harness?.tearDown();
  });

  /** Every event once, in order, its plain columns and the path's folders read back. */
  function expectPlainColumns(rows: Array<Record<string, unknown>>): void {
    expect(rows.map((row) => row.id)).toEqual(ids);
    expect(rows.map((row) => Number(row.n))).toEqual(ids.map((_, n) => n));
    const year = new Date().getUTCFullYear();
    for (const row of rows) {
      expect([year - 1, year]).toContain(row.year);
      for (const [folder, least, most] of [
        ["month", 1, 12],
        ["day", 1, 31],
        ["hour", 0, 23],
      ] as const) {
        expect(row[folder]).toBeGreaterThanOrEqual(least);
        expect(row[folder]).toBeLessThanOrEqual(most);
      }
    }
  }

  it.each(oddFields)("a field named with $label: its definition executes, and every other column reads", async ({ name, named, value }) => {
    // The schema of one line holding the odd field beside the plain ones, as the sample would give it.
    const schema = inferSchema([JSON.stringify({ id: "x", n: 1, [name]: value(1) })]);
    const definition = duckdbTable({ source, schema, localRoot: dir });
    const view = viewOf(definition.sql);
    expect(Number((await query(definition.sql))[0]!.events)).toBe(count);
    const rows = await query(`${definition.sql}\nSELECT * FROM ${view} ORDER BY n;`);
    expectPlainColumns(rows);
    if (named) expect(valuesOf(rows, name)).toEqual(expected(value));
    else {
      expect(Object.keys(rows[0]!)).not.toContain(name);
      expect(definition.notes.some((note) => note.startsWith(`Field ${shownName(name)} is left out: `))).toBe(true);
    }
  });

  it("the definition Streamdrop prints from the stream, with every odd name at once, executes, and reads what DuckDB can name", async () => {
    const definition = await harness.core.tables.definition({ exporterName: harness.exporter.name, engine: "duckdb", localRoot: dir, sample: 50 });
    expect(definition.sql).toContain("filename = 'streamdrop_file_1'");
    const rows = await query(`${definition.sql}\nSELECT * FROM ${viewOf(definition.sql)} ORDER BY n;`);
    expectPlainColumns(rows);
    for (const { name, named, value } of oddFields) {
      if (named) expect(valuesOf(rows, name)).toEqual(expected(value));
      else expect(Object.keys(rows[0]!)).not.toContain(name);
    }
    expect(definition.notes.filter((note) => note.startsWith("Field ") && note.includes(" is left out: "))).toHaveLength(
      oddFields.filter((odd) => !odd.named).length,
    );
  });
});
