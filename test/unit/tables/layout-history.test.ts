// Issue #34: the layouts an exporter's files are in, read back from the keys its export log holds
// (the prefix, path template and compression each file was written with), so one definition reads
// files written before and after a change of settings.
import { describe, expect, it } from "vitest";
import type { ExportLogEntry } from "../../../common/stored-files.js";
import { batchFileKey, type BatchFileName } from "../../../main/core/exporters/file-names.js";
import { layoutHistory } from "../../../main/core/tables/layout-history.js";
import type { Layout } from "../../../main/core/tables/layout.js";
import { parseBatchKey, validationFolder } from "../../../main/core/tables/stored-keys.js";
import type { Compression } from "../../../common/record-format.js";

const topic = "clicks";
const at = (iso: string) => Date.parse(iso) / 1000;

/** The export log's line for a file the exporter stored. */
function entry(key: string, kind: ExportLogEntry["kind"] = "events"): ExportLogEntry {
  return { at: "2026-12-01T00:00:00.000Z", exporter: "s3-clicks", key, uri: `s3://b/${key}`, kind, bytes: 1, records: 1, partitions: [] };
}

/** Event files cut at each time, laid out as `layout` says (as the worker names them). */
const files = (layout: Layout, times: readonly string[], name: Partial<BatchFileName> = {}) =>
  times.map((time) =>
    entry(
      batchFileKey(
        {
          ...(layout.prefix ? { prefix: layout.prefix } : {}),
          ...(layout.template ? { template: layout.template } : {}),
          time: at(time),
          topic,
          partitions: [0],
          counter: 0,
          ...name,
        },
        "events",
        layout.compression,
      ),
    ),
  );

const validation = (prefix: string) => entry(`${prefix}/.strm_test_0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b.jsonl`, "validation");

const hours = (day: string, count: number) => Array.from({ length: count }, (_, hour) => `${day}T${String(hour).padStart(2, "0")}:05:00Z`);

describe("stored keys read back", () => {
  it("gives back every part batchFileKey puts in a name", () => {
    const names: Array<[BatchFileName, "events" | "invalid", Compression]> = [
      [{ time: at("2026-12-01T10:00:00Z"), topic: "clicks", partitions: [0], counter: 0 }, "events", "none"],
      [{ prefix: "a/b", time: at("2026-12-01T10:00:01Z"), topic: "my.topic_1", partitions: [0, 3, 7], counter: 12 }, "invalid", "gzip"],
      [{ prefix: "p", template: "dt={date}/hour={hour}", time: at("2027-01-31T23:59:59Z"), topic: "a---b", partitions: [2], counter: 1 }, "events", "zstd"],
    ];
    for (const [name, kind, compression] of names) {
      const key = batchFileKey(name, kind, compression);
      const folder = key.slice(0, Math.max(0, key.lastIndexOf("/")));
      expect(parseBatchKey(key)).toEqual({ folder, time: name.time, topic: name.topic, kind, compression });
    }
  });

  it("is not fooled by validation files or other names, and finds a validation file's folder", () => {
    expect(parseBatchKey("events/.strm_test_0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b.jsonl")).toBeUndefined();
    expect(parseBatchKey("events/notes.txt")).toBeUndefined();
    expect(validationFolder("events/v2/.strm_test_0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b.jsonl.gz")).toBe("events/v2");
    expect(validationFolder(".strm_test_0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b.jsonl")).toBe("");
    expect(validationFolder("events/2026-12-01T10:00:00-clicks---0.jsonl")).toBeUndefined();
  });
});

