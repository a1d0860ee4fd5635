// A batch file's bytes as a store is handed them: in memory (small files: the validation file,
// compressed bodies), or a file in the worker's spool (exporters/spool.ts), which each attempt
// reads again from the disk. A spooled body is never resident whole: a 16 MiB file costs the
// worker a few 256 KiB pieces at a time (spooled-stream.ts), not a 16 MiB buffer and the copies an
// upload makes of it.
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { pieceBytes, readSpan, SpooledStream } from "./spooled-stream.js";

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

/** A range of a spooled file: one part of an upload in parts (stores that take a file's path get whole files only). */
export interface SpooledRange {
  readonly path: string;
  readonly start: number;
  readonly length: number;
}

/** What one request sends: a body, or a part of one. */
export type BodyPart = Buffer | SpooledFile | SpooledRange;

/** The bytes a spooled body is: a whole file, or a range of one. */
const spanOf = (body: SpooledFile | SpooledRange) => ({ path: body.path, start: "start" in body ? body.start : 0, length: body.length });

export const isSpooled = (body: FileBody): body is SpooledFile => !Buffer.isBuffer(body);

/** A fresh stream of the body's bytes: one per attempt, since a sent stream cannot be sent again. */
export const openBody = (body: SpooledFile | SpooledRange): SpooledStream => new SpooledStream(spanOf(body));

/**
 * The body in parts of `partBytes` (the last one shorter), for uploads in parts: ranges of a
 * spooled file, each read from the disk as it is sent, or views of a buffer. Never copied.
 */
export function partsOf(body: FileBody, partBytes: number): Array<Buffer | SpooledRange> {
  const parts: Array<Buffer | SpooledRange> = [];
  for (let at = 0; at < body.length; at += partBytes) {
    const length = Math.min(partBytes, body.length - at);
    parts.push(isSpooled(body) ? { path: body.path, start: at, length } : body.subarray(at, at + length));
  }
  return parts;
}

/** The body's SHA-256 in hex (SigV4 over plain HTTP signs it), read through one reused buffer. */
export async function sha256Hex(body: BodyPart): Promise<string> {
  const hash = createHash("sha256");
  if (Buffer.isBuffer(body)) return hash.update(body).digest("hex");
  if ("sha256" in body && body.sha256 !== undefined) return body.sha256;
  const span = spanOf(body);
  const file = await open(body.path, "r");
  try {
    const piece = Buffer.allocUnsafe(pieceBytes);
    for (let at = 0; at < body.length;) {
      const read = await readSpan(file, span, at, piece);
      hash.update(piece.subarray(0, read));
      at += read;
    }
  } finally {
    await file.close();
  }
  return hash.digest("hex");
}
