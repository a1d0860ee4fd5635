// @vitest-environment jsdom
// Each management view renders over a fake API without errors, and says what it holds.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { StreamdropApi } from "../../preload/contract.js";
import { App } from "../../renderer/src/App.js";
import { useStore } from "../../renderer/src/store/index.js";

const answers: Record<string, unknown> = {
  "app:info": { name: "Streamdrop", version: "0", dataDir: "/data" },
  "sinks:list": [{ name: "lake", type: "S3", bucket: "lake-bucket", credentials: "keychain", iamUser: "streamdrop-lake", exporters: ["first"] }],
  "streams:list": [{ name: "plain", topic: "orders", bootstrapServers: ["127.0.0.1:9092"], ssl: true, customCa: true, sasl: { mechanism: "scram-sha-256", username: "u" }, exporters: ["first"] }],
  "exporters:list": [{ id: "e1", name: "first", streamName: "plain", sinkName: "lake", intervalSeconds: 60, includeExistingEvents: false, workers: 1, maxBatchMb: 16, fields: ["value"], tombstones: "invalid", paused: false }],
  "exporters:status": [],
  "exporters:logs": [{ time: "2026-12-01T10:00:00.000Z", level: "error", message: "The access key ID is not known to S3" }],
  "exporters:files": [],
  "settings:get": { openAtLogin: false, theme: "system", notifications: true },
};

beforeEach(() => {
  useStore.setState(useStore.getInitialState(), true);
  window.streamdrop = { invoke: vi.fn(async (channel: string) => ({ ok: true, value: answers[channel] })), on: () => () => undefined } as unknown as StreamdropApi;
});
afterEach(cleanup);

it.each([
  ["Sinks", /IAM user streamdrop-lake/],
  ["Streams", /SCRAM-SHA-256 as u/],
  ["Settings", /Start Streamdrop when I log in/],
])("shows %s", async (view, text) => {
  render(<App />);
  await screen.findByText("Manage sinks (1)");
  fireEvent.click(screen.getByRole("button", { name: view }));
  expect(await screen.findByText(text)).toBeTruthy();
});

it("shows an exporter's settings, lag and log", async () => {
  render(<App />);
  fireEvent.click(await screen.findByRole("button", { name: "Settings and log of first" }));
  expect(await screen.findByText(/The access key ID is not known to S3/)).toBeTruthy();
  expect(screen.getByRole("button", { name: "Review the changes" })).toBeTruthy();
});