describe("layouts from the export log", () => {
  const hive: Layout = { prefix: "events", template: "dt={date}/hour={hour}", compression: "gzip" };
  const flat: Layout = { prefix: "events", compression: "none" };

  it("finds the flat, plain files written before a change to hive folders and gzip", () => {
    const log = [...files(flat, hours("2026-12-01", 5)), ...files(hive, hours("2026-12-02", 3))];
    expect(layoutHistory(log, hive, topic)).toEqual({ earlier: [{ ...flat, files: 5 }], currentFiles: 3 });
  });

  it("leaves out other topics' files and -invalid files, and counts none of the current layout before its first file", () => {
    const log = [
      ...files(flat, hours("2026-12-01", 2)),
      ...files(flat, hours("2026-12-01", 2)).map((line) => ({ ...line, key: line.key.replace("-clicks---", "-my-clicks---") })),
      entry(batchFileKey({ prefix: "events", time: at("2026-12-01T10:00:00Z"), topic, partitions: [0], counter: 0 }, "invalid"), "invalid"),
    ];
    expect(layoutHistory(log, hive, topic)).toEqual({ earlier: [{ ...flat, files: 2 }], currentFiles: 0 });
  });

  it("reads {yyyy}/{MM}/{dd}/{HH} back, though at noon on 12 December every folder says 12", () => {
    const old: Layout = { prefix: "events", template: "{yyyy}/{MM}/{dd}/{HH}", compression: "zstd" };
    // One ambiguous file alone: calendar order, as templates are written.
    expect(layoutHistory(files(old, ["2026-12-12T12:00:00Z"]), hive, topic).earlier).toEqual([{ ...old, files: 1 }]);
    // With others, the template that renders them all exactly.
    const many = files(old, ["2026-12-12T12:00:00Z", "2026-12-12T13:00:00Z", "2026-12-13T12:00:00Z", "2027-01-12T12:00:00Z"]);
    expect(layoutHistory(many, hive, topic).earlier).toEqual([{ ...old, files: 4 }]);
    // Hours alone, where a month would fit too: the later files say which.
    const byHour: Layout = { prefix: "events", template: "{HH}", compression: "none" };
    expect(layoutHistory(files(byHour, ["2026-12-12T12:00:00Z", "2026-12-12T13:00:00Z"]), hive, topic).earlier).toEqual([{ ...byHour, files: 2 }]);
  });

  it("takes a hive key's hint for a two-digit value", () => {
    const byDay: Layout = { prefix: "events", template: "month={MM}/day={dd}/hour={hour}", compression: "gzip" };
    expect(layoutHistory(files(byDay, ["2026-12-12T12:00:00Z"]), flat, topic).earlier).toEqual([{ ...byDay, files: 1 }]);
  });

  it("keeps a literal folder that only looks like a time when the files say so", () => {
    const literal: Layout = { prefix: "events", template: "{yyyy}/12", compression: "none" };
    const log = files(literal, ["2026-11-03T10:00:00Z", "2026-12-04T10:00:00Z", "2026-10-05T10:00:00Z"]);
    expect(layoutHistory(log, hive, topic).earlier).toEqual([{ ...literal, files: 3 }]);
  });

  it("knows a former prefix from its workers' validation files, even one that looks like a year", () => {
    const before: Layout = { prefix: "exports/2026", template: "dt={date}", compression: "gzip" };
    const log = [
      validation("exports/2026"),
      ...files(before, ["2026-12-01T10:00:00Z", "2027-01-01T10:00:00Z"]),
      validation("events"),
      ...files(hive, hours("2027-01-02", 2)),
    ];
    expect(layoutHistory(log, hive, topic)).toEqual({ earlier: [{ ...before, files: 2 }], currentFiles: 2 });
  });

  it("without a validation file, takes the folders before the first that holds the time as the prefix", () => {
    const before: Layout = { prefix: "archive/clicks-old", template: "{date}", compression: "none" };
    expect(layoutHistory(files(before, ["2026-12-01T10:00:00Z", "2026-12-02T10:00:00Z"]), hive, topic).earlier).toEqual([{ ...before, files: 2 }]);
  });

  it("gives files of the current folders but another compression their own layout, oldest first", () => {
    const plainHive: Layout = { ...hive, compression: "none" };
    const log = [...files(flat, ["2026-11-01T10:00:00Z"]), ...files(plainHive, ["2026-11-02T10:00:00Z"]), ...files(hive, ["2026-11-03T10:00:00Z"])];
    expect(layoutHistory(log, hive, topic)).toEqual({
      earlier: [
        { ...flat, files: 1 },
        { ...plainHive, files: 1 },
      ],
      currentFiles: 1,
    });
  });

  // Its speed is the bench's to measure, never a timed test's (shared machines are noisy): this is the result on a log that size.
  it("reads a full export log (200,000 files, three 16 MiB files of lines)", { timeout: 60_000 }, () => {
    const many = Array.from({ length: 200_000 }, (_, index) => new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString().slice(0, 19) + "Z");
    const log = [...files({ prefix: "events", template: "{yyyy}/{MM}/{dd}/{HH}", compression: "none" }, many), ...files(hive, many.slice(0, 5000))];
    const history = layoutHistory(log, hive, topic);
    expect(history).toEqual({ earlier: [{ prefix: "events", template: "{yyyy}/{MM}/{dd}/{HH}", compression: "none", files: 200_000 }], currentFiles: 5000 });
  });
});
