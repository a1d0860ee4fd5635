// Table definitions, asserted against each engine's documented syntax (Athena and BigQuery cannot
// run here; DuckDB's run in test/integration/tables/), with one golden example per engine kept in
// docs/tables/ so the docs show exactly what Streamdrop prints (`npx tsx scripts/table-examples.ts`
// rewrites them after an intended change).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { athenaTable } from "../../../main/core/tables/athena.js";
import { bigqueryTable } from "../../../main/core/tables/bigquery.js";
import type { TableInput } from "../../../main/core/tables/definition.js";
import { duckdbTable } from "../../../main/core/tables/duckdb.js";
import type { TableSource } from "../../../main/core/tables/layout.js";
import { inferSchema } from "../../../main/core/tables/schema.js";
import { goldenExamples, sampleSchema, sampleSource } from "../../support/table-sample.js";

const schema = sampleSchema;
const source = sampleSource;
const input = (changes: Partial<TableSource> = {}): TableInput => ({ source: { ...source, ...changes }, schema });
const golden = (name: string) => readFileSync(new URL(`../../../docs/tables/${name}`, import.meta.url), "utf8");

describe("schema inference", () => {
  it("types each field as every sampled value fits, and says why when it cannot", () => {
    expect(schema.sampled).toBe(2);
    const types = Object.fromEntries(schema.fields.map((field) => [field.name, field.type]));
    expect(types).toMatchObject({ id: { kind: "string" }, userId: { kind: "integer" }, price: { kind: "double" }, ok: { kind: "boolean" }, tags: { kind: "array", element: { kind: "string" } }, amount: { kind: "json" }, note: { kind: "string" } });
    expect(types.strmMeta).toEqual({ kind: "struct", fields: [{ name: "schemaId", type: { kind: "string" } }, { name: "timestamp", type: { kind: "integer" } }] });
    expect(schema.notes).toEqual(["amount holds integer and string values in the sample: typed as JSON text, so every line reads.", "note was null in every sampled line: typed as a string."]);
  });

  it("skips lines that are not JSON objects, and keeps first-seen order", () => {
    const inferred = inferSchema(["not json", "[1]", '{"b":1}', '{"a":1,"b":2}']);
    expect(inferred.sampled).toBe(2);
    expect(inferred.fields.map((field) => field.name)).toEqual(["b", "a"]);
  });
});

describe("Athena", () => {
  const { sql } = athenaTable(input());
  it("is an external table with the OpenX JSON SerDe and partition projection over the template's folders", () => {
    expect(sql).toContain("CREATE EXTERNAL TABLE IF NOT EXISTS `s3_clicks` (");
    expect(sql).toContain("ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'");
    expect(sql).toContain("PARTITIONED BY (`dt` string, `hour` int)");
    expect(sql).toContain("LOCATION 's3://my-bucket/events/'");
    for (const property of ["'projection.enabled' = 'true'", "'projection.dt.type' = 'date'", "'projection.dt.format' = 'yyyy-MM-dd'", "'projection.dt.range' = '2026-12-01,NOW'", "'projection.dt.interval.unit' = 'DAYS'", "'projection.hour.type' = 'integer'", "'projection.hour.range' = '0,23'", "'projection.hour.digits' = '2'", "'storage.location.template' = 's3://my-bucket/events/dt=${dt}/hour=${hour}/'"]) {
      expect(sql).toContain(property);
    }
    // Projection, so no crawler and no MSCK REPAIR; partition columns are not data columns.
    expect(sql).not.toMatch(/MSCK|ADD PARTITION/);
    expect(sql.slice(0, sql.indexOf("PARTITIONED BY"))).not.toMatch(/`(dt|hour)` /);
  });

  it("maps keys Athena cannot name, keeps nested objects as structs, and leaves -invalid files out in a view", () => {
    expect(sql).toContain("'mapping.user_agent' = 'user-agent'");
    expect(sql).toContain("`strmmeta` struct<`schemaid`:string,`timestamp`:bigint>");
    expect(sql).toContain("`amount` string");
    // A view runs on Athena's query engine, which quotes names with double quotes.
    expect(sql).toContain(`CREATE OR REPLACE VIEW "s3_clicks_events" AS SELECT * FROM "s3_clicks" WHERE "$path" NOT LIKE '%-invalid.jsonl%';`);
  });

  it("projects non-hive folders as integer columns, and a flat exporter has no partitions", () => {
    const folders = athenaTable(input({ template: "{yyyy}/{MM}/{dd}/{HH}", compression: "zstd" })).sql;
    expect(folders).toContain("PARTITIONED BY (`year` int, `month` int, `day` int, `hour` int)");
    expect(folders).toContain("'projection.year.range' = '2026,2051'");
    expect(folders).toContain("'storage.location.template' = 's3://my-bucket/events/${year}/${month}/${day}/${hour}/'");
    expect(athenaTable(input({ compression: "zstd" })).notes).toContain("Athena reads the zstd files by their suffix (.jsonl.zst).");
    const flat = athenaTable(input({ template: undefined })).sql;
    expect(flat).not.toContain("PARTITIONED BY");
    expect(flat).not.toContain("TBLPROPERTIES");
    expect(flat).toContain("LOCATION 's3://my-bucket/events/';");
  });

  it("projects a hive folder mixing tokens as a date in its own format, and a fixed one as an enum", () => {
    const sql = athenaTable(input({ template: "source={topic}/day={yyyy}{MM}{dd}" })).sql;
    expect(sql).toContain("'projection.source.type' = 'enum'");
    expect(sql).toContain("'projection.source.values' = 'clicks'");
    expect(sql).toContain("'projection.day.format' = 'yyyyMMdd'");
    expect(sql).toContain("'projection.day.range' = '20261201,NOW'");
  });

  it("refuses a sink that is not S3", () => {
    expect(() => athenaTable(input({ store: "GCLOUD" }))).toThrow("Athena reads Amazon S3 only");
  });

  it("matches the golden example in docs/tables/athena.sql", () => {
    expect(athenaTable({ source: goldenExamples["athena.sql"].source, schema })).toMatchObject({ sql });
    expect(sql).toBe(golden("athena.sql"));
  });
});

