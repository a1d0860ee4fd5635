// Table definitions for a Parquet exporter (issue #36), asserted against each engine's documented
// syntax (DuckDB's runs over real files in test/integration/tables/parquet-tables.test.ts): the
// columns declared from the exporter's latest columns version, as the writer lays out a file
// (value-only or the envelope), the files read as Parquet with the same partitions and patterns
// as JSON Lines, and an exporter that switched formats read in its current one.
import { describe, expect, it } from "vitest";
import type { RecordField } from "../../../common/record-format.js";
import { parseColumns, type Column, type ColumnsVersion } from "../../../common/table-columns.js";
import { athenaTable } from "../../../main/core/tables/athena.js";
import { bigqueryTable } from "../../../main/core/tables/bigquery.js";
import type { TableInput } from "../../../main/core/tables/definition.js";
import { duckdbTable } from "../../../main/core/tables/duckdb.js";
import type { TableSource } from "../../../main/core/tables/layout.js";
import { parquetColumnsOf } from "../../../main/core/tables/parquet-columns.js";
import { inferSchema } from "../../../main/core/tables/schema.js";

const columns = (text: string): Column[] => {
  const parsed = parseColumns(text);
  if ("problem" in parsed) throw new Error(parsed.problem);
  return parsed.columns;
};
const versions = (...texts: string[]): ColumnsVersion[] =>
  texts.map((text, index) => ({ version: index + 1, columns: columns(text), createdAt: "2026-12-01T10:00:00.000Z" }));

const clicks =
  "id string, userId int64, price decimal(10,2), at timestamp(micros), day date, ok boolean, tags list<string>, strmMeta struct<schemaId string, nonce int32>, attrs map<double>, extra json";
const envelope: RecordField[] = ["topic", "partition", "offset", "timestamp", "key", "headers", "value"];

const source: TableSource = {
  exporter: "s3-clicks",
  store: "S3",
  bucket: "my-bucket",
  prefix: "events",
  topic: "clicks",
  compression: "parquet",
  template: "dt={date}/hour={hour}",
  fields: ["value"],
  createdAt: "2026-12-01T10:00:00.000Z",
};

const input = (changes: Partial<TableSource> = {}, columnVersions = versions(clicks)): TableInput => {
  const fields = changes.fields ?? source.fields;
  return { source: { ...source, ...changes }, schema: parquetColumnsOf({ fields, columns: columnVersions }) };
};
const d2 = "[0-9][0-9]";
const eventGlob = `dt=${d2}${d2}-${d2}-${d2}/hour=${d2}/${d2}${d2}-${d2}-${d2}T${d2}:${d2}:${d2}-clicks---*[0-9].parquet`;

describe("Athena over Parquet files", () => {
  const { sql, notes } = athenaTable(input());

  it("stores the table as Parquet, with no SerDe, and projects the template's folders as for JSON Lines", () => {
    expect(sql).toContain("CREATE EXTERNAL TABLE IF NOT EXISTS `s3_clicks` (");
    expect(sql).toContain("PARTITIONED BY (`dt` string, `hour` int)\nSTORED AS PARQUET\nLOCATION 's3://my-bucket/events/'\nTBLPROPERTIES (");
    expect(sql).not.toMatch(/SERDE|JsonSerDe|mapping\./);
    expect(sql).toContain("'projection.dt.range' = '2026-12-01,NOW'");
    expect(sql).toContain("'storage.location.template' = 's3://my-bucket/events/dt=${dt}/hour=${hour}/'");
    expect(sql).toContain(
      `CREATE OR REPLACE VIEW "s3_clicks_events" AS SELECT * FROM "s3_clicks" WHERE regexp_like("$path", '^s3://my-bucket/events/dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}-clicks---[0-9]+(-[0-9]+)*(\\.[0-9]+)?(\\.s[0-9]+(-[0-9]+)*)?\\.parquet$');`,
    );
  });

  it("declares each column's type from the exporter's columns", () => {
    expect(sql).toContain(
      [
        "  `id` string,",
        "  `userid` bigint,",
        "  `price` decimal(10,2),",
        "  `at` timestamp,",
        "  `day` date,",
        "  `ok` boolean,",
        "  `tags` array<string>,",
        "  `strmmeta` struct<`schemaid`:string,`nonce`:int>,",
        "  `attrs` map<string,double>,",
        "  `extra` string\n)",
      ].join("\n"),
    );
    expect(notes[0]).toBe("Amazon Athena table for Streamdrop batch exporter s3-clicks: topic clicks, Parquet, each row is an event itself.");
    expect(notes[1]).toBe(
      "Columns from the exporter's columns, version 1, which new files are written with (Parquet files hold their own schema; the table declares it).",
    );
    expect(notes).toContain("extra is of type json: each value's JSON text, a string.");
  });

  it("says that a file that is not Parquet under the location (an -invalid companion) fails its queries", () => {
    expect(notes.some((note) => note.includes("fails a query on a file that is not Parquet") && note.includes("-invalid companion files"))).toBe(true);
    expect(notes.find((note) => note.startsWith("The view "))).not.toContain("-invalid");
  });

  it("declares the envelope's columns as the files hold them, the value's columns in a struct", () => {
    const { sql } = athenaTable(input({ fields: envelope }, versions("id string, n int64")));
    expect(sql).toContain(
      [
        "  `topic` string,",
        "  `partition` int,",
        "  `offset` bigint,",
        "  `timestamp` timestamp,",
        "  `key` string,",
        "  `keyencoding` string,",
        "  `headers` array<struct<`key`:string,`value`:string,`valueencoding`:string>>,",
        "  `value` struct<`id`:string,`n`:bigint>\n)",
      ].join("\n"),
    );
  });

  it("leaves out a column it cannot name as the files do, and one a folder gives, each with a note", () => {
    const { sql, notes } = athenaTable(input({}, versions('id string, "user-agent" string, hour int32, meta struct<"a.b" string, ok boolean, OK string>')));
    expect(sql).toContain("  `id` string,\n  `meta` struct<`ok`:boolean>\n)");
    expect(notes).toContain(
      "Column user-agent is left out: Athena's column names are letters, digits and _ only, and a Parquet table finds a column by its name, so it cannot be renamed.",
    );
    expect(notes).toContain("Column hour is left out: the folder hour gives that column.");
    expect(notes).toContain("Field meta.a.b is left out: Athena's struct fields are named with letters, digits and _ only.");
    expect(notes).toContain("Field meta.OK is left out: another field of its struct has its name in another case, and Athena's names ignore case.");
    expect(() => athenaTable(input({}, versions('"a-b" string')))).toThrow(
      "No column of the exporter's Parquet files can be a column of the Amazon Athena table",
    );
  });
});

