// How a batch file's body is compressed: one table of codecs with their levels, used both for the
// files (on libuv's thread pool, off the worker's main thread) and for the empty validation
// streams. The same bytes in give the same bytes out for a given Node (its zlib and zstd) and
// level: gzip writes no time or name into its header (Node leaves MTIME 0), so a file re-created
// after a crash is identical too (docs/EXACTLY-ONCE.md).
import { promisify } from "node:util";
import { constants, gzip, gzipSync, zstdCompress, zstdCompressSync, type ZlibOptions, type ZstdOptions } from "node:zlib";
import type { Compression } from "../../../common/record-format.js";

/** zlib's default (6) and zstd's default (3): good ratios on JSON at a few hundred MB/s. */
const gzipOptions: ZlibOptions = { level: 6 };
const zstdOptions: ZstdOptions = { params: { [constants.ZSTD_c_compressionLevel]: 3, [constants.ZSTD_c_checksumFlag]: 1 } };

const gzipAsync = promisify(gzip);
const zstdAsync = promisify(zstdCompress);

const codecs: Record<Compression, { compress(body: Buffer): Promise<Buffer>; compressSync(body: Buffer): Buffer }> = {
  none: { compress: async (body) => body, compressSync: (body) => body },
  gzip: { compress: (body) => gzipAsync(body, gzipOptions), compressSync: (body) => gzipSync(body, gzipOptions) },
  zstd: { compress: (body) => zstdAsync(body, zstdOptions), compressSync: (body) => zstdCompressSync(body, zstdOptions) },
};

export const compressBody = (body: Buffer, compression: Compression): Promise<Buffer> => codecs[compression].compress(body);

/** For small bodies only (the validation file's empty stream): it blocks the thread. */
export const compressBodySync = (body: Buffer, compression: Compression): Buffer => codecs[compression].compressSync(body);
