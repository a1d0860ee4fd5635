// The renderer as built for the app, in real Chromium, served app info by the real handlers.
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCore } from "../../main/core/index.js";
import { silentLogger } from "../../main/core/log.js";
import { createHandlers } from "../../main/ipc/handlers.js";
import { artifactsDir, openRenderer, type RendererHarness } from "../support/renderer-harness.js";

let harness: RendererHarness;
const appInfo = { name: "Streamdrop", version: "0.1.0-e2e", dataDir: "/tmp/streamdrop-e2e-data" };

beforeAll(async () => {
  const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), "streamdrop-e2e-")), log: silentLogger() });
  const settings = { openAtLogin: () => false, setOpenAtLogin: () => undefined };
  harness = await openRenderer(createHandlers({ appInfo, core, statuses: () => [], settings, openExternal: async () => undefined }));
});
afterAll(async () => harness?.close());

it("renders the app shell with info fetched over the contract, and saves a screenshot", async () => {
  const { page, url } = harness;
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  await expect(page.getByRole("heading", { name: "Streamdrop" }).textContent()).resolves.toBe("Streamdrop");
  const info = page.getByTestId("app-info");
  await info.waitFor();
  expect(await info.textContent()).toBe(`Version ${appInfo.version}, data in ${appInfo.dataDir}`);
  const screenshot = join(artifactsDir, "app-shell.png");
  await page.screenshot({ path: screenshot, fullPage: true });
  expect(existsSync(screenshot) && statSync(screenshot).size).toBeGreaterThan(1000);
  expect(errors).toEqual([]);
});
