// @vitest-environment jsdom
// The dashboard's exporter card: what each line holds, skipped tombstones, and a failure that
// needs a person said as such, from the status main pushes.
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { ExporterStatusInfo } from "../../../preload/contract.js";
import { fakeApi } from "../../support/fake-api.js";
import { Dashboard } from "../../../renderer/src/components/Dashboard.js";
import { useStore } from "../../../renderer/src/store/index.js";
import { exporterInfo } from "../../support/exporter-views.js";

const exporter = exporterInfo({ fields: ["offset", "key", "value"], tombstones: "skip" });
const status: ExporterStatusInfo = {
  id: "e1",
  name: "s3-orders",
  state: "error",
  workers: 0,
  caughtUp: false,
  eventsExported: 120,
  invalidExported: 0,
  bytesExported: 4096,
  filesWritten: 3,
  tombstonesSkipped: 17,
  eventsPerSecond: 0,
  version: 1,
  lag: [],
  lagEvents: 0,
  assignments: [],
  restarts: 1,
  problem: "topic-deleted",
  lastError: "Topic orders no longer exists on b:9092: it was deleted. Streamdrop tries again in 30 s.",
};

beforeEach(() => {
  fakeApi({}, []);
  useStore.setState({ ...useStore.getInitialState(), loaded: true, exporters: [exporter], statuses: { [exporter.name]: status } }, true);
});
afterEach(cleanup);

it("shows the exporter's line settings, its skipped tombstones and a failure that needs a person", () => {
  render(<Dashboard />);
  expect(screen.getByText("Lines hold offset, key, value; tombstones are skipped.")).toBeTruthy();
  expect(screen.getByText("Tombstones skipped").parentElement!.textContent).toBe("Tombstones skipped17");
  const alert = screen.getByRole("alert");
  expect(alert.textContent).toBe(`Needs your attention. ${status.lastError}`);
  expect(screen.getByText("Error")).toBeTruthy();
});
