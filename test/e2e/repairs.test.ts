// Repairs where the problem is shown, in Chromium, on the real core, Kafka and moto with IAM
// enforcement on, for a sink whose IAM user the app made: gzip switched on from the exporter's
// settings although the key's policy allows only *.jsonl (the policy updated from the same place,
// its difference shown first, then files stored); the key revoked with the aws CLI and rotated from the
// card's button, exporting resumed with every event exactly once; "Query your data" run in DuckDB
// over the files of before and after the change, counting every event once the topic is deleted
// too, and the topic re-created from the card's stream; the credentials replaced with
// another key of the same user, which keeps "Rotate the key", and then rotated. axe checks every screen.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CreateAccessKeyCommand, DeleteAccessKeyCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { setupS3 } from "../../main/core/stores/s3/aws/setup.js";
import { kafka, s3Client, uniqueName } from "../support/clients.js";
import { testCore, type TestCore } from "../support/core.js";
import { awsCli } from "../support/aws-cli.js";
import { query } from "../support/duckdb.js";
import { createUser, iamClient, type TestUser } from "../support/iam.js";
import { startPrivateMoto, type PrivateMoto } from "../support/moto-private.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";
import { eventually, expectAccessible as expectScreenAccessible } from "../support/wizard-steps.js";

const bucket = uniqueName("repairs").slice(0, 40);
const topic = uniqueName("repairs");
const dir = mkdtempSync(join(tmpdir(), "streamdrop-repairs-e2e-"));
let moto: PrivateMoto;
let admin: TestUser;
let core: TestCore;
let harness: RendererHarness;
let page: Page;
let produced = 0;

beforeAll(async () => {
  moto = await startPrivateMoto();
  const setup = { accessKeyId: "AKIASETUPSETUPSETUP0", secretAccessKey: "setup-only" };
  await s3Client(moto.endpoint, setup).send(new CreateBucketCommand({ Bucket: bucket }));
  admin = await createUser(iamClient(moto.endpoint, setup), dir, "admin", [{ Effect: "Allow", Action: "*", Resource: "*" }]);
  await moto.enforceIam();
  const kafkaAdmin = kafka(inject("kafkaBrokers")).admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await kafkaAdmin.disconnect();
  core = testCore({ logToFile: true });
  await setupS3(core.sinks, {
    bucket,
    createBucket: false,
    admin: { from: "key", accessKey: admin.key },
    endpoint: moto.endpoint,
    pathPrefix: "events",
    sinkName: "lake",
  });
  await core.streams.create({ name: "orders", bootstrapServers: inject("kafkaBrokers"), topic });
  await core.exporters.create({ streamName: "orders", sinkName: "lake", name: "orders", intervalSeconds: 2, includeExistingEvents: true });
  harness = await openRenderer(core);
  page = harness.page;
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await moto?.stop();
});

afterEach(async (context) => {
  if (context.task.result?.state === "fail") await harness?.screenshot(`failed-${context.task.name.slice(0, 40).replace(/\W+/g, "-")}`);
});

const expectAccessible = (screen: string) => expectScreenAccessible(harness, screen);

async function produce(count: number) {
  const producer = kafka(inject("kafkaBrokers")).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ value: JSON.stringify({ n: produced + i }) })) });
  await producer.disconnect();
  produced += count;
}

/** Every event produced so far is in the export log's files exactly once (the files' offset ranges tile the partition). */
async function everyEventOnce(): Promise<boolean> {
  const exporter = await core.exporters.get("orders");
  const files = (await core.exportLog.read(exporter.id)).filter((entry) => entry.kind === "events");
  const ranges = files.flatMap((file) => file.partitions).sort((a, b) => Number(a.first) - Number(b.first));
  let next = 0;
  for (const range of ranges) {
    if (Number(range.first) !== next) return false;
    next = Number(range.last) + 1;
  }
  return next === produced && files.reduce((total, file) => total + file.records, 0) === produced;
}

const card = () => page.getByRole("article", { name: "orders" });

