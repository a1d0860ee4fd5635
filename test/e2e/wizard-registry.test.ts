// The wizard on an Avro topic in Chromium, on the real core, Kafka, moto and Apicurio: the stream
// is given its Schema Registry (tested in the form), the topic check names the schema by subject
// and version and previews the decoded lines, axe finds nothing, and the exporter it creates
// decodes, as the bucket then shows.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { kafka, s3Client, uniqueName } from "../support/clients.js";
import { testCore } from "../support/core.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";
import { expectAccessible as expectScreenAccessible, fieldOf, haveS3Sink } from "../support/wizard-steps.js";
import { produceAvro } from "../support/schema-producers.js";

const topic = uniqueName("avro-visits");
const bucket = uniqueName("avro-visits");
const credentialsFile = join(mkdtempSync(join(tmpdir(), "streamdrop-registry-")), "s3.json");
const schema = {
  type: "record",
  name: "Visit",
  namespace: "web",
  fields: [
    { name: "id", type: "long" },
    { name: "amount", type: { type: "bytes", logicalType: "decimal", precision: 9, scale: 2 } },
    { name: "at", type: { type: "long", logicalType: "timestamp-millis" } },
  ],
};
let harness: RendererHarness;

beforeAll(async () => {
  const s3 = s3Client(inject("s3Endpoint"));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  writeFileSync(
    credentialsFile,
    JSON.stringify({ AccessKey: { UserName: "decoder", AccessKeyId: "AKIAREGISTRYWIZARD00", SecretAccessKey: uniqueName("not-a-real-secret") } }),
  );
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  await produceAvro({
    brokers: inject("kafkaBrokers"),
    registry: inject("schemaRegistryUrl"),
    topic,
    schema,
    records: Array.from({ length: 6 }, (_, n) => ({
      value: { id: n, amount: { $decimal: `${n}.05` }, at: { $timestamp: "2025-12-05T12:00:00.250000+00:00" } },
    })),
  });
  harness = await openRenderer(testCore());
}, 120_000);

afterAll(() => harness?.close());

const field = fieldOf;

const expectAccessible = (screen: string) => expectScreenAccessible(harness, screen);

it("gives the stream its registry, checks the Avro topic with it, and creates an exporter that decodes", { timeout: 180_000 }, async () => {
  const { page } = harness;
  await haveS3Sink(page, { credentialsFile, bucket, prefix: "visits", endpoint: inject("s3Endpoint") });

  await page.getByLabel("A Kafka topic").check();
  await field(page, "Kafka bootstrap servers").fill(inject("kafkaBrokers"));
  await page.getByLabel(/Decode with a Schema Registry/).check();
  // An address that is no registry is said to be one in the window's words, before anything is saved.
  await field(page, "Schema Registry URL").fill(inject("s3Endpoint"));
  await page.getByRole("button", { name: "Test the registry" }).click();
  await page.getByText(/has no Schema Registry API|something other than/).waitFor({ timeout: 30_000 });
  await field(page, "Schema Registry URL").fill(inject("schemaRegistryUrl"));
  await page.getByRole("button", { name: "Test the registry" }).click();
  await page.getByText(/^The registry answers: \d+ subjects?\.$/).waitFor({ timeout: 30_000 });
  await expectAccessible("wizard-registry");

  await page.getByRole("button", { name: "Test the connection and list topics" }).click();
  await field(page, "Topic").selectOption(topic);
  await page.getByRole("button", { name: "Add the stream" }).click();
  await page.getByText(`reads topic ${topic}`).waitFor({ timeout: 30_000 });

  await page.getByRole("button", { name: "Check the topic" }).click();
  const result = page.getByRole("region", { name: "Topic check result" });
  await result.waitFor({ timeout: 30_000 });
  await expect(result.getByRole("row", { name: /Values/ }).textContent()).resolves.toBe("ValuesSchema Registry wire format (Avro, Protobuf or JSON Schema): 6");
  await expect(result.getByRole("row", { name: /Schema id/ }).textContent()).resolves.toMatch(
    new RegExp(`^Schema id \\d+Avro \\([^)]*${topic}-value, version 1[^)]*\\): 6 values, 0 keys$`),
  );
  await expect(page.getByLabel("The first lines the exporter would write").textContent()).resolves.toMatch(
    /^\{"id":0,"amount":0\.05,"at":"2025-12-05T12:00:00\.250Z"\}\n\{"id":1,"amount":1\.05,/,
  );
  await expect(page.getByLabel(/Decode with the registry/).isChecked()).resolves.toBe(true);
  await expectAccessible("wizard-registry-check");

  // Parquet on this topic: each event's registered schema gives the columns; columns of one's own are proposed from the decoded events.
  await page.getByRole("radio", { name: /^Parquet/ }).check();
  const fromRegistry = page.getByRole("radio", { name: /^Each event's registered schema/ });
  await expect.poll(() => fromRegistry.isChecked(), { timeout: 30_000 }).toBe(true);
  await page.getByText(/each file takes the columns of the schema its events were written with/).waitFor();
  await expectAccessible("wizard-registry-parquet");
  await page.getByRole("radio", { name: /^Columns kept with the exporter/ }).check();
  await expect
    .poll(() => page.getByRole("textbox", { name: "Columns" }).inputValue(), { timeout: 30_000 })
    .toBe("id int64, amount double, at timestamp(micros)");
  await page.getByRole("radio", { name: /^JSON Lines/ }).check();

  await field(page, "Interval in seconds").fill("2");
  await page.getByLabel(/Include existing events/).check();
  await page.getByRole("button", { name: "Create and start the exporter" }).click();
  await page.getByText(/is created and starts exporting/).waitFor({ timeout: 30_000 });

  // What the exporter stores is the decoded JSON.
  const s3 = s3Client(inject("s3Endpoint"));
  let lines: string[] = [];
  for (const deadline = Date.now() + 60_000; lines.length < 6 && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 1000))) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "visits/" }));
    const keys = (listed.Contents ?? [])
      .map((object) => object.Key!)
      .filter((key) => key.endsWith(".jsonl") && !key.includes("-invalid") && !key.includes(".strm_test_"));
    lines = (
      await Promise.all(
        keys.map(async (key) => (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString()).split("\n")),
      )
    )
      .flat()
      .filter(Boolean);
  }
  expect(lines).toContain('{"id":5,"amount":5.05,"at":"2025-12-05T12:00:00.250Z"}');
  expect(harness.cspViolations()).toEqual([]);
});
