import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExportLog } from "../../main/core/exporters/export-log.js";
import { fileLogger } from "../../main/core/log.js";

const entry = (n: number) => ({
  at: new Date(n).toISOString(),
  exporter: "e",
  key: `events/${n}.jsonl`,
  uri: `s3://b/events/${n}.jsonl`,
  kind: "events" as const,
  bytes: n,
  records: n,
  partitions: [],
});

describe("rotation", () => {
  it("keeps the app log under its size, with a bounded number of old files", () => {
    const dir = mkdtempSync(join(tmpdir(), "streamdrop-log-"));
    const log = fileLogger(dir, "test", { maxBytes: 2000, keep: 2 });
    for (let i = 0; i < 200; i += 1) log.info({ n: i }, "a line of about a hundred bytes");
    const files = readdirSync(join(dir, "logs")).sort();
    expect(files).toEqual(["streamdrop.log", "streamdrop.log.1", "streamdrop.log.2"]);
    for (const file of files) expect(readFileSync(join(dir, "logs", file)).length).toBeLessThanOrEqual(2000);
    expect(readFileSync(join(dir, "logs", "streamdrop.log"), "utf8")).toContain('"n":199');
  });

  it("rotates an export log and still reads the kept entries oldest first", async () => {
    const dir = mkdtempSync(join(tmpdir(), "streamdrop-exports-"));
    const log = new ExportLog(dir, 1000, 2);
    for (let i = 0; i < 60; i += 1) await log.append("id", entry(i));
    expect(readdirSync(join(dir, "exports")).sort()).toEqual(["id.jsonl", "id.jsonl.1", "id.jsonl.2"]);
    const kept = (await log.read("id")).map((candidate) => candidate.records);
    expect(kept.at(-1)).toBe(59);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    expect(kept.length).toBeLessThan(60);
  });
});
