// The wizard's Google Cloud Storage path end to end in Chromium, on the real core and a private
// fake-gcs-server: a service-account key file makes a Cloud Storage sink (type detected, the role
// it needs shown, the validation file written), and path 3 writes the gcloud document. Every
// screen is checked with axe and saved as a screenshot.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "../support/clients.js";
import { testCore } from "../support/core.js";
import { gcsAdmin, serviceAccountKeyJson, startFakeGcs, type FakeGcs } from "../support/gcs.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";

let gcs: FakeGcs;
let harness: RendererHarness;
const bucket = uniqueName("wizard_gcs").replace(/-/g, "_");
const keyJson = serviceAccountKeyJson("wizard-export@streamdrop-test.iam.gserviceaccount.com");
const keyFile = join(mkdtempSync(join(tmpdir(), "streamdrop-wizard-gcs-")), "streamdrop-key.json");
writeFileSync(keyFile, keyJson, { mode: 0o600 });

beforeAll(async () => {
  gcs = await startFakeGcs();
  await gcsAdmin(gcs.endpoint).createBucket(bucket);
  harness = await openRenderer(testCore());
});
afterAll(async () => {
  await harness?.close();
  gcs?.stop();
});

async function expectAccessible(screen: string) {
  expect(await harness.accessibilityProblems(), `axe on ${screen}`).toEqual([]);
  await harness.screenshot(screen);
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

describe("Google Cloud Storage in the wizard", () => {
  it("takes a service-account key file to a validated Cloud Storage sink", { timeout: 60_000 }, async () => {
    const { page } = harness;
    await page.getByRole("navigation").getByRole("button", { name: "Set up an export" }).click();
    await page.getByRole("button", { name: /I have a bucket and credentials/ }).click();
    await field(page, "Credentials file").setInputFiles(keyFile);
    await page
      .getByText("Detected: A Google Cloud service-account key of wizard-export@streamdrop-test.iam.gserviceaccount.com (project streamdrop-test).")
      .waitFor();
    await expect(page.getByText(/needs one permission on/).textContent()).resolves.toContain("storage.objects.create");
    expect(await page.content()).not.toContain("PRIVATE KEY");
    await field(page, "Bucket name").fill("my-google-bucket");
    await expect(page.getByText('A Cloud Storage bucket name must not contain "google".').isVisible()).resolves.toBe(true);
    await field(page, "Bucket name").fill(bucket);
    await field(page, "Path prefix (optional)").fill("events");
    await page.getByText("Cloud Storage emulator").click();
    await field(page, "Endpoint URL (optional)").fill(gcs.endpoint);
    await expectAccessible("wizard-gcs-1-key");
    await page.getByRole("button", { name: "Validate and save the sink" }).click();
    await page.getByText(new RegExp(`the test file gs://${bucket}/events/\\.strm_test_[0-9a-f-]{36}\\.jsonl was written`)).waitFor({ timeout: 30_000 });
    await expectAccessible("wizard-gcs-2-sink-saved");
    const [files] = await gcsAdmin(gcs.endpoint).bucket(bucket).getFiles({ prefix: "events/" });
    expect(files.map((file) => file.name)).toEqual([expect.stringMatching(/^events\/\.strm_test_[0-9a-f-]{36}\.jsonl$/)]);
  });

  it("writes the gcloud setup document for a Cloud Storage bucket", { timeout: 60_000 }, async () => {
    const { page } = harness;
    await page.getByRole("navigation").getByRole("button", { name: "Set up an export" }).click();
    await page.getByRole("button", { name: /Someone else sets it up/ }).click();
    await page.getByRole("radio", { name: "Google Cloud Storage" }).check();
    await field(page, "Bucket name").fill("their_bucket");
    await field(page, "Google Cloud project (optional)").fill("their-project");
    await page.getByRole("button", { name: "Write the setup document" }).click();
    const document = page.getByLabel("The setup document");
    await document.waitFor();
    const text = (await document.textContent())!;
    expect(text).toMatch(/^# Streamdrop export: Google Cloud setup for bucket `their_bucket`/);
    expect(text).toContain("--role=roles/storage.objectCreator");
    await expectAccessible("wizard-gcs-3-document");
  });
});
