// The renderer as built for the app, in real Chromium, on the real core through the web bridge:
// the empty dashboard explains the next step, passes axe, and works in both colour schemes.
import { existsSync, statSync } from "node:fs";
import { afterEach, expect, it } from "vitest";
import { testCore } from "../support/core.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";

let harness: RendererHarness | undefined;
afterEach(async () => harness?.close());

it.each(["light", "dark"] as const)(
  "shows the empty dashboard with its next step, app info from the core, and no serious accessibility problems (%s)",
  async (colorScheme) => {
    const core = testCore();
    harness = await openRenderer(core, { colorScheme });
    const { page } = harness;
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.getByRole("heading", { name: "Batch exporters" }).waitFor();
    await expect(page.getByText("No exporters yet.").isVisible()).resolves.toBe(true);
    await expect(page.getByTestId("app-info").textContent()).resolves.toContain(`data in ${core.dataDir}`);
    expect(await harness.accessibilityProblems()).toEqual([]);
    const screenshot = await harness.screenshot(`dashboard-empty-${colorScheme}`);
    expect(existsSync(screenshot) && statSync(screenshot).size).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
  },
);

it("refuses a connection without the bridge's token", async () => {
  harness = await openRenderer(testCore());
  const url = new URL(harness.bridge.url);
  url.searchParams.set("token", "wrong");
  await harness.page.goto(url.toString());
  const outcome = await harness.page.evaluate(() => window.streamdrop.invoke("app:info", {}));
  expect(outcome).toEqual({ ok: false, error: { code: "failed", message: "Lost the connection to Streamdrop. Reload the page." } });
});

it("works by keyboard alone, with a visible focus ring", async () => {
  harness = await openRenderer(testCore());
  const { page } = harness;
  await page.getByText("No exporters yet.").waitFor();
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
  for (let i = 0; i < 10 && (await focused()) !== "Set up an export"; i += 1) await page.keyboard.press("Tab");
  expect(await focused()).toBe("Set up an export");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).toBe("solid");
  await page.keyboard.press("Enter");
  await page.getByRole("group", { name: "Where do you start from?" }).waitFor();
  for (let i = 0; i < 10 && !(await focused())?.startsWith("Someone else sets it up"); i += 1) await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.getByLabel("Bucket name", { exact: true }).waitFor();
});
