// The wizard's "Check the topic" step in Chromium, on the real core and Kafka: a topic that Java's
// client wrote (JSON events with keys and headers, tombstones, text), its counts on screen, the
// advice applied with one click, and the exporter created with the fields and tombstone policy
// chosen, as the dashboard then shows.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { kafka, s3Client, uniqueName } from "../support/clients.js";
import { testCore } from "../support/core.js";
import { javaProduce, type ForeignRecord } from "../support/foreign-producers.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";
import { expectAccessible as expectScreenAccessible, fieldOf, haveS3Sink, addTopicStream } from "../support/wizard-steps.js";

const topic = uniqueName("checked");
const bucket = uniqueName("checked");
const credentialsFile = join(mkdtempSync(join(tmpdir(), "streamdrop-check-")), "s3.json");
let harness: RendererHarness;

beforeAll(async () => {
  await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
  writeFileSync(
    credentialsFile,
    JSON.stringify({ AccessKey: { UserName: "checker", AccessKeyId: "AKIACHECKTOPICTEST00", SecretAccessKey: uniqueName("not-a-real-secret") } }),
  );
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const records: ForeignRecord[] = [
    ...Array.from({ length: 14 }, (_, i) => ({
      partition: i % 2,
      key: `user-${i}`,
      value: JSON.stringify({ id: i, page: "/checkout" }),
      headers: [{ key: "trace-id", value: `t-${i}` }],
    })),
    ...Array.from({ length: 4 }, (_, i) => ({ partition: i % 2, key: `user-${i}`, value: null })),
    { partition: 0, key: "note", value: "plain text, not JSON" },
    { partition: 1, key: "note", value: "more text" },
  ];
  await javaProduce({ brokers: inject("kafkaBrokers"), topic, compression: "zstd", records });
  harness = await openRenderer(testCore());
}, 90_000);

afterAll(() => harness?.close());

const field = fieldOf;

const expectAccessible = (screen: string) => expectScreenAccessible(harness, screen);

it("checks the topic before the exporter is made, applies its advice, and creates the exporter with those settings", { timeout: 120_000 }, async () => {
  const { page } = harness;
  await haveS3Sink(page, { credentialsFile, bucket, prefix: "events", endpoint: inject("s3Endpoint") });

  await addTopicStream(page, inject("kafkaBrokers"), topic);

  await page.getByRole("button", { name: "Check the topic" }).click();
  const result = page.getByRole("region", { name: "Topic check result" });
  await result.waitFor({ timeout: 30_000 });
  await expect(result.getByRole("row", { name: /Compression/ }).textContent()).resolves.toBe("Compressionzstd (20)");
  await expect(result.getByRole("row", { name: /Values/ }).textContent()).resolves.toBe("ValuesJSON objects: 14, Text: 2, Tombstones: 4");
  await expect(result.getByRole("row", { name: /Headers/ }).textContent()).resolves.toBe("Headers14 of 20 (trace-id)");
  await expect(result.getByText("20% of the sampled records are tombstones (deleted keys)").isVisible()).resolves.toBe(true);
  await expect(page.getByLabel("The first lines the exporter would write").textContent()).resolves.toMatch(/^\{"id":0,"page":"\/checkout"\}\n/);
  // Existing events are left out by default: the check says the sample is what is there now, skipped.
  const existing = result.getByRole("note").filter({ hasText: "The topic holds 20 events now" });
  await expect(existing.textContent()).resolves.toContain("these are skipped: only events that arrive after it is created are exported");
  await expect(result.getByText(/^Files will be named like/).isVisible()).resolves.toBe(true);
  await expectAccessible("wizard-check-topic");

  // Keys and headers: the advice turns on the record's metadata, and the check shows its lines.
  await result
    .getByText("Of the sampled records, 100% have keys and 70% have headers, which the value alone leaves out.", { exact: false })
    .locator("..")
    .getByRole("button", { name: "Use this" })
    .click();
  await expect(page.getByLabel("The first lines the exporter would write").textContent()).resolves.toMatch(
    /^\{"partition":0,"offset":0,"timestamp":\d+,"key":"user-0","headers":\[\{"key":"trace-id","value":"t-0"\}\],"value":\{"id":0,"page":"\/checkout"\}\}/,
  );
  await result
    .getByText(/are tombstones/)
    .locator("..")
    .getByRole("button", { name: "Use this" })
    .click();
  await page.getByText(/would be lines, 0 would go to the -invalid file and 4 would be skipped/).waitFor();
  await expect(page.getByLabel("Skip them (counted, not written)").isChecked()).resolves.toBe(true);
  await expectAccessible("wizard-check-topic-applied");

  await field(page, "Interval in seconds").fill("2");
  // The check offers the switch, and says what it changes.
  await existing.getByRole("button", { name: "Include the 20 events" }).click();
  await expect(page.getByLabel(/Include existing events/).isChecked()).resolves.toBe(true);
  await result.getByText("The 20 events in the topic now are exported first, from the earliest").waitFor();
  await expect(result.getByText(/^The next file/).isVisible()).resolves.toBe(true);
  await page.getByRole("button", { name: "Create and start the exporter" }).click();
  await page.getByText(/is created and starts exporting/).waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Go to the dashboard" }).click();
  const card = page.getByRole("article").first();
  await card.getByText("Lines hold partition, offset, timestamp, key, headers, value; tombstones are skipped.").waitFor();
  await card.getByText("Tombstones skipped").waitFor({ timeout: 60_000 });
  await expect(card.getByText("Tombstones skipped").locator("..").textContent()).resolves.toBe("Tombstones skipped4");
  // The strict policy (no inline styles, no base or form targets) refused nothing the UI needs.
  expect(harness.cspViolations()).toEqual([]);
});
