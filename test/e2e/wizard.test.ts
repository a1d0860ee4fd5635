// The setup wizard end to end in Chromium, on the real core, the real Kafka and moto with IAM
// enforcement on: path 2 from nothing to an exporter whose files appear in the Output files view,
// path 1 with a key that lacks a permission, path 3 producing the document. Every screen is
// checked with axe and saved as a screenshot.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { leastPrivilegePolicy } from "../../main/core/stores/s3/aws/policy.js";
import { kafka, s3Client, uniqueName } from "../support/clients.js";
import { testCore } from "../support/core.js";
import { createUser, iamClient, type TestUser } from "../support/iam.js";
import { startPrivateMoto, type PrivateMoto } from "../support/moto-private.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";

let moto: PrivateMoto;
let admin: TestUser;
let noLocation: TestUser;
const dir = mkdtempSync(join(tmpdir(), "streamdrop-wizard-"));

beforeAll(async () => {
  moto = await startPrivateMoto();
  const setup = { accessKeyId: "AKIASETUPSETUPSETUP0", secretAccessKey: "setup-only" };
  await s3Client(moto.endpoint, setup).send(new CreateBucketCommand({ Bucket: "existing-bucket" }));
  const iam = iamClient(moto.endpoint, setup);
  admin = await createUser(iam, dir, "admin", [{ Effect: "Allow", Action: "*", Resource: "*" }]);
  noLocation = await createUser(iam, dir, "no-location", [leastPrivilegePolicy("existing-bucket", "events").Statement[1]!]);
  await moto.enforceIam();
}, 60_000);

afterAll(() => moto?.stop());

async function expectAccessible(harness: RendererHarness, screen: string) {
  const problems = await harness.accessibilityProblems();
  expect(problems, `axe on ${screen}`).toEqual([]);
  await harness.screenshot(screen);
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

describe("path 2: I can create them", () => {
  let harness: RendererHarness;
  const topic = uniqueName("wizard");
  beforeAll(async () => {
    harness = await openRenderer(testCore());
  });
  afterAll(() => harness?.close());

  it("goes from an empty dashboard to an exporter whose files show in Output files", { timeout: 180_000 }, async () => {
    const { page } = harness;
    await page.getByText("No exporters yet.").waitFor();
    await page.getByRole("navigation").getByRole("button", { name: "Set up an export" }).click();
    await page.getByRole("group", { name: "Where do you start from?" }).waitFor();
    await expectAccessible(harness, "wizard-1-choose");

    await page.getByRole("button", { name: /I can create them/ }).click();
    await field(page, "Bucket name").fill("Bad_Bucket");
    await expect(page.getByText("An S3 bucket name may contain only lowercase letters, digits, dots and hyphens").isVisible()).resolves.toBe(true);
    await field(page, "Bucket name").fill("wizard-created-bucket");
    await field(page, "Path prefix (optional)").fill("events");
    await page.getByText("S3-compatible store or fixed region").click();
    await field(page, "Endpoint URL (optional)").fill(moto.endpoint);
    await field(page, "Region for the new bucket").selectOption("eu-west-1");
    await page.getByRole("button", { name: "Show the policy" }).click();
    const policy = page.getByLabel("The least-privilege policy");
    await policy.waitFor();
    expect(JSON.parse((await policy.textContent())!)).toEqual(leastPrivilegePolicy("wizard-created-bucket", "events"));
    await page.getByLabel("Paste an admin access key").check();
    await field(page, "Admin access key ID").fill(admin.key.accessKeyId);
    await field(page, "Admin secret access key").fill(admin.key.secretAccessKey);
    await expectAccessible(harness, "wizard-2-create-resources");

    await page.getByRole("button", { name: "Create bucket, IAM user, key and sink" }).click();
    await page.getByText("Created bucket wizard-created-bucket in eu-west-1").waitFor({ timeout: 60_000 });
    await expect(page.getByText(/Created sink wizard-created-bucket; the key is in the OS keychain/).isVisible()).resolves.toBe(true);
    await expectAccessible(harness, "wizard-3-resources-created");

    await page.getByRole("button", { name: "Next: the exporter" }).click();
    await page.getByLabel("A Kafka topic").check();
    await field(page, "Kafka bootstrap servers").fill(inject("kafkaBrokers"));
    await page.getByRole("button", { name: "Test the connection and list topics" }).click();
    await page.getByText(/^Connected: \d+ topics\.$/).waitFor();
    await page.getByLabel("Create a new topic").check();
    await field(page, "New topic name").fill(topic);
    await field(page, "Partitions").fill("2");
    await page.getByRole("button", { name: "Add the stream" }).click();
    // A new topic's name is confirmed first: a typo would make an empty topic.
    await page
      .getByRole("dialog", { name: `Create topic ${topic}?` })
      .getByRole("button", { name: "Create the topic" })
      .click();
    await page.getByText(`reads topic ${topic}`).waitFor({ timeout: 30_000 });
    await field(page, "Interval in seconds").fill("2");
    await page.getByLabel(/Include existing events/).check();
    await expectAccessible(harness, "wizard-4-exporter");
    await page.getByRole("button", { name: "Create and start the exporter" }).click();
    await page.getByText(/is created and starts exporting/).waitFor({ timeout: 30_000 });
    await expectAccessible(harness, "wizard-5-done");

    const producer = kafka(inject("kafkaBrokers")).producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 100 }, (_, i) => ({ value: JSON.stringify({ id: i, url: "https://example.test/" }) })) });
    await producer.disconnect();

    await page.getByRole("button", { name: "See its output files" }).click();
    await page.getByRole("heading", { name: /Output files of/ }).waitFor();
    const dataRow = page
      .getByRole("row")
      .filter({ hasText: `-${topic}---0-1.jsonl` })
      .first();
    await dataRow.waitFor({ timeout: 60_000 });
    await expect(dataRow.textContent()).resolves.toMatch(/100|\d+/);
    await expectAccessible(harness, "files-1-list");

    await dataRow.getByRole("button", { name: "Preview" }).click();
    await page.getByText(/key may only write files \(s3:PutObject\)/).waitFor();
    await field(page, "Admin access key ID").fill(admin.key.accessKeyId);
    await field(page, "Admin secret access key").fill(admin.key.secretAccessKey);
    await expect(page.getByLabel(/Remember them in the OS keychain/).isChecked()).resolves.toBe(false);
    await expectAccessible(harness, "files-2-lend-credentials");
    await page.getByRole("button", { name: "Preview with these credentials" }).click();
    const preview = page.getByLabel(/First lines of/);
    await preview.waitFor();
    expect((await preview.textContent())!.split("\n")[0]).toMatch(/^\{"id":\d+,"url":"https:\/\/example.test\/"\}$/);
    await expectAccessible(harness, "files-2-preview");

    // The admin key is asked once per session: the next file's preview reads with it at once.
    const more = kafka(inject("kafkaBrokers")).producer();
    await more.connect();
    await more.send({
      topic,
      messages: Array.from({ length: 20 }, (_, i) => ({ value: JSON.stringify({ id: 1000 + i, url: "https://example.test/later" }) })),
    });
    await more.disconnect();
    const laterRow = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "20", exact: true }) });
    // The list is the export log as it was when the view opened: open it again until the file is in.
    for (let attempt = 0; (await laterRow.count()) === 0; attempt += 1) {
      if (attempt === 60) throw new Error("The file of the 20 later events never appeared in the list.");
      await page.waitForTimeout(1000);
      await page.getByRole("button", { name: "Back to the dashboard" }).click();
      await page.getByRole("article").first().getByRole("button", { name: "Output files" }).click();
      await page.getByRole("heading", { name: /Output files of/ }).waitFor();
      await page.getByRole("row").nth(1).waitFor();
    }
    await laterRow.getByRole("button", { name: "Preview" }).click();
    const later = page.getByLabel(/First lines of/).last();
    await later.waitFor({ timeout: 30_000 });
    expect((await later.textContent())!.split("\n")[0]).toMatch(/^\{"id":10\d\d,"url":"https:\/\/example.test\/later"\}$/);
    await expect(page.getByLabel("Admin access key ID").count()).resolves.toBe(0);

    await page.getByRole("button", { name: "Back to the dashboard" }).click();
    const card = page.getByRole("article").first();
    await card.getByText("Running").waitFor({ timeout: 30_000 });
    await expectAccessible(harness, "dashboard-running");
  });
});

