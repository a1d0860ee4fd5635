// What validating a sink proves, whatever the store: an empty `.strm_test_<uuid>.jsonl` was
// written where files will go, with exactly the permission exporters use.
import { randomUUID } from "node:crypto";
import { fileKindFormats, type FileKind } from "../../../common/record-format.js";
import { compressBodySync } from "../exporters/files/compression.js";

export interface ValidationResult {
  /** S3 only: the bucket's region, found or confirmed. */
  region?: string;
  key: string;
  uri: string;
}

/**
 * The validation file an exporter writes: `.strm_test_<uuid>.jsonl`, or with its compression's
 * suffix, so it proves the permission its files need (`*.jsonl.gz`). A compressed one holds an
 * empty stream, which readers take as no lines (a zero-byte `.gz` would be a broken file).
 */
export async function validationFile(kind: FileKind = "none", uuid = randomUUID()): Promise<{ name: string; body: Buffer }> {
  const name = `.strm_test_${uuid}${fileKindFormats[kind].suffix}`;
  // Parquet's writer is loaded only by a process that writes Parquet.
  return {
    name,
    body: kind === "parquet" ? (await import("../exporters/parquet/parquet-body.js")).emptyParquetFile() : compressBodySync(Buffer.alloc(0), kind),
  };
}
