// A stored file's text as any reader gets it: `.jsonl.gz` and `.jsonl.zst` are decompressed.
import { gunzipSync, zstdDecompressSync } from "node:zlib";

export const linesOf = (key: string, bytes: Buffer): string =>
  (key.endsWith(".gz") ? gunzipSync(bytes) : key.endsWith(".zst") ? zstdDecompressSync(bytes) : bytes).toString("utf8");
