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
import { fileTimePattern, type TableSource } from "../../../main/core/tables/layout.js";
import { inferSchema } from "../../../main/core/tables/schema.js";
import { goldenExamples, sampleSchema, sampleSource } from "../../support/table-sample.js";

const schema = sampleSchema;
const source = sampleSource;
const input = (changes: Partial<TableSource> = {}): TableInput => ({ source: { ...source, ...changes }, schema });
/** DuckDB's glob for digits, and for an event file's time. */
const d2 = "[0-9][0-9]";
const d4 = d2 + d2;
const fileTime = `${d4}-${d2}-${d2}T${d2}:${d2}:${d2}`;
const golden = (name: string) => readFileSync(new URL(`../../../docs/tables/${name}`, import.meta.url), "utf8");

describe("schema inference", () => {
  it("types each field as every sampled value fits, and says why when it cannot", () => {
    expect(schema.sampled).toBe(2);
    const types = Object.fromEntries(schema.fields.map((field) => [field.name, field.type]));
    expect(types).toMatchObject({
      id: { kind: "string" },
      userId: { kind: "integer" },
      price: { kind: "double" },
      ok: { kind: "boolean" },
      tags: { kind: "array", element: { kind: "string" } },
      amount: { kind: "json" },
      note: { kind: "string" },
    });
    expect(types.strmMeta).toEqual({
      kind: "struct",
      fields: [
        { name: "schemaId", type: { kind: "string" } },
        { name: "timestamp", type: { kind: "integer" } },
      ],
    });
    expect(schema.notes).toEqual([
      "amount holds integer and string values in the sample: typed as JSON text, so every line reads.",
      "note was null in every sampled line: typed as a string.",
    ]);
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
    for (const property of [
      "'projection.enabled' = 'true'",
      "'projection.dt.type' = 'date'",
      "'projection.dt.format' = 'yyyy-MM-dd'",
      "'projection.dt.range' = '2026-12-01,NOW'",
      "'projection.dt.interval.unit' = 'DAYS'",
      "'projection.hour.type' = 'integer'",
      "'projection.hour.range' = '0,23'",
      "'projection.hour.digits' = '2'",
      "'storage.location.template' = 's3://my-bucket/events/dt=${dt}/hour=${hour}/'",
    ]) {
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
    // A view runs on Athena's query engine, which quotes names with double quotes; it keeps the topic's event files by their exact path.
    expect(sql).toContain(
      `CREATE OR REPLACE VIEW "s3_clicks_events" AS SELECT * FROM "s3_clicks" WHERE regexp_like("$path", '^s3://my-bucket/events/dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}-clicks---[0-9]+(-[0-9]+)*(\\.[0-9]+)?\\.jsonl\\.gz$');`,
    );
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
    expect(notes).toContain(
      "Field user-agent is left out: BigQuery column names are letters, digits and _ only (external tables take no flexible column names).",
    );
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
    // The view keeps the topic's event files by their path (one wildcard per URI cannot name the topic too).
    expect(gcs).toContain(
      "CREATE OR REPLACE VIEW `your_project.your_dataset.gcs_clicks_events` AS\nSELECT * FROM `your_project.your_dataset.gcs_clicks` WHERE REGEXP_CONTAINS(_FILE_NAME, r'^gs://my-bucket/events/dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/",
    );
    expect(gcs).toBe(golden("bigquery.sql"));
  });
});

describe("DuckDB", () => {
  const { sql } = duckdbTable(input());
  it("reads the event files alone, with the columns given and hive partitions typed", () => {
    expect(sql).toContain(`'s3://my-bucket/events/dt=${d4}-${d2}-${d2}/hour=${d2}/${fileTime}-clicks---*[0-9].jsonl.gz'`);
    expect(sql).toContain("hive_partitioning = true");
    expect(sql).toContain("hive_types = {'dt': DATE, 'hour': INTEGER}");
    expect(sql).toContain(`'strmMeta': 'STRUCT("schemaId" VARCHAR, "timestamp" BIGINT)'`);
    expect(sql).toContain("'user-agent': 'VARCHAR'");
  });

  it("reads a local copy when asked, and the matching golden example is docs/tables/duckdb.sql", () => {
    expect(duckdbTable({ ...input(), localRoot: "/data/copy/" }).sql).toContain(
      `'/data/copy/dt=${d4}-${d2}-${d2}/hour=${d2}/${fileTime}-clicks---*[0-9].jsonl.gz'`,
    );
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
    expect(paths.sql).toContain('SELECT * EXCLUDE ("streamdrop_file")');
    expect(paths.sql).toContain("'filename': 'VARCHAR'");
  });
});

// Issue #31, point 3: field names no engine's rules foresee. Each engine either names the field
// (escaped where its SQL needs it) or leaves it out with a note saying why; the SQL stays valid
// and holds no control character (it is printed to a terminal), and so do the notes.
describe("odd field names", () => {
  /** The definitions for lines holding `fields` (one line), Athena's and DuckDB's over non-hive folders, where the path column is in play. */
  const definitions = (fields: Record<string, unknown>, exporter = "s3-clicks") => {
    const odd = inferSchema([JSON.stringify(fields)]);
    const over = { ...source, exporter, template: "{yyyy}/{MM}" };
    return {
      athena: athenaTable({ source: over, schema: odd }),
      bigquery: bigqueryTable({ source: { ...over, store: "GCLOUD" }, schema: odd }),
      duckdb: duckdbTable({ source: over, schema: odd }),
    };
  };
  /** Control characters other than the statements' own line breaks. */
  const controls = (text: string) => [...text].filter((char) => char !== "\n" && /\p{Cc}/u.test(char));
  const columnsOf = (sql: string) => sql.slice(sql.indexOf("(") + 1, sql.indexOf("\n)"));

  it("an empty name: Athena reads it as _ through a mapping; BigQuery and DuckDB leave it out", () => {
    const { athena, bigquery, duckdb } = definitions({ "": 1, id: "a" });
    expect(athena.sql).toContain("  `_` bigint,\n  `id` string");
    expect(athena.sql).toContain("'mapping._' = ''");
    expect(bigquery.sql).not.toContain("``");
    expect(bigquery.notes).toContain(
      'Field "" is left out: BigQuery column names are letters, digits and _ only (external tables take no flexible column names).',
    );
    // The probe's failure: DuckDB refuses {'': 'BIGINT'} ("Positional argument ''BIGINT'' cannot follow named arguments").
    expect(duckdb.sql).toContain("columns = {'id': 'VARCHAR'}");
    expect(duckdb.notes).toContain(`Field "" is left out: DuckDB's SQL cannot name a column with an empty name.`);
  });

  it("a field named streamdrop_file: DuckDB names the path column apart and keeps the field, whatever its case", () => {
    for (const name of ["streamdrop_file", "Streamdrop_File"]) {
      const { athena, bigquery, duckdb } = definitions({ [name]: "mine", id: "a" });
      expect(duckdb.sql).toContain(`columns = {'${name}': 'VARCHAR', 'id': 'VARCHAR'}`);
      expect(duckdb.sql).toContain("filename = 'streamdrop_file_1'");
      expect(duckdb.sql).toContain('SELECT * EXCLUDE ("streamdrop_file_1"),');
      expect(duckdb.sql).toContain(`CAST(substr(regexp_extract("streamdrop_file_1", '${fileTimePattern}', 1), 1, 4) AS INTEGER) AS "year"`);
      expect(athena.sql).toContain("  `streamdrop_file` string,");
      expect(bigquery.sql).toContain(`  \`${name}\` STRING,`);
    }
    const both = definitions({ streamdrop_file: "mine", streamdrop_file_1: "also mine" }).duckdb.sql;
    expect(both).toContain("filename = 'streamdrop_file_2'");
  });

  it("long names: Athena keeps 255 characters (247 when mapped), BigQuery 300, DuckDB any", () => {
    const long = (length: number, first = "a") => first + "a".repeat(length - 1);
    const { athena, bigquery, duckdb } = definitions({
      [long(255)]: 1,
      [long(256, "b")]: 2,
      [long(247, "-")]: 3,
      [long(248, "+")]: 4,
      [long(300, "c")]: 5,
      [long(301, "d")]: 6,
      [long(400, "e")]: 7,
    });
    // Athena: a column name of 255 is the Glue catalog's longest; a key that is not a column name also needs mapping.<column> to fit in 255.
    expect(athena.sql).toContain(`  \`${long(255)}\` bigint,`);
    expect(athena.sql).toContain(`  \`_${"a".repeat(246)}\` bigint`);
    expect(athena.sql).toContain(`'mapping._${"a".repeat(246)}' = '-${"a".repeat(246)}'`);
    for (const length of [256, 300, 301, 400]) expect(columnsOf(athena.sql)).not.toMatch(new RegExp(`\`[b-e]a{${length - 1}}\``));
    expect(athena.notes).toContain(
      `Field baaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (256 characters) is left out: its column name would be 256 characters long, and the Glue catalog allows 255.`,
    );
    expect(athena.notes).toContain(
      `Field +aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (248 characters) is left out: its key is not a column name, and the mapping's property key (mapping.<column>) would be 256 characters long, where the Glue catalog allows 255.`,
    );
    expect(athena.notes).toContain(
      `Field caaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (300 characters) is left out: its column name would be 300 characters long, and the Glue catalog allows 255.`,
    );
    expect(athena.notes).toContain(
      `Field eaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (400 characters) is left out: its column name would be 400 characters long, and the Glue catalog allows 255.`,
    );
    // BigQuery: "Column names have a maximum length of 300 characters": 300 is allowed, 301 is not.
    expect(bigquery.sql).toContain(`  \`${long(300, "c")}\` INT64\n)`);
    expect(columnsOf(bigquery.sql)).not.toMatch(/`[de]a{300,}`/);
    expect(bigquery.notes).toContain(
      "Field daaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (301 characters) is left out: its name is 301 characters long, and BigQuery's column names are 300 at most.",
    );
    expect(bigquery.notes).toContain(
      "Field eaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (400 characters) is left out: its name is 400 characters long, and BigQuery's column names are 300 at most.",
    );
    // DuckDB has no limit: every one is a column.
    for (const name of [long(255), long(256, "b"), long(300, "c"), long(301, "d"), long(400, "e")]) expect(duckdb.sql).toContain(`'${name}': 'BIGINT'`);
  });

  it("control characters: Athena escapes C0 and DEL as Hive's octal in the mapping, and leaves out C1; BigQuery and DuckDB leave them out", () => {
    const names = { nul: "nul\u0000", lf: "lf\n", tab: "tab\t", esc: "esc\u001b", del: "del\u007f", nel: "nel\u0085" };
    const { athena, bigquery, duckdb } = definitions({ id: "a", ...Object.fromEntries(Object.values(names).map((name, index) => [name, index])) });
    // The probe's failure: a NUL written raw into the mapping string.
    for (const [column, escaped] of [
      ["nul_", "nul\\000"],
      ["lf_", "lf\\012"],
      ["tab_", "tab\\011"],
      ["esc_", "esc\\033"],
      ["del_", "del\\177"],
    ]) {
      expect(athena.sql).toContain(`  \`${column}\` bigint`);
      expect(athena.sql).toContain(`'mapping.${column}' = '${escaped}'`);
    }
    expect(athena.sql).not.toContain("nel_");
    expect(athena.notes).toContain(`Field "nel\\u0085" is left out: its name holds a C1 control character, which Athena's DDL strings cannot escape.`);
    // Each shown escaped in its note, as the terminal would otherwise act on it.
    const [nul, ...others] = ['"nul\\u0000"', '"lf\\u000a"', '"tab\\u0009"', '"esc\\u001b"', '"del\\u007f"', '"nel\\u0085"'];
    for (const shown of [nul, ...others])
      expect(bigquery.notes).toContain(
        `Field ${shown} is left out: BigQuery column names are letters, digits and _ only (external tables take no flexible column names).`,
      );
    expect(columnsOf(bigquery.sql)).toBe("\n  `id` STRING");
    expect(duckdb.sql).toContain("columns = {'id': 'VARCHAR'}");
    expect(duckdb.notes).toContain(`Field ${nul} is left out: its name holds a NUL, which ends DuckDB's SQL text.`);
    for (const shown of others)
      expect(duckdb.notes).toContain(`Field ${shown} is left out: its name holds a control character, which DuckDB's SQL has no escape for.`);
    for (const definition of [athena, bigquery, duckdb]) {
      expect(controls(definition.sql)).toEqual([]);
      expect(definition.notes.flatMap(controls)).toEqual([]);
    }
  });

  it("a.b: Athena maps it to a_b, and a field named a_b takes that column from it, with the right reason", () => {
    const alone = definitions({ "a.b": 1, id: "x" });
    expect(alone.athena.sql).toContain("  `a_b` bigint");
    expect(alone.athena.sql).toContain("'mapping.a_b' = 'a.b'");
    expect(alone.athena.notes.filter((note) => note.startsWith("Field"))).toEqual([]);
    expect(alone.duckdb.sql).toContain("'a.b': 'BIGINT'");
    expect(alone.bigquery.notes).toContain(
      "Field a.b is left out: BigQuery column names are letters, digits and _ only (external tables take no flexible column names).",
    );
    // Whichever comes first in the lines, a_b is read as a_b, and the note says why a.b is not.
    for (const fields of [
      { "a.b": 1, a_b: "x" },
      { a_b: "x", "a.b": 1 },
    ]) {
      const { athena } = definitions(fields);
      expect(athena.sql).toContain("  `a_b` string");
      expect(athena.sql).not.toContain("mapping.a_b");
      expect(athena.notes).toContain(
        "Field a.b is left out: its column would be a_b, which field a_b already is (Athena's column names are lower case letters, digits and _ only).",
      );
      expect(athena.notes.join(" ")).not.toContain("ignore case");
    }
  });

  it("neighbours: names that differ only in case, SQL keywords, unicode, reserved prefixes, half a surrogate pair", () => {
    const { athena, bigquery, duckdb } = definitions(
      { Select: 1, select: 2, order: 3, naïve: "x", _FILE_NAME: "f", _partitiontime: 4, "half\ud800": 5 },
      "select",
    );
    // Case: the schema keeps the first of two, for every engine.
    for (const definition of [athena, bigquery, duckdb])
      expect(definition.notes).toContain("select is left out: it differs from Select only in case, and engines' column names ignore case.");
    // Keywords: quoted in every engine, the exporter's name too (DuckDB's view was bare, so an exporter named select broke it).
    expect(athena.sql).toContain("  `select` bigint,\n  `order` bigint,");
    expect(bigquery.sql).toContain("  `Select` INT64,\n  `order` INT64\n)");
    expect(duckdb.sql).toContain('CREATE OR REPLACE VIEW "select" AS');
    expect(duckdb.sql).toContain('SELECT count(*) AS events FROM "select";');
    expect(duckdb.sql).toContain("'Select': 'BIGINT', 'order': 'BIGINT', 'naïve': 'VARCHAR'");
    // Unicode: Athena maps it, BigQuery's external tables cannot name it.
    expect(athena.sql).toContain("'mapping.na_ve' = 'naïve'");
    expect(bigquery.notes).toContain(
      "Field naïve is left out: BigQuery column names are letters, digits and _ only (external tables take no flexible column names).",
    );
    // BigQuery reserves _FILE_ (its _FILE_NAME pseudo-column) and _PARTITION, in any case.
    expect(bigquery.notes).toContain("Field _FILE_NAME is left out: BigQuery reserves column names that start with _FILE_.");
    expect(bigquery.notes).toContain("Field _partitiontime is left out: BigQuery reserves column names that start with _PARTITION.");
    expect(columnsOf(bigquery.sql)).not.toMatch(/_FILE_NAME|_partitiontime/);
    // Half a surrogate pair ("\ud800" in the JSON) has no UTF-8 spelling: every engine leaves it out.
    for (const definition of [athena, duckdb])
      expect(definition.notes).toContain(
        'Field "half\\ud800" is left out: its name holds half of a UTF-16 surrogate pair, which no UTF-8 text (so no SQL) can spell.',
      );
    expect(bigquery.notes).toContain(
      'Field "half\\ud800" is left out: BigQuery column names are letters, digits and _ only (external tables take no flexible column names).',
    );
  });

  it("odd keys inside an object: each engine types the object as JSON when it cannot name a key, and says so", () => {
    const { athena, bigquery, duckdb } = definitions({ user: { "": 1, name: "a" }, meta: { _file_x: 1 }, long: { ["k".repeat(301)]: 1 }, fine: { select: 1 } });
    expect(athena.sql).toContain("  `user` string,");
    expect(athena.notes).toContain("user has keys that are not plain names: kept as JSON text.");
    expect(athena.sql).toContain("`fine` struct<`select`:bigint>");
    expect(bigquery.sql).toContain("  `user` JSON,\n  `meta` JSON,\n  `long` JSON,\n  `fine` STRUCT<`select` INT64>");
    expect(bigquery.notes).toContain("meta has keys BigQuery cannot name as STRUCT fields: typed as JSON.");
    expect(duckdb.sql).toContain(
      `'user': 'JSON', 'meta': 'STRUCT("_file_x" BIGINT)', 'long': 'STRUCT("${"k".repeat(301)}" BIGINT)', 'fine': 'STRUCT("select" BIGINT)'`,
    );
    expect(duckdb.notes).toContain("user has keys DuckDB cannot name as STRUCT fields: typed as JSON.");
  });

  it("refuses, saying why, when no field is left to be a column: a table of no columns is not SQL", () => {
    const odd = inferSchema(['{"":1}']);
    const over = { ...source, template: "{yyyy}/{MM}" };
    expect(athenaTable({ source: over, schema: odd }).sql).toContain("  `_` bigint\n)");
    expect(() => bigqueryTable({ source: { ...over, store: "GCLOUD" }, schema: odd })).toThrow(
      'No field of the 1 sampled line can be a column of a BigQuery table, so there is no table to define. Field "" is left out: BigQuery column names are letters, digits and _ only (external tables take no flexible column names).',
    );
    expect(() => duckdbTable({ source: over, schema: odd })).toThrow(
      `No field of the 1 sampled line can be a column of a DuckDB table, so there is no table to define. Field "" is left out: DuckDB's SQL cannot name a column with an empty name.`,
    );
    const empty = inferSchema(["{}", "{}"]);
    for (const table of [athenaTable, duckdbTable])
      expect(() => table({ source: over, schema: empty })).toThrow("No field of the 2 sampled lines can be a column of a");
    expect(() => athenaTable({ source: over, schema: inferSchema(['{"year":1}']) })).toThrow("Field year is left out: the folder year gives that column.");
  });

  it("shows odd names in notes quoted, their hidden characters escaped", () => {
    const inferred = inferSchema(['{"\\u001b[2J":null,"a\\u202eb":null," padded ":null}']);
    expect(inferred.notes).toEqual([
      String.raw`"\u001b[2J" was null in every sampled line: typed as a string.`,
      String.raw`"a\u202eb" was null in every sampled line: typed as a string.`,
      `" padded " was null in every sampled line: typed as a string.`,
    ]);
  });
});
