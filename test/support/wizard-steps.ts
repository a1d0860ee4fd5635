// Steps through the wizard that several end-to-end tests share, as a person clicks them.
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { RendererHarness } from "./renderer-harness.js";

export const fieldOf = (page: Page, label: string) => page.getByLabel(label, { exact: true });

/** From the navigation to the exporter step: a sink on an S3-compatible endpoint with a credentials file the person has. */
export async function haveS3Sink(page: Page, sink: { credentialsFile: string; bucket: string; prefix: string; endpoint: string }): Promise<void> {
  await page.getByRole("navigation").getByRole("button", { name: "Set up an export" }).click();
  await page.getByRole("button", { name: /I have a bucket and credentials/ }).click();
  await fieldOf(page, "Credentials file").setInputFiles(sink.credentialsFile);
  await page.getByText(/^Detected: An AWS access key/).waitFor();
  await fieldOf(page, "Bucket name").fill(sink.bucket);
  await fieldOf(page, "Path prefix (optional)").fill(sink.prefix);
  await page.getByText("S3-compatible store or fixed region").click();
  await fieldOf(page, "Endpoint URL (optional)").fill(sink.endpoint);
  await page.getByRole("button", { name: "Validate and save the sink" }).click();
  await page.getByRole("button", { name: "Next: the exporter" }).click({ timeout: 30_000 });
}

/** axe finds nothing on the screen as it is, and the screen is kept as a screenshot. */
export async function expectAccessible(harness: RendererHarness, screen: string): Promise<void> {
  expect(await harness.accessibilityProblems(), `axe on ${screen}`).toEqual([]);
  await harness.screenshot(screen);
}

/** Polls `check` every half second until it holds, or fails naming `what` after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** In the exporter step: a new stream of `topic` on `brokers`, added after the connection is tested and the topics listed. */
export async function addTopicStream(page: Page, brokers: string, topic: string): Promise<void> {
  await page.getByLabel("A Kafka topic").check();
  await fieldOf(page, "Kafka bootstrap servers").fill(brokers);
  await page.getByRole("button", { name: "Test the connection and list topics" }).click();
  await fieldOf(page, "Topic").selectOption(topic);
  await page.getByRole("button", { name: "Add the stream" }).click();
  await page.getByText(`reads topic ${topic}`).waitFor({ timeout: 30_000 });
}
