// A Parquet exporter through the built CLI: columns proposed from the topic's latest events (and
// said to be checked), given as text or refused with where the text is wrong, changed as a new
// version, and the policy that follows the format.
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { beforeAll, expect, inject, it } from "vitest";
import { kafka, s3Client, uniqueName } from "../../support/clients.js";
import { CliEnv, cliIn } from "../../support/cli.js";

const { env } = new CliEnv("cli-parquet", { awsKey: true });
const bucket = uniqueName("cli-parquet");
const topic = uniqueName("orders");
const { cli, ok } = cliIn(env);

beforeAll(async () => {
  await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
  await ok("create", "sink", "s3", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint"), "--path-prefix", "events");
  await ok("create", "stream", "orders", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic, "--create-topic", "--partitions", "2");
  const producer = kafka(inject("kafkaBrokers")).producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: 20 }, (_, id) => ({
      value: JSON.stringify({ id, name: `order ${id}`, at: `2026-12-06T10:00:${String(id).padStart(2, "0")}.5Z`, price: id + 0.25, tags: ["new"] }),
    })),
  });
  await producer.disconnect();
}, 60_000);

it("proposes the columns from the topic's latest events and says to check them", async () => {
  const created = await ok("create", "batch-exporter", "orders", "--sink", "s3", "--format", "parquet");
  expect(JSON.parse(created.stdout)).toMatchObject({
    ref: { name: "s3-orders" },
    format: "parquet",
    compression: "zstd",
    columns: "id int64, name string, at timestamp(micros), price double, tags list<string>",
    columnsVersion: 1,
  });
  expect(created.stderr).toContain("the columns were proposed from the latest events of stream orders. Check them");
});

it("refuses columns it cannot read, and a compression the format does not have, saying how to set them", async () => {
  const columns = await cli("create", "batch-exporter", "orders", "--sink", "s3", "--name", "bad", "--format", "parquet", "--columns", "id integer");
  expect(columns.code).toBe(1);
  expect(columns.stderr).toContain('The columns cannot be read: unknown type "integer"');
  expect(columns.stderr).toContain("Set it with --columns");
  const columnsAlone = await cli("create", "batch-exporter", "orders", "--sink", "s3", "--name", "bad", "--columns", "id int64");
  expect(columnsAlone.stderr).toContain("Columns are for Parquet files: choose the Parquet format to give them");
  expect(columnsAlone.stderr).toContain("Set it with --format jsonl|parquet.");
  const snappy = await cli("create", "batch-exporter", "orders", "--sink", "s3", "--name", "bad", "--compression", "snappy");
  expect(snappy.stderr).toContain("snappy compresses Parquet files only: JSON Lines files take none, gzip, zstd. Set it with --compression <kind>.");
});

it("changes the columns as a new version, saying first what that does", async () => {
  const text = "id int64, name string, at timestamp(micros), price decimal(10,2), tags list<string>";
  const dry = await ok("update", "batch-exporter", "s3-orders", "--columns", text, "--dry-run");
  expect(dry.stderr).toContain(`New Parquet files take the columns of version 2: ${text}.`);
  expect(JSON.parse(dry.stdout).after.columnsVersion).toBe(2);
  const updated = JSON.parse((await ok("update", "batch-exporter", "s3-orders", "--columns", text)).stdout) as Record<string, unknown>;
  expect(updated).toMatchObject({ columns: text, columnsVersion: 2 });
  // The same columns again are no new version.
  expect(JSON.parse((await ok("update", "batch-exporter", "s3-orders", "--columns", text)).stdout).columnsVersion).toBe(2);
});

it("prints the policy a Parquet exporter needs", async () => {
  const policy = JSON.parse((await ok("policy", bucket, "--path-prefix", "events", "--format", "parquet")).stdout) as {
    Statement: Array<{ Resource: unknown }>;
  };
  expect(policy.Statement[1]!.Resource).toEqual([`arn:aws:s3:::${bucket}/events/*.jsonl`, `arn:aws:s3:::${bucket}/events/*.parquet`]);
});

