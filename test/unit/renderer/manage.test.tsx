// @vitest-environment jsdom
// The window after set-up, with a fake API behind the store: an existing IAM user offered as two
// buttons, leaving a wizard with typed data asks first, a resync never overwrites a newer pushed
// status, and the dashboard prints the engine's lag and backlog as they come.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ExporterStatusInfo } from "../../../preload/contract.js";
import { fakeApi } from "../../support/fake-api.js";
import { App } from "../../../renderer/src/App.js";
import { Dashboard } from "../../../renderer/src/components/Dashboard.js";
import { useStore } from "../../../renderer/src/store/index.js";
import { exporterInfo, exporterStatus } from "../../support/exporter-views.js";

const lists = {
  "app:info": { name: "Streamdrop", version: "0", dataDir: "/data" },
  "sinks:list": [],
  "streams:list": [],
  "exporters:list": [],
  "exporters:status": [],
  "settings:get": { openAtLogin: false, theme: "system", notifications: true },
};
const exporter = exporterInfo({ name: "orders" });
const status = (version: number, extra: Partial<ExporterStatusInfo> = {}): ExporterStatusInfo =>
  exporterStatus({
    name: "orders",
    version,
    eventsExported: 100,
    filesWritten: 2,
    eventsPerSecond: 5,
    lag: [{ partition: 0, committed: 100, end: 1300 }],
    lagEvents: 1200,
    secondsBehind: 150,
    backlog: { atStart: 1000, exported: 250, total: 1450, fraction: 250 / 1450 },
    ...extra,
  });

beforeEach(() => useStore.setState(useStore.getInitialState(), true));
afterEach(cleanup);

describe("after set-up", () => {
  it("offers an existing IAM user's two ways out as buttons, and rotates with one click", async () => {
    const setups: unknown[] = [];
    fakeApi({
      ...lists,
      "aws:setupS3": (input: unknown) => {
        setups.push(input);
        return setups.length === 1
          ? {
              failure: {
                code: "conflict",
                message: "IAM user streamdrop-b already exists; it has 1 access key(s).",
                fixes: [
                  { id: "rotate-key", userName: "streamdrop-b" },
                  { id: "other-iam-user", userName: "streamdrop-b" },
                ],
              },
            }
          : {
              sink: { name: "b", bucket: "bucket-b", credentials: "keychain", exporters: [] },
              bucketState: "existing",
              iamUser: "streamdrop-b",
              accessKeyId: "AKIA",
              validationFile: "s3://bucket-b/x",
              steps: ["Rotated."],
            };
      },
    });
    render(<App />);
    fireEvent.click(screen.getByRole("button", { name: "Set up an export" }));
    fireEvent.click(screen.getByRole("button", { name: /I can create them/ }));
    fireEvent.change(screen.getByLabelText("Bucket name"), { target: { value: "bucket-b" } });
    fireEvent.click(screen.getByRole("button", { name: "Create bucket, IAM user, key and sink" }));
    const alert = await screen.findByText(/IAM user streamdrop-b already exists/);
    // The window's words, not the CLI's.
    expect(alert.closest(".message")!.textContent).not.toMatch(/--[a-z]/);
    fireEvent.click(screen.getByRole("button", { name: "Rotate its key" }));
    await screen.findByText("Rotated.");
    expect(setups[1]).toMatchObject({ bucket: "bucket-b", rotateKey: true });
  });

  it("asks before leaving a wizard with typed data, and stays when told to", async () => {
    fakeApi(lists);
    render(<App />);
    fireEvent.click(screen.getByRole("button", { name: "Set up an export" }));
    fireEvent.click(screen.getByRole("button", { name: /I can create them/ }));
    fireEvent.input(screen.getByLabelText("Bucket name"), { target: { value: "typed-bucket" } });
    fireEvent.click(screen.getByRole("button", { name: "Sinks" }));
    expect(screen.getByText("Leave the setup?")).toBeTruthy();
    // jsdom has no modal dialogs, so the dialog's buttons are found by their text.
    fireEvent.click(screen.getByText("Cancel"));
    expect((screen.getByLabelText("Bucket name") as HTMLInputElement).value).toBe("typed-bucket");
    // Back to the starting points would drop it too: the same question, and leaving starts afresh.
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    fireEvent.click(screen.getByText("Leave and discard"));
    expect(screen.getByRole("group", { name: "Where do you start from?" })).toBeTruthy();
  });

  it("keeps the newer status when a resync brings an older one", async () => {
    const api = fakeApi({ ...lists, "exporters:list": [exporter], "exporters:status": [status(3)] });
    await useStore.getState().refresh();
    useStore.getState().subscribe();
    api.push("exporter:status", status(7, { eventsExported: 180 }));
    await useStore.getState().refresh();
    expect(useStore.getState().statuses.orders).toMatchObject({ version: 7, eventsExported: 180 });
    api.push("exporter:status", status(5, { eventsExported: 150 }));
    expect(useStore.getState().statuses.orders!.version).toBe(7);
  });

  it("prints the engine's lag, time behind and backlog", async () => {
    fakeApi({ ...lists, "exporters:list": [exporter], "exporters:status": [status(1)] });
    await useStore.getState().refresh();
    render(<Dashboard />);
    await waitFor(() => expect(screen.getByText("1,200 events, 3 min behind")).toBeTruthy());
    expect(screen.getByText(/Catching up: 250 of 1,450 events exported/)).toBeTruthy();
  });
});
