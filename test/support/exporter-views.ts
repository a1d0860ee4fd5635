// An exporter and its status as the window receives them: defaults a renderer test overrides with
// only what it is about.
import type { ExporterInfo, ExporterStatusInfo } from "../../preload/contract.js";

export const exporterInfo = (overrides: Partial<ExporterInfo> = {}): ExporterInfo => ({
  id: "e1",
  name: "s3-orders",
  streamName: "orders",
  sinkName: "s3",
  intervalSeconds: 60,
  includeExistingEvents: false,
  workers: 1,
  maxBatchMb: 16,
  fields: ["value"],
  tombstones: "invalid",
  format: "jsonl",
  compression: "none",
  decode: "none",
  paused: false,
  ...overrides,
});

export const exporterStatus = (overrides: Partial<ExporterStatusInfo> = {}): ExporterStatusInfo => ({
  id: "e1",
  name: "s3-orders",
  state: "running",
  version: 1,
  workers: 1,
  eventsExported: 10,
  invalidExported: 0,
  bytesExported: 1000,
  filesWritten: 1,
  tombstonesSkipped: 0,
  eventsPerSecond: 1,
  lag: [],
  lagEvents: 0,
  caughtUp: false,
  assignments: [[0]],
  restarts: 0,
  ...overrides,
});
