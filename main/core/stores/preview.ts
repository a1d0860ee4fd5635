// The first lines of a stored file, for the output files view: each store reads the first bytes
// (stores/<store>/preview.ts) and this cuts them into lines, decompressing first what the file's
// suffix says is compressed (.jsonl.gz, .jsonl.zst): a prefix of a compressed file still gives its
// first lines.
import { Readable } from "node:stream";
import { createGunzip, createZstdDecompress } from "node:zlib";
import { fileKindOfKey, type Compression } from "../../../common/record-format.js";
import type { FilePreview } from "../../../common/stored-files.js";

/** How much of a file a preview reads, and how many of its lines it shows. */
export const previewBytes = 64 * 1024;
const previewLines = 20;
/** Decompressed text a preview keeps at most (a 64 KiB prefix of JSON Lines may expand twentyfold). */
const maxPreviewText = 4 * 1024 * 1024;

export type { FilePreview };

/**
 * A Parquet file's rows are read through its footer, at its end: the preview reads it whole, up
 * to this size (a batch file of 16 MiB of lines is a few MiB of Parquet).
 */
const parquetPreviewBytes = 64 * 1024 * 1024;

/** How much of a key's file a preview reads. */
export const previewBytesOf = (key: string): number => (fileKindOfKey(key) === "parquet" ? parquetPreviewBytes : previewBytes);

/** `complete`: the bytes are the whole file (it was shorter than `previewBytesOf(key)`). */
export async function firstLines(bytes: Buffer, complete: boolean, key: string): Promise<FilePreview> {
  const compression = fileKindOfKey(key);
  if (compression === "parquet") {
    if (!complete) return { lines: [], truncated: true };
    const { parquetRows } = await import("../exporters/parquet/parquet-rows.js");
    const lines = parquetRows(bytes, previewLines + 1);
    return { lines: lines.slice(0, previewLines), truncated: lines.length > previewLines };
  }
  const text = compression === "none" ? bytes.toString("utf8") : (await decompressPrefix(bytes, compression)).toString("utf8");
  const lines = text.split("\n").filter((line, index, all) => line !== "" || index < all.length - 1);
  return { lines: lines.slice(0, previewLines), truncated: lines.length > previewLines || !complete };
}

/** What the first bytes of a compressed file decompress to; a stream cut short ends the output there. */
function decompressPrefix(bytes: Buffer, compression: Exclude<Compression, "none">): Promise<Buffer> {
  const decompressor = compression === "gzip" ? createGunzip() : createZstdDecompress();
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve) => {
    const done = () => resolve(Buffer.concat(chunks));
    decompressor.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxPreviewText) {
        decompressor.destroy();
        done();
      }
    });
    // A prefix ends mid-stream ("unexpected end of file"): what came out so far is the preview.
    decompressor.on("error", done);
    decompressor.on("end", done);
    Readable.from([bytes]).pipe(decompressor);
  });
}
