// ExportWorker's clean stop with its parts faked (the Kafka side of a stop is in app-boot and
// chaos-kill): asked twice it stops once, and a file that never settles holds it only `fileMs`.
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import type { WorkerSpec } from "../../../../main/core/exporters/worker-protocol.js";
import { stopTimings } from "../../../../main/core/exporters/worker-protocol.js";
import { ExportWorker, type WorkerHooks } from "../../../../main/core/exporters/worker/export-worker.js";
import type { WorkerParts } from "../../../../main/core/exporters/worker/worker-parts.js";

const spec = { topic: "clicks", groupId: "streamdrop-lake-clicks", kafka: { brokers: ["127.0.0.1:9092"], ssl: false } } as WorkerSpec;

function harness(settled: () => Promise<void>) {
  const logs: { level: string; message: string }[] = [];
  const states: string[] = [];
  const calls = { close: 0, storeClose: 0, spoolClear: 0 };
  const hooks: WorkerHooks = { status: () => undefined, file: () => undefined, log: (level, message) => logs.push({ level, message }), fatal: () => undefined };
  const parts = {
    kafka: {},
    store: { close: () => calls.storeClose++ },
    spool: { clear: () => calls.spoolClear++ },
    files: {},
    status: { set: (state: string) => states.push(state) },
    protocol: { close: () => calls.close++, settled },
  } as unknown as WorkerParts;
  const worker = new ExportWorker(spec, hooks, Date.now, () => parts);
  return { worker, logs, states, calls };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

test("asked to stop twice (the supervisor's message, then its SIGTERM), the worker stops once", async () => {
  const { worker, logs, states, calls } = harness(async () => undefined);
  const first = worker.stop();
  const second = worker.stop();
  expect(second).toBe(first);
  await vi.runAllTimersAsync();
  await first;
  expect(calls).toEqual({ close: 1, storeClose: 1, spoolClear: 1 });
  expect(states).toEqual(["stopped"]);
  expect(logs.filter((entry) => entry.message === "stopped")).toHaveLength(1);
  expect(logs.filter((entry) => entry.level === "warn")).toEqual([]);
});

test("a file that never settles holds the stop for fileMs only; the worker stops, saying the file is left to its intent", async () => {
  const { worker, logs, states } = harness(() => new Promise<void>(() => undefined));
  let done = false;
  void worker.stop().then(() => (done = true));
  await vi.advanceTimersByTimeAsync(stopTimings.fileMs - 1);
  expect(done).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(done).toBe(true);
  expect(states).toEqual(["stopped"]);
  expect(logs.map((entry) => entry.message)).toEqual(["stopping with a file unfinished; the next start re-creates it from its intent", "stopped"]);
});

test("the stop's bounds leave the supervisor's grace room for a loaded machine", () => {
  expect(stopTimings.fileMs + stopTimings.leaveMs).toBeLessThanOrEqual(stopTimings.graceMs - 5000);
});

/** A batch handed to the worker's eachBatch, with a protocol whose gather adds each entry (and may see a join meanwhile). */
async function handle(joinDuring: boolean) {
  const resolved: string[] = [];
  const protocol = {
    joins: 1,
    prepare: async () => undefined,
    gather: async (_partition: number, _from: number, entry: { offset: string }, going: () => boolean, resolve: (offset: string) => void) => {
      if (joinDuring && entry.offset === "4") protocol.joins += 1;
      if (!going()) return false;
      resolve(entry.offset);
      return true;
    },
  };
  const parts = { kafka: {}, store: {}, spool: {}, files: {}, status: {}, protocol } as unknown as WorkerParts;
  const hooks: WorkerHooks = { status: () => undefined, file: () => undefined, log: () => undefined, fatal: () => undefined };
  const worker = new ExportWorker(spec, hooks, Date.now, () => parts) as unknown as { onBatch(payload: unknown): Promise<void> };
  // Entries' offsets are their last records'; the batch ends with a transaction marker at 9.
  const batch = { partition: 0, fetchedOffset: "0", messages: [{ offset: "3" }, { offset: "4" }, { offset: "7" }], lastOffset: () => "9" };
  await worker.onBatch({
    batch,
    resolveOffset: (offset: string) => resolved.push(offset),
    heartbeat: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
  });
  return resolved;
}

test("a batch gathered whole resolves its last entry (from which kafkajs resolves through the markers after it, where it fetched ahead from)", async () => {
  expect(await handle(false)).toEqual(["7"]);
});

test("a join while a batch is handled voids it: nothing is resolved into the new join's offsets", async () => {
  expect(await handle(true)).toEqual([]);
});
