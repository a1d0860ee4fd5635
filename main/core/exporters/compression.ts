// Compresses a batch file's body on libuv's thread pool, off the worker's main thread. The same
// bytes in give the same bytes out for a given Node (its zlib and zstd) and level: gzip writes no
// time or name into its header (Node leaves MTIME 0), so a file re-created after a crash is
// identical too (docs/EXACTLY-ONCE.md).
import { promisify } from "node:util";
import { constants, gzip, zstdCompress } from "node:zlib";
import type { Compression } from "../../../common/record-format.js";

const gzipAsync = promisify(gzip);
const zstdAsync = promisify(zstdCompress);

/** zlib's default (6) and zstd's default (3): good ratios on JSON at a few hundred MB/s. */
const gzipLevel = 6;
const zstdLevel = 3;

export async function compressBody(body: Buffer, compression: Compression): Promise<Buffer> {
  if (compression === "gzip") return gzipAsync(body, { level: gzipLevel });
  if (compression === "zstd") return zstdAsync(body, { params: { [constants.ZSTD_c_compressionLevel]: zstdLevel, [constants.ZSTD_c_checksumFlag]: 1 } });
  return body;
}
