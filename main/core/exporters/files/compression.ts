// How a batch file's body is compressed: one table of codecs with their levels, used both for the
// files (on libuv's thread pool, off the worker's main thread) and for the empty validation
// streams. The same bytes in give the same bytes out for a given Node (its zlib and zstd) and
// level: gzip writes no time or name into its header (Node leaves MTIME 0), so a file re-created
// after a crash is identical too (docs/EXACTLY-ONCE.md).
import { buffer } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { constants, createGzip, createZstdCompress, gzip, gzipSync, zstdCompress, zstdCompressSync, type ZlibOptions, type ZstdOptions } from "node:zlib";
import type { Transform } from "node:stream";
import type { Compression } from "../../../../common/record-format.js";
import { isSpooled, openBody, type FileBody } from "../../stores/file-body.js";

/** zlib's default (6) and zstd's default (3): good ratios on JSON at a few hundred MB/s. */
const gzipOptions: ZlibOptions = { level: 6 };
const zstdOptions: ZstdOptions = { params: { [constants.ZSTD_c_compressionLevel]: 3, [constants.ZSTD_c_checksumFlag]: 1 } };

const gzipAsync = promisify(gzip);
const zstdAsync = promisify(zstdCompress);

interface Codec {
  compress(body: Buffer): Promise<Buffer>;
  compressSync(body: Buffer): Buffer;
  /** A compressing stream, for spooled bodies: the same bytes out as `compress` gives (test/unit/exporters/compression.test.ts). */
  stream(): Transform;
}

const codecs: Record<Exclude<Compression, "none">, Codec> = {
  gzip: { compress: (body) => gzipAsync(body, gzipOptions), compressSync: (body) => gzipSync(body, gzipOptions), stream: () => createGzip(gzipOptions) },
  zstd: {
    compress: (body) => zstdAsync(body, zstdOptions),
    compressSync: (body) => zstdCompressSync(body, zstdOptions),
    stream: () => createZstdCompress(zstdOptions),
  },
};

/**
 * The body as stored. A compressed body is a buffer (a few percent of the lines, for JSON); a
 * spooled one is read from the disk through the compressor, so the plain lines are never
 * resident whole.
 */
export async function compressBody(body: Buffer, compression: Compression): Promise<Buffer>;
export async function compressBody(body: FileBody, compression: Compression): Promise<FileBody>;
export async function compressBody(body: FileBody, compression: Compression): Promise<FileBody> {
  if (compression === "none") return body;
  const codec = codecs[compression];
  if (!isSpooled(body)) return codec.compress(body);
  const compressor = codec.stream();
  const [compressed] = await Promise.all([buffer(compressor), pipeline(openBody(body), compressor)]);
  return compressed;
}

/** For small bodies only (the validation file's empty stream): it blocks the thread. */
export const compressBodySync = (body: Buffer, compression: Compression): Buffer => (compression === "none" ? body : codecs[compression].compressSync(body));
