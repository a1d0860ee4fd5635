// The store-footprint part's table: each store's medians in MiB, its runs, and whether any run's
// thread loaded undici.
import { expect, it } from "vitest";
import { storeFootprintMarkdown } from "../../../bench/store-footprint.js";

const mib = 2 ** 20;
const run = (grew: number, heap: number, undici = false) => ({ grewBytes: grew * mib, heapBytes: heap * mib, undici });

it("says each store's median growth and heap, its runs, and undici where any run loaded it", () => {
  const text = storeFootprintMarkdown({
    date: "2026-12-08",
    commit: "abc1234",
    files: 50,
    rows: [
      { store: "a thread that only starts", runs: [run(13, 4.9), run(12, 4.9), run(14, 4.9)] },
      { store: "Azure Blob Storage (Azurite)", runs: [run(54, 18.7, true), run(45, 12.6), run(44, 12.6)] },
    ],
  });
  expect(text).toContain("Run on 2026-12-08 at commit abc1234");
  expect(text).toContain("stores 50 small files with it (3 runs each, taking turns; medians)");
  expect(text).toContain("| a thread that only starts | **13** | 5 | no | 13; 4.9 · 12; 4.9 · 14; 4.9 |");
  expect(text).toContain("| Azure Blob Storage (Azurite) | **45** | 13 | yes | 54; 18.7 · 45; 12.6 · 44; 12.6 |");
});
