// The export log as the worker writes it: one line per stored file, a file logged before a crash
// and re-created by recovery listed once, a torn last line skipped, and its folder private; and
// tombstones skipped in a cut that stored no file, counted once and listed as no file.
import { appendFileSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addEntry, ExportLog, type LogLine } from "../../../main/core/exporters/export-log.js";
import type { ExportLogEntry, SkippedLogEntry } from "../../../main/core/exporters/worker-protocol.js";

const entry = (key: string, extra: Partial<ExportLogEntry> = {}): ExportLogEntry => ({
  at: "2026-12-01T10:00:00.000Z",
  exporter: "s3-demo",
  key,
  uri: `s3://b/${key}`,
  kind: "events",
  bytes: 10,
  records: 2,
  partitions: [{ partition: 0, first: 0, last: 1 }],
  ...extra,
});

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
  for (let i = 0; i < 20; i += 1)
    await log.append("x", entry(`events/${i}.jsonl`, { records: 3, bytes: 100, ...(i % 5 === 0 ? { tombstonesSkipped: 1 } : {}) }));
  await log.append("x", entry("events/bad.jsonl", { kind: "invalid", records: 1, bytes: 7 }));
  await log.append("x", entry("events/.strm_test.jsonl", { kind: "validation", records: 0, bytes: 0 }));
  // Re-created by recovery: counted once.
  await log.append("x", entry("events/19.jsonl", { records: 3, bytes: 100, recovered: true }));
  expect((await log.read("x")).length).toBeLessThan(22);
  expect(await log.totals("x")).toEqual({ events: 60, invalid: 1, bytes: 2007, files: 21, tombstonesSkipped: 4 });
});

it("counts tombstones skipped in a cut that stored no file, once per key, across rotation; lists no file for them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-export-log-"));
  const log = new ExportLog(dir);
  const skipped = (key: string, count: number, extra: Partial<SkippedLogEntry> = {}): SkippedLogEntry => ({
    at: "2026-12-01T10:00:00.000Z",
    exporter: "s3-demo",
    key,
    kind: "skipped",
    partitions: [{ partition: 0, first: 0, last: count - 1 }],
    tombstonesSkipped: count,
    ...extra,
  });
  await log.append("x", entry("events/a.jsonl", { tombstonesSkipped: 1 }));
  await log.append("x", skipped("events/t1.jsonl", 4));
  // Logged, then the worker died before the done commit: recovery re-runs the intent and logs the same key.
  await log.append("x", skipped("events/t1.jsonl", 4, { recovered: true }));
  // Died before logging it: only recovery logs it.
  await log.append("x", skipped("events/t2.jsonl", 3, { recovered: true }));
  await log.append("x", entry("events/b.jsonl"));
  expect(await log.read("x")).toEqual([entry("events/a.jsonl", { tombstonesSkipped: 1 }), entry("events/b.jsonl")]);
  expect(await log.totals("x")).toEqual({ events: 4, invalid: 0, bytes: 20, files: 2, tombstonesSkipped: 8 });
  expect(await log.summary("x", 10)).toEqual({
    totals: { events: 4, invalid: 0, bytes: 20, files: 2, tombstonesSkipped: 8 },
    recentKeys: ["events/a.jsonl", "events/t1.jsonl", "events/t1.jsonl", "events/t2.jsonl", "events/b.jsonl"],
    lastFile: "events/b.jsonl",
  });
  await log.append("x", skipped("events/t3.jsonl", 2));
  expect((await log.summary("x", 0)).lastFile).toBe("events/b.jsonl");

  // Small files, two kept: the carried totals hold the tombstones of the dropped files.
  const rotating = new ExportLog(mkdtempSync(join(tmpdir(), "streamdrop-export-log-")), 600, 2);
  for (let i = 0; i < 20; i += 1) await rotating.append("x", skipped(`events/${i}.jsonl`, 2));
  await rotating.append("x", skipped("events/19.jsonl", 2, { recovered: true }));
  expect(await rotating.read("x")).toEqual([]);
  expect(await rotating.totals("x")).toEqual({ events: 0, invalid: 0, bytes: 0, files: 0, tombstonesSkipped: 40 });
});

describe("following the log as it grows (what each engine sharing the data folder counts)", () => {
  const keysOf = (lines: LogLine[]) => lines.flatMap((line) => ("carried" in line ? [] : [line.key]));

  it("starts with what is there, then gives only what was appended, a line being written once whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), "streamdrop-export-log-"));
    const log = new ExportLog(dir);
    await log.append("x", entry("events/a.jsonl", { records: 5 }));
    const follower = log.follow("x");
    expect(await follower.start(10)).toEqual({
      totals: { events: 5, invalid: 0, bytes: 10, files: 1, tombstonesSkipped: 0 },
      recentKeys: ["events/a.jsonl"],
      lastFile: "events/a.jsonl",
    });
    expect(await follower.next()).toEqual([]);

    await log.append("x", entry("events/b.jsonl"));
    const c = JSON.stringify(entry("events/c.jsonl"));
    appendFileSync(log.fileOf("x"), c.slice(0, 20)); // another process is half way through its append
    expect(await follower.next()).toEqual([entry("events/b.jsonl")]);
    appendFileSync(log.fileOf("x"), `${c.slice(20)}\n`);
    expect(await follower.next()).toEqual([entry("events/c.jsonl")]);
  });

  it("finds a log written after it started", async () => {
    const log = new ExportLog(mkdtempSync(join(tmpdir(), "streamdrop-export-log-")));
    const follower = log.follow("x");
    expect((await follower.start(10)).totals.files).toBe(0);
    await log.append("x", entry("events/a.jsonl"));
    expect(await follower.next()).toEqual([entry("events/a.jsonl")]);
  });

  // Rotations every two or three entries, two files kept: looked at after every entry, or after
  // a rotation or two, every entry comes once and in order; looked at more seldom, files are
  // dropped before they are read, and the carried totals make up for them.
  it.each([1, 2, 3, 5, 8])("follows rotations, looking after every %i entries", async (every) => {
    const log = new ExportLog(mkdtempSync(join(tmpdir(), "streamdrop-export-log-")), 600, 2);
    const follower = log.follow("x");
    await follower.start(10);
    const seen: string[] = [];
    // Counted as the ledger counts: each key once, a carried total keeping the larger.
    const counted = { events: 0, invalid: 0, bytes: 0, files: 0, tombstonesSkipped: 0 };
    const look = async () => {
      for (const line of await follower.next()) {
        if ("carried" in line) {
          for (const field of Object.keys(counted) as Array<keyof typeof counted>) counted[field] = Math.max(counted[field], line.carried[field]);
        } else if (!seen.includes(line.key)) {
          seen.push(line.key);
          addEntry(counted, line);
        }
      }
    };
    for (let i = 0; i < 30; i += 1) {
      await log.append("x", entry(`events/${i}.jsonl`));
      if (i % every === every - 1) await look();
    }
    await look();
    expect(counted).toEqual(await log.totals("x"));
    if (every <= 3) expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `events/${i}.jsonl`));
    expect(keysOf(await follower.next())).toEqual([]);
  });
});
