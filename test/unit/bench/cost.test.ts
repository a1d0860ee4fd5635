// The worker-cost bench's own logic: each column the median of its runs, and the table's ratios
// (the worker's CPU per event over kcat's, its rate over kcat's) from those medians.
import { expect, it } from "vitest";
import { measureKernel } from "../../../bench/kernel-alone.js";
import { costMarkdown, medianRun, type CostRow } from "../../../bench/worker-cost.js";

const run = (rate: number, workerUs: number) => ({ rate, workerUs, brokerUs: 1, storeUs: 0.1, peakRss: 100 * 2 ** 20 });

it("takes each column's median across the runs, and says the ratios to kcat", () => {
  const runs = [run(90_000, 3), run(120_000, 2.5), run(100_000, 4)];
  expect(medianRun(runs)).toEqual({ rate: 100_000, workerUs: 3, brokerUs: 1, storeUs: 0.1, peakRss: 100 * 2 ** 20 });
  const row: CostRow = { codec: "lz4", kcat: { rate: 200_000, readerUs: 1.5, brokerUs: 0.3 }, ...medianRun(runs), runs };
  const text = costMarkdown({ date: "2026-12-06", commit: "abc1234", events: 1000, bytesPerEvent: 515, maxBatchMb: 16, rows: [row] });
  expect(text).toContain(
    "| lz4 | 200,000 | 1.50 | 100,000 | 0.50 | 3.00 | **2.00** | 0.30, 1.00 | 0.10 | 100 | 90,000; 3.00 · 120,000; 2.50 · 100,000; 4.00 |",
  );
  expect(text).not.toContain("Idle");
  expect(
    costMarkdown({
      date: "2026-12-06",
      commit: "abc1234",
      events: 1000,
      bytesPerEvent: 515,
      maxBatchMb: 16,
      rows: [row],
      kernel: { us: 0.314, bytesPerEvent: 523 },
    }),
  ).toContain("523-byte records, walked, checked and copied out as lines in the bench's process): **0.31 µs** of CPU per event");
});

it("says the HTTPS drains in a table of their own, their ratio to the same kcat read", () => {
  const runs = [run(100_000, 3)];
  const https = [run(110_000, 2.4), run(130_000, 2.7), run(120_000, 2.55)];
  const row: CostRow = { codec: "zstd", kcat: { rate: 200_000, readerUs: 1.5, brokerUs: 0.3 }, ...medianRun(runs), runs, https };
  const text = costMarkdown({ date: "2026-12-06", commit: "abc1234", events: 1000, bytesPerEvent: 515, maxBatchMb: 16, rows: [row] });
  expect(text).toContain("**Over HTTPS**");
  expect(text).toContain("| zstd | 120,000 | 2.55 | **1.70** | 0.10 | 100 | 110,000; 2.40 · 130,000; 2.70 · 120,000; 2.55 |");
  const { https: _none, ...plainOnly } = row;
  expect(costMarkdown({ date: "2026-12-06", commit: "abc1234", events: 1000, bytesPerEvent: 515, maxBatchMb: 16, rows: [plainOnly] })).not.toContain("HTTPS");
});

it("measures the gather kernel alone on the bench's events", () => {
  const kernel = measureKernel(200, 3, 5);
  expect(kernel.bytesPerEvent).toBeGreaterThan(400);
  expect(kernel.us).toBeGreaterThan(0);
});

it("says the two-workers comparison, each side's medians and its runs", () => {
  const two = (rate: number, workerUs: number, peakMib: number) => ({ rate, workerUs, peaksSummed: peakMib * 2 ** 20 });
  const row: CostRow = { codec: "none", kcat: { rate: 200_000, readerUs: 1.5, brokerUs: 0.3 }, ...medianRun([run(100_000, 3)]), runs: [run(100_000, 3)] };
  const text = costMarkdown({
    date: "2026-12-07",
    commit: "abc1234",
    events: 1000,
    bytesPerEvent: 515,
    maxBatchMb: 16,
    rows: [row],
    twoWorkers: { host: [two(300_000, 2, 170), two(250_000, 2.2, 180), two(280_000, 1.9, 175)], processes: [two(220_000, 1.8, 220), two(230_000, 2.1, 230)] },
  });
  expect(text).toContain("as threads of one worker host, 280,000 events/s steady, 2.00 µs of the workers' CPU per event, 175 MiB at their peak");
  expect(text).toContain("(runs: 300,000; 2.00; 170 · 250,000; 2.20; 180 · 280,000; 1.90; 175)");
  expect(text).toContain("as a process each, 225,000 events/s steady, 1.95 µs");
});
