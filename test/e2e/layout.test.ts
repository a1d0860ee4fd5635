// The window's layout at common laptop widths: the main navigation stays one row of whole labels
// ("Set up an export" once wrapped onto two lines at 1280 px).
import { afterAll, beforeAll, expect, it } from "vitest";
import { testCore } from "../support/core.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";

let harness: RendererHarness;
beforeAll(async () => {
  harness = await openRenderer(testCore());
}, 60_000);
afterAll(() => harness?.close());

it.each([1024, 1280, 1440])("keeps the navigation on one row of one-line labels at %i px", async (width) => {
  const { page } = harness;
  await page.setViewportSize({ width, height: 800 });
  const buttons = page.getByRole("navigation", { name: "Main" }).getByRole("button");
  await buttons.first().waitFor();
  const boxes = await Promise.all((await buttons.all()).map((button) => button.boundingBox()));
  // One line of text and the padding: two lines would be at least two font sizes tall.
  const fontSize = await buttons.first().evaluate((button) => parseFloat(getComputedStyle(button).fontSize));
  expect(boxes.length).toBeGreaterThanOrEqual(5);
  for (const box of boxes) expect(box!.height).toBeLessThan(2 * fontSize + 16);
  expect(new Set(boxes.map((box) => Math.round(box!.y))).size).toBe(1);
});