describe("BigQuery over Parquet files", () => {
  const { sql, notes } = bigqueryTable(input({ store: "GCLOUD", exporter: "gcs-clicks" }));

  it("is an external PARQUET table with hive partition columns, its URIs naming .parquet event files alone", () => {
    expect(sql).toContain("CREATE OR REPLACE EXTERNAL TABLE `your_project.your_dataset.gcs_clicks` (");
    expect(sql).toContain("WITH PARTITION COLUMNS (\n  `dt` DATE,\n  `hour` INT64\n)");
    expect(sql).toContain("format = 'PARQUET'");
    expect(sql).toContain("uris = [\n    'gs://my-bucket/events/dt=*0.parquet',");
    expect(sql).toContain("'gs://my-bucket/events/dt=*9.parquet'\n  ]");
    expect(sql).toContain("hive_partition_uri_prefix = 'gs://my-bucket/events/'");
    expect(sql).toContain("enable_list_inference = true");
    // Parquet compresses inside the file; JSON's options do not apply.
    expect(sql).not.toMatch(/compression =|ignore_unknown_values|NEWLINE_DELIMITED_JSON/);
    expect(sql).toContain("REGEXP_CONTAINS(_FILE_NAME, r'^gs://my-bucket/events/dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/");
    expect(sql).toContain("-clicks---[0-9]+(-[0-9]+)*(\\.[0-9]+)?(\\.s[0-9]+(-[0-9]+)*)?\\.parquet$')");
  });

  it("declares each column's type, a map as the STRUCT BigQuery reads it as", () => {
    expect(sql).toContain(
      [
        "  `id` STRING,",
        "  `userId` INT64,",
        "  `price` NUMERIC,",
        "  `at` TIMESTAMP,",
        "  `day` DATE,",
        "  `ok` BOOL,",
        "  `tags` ARRAY<STRING>,",
        "  `strmMeta` STRUCT<`schemaId` STRING, `nonce` INT64>,",
        "  `attrs` STRUCT<key_value ARRAY<STRUCT<key STRING, value FLOAT64>>>,",
        "  `extra` STRING\n)",
      ].join("\n"),
    );
    expect(notes).toContain("BigQuery has no map type: attrs is a STRUCT holding key_value, a list of key and value pairs (UNNEST it to read them).");
  });

  it("declares the envelope, reads S3 through Omni, and leaves out a list of lists", () => {
    const { sql, notes } = bigqueryTable(input({ fields: envelope }, versions("id string, grid list<list<int64>>, big decimal(38,10)")));
    expect(sql).toContain("  `headers` ARRAY<STRUCT<`key` STRING, `value` STRING, `valueEncoding` STRING>>,");
    expect(sql).toContain("  `value` STRUCT<`id` STRING, `big` BIGNUMERIC>\n)");
    expect(sql).toContain("WITH CONNECTION `your_project.aws-us-east-1.your_connection`");
    expect(notes).toContain("Field value.grid is left out: it is a list of lists, and BigQuery has no ARRAY of ARRAYs.");
  });
});

