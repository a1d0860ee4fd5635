// The stream and exporter verbs through the built CLI, then `streamdrop run` headless until
// SIGINT, `files` and `logs`: what a user on a server does.
import { spawn } from "node:child_process";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { kafka, s3Client, uniqueName } from "../../support/clients.js";
import { CliEnv, cliIn, streamdropBin } from "../../support/cli.js";

const { env } = new CliEnv("cli-exporters", { awsKey: true });
const bucket = uniqueName("cli-exporters");
const topic = uniqueName("clicks");
const { cli, ok } = cliIn(env);

beforeAll(async () => {
  await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
  await ok("create", "sink", "s3", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint"), "--path-prefix", "events");
});

describe("streams", () => {
  it("refuses an unreachable cluster and a missing topic, and creates the topic when asked", async () => {
    const unreachable = await cli("create", "stream", "nowhere", "--bootstrap-servers", "127.0.0.1:1");
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("streamdrop: Cannot reach Kafka at 127.0.0.1:1");
    const missing = await cli("create", "stream", "demo", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic);
    expect(missing.stderr).toContain(`Topic ${topic} does not exist on ${inject("kafkaBrokers")}. Create it, or add --create-topic [--partitions N].`);
    const bad = await cli("create", "stream", "demo", "--bootstrap-servers", "localhost");
    expect(bad.stderr).toContain('Invalid bootstrap server "localhost": use host:port');

    const created = await ok(
      "create",
      "stream",
      "demo",
      "--bootstrap-servers",
      inject("kafkaBrokers"),
      "--topic",
      topic,
      "--create-topic",
      "--partitions",
      "3",
    );
    expect(JSON.parse(created.stdout)).toEqual({ ref: { name: "demo" }, topic, bootstrapServers: inject("kafkaBrokers"), ssl: false });
    expect((await ok("list", "topics", "--bootstrap-servers", inject("kafkaBrokers"))).stdout.split("\n")).toContain(topic);
    expect((await ok("list", "streams")).stdout).toMatch(new RegExp(`^demo\\s+${topic}\\s+`, "m"));
  });

  it("simulates clickstream events shaped like the product page's", async () => {
    await ok("simulate", "random-events", "demo", "--rate", "1000", "--count", "500", "--sessions", "10");
    const admin = kafka(inject("kafkaBrokers")).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.reduce((total, partition) => total + Number(partition.high), 0)).toBe(500);
  });
});

