// Issue #34: one definition over every layout an exporter has written (its settings changed),
// whose patterns name the exporter's topic, so exporters sharing a prefix stay apart. Athena and
// BigQuery cannot run here: their SQL is asserted against each engine's documented syntax (one
// table per layout for Athena, whose tables have one location; several URIs per BigQuery table;
// a view over them that keeps each table's own event files by their path). DuckDB's globs run on
// real files here; its definitions run over exported files in test/integration/tables/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { athenaTable } from "../../../main/core/tables/athena.js";
import { bigqueryTable } from "../../../main/core/tables/bigquery.js";
import type { TableInput } from "../../../main/core/tables/definition.js";
import { duckdbTable } from "../../../main/core/tables/duckdb.js";
import { settingsColumns } from "../../../main/core/tables/fallback-columns.js";
import { escapeGlob, eventPathPattern, layoutsOf, type TableSource } from "../../../main/core/tables/layout.js";
import { inferSchema } from "../../../main/core/tables/schema.js";
import { batchFileKey } from "../../../main/core/exporters/file-names.js";

const schema = inferSchema(['{"id":"a","n":1,"meta":{"k":"v"}}']);

/** An exporter that wrote flat, plain files, and now writes gzip files in hive folders. */
const changed: TableSource = {
  exporter: "s3-clicks",
  store: "S3",
  bucket: "my-bucket",
  prefix: "events",
  topic: "clicks",
  compression: "gzip",
  template: "dt={date}/hour={hour}",
  fields: ["value"],
  createdAt: "2026-12-01T10:00:00.000Z",
  earlier: [{ prefix: "events", compression: "none", files: 12 }],
  currentFiles: 30,
  forgottenFiles: 0,
};
const input = (source: Partial<TableSource> = {}, more: Partial<TableInput> = {}): TableInput => ({ source: { ...changed, ...source }, schema, ...more });

const time = (iso: string) => Date.parse(iso) / 1000;
/** A key the exporter writes, as its worker names it. */
const key = (
  topic: string,
  options: { prefix?: string; template?: string; kind?: "events" | "invalid"; compression?: "none" | "gzip"; counter?: number } = {},
) =>
  batchFileKey(
    {
      ...(options.prefix !== undefined ? { prefix: options.prefix } : { prefix: "events" }),
      ...(options.template ? { template: options.template } : {}),
      time: time("2026-12-01T10:05:00Z"),
      topic,
      partitions: [0, 2],
      counter: options.counter ?? 0,
    },
    options.kind ?? "events",
    options.compression ?? "none",
  );

