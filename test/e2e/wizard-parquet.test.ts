// The wizard's Parquet exporter in Chromium, on the real core, Kafka and moto: choosing Parquet
// proposes the columns from the topic's events, the person edits them (a type changed, a bad one
// said inline where it is, then mended), axe finds nothing on any of those screens, and the
// exporter it creates keeps the edited columns as version 1 and stores Parquet files of those
// types, as DuckDB reads them; its settings then show the format, the codec and the version.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { columnsText } from "../../common/table-columns.js";
import { kafka, s3Client, uniqueName } from "../support/clients.js";
import { testCore, type TestCore } from "../support/core.js";
import { parquetTypes } from "../support/parquet-rows.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";
import { eventually, expectAccessible as expectScreenAccessible, fieldOf, haveS3Sink, addTopicStream } from "../support/wizard-steps.js";

const topic = uniqueName("parquet-orders");
const bucket = uniqueName("parquet-orders");
const credentialsFile = join(mkdtempSync(join(tmpdir(), "streamdrop-parquet-")), "s3.json");
let core: TestCore;
let harness: RendererHarness;

beforeAll(async () => {
  await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
  writeFileSync(
    credentialsFile,
    JSON.stringify({ AccessKey: { UserName: "columns", AccessKeyId: "AKIAPARQUETWIZARD000", SecretAccessKey: uniqueName("not-a-real-secret") } }),
  );
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka(inject("kafkaBrokers")).producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: 8 }, (_, n) => ({
      value: JSON.stringify({ id: n, page: "/checkout", amount: n + 0.25, at: `2025-12-05T12:00:0${n}.250Z`, tags: ["web", `n${n}`] }),
    })),
  });
  await producer.disconnect();
  core = testCore();
  harness = await openRenderer(core);
}, 90_000);

afterAll(() => harness?.close());

const field = fieldOf;

const expectAccessible = (screen: string) => expectScreenAccessible(harness, screen);

it("proposes Parquet columns from the topic, takes the person's edits, and creates the exporter with them", { timeout: 180_000 }, async () => {
  const { page } = harness;
  await haveS3Sink(page, { credentialsFile, bucket, prefix: "orders", endpoint: inject("s3Endpoint") });

  await addTopicStream(page, inject("kafkaBrokers"), topic);

  // Parquet: its own codecs, and the columns proposed from the topic's events at once.
  await page.getByRole("radio", { name: /^Parquet/ }).check();
  const columns = field(page, "Columns");
  await page.getByText(`Proposed from stream ${topic}'s latest events.`).waitFor({ timeout: 30_000 });
  await expect(columns.inputValue()).resolves.toBe("id int64, page string, amount double, at timestamp(micros), tags list<string>");
  await expect(field(page, "Compression").inputValue()).resolves.toBe("zstd");
  const options = await field(page, "Compression")
    .locator("option")
    .evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value));
  expect(options).toEqual(["zstd", "snappy", "gzip", "none"]);
  const table = page.getByRole("table", { name: /^Columns: 5 in each file/ });
  await expect(table.getByRole("row", { name: /amount/ }).textContent()).resolves.toBe("amountdoublea number (double precision)");
  await expectAccessible("wizard-parquet-columns");

  // The check previews Parquet's names, and says the events become rows.
  await page.getByLabel(/Include existing events/).check();
  await page.getByRole("button", { name: "Check the topic" }).click();
  const result = page.getByRole("region", { name: "Topic check result" });
  await result.getByText(/^The next file: orders\/.*\.parquet\. Of the sample, 8 would be rows/).waitFor({ timeout: 30_000 });

  // A bad type is said where it is, in the window's words, and nothing can be created until it is mended.
  await columns.fill("id int64, page string, amount money, at timestamp(millis), tags list<string>");
  const problem = page.locator(".field-error");
  await expect(problem.textContent()).resolves.toMatch(/^The columns cannot be read: unknown type "money": use string, boolean, .*, at character \d+/);
  await expect(columns.getAttribute("aria-invalid")).resolves.toBe("true");
  const create = page.getByRole("button", { name: "Create and start the exporter" });
  await expect(create.isDisabled()).resolves.toBe(true);
  await expectAccessible("wizard-parquet-columns-problem");

  await columns.fill("id int64, page string, amount decimal(9,2), at timestamp(millis), tags list<string>");
  await expect(problem.count()).resolves.toBe(0);
  await expect(table.getByRole("row", { name: /amount/ }).textContent()).resolves.toBe("amountdecimal(9,2)a decimal of 9 digits, 2 after the point");
  await field(page, "Interval in seconds").fill("2");
  await create.click();
  await page.getByText(/is created and starts exporting .*, a file every 2 s, as Parquet with columns version 1\./).waitFor({ timeout: 30_000 });
  await expectAccessible("wizard-parquet-created");

  // Stored as edited: Parquet (zstd), the columns version 1, -invalid parts plain JSON Lines.
  const [exporter] = await core.exporters.list();
  expect(exporter).toMatchObject({ parquet: { compression: "zstd" }, compression: "none" });
  expect(exporter!.columns!.map((version) => [version.version, columnsText(version.columns)])).toEqual([
    [1, "id int64, page string, amount decimal(9,2), at timestamp(millis), tags list<string>"],
  ]);

  // Its files are Parquet of those types, as a reader written by others sees them.
  const s3 = s3Client(inject("s3Endpoint"));
  let key: string | undefined;
  await eventually(async () => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "orders/" }));
    key = (listed.Contents ?? []).map((object) => object.Key!).find((name) => name.endsWith(".parquet") && !name.includes(".strm_test_"));
    return key !== undefined;
  }, "the exporter stores a Parquet file");
  const bytes = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key! }))).Body!.transformToByteArray());
  await expect(parquetTypes(bytes)).resolves.toMatchObject({ id: "BIGINT", page: "VARCHAR", amount: "DECIMAL(9,2)", tags: "VARCHAR[]" });

  // The exporter's settings: the format, the codec and the columns' version.
  await page.getByRole("button", { name: "Go to the dashboard" }).click();
  await page.getByText(/^Parquet files \(zstd\) with columns version 1\. Rows hold the event itself/).waitFor();
  await page.getByRole("button", { name: `Settings and log of ${exporter!.name}` }).click();
  await expect(page.getByRole("radio", { name: /^Parquet/ }).isChecked()).resolves.toBe(true);
  await page.getByRole("heading", { name: "Columns, version 1" }).waitFor();
  await expect(field(page, "Columns").inputValue()).resolves.toBe("id int64, page string, amount decimal(9,2), at timestamp(millis), tags list<string>");
  await expectAccessible("exporter-parquet-settings");
  expect(harness.cspViolations()).toEqual([]);
});
