// A batch file's bytes as a store is handed them: in memory (small files: the validation file,
// compressed bodies), or bytes in the worker's spool (exporters/files/spool.ts), which each attempt
// reads again from the disk. A spooled body is never resident whole: a 16 MiB file costs the
// worker a few 256 KiB pieces at a time (spooled-stream.ts), not a 16 MiB buffer and the copies an
// upload makes of it.
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { pieceBytes, readSpan, SpooledStream, type SpooledSpan } from "./spooled-stream.js";

export type { SpooledSpan };

/** Bytes on the local disk: spans of spooled files, read in order. */
export interface SpooledBytes {
  readonly spans: readonly SpooledSpan[];
  /** The spans' lengths, summed. */
  readonly length: number;
}

/**
 * A spooled body: its partitions' spills where they lie, for stores that read a body as spans
 * (a stream per request); or one file of its own, for stores whose SDK uploads a file by its path.
 */
export interface SpooledFile extends SpooledBytes {
  /** The file whose whole content the body is, when it is one (Cloud Storage's and Azure's uploads take a path). */
  readonly wholeFile?: string;
  /**
   * The bytes' SHA-256 in hex, when the spool computed it (for stores that sign it): a second pass
   * over 16 MiB, 64 reads each waiting for a turn of a busy event loop, took longer than the rest
   * of the upload.
   */
  readonly sha256?: string;
}

export type FileBody = Buffer | SpooledFile;

/** What one request sends: a body, or a part of one. */
export type BodyPart = Buffer | SpooledBytes;

export const isSpooled = (body: FileBody): body is SpooledFile => !Buffer.isBuffer(body);

/** A fresh stream of the body's bytes: one per attempt, since a sent stream cannot be sent again. */
export const openBody = (body: SpooledBytes): SpooledStream => new SpooledStream(body.spans);

/** The path of the file a body is, for SDKs that upload a file by its path; the spool makes one for their stores. */
export function wholeFileOf(body: SpooledFile): string {
  if (body.wholeFile === undefined) throw new Error("a spooled body in spans reached a store that uploads one file by its path");
  return body.wholeFile;
}

/**
 * The body in parts of `partBytes` (the last one shorter), for uploads in parts: spans of the
 * spooled body, each read from the disk as it is sent, or views of a buffer. Never copied.
 */
export function partsOf(body: FileBody, partBytes: number): BodyPart[] {
  const parts: BodyPart[] = [];
  for (let at = 0; at < body.length; at += partBytes) {
    const length = Math.min(partBytes, body.length - at);
    parts.push(isSpooled(body) ? { spans: spansWithin(body.spans, at, length), length } : body.subarray(at, at + length));
  }
  return parts;
}

/** The spans that hold `length` bytes from `from`, counted over `spans` in order. */
function spansWithin(spans: readonly SpooledSpan[], from: number, length: number): SpooledSpan[] {
  const within: SpooledSpan[] = [];
  let skip = from;
  let left = length;
  for (const span of spans) {
    if (left === 0) break;
    if (skip >= span.length) {
      skip -= span.length;
      continue;
    }
    const taken = Math.min(span.length - skip, left);
    within.push({ path: span.path, start: span.start + skip, length: taken });
    left -= taken;
    skip = 0;
  }
  return within;
}

/** The body's SHA-256 in hex (SigV4 over plain HTTP signs it), read through one reused buffer. */
export async function sha256Hex(body: BodyPart | SpooledFile): Promise<string> {
  const hash = createHash("sha256");
  if (Buffer.isBuffer(body)) return hash.update(body).digest("hex");
  if ("sha256" in body && body.sha256 !== undefined) return body.sha256;
  const piece = Buffer.allocUnsafe(pieceBytes);
  for (const span of body.spans) {
    const file = await open(span.path, "r");
    try {
      for (let at = 0; at < span.length;) {
        const read = await readSpan(file, span, at, piece);
        hash.update(piece.subarray(0, read));
        at += read;
      }
    } finally {
      await file.close();
    }
  }
  return hash.digest("hex");
}
