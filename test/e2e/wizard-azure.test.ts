// The wizard's Azure Blob Storage path end to end in Chromium, on the real core and a private
// Azurite: a SAS URL makes an Azure sink (type and container taken from it, the validation file
// written), a connection string is shown with its warning, and path 3 writes the az document.
// Every screen is checked with axe and saved as a screenshot.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azureAdmin, containerSasUrl, startAzurite, type Azurite } from "../support/azure.js";
import { testCore } from "../support/core.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";

let azurite: Azurite;
let container: ContainerClient;
let harness: RendererHarness;
const name = `wizard-azure-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "streamdrop-wizard-azure-"));
const file = (fileName: string, text: string) => {
  const path = join(dir, fileName);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
};

beforeAll(async () => {
  azurite = await startAzurite();
  container = azureAdmin(azurite, name);
  await container.create();
  harness = await openRenderer(testCore());
});
afterAll(async () => {
  await harness?.close();
  azurite?.stop();
});

async function expectAccessible(screen: string) {
  expect(await harness.accessibilityProblems(), `axe on ${screen}`).toEqual([]);
  await harness.screenshot(screen);
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

describe("Azure Blob Storage in the wizard", () => {
  it("takes a SAS URL to a validated Azure sink, the container filled in from it", { timeout: 60_000 }, async () => {
    const { page } = harness;
    const sas = containerSasUrl(azurite, name, { permissions: "cw", expiresInMs: 90 * 86_400_000 });
    await page.getByRole("navigation").getByRole("button", { name: "Set up an export" }).click();
    await page.getByRole("button", { name: /I have a bucket and credentials/ }).click();
    await field(page, "Credentials file").setInputFiles(file("sas.txt", sas));
    await page
      .getByText(new RegExp(`Detected: A SAS for container ${name} of storage account devstoreaccount1 with permissions cw, until \\d{4}-\\d{2}-\\d{2}\\.`))
      .waitFor();
    await expect(field(page, "Container name").inputValue()).resolves.toBe(name);
    expect(await page.content()).not.toContain(new URL(sas).searchParams.get("sig")!);
    await field(page, "Path prefix (optional)").fill("events");
    await expectAccessible("wizard-azure-1-sas");
    await page.getByRole("button", { name: "Validate and save the sink" }).click();
    await page.getByText(new RegExp(`the test file az://${name}/events/\\.strm_test_[0-9a-f-]{36}\\.jsonl was written`)).waitFor({ timeout: 30_000 });
    await expectAccessible("wizard-azure-2-sink-saved");
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: "events/" })) names.push(blob.name);
    expect(names).toEqual([expect.stringMatching(/^events\/\.strm_test_[0-9a-f-]{36}\.jsonl$/)]);
  });

  it("says that a connection string grants everything before it is used", { timeout: 60_000 }, async () => {
    const { page } = harness;
    await page.getByRole("navigation").getByRole("button", { name: "Set up an export" }).click();
    await page.getByRole("button", { name: /I have a bucket and credentials/ }).click();
    await field(page, "Credentials file").setInputFiles(file("connection.txt", azurite.connectionString));
    await page.getByText("Detected: A connection string of storage account devstoreaccount1.").waitFor();
    await page.getByText(/grants everything in the account/).waitFor();
    expect(await page.content()).not.toContain("AccountKey=");
    await expectAccessible("wizard-azure-3-connection-string");
  });

  it("writes the az setup document for a container", { timeout: 60_000 }, async () => {
    const { page } = harness;
    await page.getByRole("navigation").getByRole("button", { name: "Set up an export" }).click();
    // The connection string before was typed data: leaving asks first.
    await page.getByRole("button", { name: "Leave and discard" }).click();
    await page.getByRole("button", { name: /Someone else sets it up/ }).click();
    await page.getByRole("radio", { name: "Azure Blob Storage" }).check();
    await field(page, "Container name").fill("Their_Container");
    await page.getByText("An Azure Blob container name may contain only lowercase letters, digits and hyphens").waitFor();
    await field(page, "Container name").fill("their-container");
    await field(page, "Storage account (optional)").fill("theiraccount");
    await page.getByRole("button", { name: "Write the setup document" }).click();
    const document = page.getByLabel("The setup document");
    await document.waitFor();
    const text = (await document.textContent())!;
    expect(text).toMatch(/^# Streamdrop export: Azure setup for container `their-container`/);
    expect(text).toContain("--name streamdrop-writer --permissions cw");
    await expectAccessible("wizard-azure-4-document");
  });
});
