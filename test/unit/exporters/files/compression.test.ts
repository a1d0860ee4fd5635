// Compressed batch files: names with the suffix, an intent that remembers how its file is
// compressed, bodies that decompress to the lines and come out the same byte for byte when a
// file is re-created, and the Content-Type each file is stored with.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, zstdDecompressSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Spool } from "../../../../main/core/exporters/files/spool.js";
import { spilledLines } from "../../../support/spooled.js";
import { contentTypeOfKey } from "../../../../common/record-format.js";
import { decodeMetadata, encodeMetadata } from "../../../../main/core/exporters/commit/commit-metadata.js";
import { fileShapeOf } from "../../../../main/core/exporters/file-shape.js";
import { compressBody } from "../../../../main/core/exporters/files/compression.js";
import { batchFileKey } from "../../../../main/core/exporters/file-names.js";

const lines = Buffer.from(Array.from({ length: 5000 }, (_, id) => JSON.stringify({ id, url: `https://example.test/${id % 17}` })).join("\n") + "\n");
const name = { prefix: "events", time: 1_764_547_200, topic: "clicks", partitions: [0, 1], counter: 2 };

describe("compressed batch files", () => {
  it("are named .jsonl.gz and .jsonl.zst, invalid ones too, and typed by their suffix", () => {
    expect(batchFileKey(name)).toBe("events/2025-12-01T00:00:00-clicks---0-1.2.jsonl");
    expect(batchFileKey(name, "events", "gzip")).toBe("events/2025-12-01T00:00:00-clicks---0-1.2.jsonl.gz");
    expect(batchFileKey(name, "invalid", "zstd")).toBe("events/2025-12-01T00:00:00-clicks---0-1.2-invalid.jsonl.zst");
    expect(contentTypeOfKey(batchFileKey(name, "events", "gzip"))).toBe("application/gzip");
    expect(contentTypeOfKey(batchFileKey(name, "events", "zstd"))).toBe("application/zstd");
    expect(contentTypeOfKey(".strm_test_x.jsonl")).toBe("application/x-ndjson");
  });

  it("decompress to the lines, smaller, and identical when made again", async () => {
    for (const [compression, decompress] of [
      ["gzip", gunzipSync],
      ["zstd", zstdDecompressSync],
    ] as const) {
      const first = await compressBody(lines, compression);
      const again = await compressBody(Buffer.from(lines), compression);
      expect(decompress(first).equals(lines), compression).toBe(true);
      expect(first.equals(again), compression).toBe(true);
      expect(first.length).toBeLessThan(lines.length / 4);
    }
    // gzip's header holds no time (MTIME 0), so a re-created file does not differ by when it was made.
    expect((await compressBody(lines, "gzip")).readUInt32LE(4)).toBe(0);
    expect(await compressBody(lines, "none")).toBe(lines);
  });

  it("come out the same from a spooled file, read from the disk in pieces, as from memory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const spool = new Spool(join(dir, "worker"));
      const pieces = [lines.subarray(0, 1000), lines.subarray(1000, 200_000), lines.subarray(200_000)];
      // A body in spans of two spills, as a cut's is.
      const spooled = spool.write(lines.length, [spilledLines(spool, pieces.slice(0, 2)), spilledLines(spool, pieces.slice(2))]);
      expect(spooled.spans).toHaveLength(2);
      for (const compression of ["gzip", "zstd"] as const) {
        const fromDisk = await compressBody(spooled, compression);
        expect(Buffer.isBuffer(fromDisk), compression).toBe(true);
        expect((fromDisk as Buffer).equals(await compressBody(lines, compression)), compression).toBe(true);
      }
      expect(await compressBody(spooled, "none")).toBe(spooled);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("come out the same however the body is split into spans, a small one too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const spool = new Spool(join(dir, "worker"));
      const small = lines.subarray(0, 70_000);
      for (const body of [small, lines])
        for (const compression of ["gzip", "zstd"] as const) {
          const inMemory = await compressBody(body, compression);
          for (const cuts of [[1000], [1000, 30_000, 60_000], [5]]) {
            const pieces = [0, ...cuts, body.length].slice(0, -1).map((from, n, all) => body.subarray(from, n + 1 < all.length ? all[n + 1] : body.length));
            spool.reset(0);
            const spooled = spool.write(
              body.length,
              pieces.map((piece) => spilledLines(spool, [piece])),
            );
            expect(spooled.spans).toHaveLength(pieces.length);
            expect(
              ((await compressBody(spooled, compression)) as Buffer).equals(inMemory),
              `${compression}, ${body.length} bytes cut at ${cuts.join(", ")}`,
            ).toBe(true);
          }
        }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keep their compression in the intent, so a pending file is re-created as planned", () => {
    const now = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" });
    const intent = {
      time: name.time,
      counter: 2,
      held: [0, 1],
      ranges: [{ partition: 0, first: 10, last: 20 }],
      shape: { ...now, compression: "zstd" as const },
    };
    expect(decodeMetadata(encodeMetadata({ intent }), now).intent).toEqual(intent);
    expect(decodeMetadata(encodeMetadata({ intent: { ...intent, shape: now } }), now).intent?.shape.compression).toBe("none");
    // Ours but unreadable: said, never a pending file silently skipped; the last name used is still read.
    expect(decodeMetadata('{"v":1,"i":{"t":1,"c":0,"h":[0],"r":[[0,1,2]],"z":"brotli"},"l":[1,4]}', now)).toEqual({
      last: { time: 1, counter: 4 },
      unreadable: expect.stringContaining("cannot re-create exactly"),
    });
  });
});