describe("DuckDB over Parquet files", () => {
  const { sql, notes } = duckdbTable(input());

  it("reads the event files with read_parquet, their own columns united by name, hive partitions typed", () => {
    expect(sql).toBe(
      [
        'CREATE OR REPLACE VIEW "s3_clicks" AS',
        "SELECT * FROM read_parquet(",
        `  's3://my-bucket/events/${eventGlob}',`,
        "  union_by_name = true,",
        "  hive_partitioning = true,",
        "  hive_types = {'dt': DATE, 'hour': INTEGER}",
        ");",
        'SELECT count(*) AS events FROM "s3_clicks";',
        "",
      ].join("\n"),
    );
    expect(notes[1]).toMatch(/^Columns from the Parquet files themselves \(each holds its own schema\), united by name/);
  });

  it("takes partition columns from the file names in folders that are not hive style, leaving out a file column a folder gives", () => {
    const { sql, notes } = duckdbTable(input({ template: "{yyyy}/{MM}" }, versions("id string, month string")));
    expect(sql).toContain('SELECT * EXCLUDE ("streamdrop_file", "month"),');
    expect(sql).toContain("FROM read_parquet(");
    expect(sql).toContain("filename = 'streamdrop_file'");
    expect(notes).toContain("Column month of the files is left out: the folder month gives that column.");
  });

  it("reads a local copy, and an envelope exporter's files alike", () => {
    expect(duckdbTable({ ...input({ fields: envelope }), localRoot: "/data/copy" }).sql).toContain(`'/data/copy/${eventGlob}'`);
  });
});

describe("versions and formats", () => {
  it("says which columns files of earlier versions lack (read as null), and which an edit retyped or dropped", () => {
    const later = input(
      {},
      versions(
        "id string, n int32, gone string",
        "id string, n int64, meta struct<a string>",
        "id string, n int64, meta struct<a string, b int64>, url string",
      ),
    );
    for (const definition of [athenaTable(later), bigqueryTable(later), duckdbTable(later)]) {
      expect(definition.notes).toContain("Files written with an earlier version of the columns lack meta, url, added since: those files read them as null.");
      expect(definition.notes.some((note) => note.startsWith("n had another type in an earlier version of the columns:"))).toBe(true);
    }
    expect(athenaTable(later).notes).toContain(
      "gone, in an earlier version of the columns and not in the latest, is not a column: the older files keep its values, which the table does not read.",
    );
    expect(athenaTable(later).notes[1]).toContain("version 3");
    // A field added inside a struct is named by its path; in an envelope, under value.
    const nested = input({ fields: ["offset", "value"] }, versions("id string, meta struct<a string>", "id string, meta struct<a string, b int64>"));
    expect(duckdbTable(nested).notes).toContain(
      "Files written with an earlier version of the columns lack value.meta.b, added since: those files read them as null.",
    );
  });

  it("reads an exporter that switched to Parquet in Parquet alone, naming its JSON Lines layouts in a note", () => {
    const switched = input({ earlier: [{ prefix: "events", template: "dt={date}/hour={hour}", compression: "gzip", files: 4 }], currentFiles: 2 });
    for (const definition of [athenaTable(switched), duckdbTable(switched), bigqueryTable({ ...switched, source: { ...switched.source, store: "GCLOUD" } })]) {
      expect(definition.sql).not.toMatch(/\.jsonl|read_json|JsonSerDe|NEWLINE_DELIMITED_JSON/);
      expect(
        definition.notes.some(
          (note) =>
            note.startsWith("The exporter also wrote JSON Lines files before it switched to Parquet: ") &&
            note.includes("(gzip-compressed JSON Lines, 4 files in the export log)"),
        ),
      ).toBe(true);
    }
    // One layout read: one Athena table, not one per layout.
    expect(athenaTable(switched).sql.match(/CREATE EXTERNAL TABLE/g)).toHaveLength(1);
  });

  it("reads an exporter that went back to JSON Lines in JSON Lines alone, naming its Parquet layouts in a note", () => {
    const schema = inferSchema(['{"id":"a"}']);
    const back: TableInput = {
      source: {
        ...source,
        compression: "gzip",
        earlier: [{ prefix: "events", template: "dt={date}/hour={hour}", compression: "parquet", files: 3 }],
        currentFiles: 1,
      },
      schema,
    };
    const { sql, notes } = duckdbTable(back);
    expect(sql).toContain("read_json(");
    expect(sql).not.toContain(".parquet");
    expect(notes[0]).toContain("gzip-compressed JSON Lines, each line is an event itself");
    expect(notes.some((note) => note.startsWith("The exporter also wrote Parquet files before it switched to JSON Lines: "))).toBe(true);
  });

  it("keeps earlier Parquet layouts of the same format: one view over both", () => {
    const moved = input({ prefix: "v2", earlier: [{ prefix: "v1", compression: "parquet", files: 5 }], currentFiles: 1 });
    const { sql } = duckdbTable(moved);
    expect(sql).toContain("'s3://my-bucket/v1/");
    expect(sql).toContain("'s3://my-bucket/v2/");
    expect(sql.match(/read_parquet\(/g)!.length).toBeGreaterThanOrEqual(1);
  });
});
