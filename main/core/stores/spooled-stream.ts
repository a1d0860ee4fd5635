// A spooled body's bytes as a stream, for one request: the spans of files that hold it, in order
// (a cut's body is its partitions' spills, read where they lie; exporters/files/spool.ts). Piped into an HTTP request (as the S3 SDK
// sends a stream body) it writes the request itself, reading each next piece into a buffer the
// request has finished writing, so a 16 MiB file goes up through a couple of 256 KiB buffers.
// fs.ReadStream reads every piece into a fresh buffer instead: garbage once written, but it lives
// through the scavenges of the socket's wait and so waits for a full collection, and a worker
// uploading 150 MiB/s kept tens of MiB of them (docs/BENCHMARKS.md, "Fetch sizes and upload pieces").
// Read any other way (a compressor, the SDK's checksum over HTTPS), it is an ordinary stream of
// fresh pieces: whether another reader is done with a piece is not known, so none is reused.
import type { ClientRequest } from "node:http";
import { open, type FileHandle } from "node:fs/promises";
import { Readable, type Writable } from "node:stream";
import { freeBuffer } from "../free-buffer.js";

/** Pieces read from the page cache. */
export const pieceBytes = 256 * 1024;

export interface SpooledSpan {
  readonly path: string;
  /** Where the bytes start in the file (0: a whole spooled file). */
  readonly start: number;
  readonly length: number;
}

/**
 * The span's bytes from `offset` (counted from its start, below its length) into `piece`, at most
 * its length: how many were read. A file that ends before the span does fails, naming it (it was
 * cut short under us).
 */
export async function readSpan(file: FileHandle, span: SpooledSpan, offset: number, piece: Buffer): Promise<number> {
  const { bytesRead } = await file.read(piece, 0, Math.min(piece.length, span.length - offset), span.start + offset);
  if (bytesRead === 0) throw new Error(`${span.path} ends at ${offset} of its ${span.length} bytes`);
  return bytesRead;
}

interface Piece {
  piece: Buffer;
  bytes: number;
}

export class SpooledStream extends Readable {
  /** The span being read, its file once opened, and how far into it. */
  private index = 0;
  private opened?: Promise<FileHandle>;
  private at = 0;
  /** Bytes left to read, over every span. */
  private left: number;
  /** Pieces the request has written, ready to be read into again. */
  private readonly spare: Buffer[] = [];
  /** Whether it writes a request itself (its pieces are reused) rather than being read. */
  private writing = false;

  constructor(private readonly spans: readonly SpooledSpan[]) {
    super({ highWaterMark: pieceBytes });
    this.left = spans.reduce((total, span) => total + span.length, 0);
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    // Only a request is known to be done with a piece once its write callback comes (it hands the
    // piece to the socket and lets go of it); any other writable may keep what it was given.
    if (!isRequest(destination) || this.writing || this.readableFlowing !== null || options?.end === false) {
      return super.pipe(destination, options);
    }
    this.writing = true;
    void this.write(destination);
    return destination;
  }

  /** Sends the bytes with `request.write`, reading the next piece while the last one is written. */
  private async write(request: ClientRequest): Promise<void> {
    let gone = false;
    request.once("close", () => (gone = true));
    let next: Promise<Piece> | undefined = this.left > 0 ? this.nextPiece() : undefined;
    try {
      while (next && !gone && !this.destroyed) {
        const { piece, bytes } = await next;
        if (gone || this.destroyed) return;
        next = this.left > 0 ? this.nextPiece() : undefined;
        // Read into again only once the request has written it (its callback without an error).
        const more = request.write(piece.subarray(0, bytes), (error) => {
          if (!error) this.spare.push(piece);
        });
        if (!more && !gone) await drained(request);
      }
      if (!next && !gone && !this.destroyed) request.end();
    } catch (error) {
      // A request whose body cannot be read fails now, rather than waiting for its timeout.
      request.destroy(error as Error);
      this.destroy(error as Error);
    } finally {
      next?.catch(() => undefined); // A read ahead of a request that went: nothing waits for it.
    }
  }

  private async nextPiece(): Promise<Piece> {
    const piece = this.spare.pop() ?? Buffer.allocUnsafeSlow(pieceBytes);
    return { piece, bytes: await this.readInto(piece) };
  }

  override _read(): void {
    if (this.left === 0) {
      this.push(null);
      return;
    }
    const piece = Buffer.allocUnsafeSlow(Math.min(pieceBytes, this.left));
    this.fill(piece).then(
      () => this.push(piece),
      (error: unknown) => this.destroy(error as Error),
    );
  }

  /**
   * Fills `piece` whole, from as many spans as it takes: a reader is given whole 256 KiB pieces
   * however the body is split into spans, so what it makes of them cannot depend on the split.
   * Node's zstd stream does: given a body under a block (128 KiB) in more than one piece, it may
   * end the frame with an empty one, as its writes happen to fall; and a file re-created after a
   * crash must be the same bytes (test/unit/exporters/files/compression.test.ts).
   */
  private async fill(piece: Buffer): Promise<void> {
    for (let at = 0; at < piece.length;) at += await this.readInto(piece.subarray(at));
  }

  /** The next bytes into `piece`, at most its length and never past a span's end; fails at an early end of a file. */
  private async readInto(piece: Buffer): Promise<number> {
    // Calls never overlap (each waits for the last), so moving on to the next span is safe here.
    while (this.at === this.spans[this.index]!.length) await this.nextSpan();
    // Destroyed while the last span's file was closing: _destroy found none open, so none may open now.
    if (this.destroyed) throw new Error("the stream was destroyed");
    const span = this.spans[this.index]!;
    const file = await (this.opened ??= open(span.path, "r"));
    const read = await readSpan(file, span, this.at, piece);
    this.at += read;
    this.left -= read;
    return read;
  }

  /** The span read to its end: its file closed, the next one's opened when first read. */
  private async nextSpan(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    this.index += 1;
    this.at = 0;
    if (opened) await (await opened).close();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // The spare pieces are this stream's alone: their memory goes now, not at a collection.
    for (const piece of this.spare.splice(0)) freeBuffer(piece);
    const opened = this.opened;
    if (!opened) return callback(error);
    opened
      .then(
        (file) => file.close(),
        () => undefined,
      )
      .then(
        () => callback(error),
        () => callback(error),
      );
  }
}

/**
 * Whether `destination` is an HTTP request. node:http is looked up, not imported: a worker loads
 * it only once its store sends something (test/checks/worker-imports.test.ts), and by then it has.
 */
const isRequest = (destination: NodeJS.WritableStream): destination is ClientRequest =>
  destination instanceof process.getBuiltinModule("node:http").ClientRequest;

/** Once the writable wants more, or is gone (its close or error ends the wait; the caller checks which). */
function drained(writable: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      writable.off("drain", done);
      writable.off("close", done);
      writable.off("error", done);
      resolve();
    };
    writable.on("drain", done);
    writable.on("close", done);
    writable.on("error", done);
  });
}
