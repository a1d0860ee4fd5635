import { createHash } from "node:crypto";
import { gzipSync, zstdCompressSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { firstLines, previewBytes } from "../../../main/core/stores/preview.js";
import { compressBodySync } from "../../../main/core/exporters/files/compression.js";

// Hashes, so the stored files stay larger than a preview's read even compressed.
const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: i, token: createHash("sha256").update(String(i)).digest("hex") }));
const body = Buffer.from(`${lines.join("\n")}\n`);

describe("file previews", () => {
  it("show a plain file's first lines, and say when there are more", async () => {
    expect(await firstLines(Buffer.from('{"a":1}\n{"a":2}\n'), true, "events/x.jsonl")).toEqual({ lines: ['{"a":1}', '{"a":2}'], truncated: false });
    const many = await firstLines(body, true, "events/x.jsonl");
    expect(many.lines).toEqual(lines.slice(0, 20));
    expect(many.truncated).toBe(true);
  });

  it.each([
    ["gzip", ".jsonl.gz", gzipSync],
    ["zstd", ".jsonl.zst", zstdCompressSync],
  ] as const)("decompress a %s file, whole or only its first bytes, by its suffix", async (compression, suffix, compress) => {
    const stored = compressBodySync(body, compression);
    expect(stored.length).toBeLessThan(body.length);
    expect((await firstLines(stored, true, `events/x${suffix}`)).lines).toEqual(lines.slice(0, 20));
    // The first 64 KiB of the stored file only, as a preview's range read gets of a large one.
    expect(stored.length).toBeGreaterThan(previewBytes);
    const prefix = await firstLines(compress(body).subarray(0, previewBytes), false, `events/x${suffix}`);
    expect(prefix.lines.slice(0, 10)).toEqual(lines.slice(0, 10));
    expect(prefix.truncated).toBe(true);
    // An empty stream (an exporter's validation file) has no lines.
    expect(await firstLines(compressBodySync(Buffer.alloc(0), compression), true, `.strm_test_x${suffix}`)).toEqual({ lines: [], truncated: false });
  });
});