/**
 * The DuckDB definition "Query your data" shows, run by DuckDB over a copy of the exporter's
 * folder (DuckDB cannot reach this moto: the bucket's URLs are pointed at the copy): its count.
 */
async function duckdbCount(): Promise<number> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Dashboard", exact: true }).click();
  await card().getByRole("button", { name: "Settings and log of orders" }).click();
  const panel = page.getByRole("region", { name: "Query your data" });
  await panel.getByLabel("Query engine").selectOption("duckdb");
  await panel.getByRole("button", { name: "Show the table definition" }).click();
  const sql = (await page.getByLabel("The DuckDB table definition").textContent({ timeout: 30_000 }))!;
  await expectAccessible("repairs-query-your-data");
  const copy = mkdtempSync(join(tmpdir(), "streamdrop-repairs-copy-"));
  const s3 = s3Client(moto.endpoint, admin.key);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "events/" }));
  for (const { Key: key } of listed.Contents ?? []) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key! }));
    const path = join(copy, key!.slice("events/".length));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.from(await object.Body!.transformToByteArray()));
  }
  const rows = await query(sql.replaceAll(`s3://${bucket}/events/`, `${copy}/`));
  await page.getByRole("button", { name: "Back to the dashboard" }).first().click();
  return Number(rows[0]!.events);
}

async function lendAdminKey(form: ReturnType<Page["getByRole"]>) {
  await form.getByLabel("Paste an admin access key").check();
  await form.getByLabel("Admin access key ID").fill(admin.key.accessKeyId);
  await form.getByLabel("Admin secret access key").fill(admin.key.secretAccessKey);
}