describe("batch exporters", () => {
  it("checks the interval, the prefix and the name, and defaults the name to <sink>-<stream>", async () => {
    expect((await cli("create", "batch-exporter", "demo", "--sink", "s3", "--interval", "0")).stderr).toContain(
      "The interval must be a whole number of seconds from 1 to 3600 (got 0). Set it with --interval <seconds>.",
    );
    expect((await cli("create", "batch-exporter", "demo", "--sink", "s3", "--interval", "3601")).stderr).toContain("from 1 to 3600");
    expect((await cli("create", "batch-exporter", "demo", "--sink", "s3", "--path-prefix", "elsewhere")).stderr).toContain(
      'Path prefix "elsewhere" is outside sink s3\'s prefix "events"',
    );
    expect((await cli("create", "batch-exporter", "demo", "--sink", "s3", "--path-prefix", `events/${"é".repeat(880)}`)).stderr).toMatch(
      /file names could reach \d+ bytes; S3 keys are at most 1024/,
    );
    expect((await cli("create", "batch-exporter", "demo", "--sink", "nope")).stderr).toContain('There is no sink named "nope"');
    expect((await cli("create", "batch-exporter", "demo", "--sink", "s3", "--fields", "key,vaule")).stderr).toContain(
      'Unknown field "vaule". The fields a line can hold are: topic, partition, offset, timestamp, key, keySchemaId, headers, value, valueSchemaId.',
    );
    expect((await cli("create", "batch-exporter", "demo", "--sink", "s3", "--fields", "key,value,key")).stderr).toContain('The field "key" is listed twice.');
    expect((await cli("create", "batch-exporter", "demo", "--sink", "s3", "--tombstones", "keep")).stderr).toContain(
      "Keeping tombstones needs fields besides value (for example key,value)",
    );
    expect((await cli("create", "batch-exporter", "demo", "--sink", "s3", "--tombstones", "drop")).stderr).toContain(
      'Unknown tombstone policy "drop": choose invalid',
    );

    const created = JSON.parse((await ok("create", "batch-exporter", "demo", "--sink", "s3", "--interval", "2", "--include-existing-events")).stdout);
    expect(created).toMatchObject({
      ref: { name: "s3-demo" },
      streamRef: { name: "demo" },
      sinkName: "s3",
      interval: "2s",
      pathPrefix: "events",
      includeExistingEvents: true,
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await cli("create", "batch-exporter", "demo", "--sink", "s3")).stderr).toContain("A batch exporter named s3-demo already exists");
    expect((await ok("list", "batch-exporters")).stdout).toMatch(/^s3-demo\s+demo\s+s3\s+true\s+2s\s+events\s+value\s+1\s+no$/m);
    expect((await cli("delete", "stream", "demo")).stderr).toContain("Cannot delete stream demo: batch exporters s3-demo use it. Delete those first.");
  });

  it("runs headless until SIGINT, shows progress, and lists the files it wrote", { timeout: 120_000 }, async () => {
    const run = spawn(process.execPath, [streamdropBin, "run", "--progress-every", "1"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    run.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => run.once("exit", (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    // Until the lag read after the last file says so too (the workers read it every 5 s).
    while (!/s3-demo: running, 500 events \(\d+\/s\), \d+ files, lag 0/.test(stderr) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 500));
    run.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/s3-demo: running, 500 events \(\d+\/s\), \d+ files, lag 0/);
    expect(stderr).toContain("Stopped.");

    const files = JSON.parse((await ok("files", "s3-demo", "-o", "json")).stdout).files as Array<{ key: string; kind: string; records: number; uri: string }>;
    // One validation file, the exporter's at creation: the start of `run` changed nothing it proves.
    expect(files.filter((file) => file.kind === "validation")).toHaveLength(1);
    expect(files.filter((file) => file.kind === "events").reduce((total, file) => total + file.records, 0)).toBe(500);
    expect(files[0]!.uri).toBe(`s3://${bucket}/${files[0]!.key}`);
    expect((await ok("files", "s3-demo")).stdout).toMatch(/^TIME\s+KEY\s+BYTES\s+RECORDS\s+PARTITIONS$/m);
    const logs = (await ok("logs", "batch-exporter", "s3-demo")).stdout;
    expect(logs).toContain("INFO batch exporter created");
    expect(logs).toContain("INFO joined the consumer group");
  });

  it("takes folders by time, shows them in the next file's name, and prints table definitions with their notes apart", { timeout: 60_000 }, async () => {
    expect((await cli("create", "batch-exporter", "demo", "--sink", "s3", "--name", "templated", "--path-template", "dt={day}")).stderr).toContain(
      "Unknown token {day} in the path template. Use {date}, {hour}, {yyyy}, {MM}, {dd}, {HH}, {mm}, {topic}. Set it with --path-template <folders>.",
    );
    // s3-demo writes this topic's files right under events/: another exporter there would write files of the same names.
    const clash = await cli(
      "create",
      "batch-exporter",
      "demo",
      "--sink",
      "s3",
      "--name",
      "templated",
      "--compression",
      "gzip",
      "--path-template",
      "dt={date}/hour={hour}",
    );
    expect(clash.stderr).toContain("Batch exporter s3-demo already writes files of topic");
    expect(clash.stderr).toContain("--path-prefix");
    const created = JSON.parse(
      (
        await ok(
          "create",
          "batch-exporter",
          "demo",
          "--sink",
          "s3",
          "--name",
          "templated",
          "--path-prefix",
          "events/templated",
          "--compression",
          "gzip",
          "--path-template",
          "dt={date}/hour={hour}",
        )
      ).stdout,
    );
    expect(created).toMatchObject({ compression: "gzip", pathTemplate: "dt={date}/hour={hour}" });
    const check = JSON.parse(
      (await ok("inspect", "stream", "demo", "--sink", "s3", "--path-template", "dt={date}/hour={hour}", "--compression", "gzip", "-o", "json")).stdout,
    );
    expect(check.preview.nextKey).toMatch(/^events\/dt=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-[^/]+---0-1-2\.jsonl\.gz$/);

    const athena = await ok("table", "batch-exporter", "templated", "--engine", "athena");
    expect(athena.stdout).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS `templated` \(/);
    expect(athena.stdout).toContain("PARTITIONED BY (`dt` string, `hour` int)");
    // The simulated clickstream's fields, from the topic's latest events.
    expect(athena.stdout).toMatch(/`strmmeta` struct<.*`schemaid`:string/);
    expect(athena.stdout).not.toMatch(/^--/m);
    expect(athena.stderr).toContain("Note: Amazon Athena table for Streamdrop batch exporter templated: topic");
    expect((await ok("table", "batch-exporter", "templated", "--engine", "bigquery")).stdout).toContain("WITH CONNECTION");
    expect((await cli("table", "batch-exporter", "templated", "--engine", "athena", "--files", "/tmp/copy")).stderr).toContain(
      "Only the DuckDB definition reads a local copy of the files",
    );
    expect((await cli("table", "batch-exporter", "templated", "--engine", "spark")).stderr).toContain("Allowed choices are athena, bigquery, duckdb");
    expect((await cli("table", "batch-exporter", "ghost", "--engine", "duckdb")).stderr).toContain("There is no batch exporter named ghost");
    await ok("delete", "batch-exporter", "templated");
  });

  it("warns, without refusing, of fields that leave out value: the files would hold no event values", async () => {
    const keysOnly = await ok(
      "create",
      "batch-exporter",
      "demo",
      "--sink",
      "s3",
      "--name",
      "keys-only",
      "--path-prefix",
      "events/keys",
      "--fields",
      "key,timestamp",
    );
    expect(JSON.parse(keysOnly.stdout)).toMatchObject({ ref: { name: "keys-only" }, fields: "key,timestamp" });
    expect(keysOnly.stderr).toBe(
      "Warning: --fields key,timestamp leaves out value: the files will hold no event values. Add it (for example --fields key,timestamp,value) to export the events too.\n",
    );
    expect(
      (await ok("create", "batch-exporter", "demo", "--sink", "s3", "--name", "with-values", "--path-prefix", "events/values", "--fields", "key,value")).stderr,
    ).toBe("");
    await ok("delete", "batch-exporter", "keys-only", "with-values");
  });

  it("says a stream's deleted topic is gone in the words `inspect` uses, not Kafka's", { timeout: 60_000 }, async () => {
    const gone = uniqueName("gone");
    await ok("create", "stream", "gone", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", gone, "--create-topic", "--partitions", "1");
    const admin = kafka(inject("kafkaBrokers")).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [gone] });
    await admin.disconnect();
    const words = `Topic ${gone} of stream gone does not exist on ${inject("kafkaBrokers")}.`;
    expect((await cli("inspect", "stream", "gone")).stderr).toContain(words);
    const create = await cli("create", "batch-exporter", "gone", "--sink", "s3");
    expect(create.code).toBe(1);
    expect(create.stderr).toContain(words);
    expect(create.stderr).not.toContain("does not host this topic-partition");
    expect((await cli("create", "batch-exporter", "gone", "--sink", "s3", "--include-existing-events")).stderr).toContain(words);
    await ok("delete", "stream", "gone");
  });

  it("pauses, resumes and deletes several at once", async () => {
    await ok("create", "batch-exporter", "demo", "--sink", "s3", "--name", "second", "--path-prefix", "events/second");
    expect((await ok("pause", "batch-exporter", "second")).stderr).toBe("Paused batch exporter second.\n");
    expect(JSON.parse((await ok("get", "batch-exporter", "second")).stdout).paused).toBe(true);
    await ok("resume", "batch-exporter", "second");
    expect(JSON.parse((await ok("get", "batch-exporter", "second")).stdout).paused).toBe(false);
    expect((await cli("delete", "batch-exporter", "second", "ghost")).stderr).toContain("There is no batch exporter named ghost");
    await ok("delete", "batch-exporter", "second", "s3-demo");
    expect(JSON.parse((await ok("list", "batch-exporters", "-o", "json")).stdout)).toEqual({ batchExporters: [] });
    await ok("delete", "stream", "demo");
  });
});