it("goes back to JSON Lines when asked, keeping the columns' versions for files still pending", async () => {
  const back = JSON.parse((await ok("update", "batch-exporter", "s3-orders", "--format", "jsonl", "--compression", "gzip")).stdout) as Record<string, unknown>;
  expect(back).toMatchObject({ format: "jsonl", compression: "gzip" });
  expect(back).not.toHaveProperty("columns");
  const again = JSON.parse((await ok("update", "batch-exporter", "s3-orders", "--format", "parquet")).stdout) as Record<string, unknown>;
  // Back to Parquet: the versions kept, the latest columns again, Parquet's default codec.
  expect(again).toMatchObject({ format: "parquet", compression: "zstd", columnsVersion: 2 });
});

it("takes each event's registered schema's columns on a stream with a Schema Registry, and refuses them on one without", async () => {
  const without = await cli("create", "batch-exporter", "orders", "--sink", "s3", "--name", "bad", "--format", "parquet", "--columns", "registry");
  expect(without.code).toBe(1);
  expect(without.stderr).toContain("Columns from each event's registered schema need its values decoded with the stream's Schema Registry");
  const avroTopic = uniqueName("avro-orders");
  await ok(
    "create",
    "stream",
    "avro",
    "--bootstrap-servers",
    inject("kafkaBrokers"),
    "--topic",
    avroTopic,
    "--create-topic",
    "--schema-registry",
    inject("schemaRegistryUrl"),
  );
  // An empty topic of a stream with a registry: its events will be in the registry's format.
  const created = await ok("create", "batch-exporter", "avro", "--sink", "s3", "--name", "avro", "--format", "parquet", "--path-prefix", "events/avro");
  expect(JSON.parse(created.stdout)).toMatchObject({ format: "parquet", columns: "registry" });
  expect(JSON.parse(created.stdout)).not.toHaveProperty("columnsVersion");
  expect(created.stderr).toContain("each Parquet file takes the columns of its events' registered schema (a file per schema in each cut)");
  expect(JSON.parse((await ok("get", "batch-exporter", "avro")).stdout)).toMatchObject({ columns: "registry" });
  const own = await ok("update", "batch-exporter", "avro", "--columns", "id string", "--dry-run");
  expect(own.stderr).toContain("New Parquet files take the columns of version 1: id string.");
  // What would leave those columns nothing to come from is refused, saying what to do instead.
  const undecoded = await cli("update", "batch-exporter", "avro", "--decode", "none", "--dry-run");
  expect(undecoded.code).toBe(1);
  expect(undecoded.stderr).toContain("Columns from each event's registered schema need its values decoded with the stream's Schema Registry");
  const noValue = await cli("update", "batch-exporter", "avro", "--fields", "key,offset", "--dry-run");
  expect(noValue.code).toBe(1);
  expect(noValue.stderr).toContain("Columns from each event's registered schema are its value's: add value to the fields");
  const noRegistry = await cli("update", "stream", "avro", "--no-schema-registry", "--dry-run");
  expect(noRegistry.code).toBe(1);
  expect(noRegistry.stderr).toContain(
    "Exporter avro of stream avro takes each event's registered schema's columns from its Schema Registry: give it columns of its own first",
  );
  const jsonl = await cli("update", "batch-exporter", "avro", "--format", "jsonl", "--columns", "registry", "--dry-run");
  expect(jsonl.code).toBe(1);
  expect(jsonl.stderr).toContain("Columns are for Parquet files");
  // Asked again, the registry's columns are no change: nothing restarts.
  const same = await ok("update", "batch-exporter", "avro", "--columns", "registry", "--dry-run");
  expect(same.stderr).not.toContain("Its workers restart");
  expect(JSON.parse(same.stdout).after).toEqual(JSON.parse(same.stdout).before);
});