describe("repairs of a sink whose IAM user the app made", () => {
  it("switches to gzip after updating the policy from the review, showing its difference first, and stores gzip files", { timeout: 180_000 }, async () => {
    await produce(20);
    await eventually(everyEventOnce, "the first 20 events were exported");
    await card().getByRole("button", { name: "Settings and log of orders" }).click();
    await page.getByLabel("Compression").selectOption("gzip");
    await page.getByLabel("Folders by time").selectOption("dt={date}/hour={hour}");
    await page.getByLabel("Interval in seconds").fill("3");
    await page.getByRole("button", { name: "Review the changes" }).click();
    const review = page.getByRole("status").filter({ hasText: "Saving this will:" });
    await review.getByText(/nothing of this save is kept, the other changes included/).waitFor();
    // The save would be refused: the review offers the policy update the app can make itself.
    await review.getByRole("button", { name: "Update the policy" }).click();
    const form = page.getByRole("form", { name: /Update the policy of streamdrop-/ });
    await lendAdminKey(form);
    await form.getByRole("button", { name: "Show the difference" }).click();
    const difference = form.getByLabel(/The difference to the policy/);
    await difference.waitFor({ timeout: 30_000 });
    await expect(difference.textContent()).resolves.toMatch(/^\+ Allow s3:PutObject on arn:aws:s3:::.*\/events\/\*\.jsonl\.gz$/m);
    await expectAccessible("repairs-policy-difference");
    await form.getByRole("button", { name: "Update the policy" }).click();
    await form.getByText(/The policy is updated; the sink's key wrote/).waitFor({ timeout: 90_000 });
    await page.getByRole("button", { name: "Save the changes" }).click();
    await page.getByText("Saved. The workers restart with the new settings.").waitFor({ timeout: 30_000 });
    const exporter = await core.exporters.get("orders");
    expect(exporter).toMatchObject({ compression: "gzip", intervalSeconds: 3, pathTemplate: "dt={date}/hour={hour}" });
    const gzipStored = async () => (await core.exportLog.read(exporter.id)).some((entry) => entry.kind === "events" && entry.key.endsWith(".jsonl.gz"));
    // The old workers run until the restart reaches them: events they cut a file for before then keep
    // that file's planned shape (plain), so produce in rounds until the new workers store gzip files.
    for (let round = 1; !(await gzipStored()); round += 1) {
      if (round > 5) throw new Error("No gzip file was stored after five rounds of events since the switch.");
      await produce(20);
      await eventually(everyEventOnce, `round ${round} of 20 events was exported, after the switch`);
    }
    await page.getByRole("button", { name: "Back to the dashboard" }).first().click();
  });

  it("says a revoked key on the card and on the sink, and rotates it from the card's button, exporting every event once", { timeout: 180_000 }, async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Dashboard", exact: true }).click();
    // Revoked as an administrator would: with the aws CLI.
    const { iamUser } = (await core.sinks.get("lake")) as { iamUser?: string };
    const listed = (await awsCli(moto.endpoint, admin.key, ["iam", "list-access-keys", "--user-name", iamUser!])) as {
      AccessKeyMetadata: Array<{ AccessKeyId: string }>;
    };
    expect(listed.AccessKeyMetadata).toHaveLength(1);
    for (const key of listed.AccessKeyMetadata)
      await awsCli(moto.endpoint, admin.key, ["iam", "delete-access-key", "--user-name", iamUser!, "--access-key-id", key.AccessKeyId]);
    await produce(15);
    const alert = card().getByRole("alert");
    await alert.getByText(/access key ID is not known/).waitFor({ timeout: 90_000 });
    await expect(card().getByText("Caught up", { exact: false }).count()).resolves.toBe(0);
    // The sink says it too, with the same repairs.
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sinks", exact: true }).click();
    const sink = page.getByRole("article", { name: "lake" });
    await sink
      .getByRole("alert")
      .getByText(/access key ID is not known/)
      .waitFor();
    await expect(sink.getByRole("group", { name: "Repairs for sink lake" }).getByRole("button", { name: "Rotate the key" }).isVisible()).resolves.toBe(true);
    await expectAccessible("repairs-sink-revoked");
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Dashboard", exact: true }).click();

    await alert.getByRole("button", { name: "Rotate the key" }).click();
    const form = card().getByRole("form", { name: /Rotate the key of streamdrop-/ });
    await lendAdminKey(form);
    await expectAccessible("repairs-card-rotate");
    await form.getByRole("button", { name: "Rotate the key" }).click();
    // The sink switches to the new key and the exporter restarts with it: the problem, and its repair, leave the card.
    await eventually(everyEventOnce, "the 15 events held back by the revoked key were exported", 120_000);
    await card().getByText("Running").waitFor({ timeout: 60_000 });
    await eventually(async () => (await card().getByRole("alert").count()) === 0, "the card no longer shows the revoked key");
  });

  it("keeps the sink's IAM user when its credentials are replaced with another key of that user, so it can still rotate", { timeout: 180_000 }, async () => {
    const sinkRecord = (await core.sinks.get("lake")) as { iamUser?: string };
    const { AccessKey: second } = await iamClient(moto.endpoint, admin.key).send(new CreateAccessKeyCommand({ UserName: sinkRecord.iamUser }));
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sinks", exact: true }).click();
    const sink = page.getByRole("article", { name: "lake" });
    await sink.getByRole("button", { name: "Replace credentials" }).click();
    const form = sink.getByRole("form", { name: "New credentials for lake" });
    await form
      .getByLabel("…or paste its content")
      .fill(JSON.stringify({ AccessKey: { AccessKeyId: second!.AccessKeyId, SecretAccessKey: second!.SecretAccessKey } }));
    await form.getByRole("button", { name: "Validate and replace" }).click();
    await form.getByText(/^Replaced:/).waitFor({ timeout: 90_000 });
    await sink.getByText(`OS keychain (key of IAM user ${sinkRecord.iamUser}, made by Streamdrop)`).waitFor();
    await expectAccessible("repairs-sink-replaced");
    // And rotated: the replaced key was the user's, so the app may give the user a new one.
    await sink.getByRole("button", { name: "Rotate the key" }).click();
    const rotate = sink.getByRole("form", { name: `Rotate the key of ${sinkRecord.iamUser}` });
    await lendAdminKey(rotate);
    await rotate.getByRole("button", { name: "Rotate the key" }).click();
    // The user has two keys (the one the card's rotation made, now unused, and this one): AWS's
    // limit. The message says which to delete; done as it says, the rotation goes through.
    const limit = rotate.getByRole("alert").filter({ hasText: "AWS's limit" });
    await limit.waitFor({ timeout: 60_000 });
    const iam = iamClient(moto.endpoint, admin.key);
    const { AccessKeyMetadata: both } = await iam.send(new ListAccessKeysCommand({ UserName: sinkRecord.iamUser }));
    const unused = both!.find((key) => key.AccessKeyId !== second!.AccessKeyId)!.AccessKeyId!;
    await expect(limit.textContent()).resolves.toContain(unused);
    await iam.send(new DeleteAccessKeyCommand({ UserName: sinkRecord.iamUser, AccessKeyId: unused }));
    await rotate.getByRole("button", { name: "Rotate the key" }).click();
    await rotate.getByRole("status").waitFor({ timeout: 90_000 });
    const { AccessKeyMetadata: left } = await iamClient(moto.endpoint, admin.key).send(new ListAccessKeysCommand({ UserName: sinkRecord.iamUser }));
    expect(left?.map((key) => key.AccessKeyId)).not.toContain(second!.AccessKeyId);
    await produce(10);
    await eventually(everyEventOnce, "events after the replacement were exported", 120_000);
  });

  it("says a deleted topic on the card and on its stream, and re-creates it from there; what is produced then is exported", { timeout: 180_000 }, async () => {
    const exporter = await core.exporters.get("orders");
    const before = (await core.exportLog.read(exporter.id)).filter((entry) => entry.kind === "events").length;
    // "Query your data" covers every file, before and after the change of folders and compression.
    expect(await duckdbCount()).toBe(produced);
    const kafkaAdmin = kafka(inject("kafkaBrokers")).admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.deleteTopics({ topics: [topic] });
    await kafkaAdmin.disconnect();
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Dashboard", exact: true }).click();
    await card().getByRole("alert").getByText(`Topic ${topic} no longer exists`, { exact: false }).waitFor({ timeout: 60_000 });
    await expect(
      card()
        .getByRole("group", { name: `Repairs for topic ${topic}` })
        .isVisible(),
    ).resolves.toBe(true);
    // And still does with the topic gone: from the stored settings, the export log and the columns kept.
    expect(await duckdbCount()).toBe(produced);
    // The stream no longer looks normal either.
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Streams", exact: true }).click();
    const stream = page.getByRole("article", { name: "orders" });
    const alert = stream.getByRole("alert").filter({ hasText: `Topic ${topic} no longer exists` });
    await alert.waitFor();
    await alert.getByRole("button", { name: "Re-create the topic" }).click();
    const form = alert.getByRole("form", { name: `Re-create topic ${topic}` });
    await expect(form.getByLabel("Partitions").inputValue()).resolves.toBe("1");
    await expectAccessible("repairs-topic-deleted");
    await form.getByRole("button", { name: `Create topic ${topic}` }).click();
    // The exporter restarts at once with the topic back: the problem, and this repair with it, leave the stream.
    await eventually(async () => (await alert.count()) === 0, "the stream no longer shows its topic deleted");
    // The exporter tries again at once, and exports what is produced to the new topic, from its start.
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Dashboard", exact: true }).click();
    await card().getByText("Running").waitFor({ timeout: 60_000 });
    const producer = kafka(inject("kafkaBrokers")).producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 7 }, (_, i) => ({ value: JSON.stringify({ after: i }) })) });
    await producer.disconnect();
    await eventually(
      async () => {
        const files = (await core.exportLog.read(exporter.id)).filter((entry) => entry.kind === "events").slice(before);
        const ranges = files.flatMap((file) => file.partitions);
        return files.reduce((total, file) => total + file.records, 0) === 7 && ranges.some((range) => Number(range.first) === 0);
      },
      "the 7 events of the re-created topic were exported, from its first offset",
      120_000,
    );
    await eventually(async () => (await card().getByRole("alert").count()) === 0, "the card no longer shows the deleted topic");
  });
});
