// A batch file's bytes as a store is handed them: in memory (small files: the validation file,
// compressed bodies), or a file in the worker's spool (exporters/spool.ts), which each attempt
// reads again from the disk. A spooled body is never resident whole: a 16 MiB file costs the
// worker a few 256 KiB reads at a time, not a 16 MiB buffer and the copies an upload makes of it.
import { createHash } from "node:crypto";
import { createReadStream, type ReadStream } from "node:fs";
import { open } from "node:fs/promises";

export interface SpooledFile {
  readonly path: string;
  readonly length: number;
  /**
   * The bytes' SHA-256 in hex, when the spool computed it as it wrote them (for stores that sign
   * it): a second pass over 16 MiB, 64 reads each waiting for a turn of a busy event loop, took
   * longer than the rest of the upload.
   */
  readonly sha256?: string;
}

export type FileBody = Buffer | SpooledFile;

/** Reads from the page cache in pieces this size; each is garbage as soon as it is sent. */
const readBytes = 256 * 1024;

export const isSpooled = (body: FileBody): body is SpooledFile => !Buffer.isBuffer(body);

export const bodyLength = (body: FileBody): number => body.length;

/** A fresh stream of the body's bytes: one per attempt, since a sent stream cannot be sent again. */
export function openBody(body: SpooledFile): ReadStream {
  // The spool file holds exactly the body; `end` (inclusive) only bounds the read.
  return createReadStream(body.path, { highWaterMark: readBytes, end: Math.max(0, body.length - 1) });
}

/** The body's SHA-256 in hex (SigV4 over plain HTTP signs it), read through one reused buffer. */
export async function sha256Hex(body: FileBody): Promise<string> {
  const hash = createHash("sha256");
  if (!isSpooled(body)) return hash.update(body).digest("hex");
  if (body.sha256 !== undefined) return body.sha256;
  const file = await open(body.path, "r");
  try {
    const piece = Buffer.allocUnsafe(readBytes);
    for (let at = 0; at < body.length;) {
      const { bytesRead } = await file.read(piece, 0, Math.min(piece.length, body.length - at), at);
      if (bytesRead === 0) throw new Error(`${body.path} ends at ${at} of its ${body.length} bytes`);
      hash.update(piece.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await file.close();
  }
  return hash.digest("hex");
}
