// Managing everything after set-up, in Chromium, on the real core, Kafka and moto with IAM
// enforcement on: streams over the SCRAM and TLS listeners, a second exporter on an existing sink,
// an exporter's interval changed (and seen in the files' times), pause and resume without counters
// resetting while lag grows, a revoked key seen in the logs panel and replaced with the AWS
// console's accessKeys.csv, and Settings used with the keyboard alone. axe checks every screen;
// the harness proves no error shown names a CLI option.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteAccessKeyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { leastPrivilegePolicy } from "../../main/core/stores/s3/aws/policy.js";
import { stackScramUser } from "../../stack/kafka.js";
import { kafka, s3Client, uniqueName } from "../support/clients.js";
import { testCore, type TestCore } from "../support/core.js";
import { createUser, iamClient, type TestUser } from "../support/iam.js";
import { startPrivateMoto, type PrivateMoto } from "../support/moto-private.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";
import { eventually } from "../support/wizard-steps.js";

const bucket = uniqueName("manage").slice(0, 40);
const topic = uniqueName("manage");
const dir = mkdtempSync(join(tmpdir(), "streamdrop-manage-"));
let moto: PrivateMoto;
let admin: TestUser;
let writerA: TestUser;
let writerB: TestUser;
let core: TestCore;
let harness: RendererHarness;
let page: Page;

beforeAll(async () => {
  moto = await startPrivateMoto();
  const setup = { accessKeyId: "AKIASETUPSETUPSETUP0", secretAccessKey: "setup-only" };
  await s3Client(moto.endpoint, setup).send(new CreateBucketCommand({ Bucket: bucket }));
  const iam = iamClient(moto.endpoint, setup);
  admin = await createUser(iam, dir, "admin", [{ Effect: "Allow", Action: "*", Resource: "*" }]);
  writerA = await createUser(iam, dir, "writer-a", leastPrivilegePolicy(bucket, "events").Statement);
  writerB = await createUser(iam, dir, "writer-b", leastPrivilegePolicy(bucket, "events").Statement);
  await moto.enforceIam();
  const kafkaAdmin = kafka(inject("kafkaBrokers")).admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await kafkaAdmin.disconnect();

  core = testCore({ logToFile: true });
  await core.sinks.create({
    name: "lake",
    bucket,
    credentials: { from: "file", path: writerA.credentialsFile },
    endpoint: moto.endpoint,
    pathPrefix: "events",
  });
  await core.streams.create({ name: "plain", bootstrapServers: inject("kafkaBrokers"), topic });
  await core.exporters.create({ streamName: "plain", sinkName: "lake", name: "first", intervalSeconds: 60 });
  harness = await openRenderer(core);
  page = harness.page;
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await moto?.stop();
});

// What the window showed when a step failed, for whoever reads the failure.
afterEach(async (context) => {
  if (context.task.result?.state === "fail") await harness?.screenshot(`failed-${context.task.name.slice(0, 40).replace(/\W+/g, "-")}`);
});

const field = (label: string) => page.getByLabel(label, { exact: true });
const nav = (name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });

async function expectAccessible(screen: string) {
  expect(await harness.accessibilityProblems(), `axe on ${screen}`).toEqual([]);
  await harness.screenshot(screen);
}

async function produce(count: number, from = 0) {
  const producer = kafka(inject("kafkaBrokers")).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ value: JSON.stringify({ n: from + i }) })) });
  await producer.disconnect();
}