describe("patterns that name the topic", () => {
  const [flat, hive] = layoutsOf(changed);
  const regex = (layout: typeof flat) => new RegExp(eventPathPattern("s3://my-bucket/events/", layout!, "clicks"));

  it("matches the topic's event files in their layout, and nothing else under the prefix", () => {
    const pattern = regex(flat);
    const uri = (k: string) => `s3://my-bucket/${k}`;
    expect(pattern.test(uri(key("clicks")))).toBe(true);
    expect(pattern.test(uri(key("clicks", { counter: 3 })))).toBe(true);
    for (const other of [
      key("my-clicks"),
      key("clicks---1"),
      key("clicks.v2"),
      key("clicks", { kind: "invalid" }),
      key("clicks", { compression: "gzip" }),
      key("clicks", { template: "dt={date}/hour={hour}", compression: "none" }),
      "events/.strm_test_0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b.jsonl",
    ])
      expect(pattern.test(uri(other)), other).toBe(false);
    expect(regex(hive).test(uri(key("clicks", { template: "dt={date}/hour={hour}", compression: "gzip" })))).toBe(true);
  });

  it("escapes what each engine's patterns would read: regexes everywhere, DuckDB's glob classes", () => {
    expect(escapeGlob("data[1]*?")).toBe("data[[]1][*][?]");
    const odd = { topic: "a.b_c-d", prefix: "it's [v1]", earlier: [] };
    expect(duckdbTable(input(odd)).sql).toContain("'s3://my-bucket/it''s [[]v1]/dt=");
    expect(duckdbTable(input(odd)).sql).toContain("-a.b_c-d---*[0-9].jsonl.gz'");
    const athena = athenaTable(input(odd)).sql;
    expect(athena).toContain(`regexp_like("$path", '^s3://my-bucket/it\\x27s \\[v1\\]/dt=`);
    expect(athena).toContain("-a\\.b_c-d---[0-9]+");
    expect(bigqueryTable(input({ ...odd, store: "GCLOUD" })).sql).toContain("r'^gs://my-bucket/it\\x27s \\[v1\\]/dt=");
  });

  describe("DuckDB's glob over real files", () => {
    const dir = mkdtempSync(join(tmpdir(), "streamdrop-globs-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (k: string, ids: string[]) => {
      const path = join(dir, k.slice("events/".length));
      mkdirSync(dirname(path), { recursive: true });
      const lines = Buffer.from(ids.map((id) => `{"id":"${id}","n":1,"meta":{"k":"v"}}\n`).join(""));
      writeFileSync(path, k.endsWith(".gz") ? gzipSync(lines) : lines);
    };

    it("reads each of the exporter's files once, in both layouts, and no other topic's, -invalid or validation file", async () => {
      write(key("clicks"), ["a", "b"]);
      write(key("clicks", { counter: 1 }), ["c"]);
      write(key("clicks", { template: "dt={date}/hour={hour}", compression: "gzip" }), ["d"]);
      write(key("my-clicks"), ["x"]);
      write(key("clicks.v2", { template: "dt={date}/hour={hour}", compression: "gzip" }), ["y"]);
      write(key("clicks", { kind: "invalid" }), ["z"]);
      write("events/.strm_test_0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b.jsonl", ["v"]);
      const { sql } = duckdbTable(input({}, { localRoot: dir }));
      const connection = await (await DuckDBInstance.create(":memory:")).connect();
      await connection.run(sql.slice(0, sql.indexOf(";\n") + 1));
      const rows = (await connection.runAndReadAll(`SELECT id, dt, hour FROM "s3_clicks" ORDER BY id`)).getRowObjectsJson();
      connection.closeSync();
      // Every row has the hive columns: the flat files' from the time in their names.
      expect(rows).toEqual(["a", "b", "c", "d"].map((id) => ({ id, dt: "2026-12-01", hour: 10 })));
    });
  });
});

describe("definitions over several layouts", () => {
  it("DuckDB: a read_json per kind of reading, joined by name, the flat files' partition columns from their names", () => {
    const { sql, notes } = duckdbTable(input());
    const [hive, flat] = sql.split("\nUNION ALL BY NAME\n");
    expect(hive).toContain("SELECT * FROM read_json(\n  's3://my-bucket/events/dt=");
    expect(hive).toContain("hive_partitioning = true");
    expect(flat).toContain('SELECT * EXCLUDE ("streamdrop_file"),\n  CAST(substr(regexp_extract("streamdrop_file", ');
    expect(flat).toContain(', 1), 1, 10) AS DATE) AS "dt",');
    expect(flat).toContain(', 1), 12, 2) AS INTEGER) AS "hour"');
    expect(flat).toContain("compression = 'uncompressed'");
    expect(flat).toContain("hive_partitioning = false,\n  filename = 'streamdrop_file'");
    expect(notes).toContain(
      "The exporter's files are in 2 layouts (its settings changed; the export log names each file): s3://my-bucket/events/ (plain JSON Lines, 12 files in the export log); s3://my-bucket/events/dt={date}/hour={hour}/ (gzip-compressed JSON Lines, 30 files in the export log, the current settings). The table reads them all, each file once.",
    );
    expect(notes).toContain(
      "Files not in folders of dt, hour get those columns from the time in their names, which the folders are made from: the same values.",
    );
  });

  it("DuckDB: layouts read alike share one read_json of several globs; a current layout without files yet is left out, saying so", () => {
    const { sql, notes } = duckdbTable(
      input(
        {
          currentFiles: 0,
          earlier: [
            { prefix: "events/old", compression: "none", files: 3 },
            { prefix: "events", compression: "none", files: 4 },
          ],
        },
        { localRoot: "/copy" },
      ),
    );
    expect(sql).toContain("FROM read_json(\n  [\n    '/copy/[0-9]");
    expect(sql).toContain(",\n    '/copy/old/[0-9]");
    expect(sql).not.toContain("dt=");
    expect(sql).not.toContain("UNION ALL");
    expect(
      notes.some((note) => note.startsWith("The export log names no file of the current settings' layout yet, s3://my-bucket/events/dt={date}/hour={hour}/")),
    ).toBe(true);
    expect(notes).toContain("Reads a local copy of s3://my-bucket/events/ under /copy/ (for example from `aws s3 sync`, `gcloud storage rsync` or `azcopy`).");
  });

  it("Athena: a table per layout (a table has one location), and a view over them all by path", () => {
    const { sql, notes } = athenaTable(input());
    expect(sql).toContain("CREATE EXTERNAL TABLE IF NOT EXISTS `s3_clicks_1` (");
    expect(sql).toContain("LOCATION 's3://my-bucket/events/';\n");
    expect(sql).toContain("CREATE EXTERNAL TABLE IF NOT EXISTS `s3_clicks` (");
    expect(sql).toContain("'storage.location.template' = 's3://my-bucket/events/dt=${dt}/hour=${hour}/'");
    const view = sql.slice(sql.indexOf('CREATE OR REPLACE VIEW "s3_clicks_events" AS '));
    const [flat, hive] = view.split("\nUNION ALL\n");
    // Columns by name, in one order: Trino unites by position.
    expect(flat).toContain(
      `SELECT "id", "n", "meta", CAST(substr(regexp_extract("$path", '/([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})-[^/]*$', 1), 1, 10) AS varchar) AS "dt", CAST(`,
    );
    expect(flat).toContain(`, 12, 2) AS integer) AS "hour" FROM "s3_clicks_1" WHERE regexp_like("$path", '^s3://my-bucket/events/[0-9]{4}-`);
    expect(flat).toContain("-clicks---[0-9]+(-[0-9]+)*(\\.[0-9]+)?\\.jsonl$')");
    expect(hive).toBe(
      `SELECT "id", "n", "meta", "dt", "hour" FROM "s3_clicks" WHERE regexp_like("$path", '^s3://my-bucket/events/dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}-clicks---[0-9]+(-[0-9]+)*(\\.[0-9]+)?\\.jsonl\\.gz$');\n`,
    );
    expect(sql.match(/^CREATE /gm)).toHaveLength(3);
    expect(notes).toContain("Run the 3 statements one at a time: Athena takes one statement per query.");
    expect(notes.some((note) => note.includes("drop the tables you made before the exporter's settings changed first"))).toBe(true);
  });

  it("BigQuery: tables of several URIs where they can share one, a hive table apart, zstd left out, and a view by _FILE_NAME", () => {
    const earlier = [
      { prefix: "events/old", compression: "gzip" as const, files: 1 },
      { prefix: "events", compression: "zstd" as const, files: 2 },
      { prefix: "events", compression: "gzip" as const, files: 3 },
    ];
    const { sql, notes } = bigqueryTable(input({ store: "GCLOUD", earlier }));
    const [plain, hive, view] = sql.split("\n\n");
    // Both flat gzip layouts in one table; events/old's URIs are inside events/'s, so left out: no file read twice.
    expect(plain).toContain("CREATE OR REPLACE EXTERNAL TABLE `your_project.your_dataset.s3_clicks_1` (");
    expect(plain).toContain("'gs://my-bucket/events/*0.jsonl.gz'");
    expect(plain).not.toContain("events/old");
    expect(plain).not.toContain("WITH PARTITION COLUMNS");
    expect(hive).toContain("CREATE OR REPLACE EXTERNAL TABLE `your_project.your_dataset.s3_clicks` (");
    expect(hive).toContain("hive_partition_uri_prefix = 'gs://my-bucket/events/'");
    expect(view).toContain(
      "CREATE OR REPLACE VIEW `your_project.your_dataset.s3_clicks_events` AS\nSELECT `id`, `n`, `meta`, CAST(SUBSTR(REGEXP_EXTRACT(_FILE_NAME, r'",
    );
    expect(view).toContain(
      "FROM `your_project.your_dataset.s3_clicks_1` WHERE REGEXP_CONTAINS(_FILE_NAME, r'^gs://my-bucket/events/old/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}-clicks---[0-9]+(-[0-9]+)*(\\.[0-9]+)?\\.jsonl\\.gz$|^gs://my-bucket/events/[0-9]{4}-",
    );
    expect(view).toContain(
      "\nUNION ALL\nSELECT `id`, `n`, `meta`, `dt`, `hour` FROM `your_project.your_dataset.s3_clicks` WHERE REGEXP_CONTAINS(_FILE_NAME, r'^gs://my-bucket/events/dt=",
    );
    expect(
      notes.some((note) => note.startsWith("BigQuery reads JSON files compressed with gzip only: the zstd files of gs://my-bucket/events/ (zstd-compressed")),
    ).toBe(true);
    expect(() => bigqueryTable(input({ compression: "zstd", earlier: [{ prefix: "events", compression: "zstd", files: 1 }] }))).toThrow(
      "BigQuery reads JSON files compressed with gzip only",
    );
  });
});

describe("definitions without the topic's columns", () => {
  const whole = (source: Partial<TableSource> = {}) => input(source, { schema: settingsColumns(["value"], "Topic clicks of stream clicks does not exist") });

  it("read each line whole, as JSON text, in every engine", () => {
    const duckdb = duckdbTable(whole());
    expect(duckdb.sql).toContain("records = false,\n  columns = {'line': 'JSON'}");
    expect(duckdb.notes[1]).toBe(
      "No columns are known: the topic cannot be read now (Topic clicks of stream clicks does not exist), no definition was made from it before, and Streamdrop does not read the bucket. Each line is read whole, as JSON text, in the column line; ask again once the topic can be read for typed columns.",
    );
    const athena = athenaTable(whole()).sql;
    expect(athena).toContain(
      "CREATE EXTERNAL TABLE IF NOT EXISTS `s3_clicks` (\n  `line` string\n)\nPARTITIONED BY (`dt` string, `hour` int)\nROW FORMAT DELIMITED FIELDS TERMINATED BY '\\001'\nLOCATION",
    );
    expect(athena).not.toContain("JsonSerDe");
    const bigquery = bigqueryTable(whole({ store: "GCLOUD" })).sql;
    expect(bigquery).toContain("`line` STRING\n)");
    expect(bigquery).toContain("format = 'CSV',\n  field_delimiter = '\\x01',\n  quote = '',");
    expect(bigquery).not.toContain("ignore_unknown_values");
  });

  it("are an envelope's own fields when the lines are envelopes", () => {
    const envelope = settingsColumns(["offset", "key", "value"], "gone");
    expect(envelope).toEqual({
      fields: [
        { name: "offset", type: { kind: "integer" } },
        { name: "key", type: { kind: "json" } },
        { name: "keyEncoding", type: { kind: "string" } },
        { name: "value", type: { kind: "json" } },
        { name: "valueEncoding", type: { kind: "string" } },
      ],
      notes: [],
      sampled: 0,
      fallback: { kind: "envelope", why: "gone" },
    });
    const { sql, notes } = duckdbTable(input({ fields: ["offset", "key", "value"] }, { schema: envelope }));
    expect(sql).toContain("columns = {'offset': 'BIGINT', 'key': 'JSON', 'keyEncoding': 'VARCHAR', 'value': 'JSON', 'valueEncoding': 'VARCHAR'}");
    expect(notes[1]).toBe(
      "Columns are the envelope's own fields: the topic cannot be read now (gone), and no definition was made from it before. Keys, values and headers are JSON text.",
    );
  });
});