describe("path 1: I have a bucket and credentials", () => {
  let harness: RendererHarness;
  beforeAll(async () => {
    harness = await openRenderer(testCore());
  });
  afterAll(() => harness?.close());

  it("detects the file's type and says which permission the key lacks, with the policy that fixes it", { timeout: 60_000 }, async () => {
    const { page } = harness;
    await page.getByRole("navigation").getByRole("button", { name: "Set up an export" }).click();
    await page.getByRole("button", { name: /I have a bucket and credentials/ }).click();
    await field(page, "Credentials file").setInputFiles(noLocation.credentialsFile);
    await page.getByText("Detected: An AWS access key of IAM user no-location.").waitFor();
    // The file's content, secret included, is never put on the page.
    expect(await page.content()).not.toContain(noLocation.key.secretAccessKey);
    expect(await page.content()).not.toContain(noLocation.key.accessKeyId);
    await field(page, "Bucket name").fill("existing-bucket");
    await field(page, "Path prefix (optional)").fill("events");
    await page.getByText("S3-compatible store or fixed region").click();
    await field(page, "Endpoint URL (optional)").fill(moto.endpoint);
    await page.getByRole("button", { name: "Validate and save the sink" }).click();
    await page.getByText("Access denied for s3:GetBucketLocation on arn:aws:s3:::existing-bucket.").waitFor({ timeout: 30_000 });
    await expect(page.getByText('"s3:GetBucketLocation"').isVisible()).resolves.toBe(true);
    await expectAccessible(harness, "wizard-path1-missing-permission");
  });
});

describe("path 3: someone else sets it up", () => {
  let harness: RendererHarness;
  beforeAll(async () => {
    harness = await openRenderer(testCore());
  });
  afterAll(() => harness?.close());

  it("writes the document to forward, then comes back to path 1 with the bucket filled in", { timeout: 60_000 }, async () => {
    const { page } = harness;
    await page.getByRole("navigation").getByRole("button", { name: "Set up an export" }).click();
    await page.getByRole("button", { name: /Someone else sets it up/ }).click();
    await field(page, "Bucket name").fill("their-bucket");
    await field(page, "Path prefix (optional)").fill("exports");
    await field(page, "Region of the bucket").fill("eu-central-1");
    await page.getByRole("button", { name: "Write the setup document" }).click();
    const document = page.getByLabel("The setup document");
    await document.waitFor();
    const text = (await document.textContent())!;
    expect(text).toMatch(/^# Streamdrop export: AWS setup for bucket `their-bucket`/);
    expect(text).toContain(JSON.stringify(leastPrivilegePolicy("their-bucket", "exports"), null, 2));
    expect(text).toContain("aws s3api create-bucket --bucket their-bucket --region eu-central-1");
    await expectAccessible(harness, "wizard-path3-document");
    await page.getByRole("button", { name: "I have the credentials file now" }).click();
    await expect(field(page, "Bucket name").inputValue()).resolves.toBe("their-bucket");
    await expect(field(page, "Path prefix (optional)").inputValue()).resolves.toBe("exports");
  });
});
