// The format seam: what a file of each shape is called, says it is, and holds once finished.
import { describe, expect, it } from "vitest";
import { fileFormatOf } from "../../../../main/core/exporters/files/file-format.js";
import { fileShapeOf } from "../../../../main/core/exporters/file-shape.js";
import { memorySpills } from "../../../../main/core/exporters/files/spills-and-sinks.js";
import { linesOf } from "../../../support/file-lines.js";
import { fileKindFormats } from "../../../../common/record-format.js";

describe.each([
  ["none", ".jsonl", "application/x-ndjson", true],
  ["gzip", ".jsonl.gz", "application/gzip", false],
  ["zstd", ".jsonl.zst", "application/zstd", false],
] as const)("JSON Lines, %s", (compression, suffix, contentType, bodyIsLines) => {
  const format = fileFormatOf(fileShapeOf({ compression, fields: ["key", "value"], tombstones: "invalid" }));

  it("names, types and finishes its files", async () => {
    const kind = fileKindFormats[format.kindOf("events")];
    expect([kind.suffix, kind.contentType, format.bodyIsLines]).toEqual([suffix, contentType, bodyIsLines]);
    expect(format.kindOf("invalid")).toBe(compression);
    const batch = format.newBatch("clicks", memorySpills);
    batch.add({ partition: 0, offset: "7", timestamp: "0", key: Buffer.from("k"), value: Buffer.from('{"a":1}'), headers: [] });
    const lines = batch.content().events!;
    const stored = (await format.finish("events", lines)) as Buffer;
    expect(linesOf(`file${suffix}`, stored)).toBe('{"key":"k","value":{"a":1}}\n');
    // The same lines finish to the same bytes: a re-created file is identical.
    expect(((await format.finish("events", lines)) as Buffer).equals(stored)).toBe(true);
  });
});
