// A stored file's text as any reader gets it: `.jsonl.gz` and `.jsonl.zst` are decompressed.
import { gunzipSync, zstdDecompressSync } from "node:zlib";

export const linesOf = (key: string, bytes: Buffer): string =>
  (key.endsWith(".gz") ? gunzipSync(bytes) : key.endsWith(".zst") ? zstdDecompressSync(bytes) : bytes).toString("utf8");

/**
 * The bytes of a key, value or header value in an `-invalid` line: text or base64, as its
 * `<name>Encoding` says (lines written before line rules 4 have none, and hold base64).
 */
export function invalidBytes(holder: Record<string, unknown>, name: "key" | "value" = "value"): Buffer | null {
  const written = holder[name];
  if (written === null || written === undefined) return null;
  if (typeof written !== "string") throw new Error(`${name} of an -invalid line is ${JSON.stringify(written)}, not a string`);
  return Buffer.from(written, holder[`${name}Encoding`] === "utf8" ? "utf8" : "base64");
}