describe("BigQuery", () => {
  const gcs = bigqueryTable(input({ store: "GCLOUD", exporter: "gcs-clicks" })).sql;
  it("is an external table over newline-delimited JSON with hive partition columns", () => {
    expect(gcs).toContain("CREATE OR REPLACE EXTERNAL TABLE `your_project.your_dataset.gcs_clicks` (");
    expect(gcs).toContain("WITH PARTITION COLUMNS (\n  `dt` DATE,\n  `hour` INT64\n)");
    expect(gcs).toContain("format = 'NEWLINE_DELIMITED_JSON'");
    // Ten URIs of one wildcard each, one per last digit of an event file's name: never an -invalid file, nor a validation file at the prefix.
    expect(gcs).toContain("uris = [\n    'gs://my-bucket/events/dt=*0.jsonl.gz',\n    'gs://my-bucket/events/dt=*1.jsonl.gz',");
    expect(gcs).toContain("'gs://my-bucket/events/dt=*9.jsonl.gz'\n  ]");
    expect(gcs).toContain("hive_partition_uri_prefix = 'gs://my-bucket/events/'");
    expect(gcs).toContain("compression = 'GZIP'");
    expect(gcs).not.toContain("WITH CONNECTION");
    // One wildcard each, under the hive prefix, as BigQuery requires.
    const uris = [...gcs.matchAll(/'(gs:\/\/[^']+)'/g)].map((match) => match[1]!).filter((uri) => uri.includes("*"));
    expect(uris).toHaveLength(10);
    for (const uri of uris) {
      expect(uri.split("*")).toHaveLength(2);
      expect(uri.startsWith("gs://my-bucket/events/")).toBe(true);
    }
  });

  it("types nested objects as STRUCT, mixed fields as JSON, and leaves out keys it cannot name", () => {
    expect(gcs).toContain("`strmMeta` STRUCT<`schemaId` STRING, `timestamp` INT64>");
    expect(gcs).toContain("`amount` JSON");
    const { sql, notes } = bigqueryTable(input({ store: "GCLOUD" }));
    expect(sql).not.toContain("user-agent`");
    expect(notes).toContain("Field user-agent is left out: BigQuery column names are letters, digits and _ only.");
  });

  it("reads S3 through Omni with a connection, and puts fixed folders into the hive prefix", () => {
    const s3 = bigqueryTable(input({ template: "{topic}/dt={date}" })).sql;
    expect(s3.indexOf("WITH CONNECTION")).toBeGreaterThan(0);
    expect(s3.indexOf("WITH CONNECTION")).toBeLessThan(s3.indexOf("WITH PARTITION COLUMNS"));
    expect(s3).toContain("hive_partition_uri_prefix = 's3://my-bucket/events/clicks/'");
  });

  it("gives non-hive folders no columns, and refuses zstd, which it cannot read", () => {
    const folders = bigqueryTable(input({ store: "GCLOUD", template: "{yyyy}/{MM}/{dd}" })).sql;
    expect(folders).not.toContain("WITH PARTITION COLUMNS");
    expect(folders).not.toContain("hive_partition_uri_prefix");
    expect(() => bigqueryTable(input({ compression: "zstd" }))).toThrow("BigQuery reads JSON files compressed with gzip only");
  });

  it("matches the golden example in docs/tables/bigquery.sql", () => {
    expect(bigqueryTable({ source: goldenExamples["bigquery.sql"].source, schema }).sql).toBe(gcs);
    expect(gcs).toBe(golden("bigquery.sql"));
  });
});

