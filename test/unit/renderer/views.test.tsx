// @vitest-environment jsdom
// Each management view renders over a fake API without errors, and says what it holds.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, expect, it } from "vitest";
import { fakeApi } from "../../support/fake-api.js";
import { App } from "../../../renderer/src/App.js";
import { useStore } from "../../../renderer/src/store/index.js";

const answers: Record<string, unknown> = {
  "app:info": { name: "Streamdrop", version: "0", dataDir: "/data" },
  "sinks:list": [{ name: "lake", type: "S3", bucket: "lake-bucket", credentials: "keychain", iamUser: "streamdrop-lake", exporters: ["first"] }],
  "streams:list": [
    {
      name: "plain",
      topic: "orders",
      bootstrapServers: ["127.0.0.1:9092"],
      ssl: true,
      customCa: true,
      sasl: { mechanism: "scram-sha-256", username: "u" },
      exporters: ["first"],
    },
  ],
  "exporters:list": [
    {
      id: "e1",
      name: "first",
      streamName: "plain",
      sinkName: "lake",
      intervalSeconds: 60,
      includeExistingEvents: false,
      workers: 1,
      maxBatchMb: 16,
      fields: ["value"],
      tombstones: "invalid",
      paused: false,
    },
  ],
  "exporters:status": [],
  "exporters:logs": [{ time: "2026-12-01T10:00:00.000Z", level: "error", message: "The access key ID is not known to S3" }],
  "exporters:files": [],
  "settings:get": { openAtLogin: false, theme: "system", notifications: true },
};

beforeEach(() => {
  useStore.setState(useStore.getInitialState(), true);
  fakeApi(answers);
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

it("checks the exporter's own folders as they are typed, with an example in the stream's topic", async () => {
  render(<App />);
  fireEvent.click(await screen.findByRole("button", { name: "Settings and log of first" }));
  fireEvent.change(screen.getByLabelText("Folders by time"), { target: { value: "own" } });
  const folders = screen.getByLabelText("Folders");
  fireEvent.change(folders, { target: { value: "{topic}/dt={day}" } });
  expect(screen.getByRole("alert").textContent).toContain("Unknown token {day} in the path template.");
  expect((screen.getByRole("button", { name: "Review the changes" }) as HTMLButtonElement).disabled).toBe(true);
  fireEvent.change(folders, { target: { value: "{topic}/dt={date}" } });
  expect(screen.queryByRole("alert")).toBeNull();
  expect(screen.getByText(/^A file cut now goes in orders\/dt=\d{4}-\d{2}-\d{2}\/$/)).toBeTruthy();
  expect((screen.getByRole("button", { name: "Review the changes" }) as HTMLButtonElement).disabled).toBe(false);
});

it("shows the SQL to query an exporter's files with its notes, for the engine chosen", async () => {
  answers["exporters:table"] = {
    engine: "duckdb",
    sql: "CREATE OR REPLACE VIEW first AS SELECT 1;\n",
    notes: ["DuckDB table for Streamdrop batch exporter first."],
  };
  render(<App />);
  fireEvent.click(await screen.findByRole("button", { name: "Settings and log of first" }));
  expect((screen.getByLabelText("Query engine") as HTMLSelectElement).value).toBe("athena");
  fireEvent.change(screen.getByLabelText("Query engine"), { target: { value: "duckdb" } });
  fireEvent.click(screen.getByRole("button", { name: "Show the table definition" }));
  expect((await screen.findByLabelText("The DuckDB table definition")).textContent).toBe("CREATE OR REPLACE VIEW first AS SELECT 1;\n");
  expect(screen.getByText("DuckDB table for Streamdrop batch exporter first.")).toBeTruthy();
  expect(window.streamdrop.invoke).toHaveBeenCalledWith("exporters:table", { name: "first", engine: "duckdb" });
});

it("reviews fields without Value in the window's own words: no event values, and how to keep them", async () => {
  const core =
    "The fields (partition, offset, timestamp, key) leave out value: the files hold no event values. Add value to the fields to export the events too.";
  answers["exporters:planUpdate"] = {
    effects: [
      { code: "line-format", message: "Lines in new files take the new shape." },
      { code: "no-values", message: core },
      { code: "restart", message: "Its workers restart with the new settings." },
    ],
  };
  render(<App />);
  fireEvent.click(await screen.findByRole("button", { name: "Settings and log of first" }));
  fireEvent.click(screen.getByRole("radio", { name: /The record with its metadata/ }));
  fireEvent.click(screen.getByRole("checkbox", { name: "Value" }));
  fireEvent.submit(screen.getByRole("button", { name: "Review the changes" }).closest("form")!);
  const review = await screen.findByText(/Saving this will/);
  const items = [...review.closest(".effects")!.querySelectorAll("li")].map((item) => item.textContent);
  expect(items).toEqual([
    "Lines in new files take the new shape.",
    "Value is not among the Record fields, so the files will hold no event values, only Partition, Offset, Timestamp, Key. To export the events too, tick Value under Record fields in the exporter's settings.",
    "Its workers restart with the new settings.",
  ]);
  expect(items.join(" ")).not.toMatch(/--fields|leave out value/);
  expect(window.streamdrop.invoke).toHaveBeenCalledWith("exporters:planUpdate", {
    name: "first",
    changes: { fields: ["partition", "offset", "timestamp", "key"] },
  });
});
