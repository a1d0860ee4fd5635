// The export log as the worker writes it: one line per stored file, a file logged before a crash
// and re-created by recovery listed once, a torn last line skipped, and its folder private.
import { appendFileSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ExportLog } from "../../../main/core/exporters/export-log.js";
import type { ExportLogEntry } from "../../../main/core/exporters/worker-protocol.js";

const entry = (key: string, extra: Partial<ExportLogEntry> = {}): ExportLogEntry => ({ at: "2026-12-01T10:00:00.000Z", exporter: "s3-demo", key, uri: `s3://b/${key}`, kind: "events", bytes: 10, records: 2, partitions: [{ partition: 0, first: 0, last: 1 }], ...extra });

it("lists each file once, where first logged, marked when recovery re-created it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-export-log-"));
  const log = new ExportLog(dir);
  await log.append("x", entry("events/a.jsonl"));
  await log.append("x", entry("events/b.jsonl"));
  await log.append("x", entry("events/a.jsonl", { recovered: true, at: "2026-12-01T10:05:00.000Z" }));
  appendFileSync(log.fileOf("x"), '{"at":"2026-12-01T10:06:00.000Z","key":"events/c.js'); // torn by a crash
  expect(await log.read("x")).toEqual([entry("events/a.jsonl", { recovered: true }), entry("events/b.jsonl")]);
  expect((statSync(join(dir, "exports")).mode & 0o777).toString(8)).toBe("700");
  expect((statSync(log.fileOf("x")).mode & 0o777).toString(8)).toBe("600");
});

it("keeps an exporter's totals across rotation: each new file starts with what came before", async () => {
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-export-log-"));
  // Small files, two kept: the oldest entries are dropped by the third rotation.
  const log = new ExportLog(dir, 600, 2);
  for (let i = 0; i < 20; i += 1) await log.append("x", entry(`events/${i}.jsonl`, { records: 3, bytes: 100, ...(i % 5 === 0 ? { tombstonesSkipped: 1 } : {}) }));
  await log.append("x", entry("events/bad.jsonl", { kind: "invalid", records: 1, bytes: 7 }));
  await log.append("x", entry("events/.strm_test.jsonl", { kind: "validation", records: 0, bytes: 0 }));
  // Re-created by recovery: counted once.
  await log.append("x", entry("events/19.jsonl", { records: 3, bytes: 100, recovered: true }));
  expect((await log.read("x")).length).toBeLessThan(22);
  expect(await log.totals("x")).toEqual({ events: 60, invalid: 1, bytes: 2007, files: 21, tombstonesSkipped: 4 });
});