describe("DuckDB", () => {
  const { sql } = duckdbTable(input());
  it("reads the event files alone, with the columns given and hive partitions typed", () => {
    expect(sql).toContain("'s3://my-bucket/events/dt=*/hour=*/*[0-9].jsonl.gz'");
    expect(sql).toContain("hive_partitioning = true");
    expect(sql).toContain("hive_types = {'dt': DATE, 'hour': INTEGER}");
    expect(sql).toContain(`'strmMeta': 'STRUCT("schemaId" VARCHAR, "timestamp" BIGINT)'`);
    expect(sql).toContain("'user-agent': 'VARCHAR'");
  });

  it("reads a local copy when asked, and the matching golden example is docs/tables/duckdb.sql", () => {
    expect(duckdbTable({ ...input(), localRoot: "/data/copy/" }).sql).toContain("'/data/copy/dt=*/hour=*/*[0-9].jsonl.gz'");
    expect(duckdbTable({ source: goldenExamples["duckdb.sql"].source, schema }).sql).toBe(sql);
    expect(sql).toBe(golden("duckdb.sql"));
  });
});

describe("what the review found", () => {
  it("keeps notes out of the SQL, which Athena's DDL parser would refuse as comments", () => {
    for (const definition of [athenaTable(input()), bigqueryTable(input({ store: "GCLOUD" })), duckdbTable(input())]) {
      expect(definition.sql).not.toMatch(/^\s*--/m);
      expect(definition.notes[0]).toMatch(/table for Streamdrop batch exporter/);
    }
  });

  it("puts fixed folders into Athena's location when the template gives no column", () => {
    expect(athenaTable(input({ template: "{topic}" })).sql).toContain("LOCATION 's3://my-bucket/events/clicks/';");
  });

  it("types Athena's columns to read the -invalid lines too, and escapes DDL strings as Hive does", () => {
    const envelope = inferSchema(['{"offset":1,"key":{"user":7},"value":{"id":"a"},"it\'s":1}']);
    const { sql, notes } = athenaTable({ source: { ...source, fields: ["offset", "key", "value"] }, schema: envelope });
    expect(sql).toContain("`offset` bigint");
    expect(sql).toContain("`key` string");
    expect(sql).toContain("`value` string");
    expect(notes).toContain("key is typed as JSON text: the -invalid files' lines hold a string of that name, which the table reads too.");
    expect(sql).toContain("'mapping.it_s' = 'it\\'s'");
  });

  it("judges numbers by their text: 1.0 is a fraction, and a whole number beyond 64 bits stays JSON text", () => {
    const inferred = inferSchema(['{"a":1.0,"b":18446744073709551615,"c":9223372036854775807}']);
    expect(inferred.fields).toEqual([
      { name: "a", type: { kind: "double" } },
      { name: "b", type: { kind: "json" } },
      { name: "c", type: { kind: "integer" } },
    ]);
  });

  it("keeps one of two keys that differ only in case, and a nested object with such keys as JSON text", () => {
    const inferred = inferSchema(['{"Id":1,"id":2,"user":{"Name":"a","name":"b"}}']);
    expect(inferred.fields).toEqual([
      { name: "Id", type: { kind: "integer" } },
      { name: "user", type: { kind: "json" } },
    ]);
    expect(inferred.notes).toContain("id is left out: it differs from Id only in case, and engines' column names ignore case.");
  });

  it("leaves out a DuckDB field that a folder's column would overwrite, whatever its case, and names the path column apart", () => {
    const withHour = inferSchema(['{"Hour":"late","filename":"x.csv","id":"a"}']);
    const hive = duckdbTable({ source, schema: withHour });
    expect(hive.sql).not.toContain("'Hour'");
    expect(hive.notes).toContain("Field Hour of the lines is left out: the folder hour gives that column.");
    const paths = duckdbTable({ source: { ...source, template: "{yyyy}/{MM}" }, schema: withHour });
    expect(paths.sql).toContain("filename = 'streamdrop_file'");
    expect(paths.sql).toContain("SELECT * EXCLUDE (streamdrop_file)");
    expect(paths.sql).toContain("'filename': 'VARCHAR'");
  });
});