/** The number in a dashboard card's statistic (Events, Lag, ...). */
async function stat(exporter: string, name: string): Promise<string> {
  const entry = page
    .getByRole("article", { name: exporter })
    .locator(".stats > div")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${name}$`) }) });
  return (await entry.locator("dd").textContent())!;
}

/** Presses Tab until the element with this accessible name has the focus: the keyboard alone. */
async function tabTo(name: RegExp, limit = 60) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      const label = element?.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : element?.closest("label")?.textContent;
      return `${element?.getAttribute("aria-label") ?? ""} ${label ?? ""} ${element?.textContent ?? ""}`;
    });
    if (name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

describe("after set-up, without the command line", () => {
  it("adds streams over the SCRAM and TLS listeners, testing each connection first", { timeout: 120_000 }, async () => {
    await nav("Streams").click();
    await page.getByRole("heading", { name: "Streams", exact: true }).waitFor();
    await page.getByRole("button", { name: "Add a stream" }).click();
    const form = page.getByRole("form", { name: "A new stream" });
    await form.getByLabel("Kafka bootstrap servers").fill(inject("kafkaSaslBrokers"));
    // A cluster of its own: the "Other Kafka" provider's form, with every login.
    await expect(form.getByLabel("Provider").inputValue()).resolves.toBe("other");
    await form.getByLabel("Login").selectOption("scram-sha-256");
    await form.getByLabel("SASL user name").fill(stackScramUser.username);
    await form.getByLabel("SASL password").fill("not-the-password");
    await form.getByRole("button", { name: "Test the connection" }).click();
    await form.getByText(/refused the SASL credentials of user streamdrop/).waitFor({ timeout: 30_000 });
    await form.getByLabel("SASL password").fill(stackScramUser.password);
    await form.getByRole("button", { name: "Test the connection" }).click();
    await form.getByText(/^Connected: \d+ topics?/).waitFor({ timeout: 30_000 });
    await form.getByLabel("Topic", { exact: true }).fill(topic);
    await form.getByLabel("Stream name").fill("secure-scram");
    await expectAccessible("streams-add-scram");
    await form.getByRole("button", { name: "Add the stream" }).click();
    const scram = page.getByRole("article", { name: "secure-scram" });
    await scram.waitFor({ timeout: 30_000 });
    await expect(scram.getByText("SCRAM-SHA-256 as streamdrop (password in the OS keychain)").isVisible()).resolves.toBe(true);
    expect(await page.content()).not.toContain(stackScramUser.password);

    await page.getByRole("button", { name: "Add a stream" }).click();
    // A second stream starts on the cluster of the last one added, not on the local default.
    await expect(form.getByLabel("Kafka bootstrap servers").inputValue()).resolves.toBe(inject("kafkaSaslBrokers"));
    await form.getByLabel("Kafka bootstrap servers").fill(inject("kafkaTlsBrokers"));
    await form.getByLabel("Login").selectOption("none");
    await form.getByLabel("Connect with TLS").check();
    // Without the cluster's CA the certificate cannot be verified: the message says so in the
    // window's words (no option of Node's), and repairs it from where it is shown.
    await form.getByRole("button", { name: "Test the connection" }).click();
    const untrusted = form.getByRole("alert").filter({ hasText: "cannot verify" });
    await untrusted.waitFor({ timeout: 30_000 });
    await expect(untrusted.textContent()).resolves.toContain("Choose the cluster's CA certificate file for the stream");
    await expectAccessible("streams-add-tls-untrusted");
    const chooser = page.waitForEvent("filechooser");
    await untrusted.getByRole("button", { name: "Choose the CA file" }).click();
    await (await chooser).setFiles(inject("kafkaCaFile"));
    await form.getByText(/^Using /).waitFor();
    await form.getByRole("button", { name: "Test the connection" }).click();
    await form.getByText(/^Connected: \d+ topics?/).waitFor({ timeout: 30_000 });
    await form.getByLabel("Topic", { exact: true }).fill(topic);
    await form.getByLabel("Stream name").fill("secure-tls");
    await form.getByRole("button", { name: "Add the stream" }).click();
    const tls = page.getByRole("article", { name: "secure-tls" });
    await tls.waitFor({ timeout: 30_000 });
    await expect(tls.getByText("on, with its own CA certificate").isVisible()).resolves.toBe(true);
    await tls.getByRole("button", { name: "Topic details" }).click();
    await tls.getByText(/^2 partitions, retention/).waitFor({ timeout: 30_000 });

    // A stream an exporter reads cannot be deleted, and says why.
    const plain = page.getByRole("article", { name: "plain" });
    await expect(plain.getByRole("button", { name: "Delete" }).isDisabled()).resolves.toBe(true);
    await expect(plain.getByText("It cannot be deleted while exporters read it: delete first first.").isVisible()).resolves.toBe(true);
    await expectAccessible("streams-view");
  });

  it("adds a second exporter on the existing sink, reading the TLS stream, whose files arrive", { timeout: 120_000 }, async () => {
    await nav("Sinks").click();
    const lake = page.getByRole("article", { name: "lake" });
    await lake.waitFor();
    await expectAccessible("sinks-view");
    await lake.getByRole("button", { name: "Add an exporter" }).click();
    await page.getByLabel("A stream I added before").check();
    await field("Stream").selectOption("secure-tls");
    await expect(field("Sink").inputValue()).resolves.toBe("lake");
    await field("Interval in seconds").fill("2");
    await field("Path prefix (optional)").fill("events/tls");
    // From the earliest: the events below may come before its consumer group has joined.
    await page.getByLabel(/Include existing events/).check();
    await page.getByRole("button", { name: "Create and start the exporter" }).click();
    await page.getByText(/is created and starts exporting secure-tls to lake/).waitFor({ timeout: 30_000 });
    await produce(40);
    const second = (await core.exporters.list()).find((exporter) => exporter.streamName === "secure-tls")!;
    await eventually(async () => (await core.exportLog.read(second.id)).some((entry) => entry.kind === "events"), "the TLS exporter stored a file");
    expect((await core.exportLog.read(second.id)).filter((entry) => entry.kind === "events").every((entry) => entry.key.startsWith("events/tls/"))).toBe(true);
  });

  it("changes an exporter's interval after saying what that does, and the new interval shows in the files' times", { timeout: 150_000 }, async () => {
    await nav("Dashboard").click();
    await page.getByRole("button", { name: "Settings and log of first" }).click();
    await page.getByRole("heading", { name: "Exporter first" }).waitFor();
    await field("Interval in seconds").fill("3");
    await page.getByRole("button", { name: "Review the changes" }).click();
    await page.getByText("Files are cut every 3 s instead of every 60 s: the time in new file names moves in steps of 3 s.").waitFor({ timeout: 30_000 });
    await expectAccessible("exporter-review-change");
    await page.getByRole("button", { name: "Save the changes" }).click();
    await page.getByText("Saved. The workers restart with the new settings.").waitFor({ timeout: 30_000 });
    const first = await core.exporters.get("first");
    expect(first.intervalSeconds).toBe(3);

    for (let round = 0; round < 4; round += 1) {
      await produce(10, 1000 + round * 10);
      await new Promise((resolve) => setTimeout(resolve, 3500));
    }
    await eventually(
      async () => (await core.exportLog.read(first.id)).filter((entry) => entry.kind === "events").length >= 3,
      "three files at the new interval",
    );
    const times = (await core.exportLog.read(first.id)).filter((entry) => entry.kind === "events").map((entry) => Date.parse(entry.at));
    const gaps = times.slice(1).map((at, i) => at - times[i]!);
    // Files a few seconds apart: at the old interval they would be a minute apart.
    expect(Math.min(...gaps)).toBeLessThan(20_000);
    await page.getByRole("button", { name: "Output files" }).click();
    await page.getByRole("heading", { name: "Output files of first" }).waitFor();
    await expect(page.getByRole("row").nth(1).textContent()).resolves.toContain(`-${topic}-`);
    // Newest first: file names start with their time.
    // (Validation files have random names, so only data files show the order.)
    const keys = (await page.locator("table.files tbody tr code").allTextContents()).filter((key) => !key.includes(".strm_test_"));
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect([...keys].sort().reverse()).toEqual(keys);
    // Long keys wrap inside the page: nothing pushes it wider than the window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1200);
    await expectAccessible("files-newest-first");
  });

  it("shows the policy's difference when gzip is refused, saves folders by time, and gives the SQL to query the files", { timeout: 150_000 }, async () => {
    await nav("Dashboard").click();
    await page.getByRole("button", { name: "Settings and log of first" }).click();
    await page.getByRole("heading", { name: "Exporter first" }).waitFor();
    await field("Compression").selectOption("gzip");
    await field("Folders by time").selectOption("dt={date}/hour={hour}");
    await page.getByText(/^A file cut now goes in dt=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/$/).waitFor();
    await page.getByRole("button", { name: "Review the changes" }).click();
    await page.getByText(/New files go in folders dt=\{date\}\/hour=\{hour\}\//).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Save the changes" }).click();
    // writer-a's policy allows *.jsonl only: AWS refuses the gzip validation file, and the window shows the statement to add.
    const difference = page.getByLabel("The statement to add");
    await difference.waitFor({ timeout: 30_000 });
    const diff = (await difference.textContent())!;
    expect(diff).toContain(`+     "Resource": "arn:aws:s3:::${bucket}/events/*.jsonl.gz"`);
    expect(diff).toContain('+     "Action": [');
    expect((await core.exporters.get("first")).compression).toBe("none");
    await expectAccessible("exporter-policy-difference");

    // Folders alone need nothing more of the policy: the * in events/*.jsonl spans folders.
    await field("Compression").selectOption("none");
    await page.getByRole("button", { name: "Review the changes" }).click();
    await page.getByRole("button", { name: "Save the changes" }).click();
    await page.getByText("Saved. The workers restart with the new settings.").waitFor({ timeout: 30_000 });
    expect((await core.exporters.get("first")).pathTemplate).toBe("dt={date}/hour={hour}");

    await expect(field("Query engine").inputValue()).resolves.toBe("athena");
    await page.getByRole("button", { name: "Show the table definition" }).click();
    const sql = page.getByLabel("The Amazon Athena table definition");
    await sql.waitFor({ timeout: 30_000 });
    const text = (await sql.textContent())!;
    expect(text).toContain("`n` bigint");
    expect(text).toContain("PARTITIONED BY (`dt` string, `hour` int)");
    expect(text).toContain(`'storage.location.template' = 's3://${bucket}/events/dt=\${dt}/hour=\${hour}/'`);
    await expect(page.getByRole("button", { name: "Copy the Amazon Athena SQL" }).isVisible()).resolves.toBe(true);
    await expectAccessible("exporter-query-your-data");
    // The window speaks its own language: no CLI flag in it.
    expect(await page.locator("body").textContent()).not.toMatch(/--[a-z]/);
    await core.exporters.update("first", { pathTemplate: "" });
  });

  it("pauses without resetting the counters, shows lag growing while paused, and resumes", { timeout: 150_000 }, async () => {
    await nav("Dashboard").click();
    const card = page.getByRole("article", { name: "first" });
    const number = (text: string) => Number(text.replace(/,/g, "").match(/^\d+/)?.[0] ?? NaN);
    await eventually(async () => (await stat("first", "Lag")).startsWith("0 events"), "the exporter caught up");
    await card.getByRole("button", { name: "Pause" }).click();
    await card.getByText("Paused", { exact: true }).waitFor({ timeout: 30_000 });
    // Read once paused: the last file may have been stored as the workers stopped.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const exported = number(await stat("first", "Events"));
    expect(exported).toBeGreaterThan(0);
    await eventually(async () => !Number.isNaN(number(await stat("first", "Lag"))), "the paused exporter's lag is read");
    const lagAtPause = number(await stat("first", "Lag"));

    await produce(30, 5000);
    await eventually(async () => number(await stat("first", "Lag")) === lagAtPause + 30, "the lag grows by the 30 new events while paused", 45_000);
    expect(number(await stat("first", "Events"))).toBe(exported);
    await expectAccessible("dashboard-paused-lag");

    await card.getByRole("button", { name: "Resume" }).click();
    await eventually(
      async () => number(await stat("first", "Events")) === exported + lagAtPause + 30,
      "the held-back events were exported after resuming",
      60_000,
    );
    await eventually(async () => (await stat("first", "Lag")).startsWith("0 events"), "the lag is back to 0");
  });

  it("shows a revoked key in the logs panel, and replaces it with the console's accessKeys.csv", { timeout: 180_000 }, async () => {
    await core.exporters.setPaused("first", false);
    const iam = iamClient(moto.endpoint, admin.key);
    await iam.send(new DeleteAccessKeyCommand({ UserName: "writer-a", AccessKeyId: writerA.key.accessKeyId }));
    await produce(5, 9000);
    await nav("Dashboard").click();
    const card = page.getByRole("article", { name: "first" });
    await card.getByText("Needs your attention.", { exact: false }).waitFor({ timeout: 90_000 });

    await page.getByRole("button", { name: "Settings and log of first" }).click();
    const log = page.getByRole("list", { name: "Log" });
    await eventually(
      async () => {
        await page.getByRole("button", { name: "Refresh" }).click();
        return (await log.textContent().catch(() => ""))!.includes("ERROR");
      },
      "the log panel shows the error",
      30_000,
    );
    await expect(log.textContent()).resolves.toMatch(/ERROR .*(access key|InvalidAccessKeyId)/i);
    await expectAccessible("exporter-logs-error");

    const csv = join(dir, "accessKeys.csv");
    writeFileSync(csv, `Access key ID,Secret access key\n${writerB.key.accessKeyId},${writerB.key.secretAccessKey}\n`);
    await nav("Sinks").click();
    const lake = page.getByRole("article", { name: "lake" });
    await lake.getByRole("button", { name: "Replace credentials" }).click();
    await lake.getByLabel("Credentials file").setInputFiles(csv);
    await lake.getByRole("button", { name: "Validate and replace" }).click();
    await lake.getByText(/^Replaced: the new credentials wrote s3:\/\//).waitFor({ timeout: 30_000 });
    expect(await page.content()).not.toContain(writerB.key.secretAccessKey);
    await expectAccessible("sinks-replaced-credentials");

    await nav("Dashboard").click();
    await card.getByText("Running", { exact: true }).waitFor({ timeout: 90_000 });
    await eventually(async () => (await stat("first", "Lag")).startsWith("0 events"), "the events held back were exported with the new key", 90_000);
  });

  it("toggles start at login and the theme in Settings with the keyboard alone", { timeout: 60_000 }, async () => {
    await page.locator("body").focus();
    await tabTo(/^\s*Settings\s*$/);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Settings", exact: true }).waitFor();
    await expect(page.getByRole("main").getByText(core.dataDir).isVisible()).resolves.toBe(true);
    expect(harness.bridge.openAtLogin()).toBe(false);
    await tabTo(/Start Streamdrop when I log in/);
    await page.keyboard.press("Space");
    await eventually(async () => harness.bridge.openAtLogin(), "start at login is on in the (fake) shell", 10_000);
    await expectAccessible("settings-view");
    // Tab reaches the theme group at its chosen radio; arrows choose within it.
    await tabTo(/Follow the system/);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await eventually(async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === "dark", "the dark theme applies", 10_000);
    // The page applies the theme at once and saves it after: wait for the save.
    await eventually(async () => (await core.appSettings.read()).theme === "dark", "the dark theme is saved", 10_000);
    await expectAccessible("settings-dark");
  });
});
