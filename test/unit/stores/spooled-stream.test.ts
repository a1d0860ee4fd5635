// A spooled body's stream, over the spans of files it is: into an HTTP request it sends its bytes
// through a few reused pieces; read any other way it gives fresh, whole pieces; a short file or a
// request that goes stops it cleanly.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type ClientRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { pieceBytes, SpooledStream } from "../../../main/core/stores/spooled-stream.js";

const dir = mkdtempSync(join(tmpdir(), "spooled-stream-"));
const path = join(dir, "cut0-0.part");
/** 5 MiB and a bit, every 4 KiB numbered, so a piece sent twice or out of place shows. */
const file = Buffer.alloc(5 * 1024 * 1024 + 1234);
for (let at = 0; at < file.length; at += 4096) file.write(`${String(at).padStart(12, "0")} line\n`, at);
writeFileSync(path, file);

/** What the server did with each request: the body's SHA-256 and length, or how it cut it short. */
let handle: (incoming: IncomingMessage, reply: (text: string) => void) => void;
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((incoming, response) => handle(incoming, (text) => response.end(text)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

/** Reads the body slowly (a store slower than the disk), then answers its hash and length. */
const slowReader = (incoming: IncomingMessage, reply: (text: string) => void) => {
  (async () => {
    const hash = createHash("sha256");
    let length = 0;
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      hash.update(chunk);
      length += chunk.length;
      await sleep(1);
    }
    reply(`${hash.digest("hex")} ${length}`);
  })().catch(() => undefined); // A request cut short: the client's side says how.
};

function put(stream: SpooledStream, length: number): { request: ClientRequest; answer: Promise<string> } {
  const sent = request({ host: "127.0.0.1", port, method: "PUT", path: "/", headers: { "content-length": length } });
  const answer = new Promise<string>((resolve, reject) => {
    sent.on("response", (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => resolve(text));
    });
    sent.on("error", reject);
  });
  stream.pipe(sent);
  return { request: sent, answer };
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Which of `paths` this process holds open now (Linux: its descriptors' links in /proc). */
function openFilesAmong(paths: string[]): string[] {
  const open = new Set(
    readdirSync("/proc/self/fd").map((fd) => {
      try {
        return readlinkSync(join("/proc/self/fd", fd));
      } catch {
        return "";
      }
    }),
  );
  return paths.filter((path) => open.has(path));
}

describe("piped into an HTTP request", () => {
  it("sends its range of the file byte for byte, through a few pieces read into again", async () => {
    handle = slowReader;
    const allocations = vi.spyOn(Buffer, "allocUnsafeSlow");
    const span = { path, start: 1000, length: 4 * 1024 * 1024 + 77 };
    const stream = new SpooledStream([span]);
    const { answer } = put(stream, span.length);
    expect(await answer).toBe(`${sha256(file.subarray(span.start, span.start + span.length))} ${span.length}`);
    // 17 pieces of 256 KiB were sent; each was read into a buffer the request had finished writing.
    expect(Math.ceil(span.length / pieceBytes)).toBe(17);
    expect(allocations.mock.calls.length).toBeGreaterThan(0);
    expect(allocations.mock.calls.length).toBeLessThanOrEqual(3);
    stream.destroy();
  });

  it("sends spans of several files in turn, byte for byte, each file closed once its span is read", async () => {
    handle = slowReader;
    const paths = [0, 1, 2, 3].map((n) => join(dir, `spill-${n}.part`));
    for (const spill of paths) writeFileSync(spill, file);
    const spans = [
      { path: paths[0]!, start: 100, length: 300_000 },
      { path: paths[1]!, start: 5000, length: 0 },
      { path: paths[2]!, start: 2_000_000, length: pieceBytes },
      { path: paths[3]!, start: 7, length: 10 },
    ];
    const stream = new SpooledStream(spans);
    const length = spans.reduce((total, span) => total + span.length, 0);
    const { answer } = put(stream, length);
    const sent = Buffer.concat(spans.map((span) => file.subarray(span.start, span.start + span.length)));
    expect(await answer).toBe(`${sha256(sent)} ${length}`);
    // Only the last span's file is still open (until the stream goes); each before it was closed as the next was opened.
    expect(openFilesAmong(paths)).toEqual([paths[3]]);
    const closed = new Promise((resolve) => stream.on("close", resolve));
    stream.destroy();
    await closed;
    expect(openFilesAmong(paths)).toEqual([]);
  });

  it("sends an empty body and ends the request", async () => {
    handle = slowReader;
    const stream = new SpooledStream([{ path, start: 10, length: 0 }]);
    const { answer } = put(stream, 0);
    expect(await answer).toBe(`${sha256(Buffer.alloc(0))} 0`);
    stream.destroy();
  });

  it("fails the request, naming the file, when the file ends before its length", async () => {
    handle = slowReader;
    const stream = new SpooledStream([{ path, start: 0, length: file.length + 10 }]);
    const errors: Error[] = [];
    stream.on("error", (error) => errors.push(error));
    const { answer } = put(stream, file.length + 10);
    await expect(answer).rejects.toThrow(`${path} ends at ${file.length} of its ${file.length + 10} bytes`);
    if (!stream.closed) await new Promise((resolve) => stream.on("close", resolve));
    expect(errors.map((error) => error.message)).toEqual([`${path} ends at ${file.length} of its ${file.length + 10} bytes`]);
  });

  it("stops sending when the request goes, and closes its file once destroyed", async () => {
    // The server takes a little of the body, then drops the connection.
    handle = (incoming) => {
      let length = 0;
      incoming.on("data", (chunk: Buffer) => {
        length += chunk.length;
        if (length > 300 * 1024) incoming.socket.destroy();
      });
    };
    const read = vi.spyOn(SpooledStream.prototype as unknown as { nextPiece(): Promise<unknown> }, "nextPiece");
    const stream = new SpooledStream([{ path, start: 0, length: file.length }]);
    const { answer } = put(stream, file.length);
    await expect(answer).rejects.toThrow();
    await sleep(50);
    const readsWhenGone = read.mock.calls.length;
    expect(readsWhenGone).toBeLessThan(Math.ceil(file.length / pieceBytes));
    const closed = new Promise((resolve) => stream.on("close", resolve));
    stream.destroy();
    await closed;
    await sleep(50);
    expect(read.mock.calls.length).toBe(readsWhenGone);
  });
});

describe("read as a stream (a compressor, a checksum)", () => {
  it("gives its range byte for byte, each piece a buffer of its own", async () => {
    const span = { path, start: 4096, length: 3 * pieceBytes + 5 };
    const pieces: Buffer[] = [];
    await pipeline(
      new SpooledStream([span]),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          pieces.push(chunk);
          done();
        },
      }),
    );
    // The collector kept every piece: none was read into again while it held them.
    expect(Buffer.concat(pieces).equals(file.subarray(span.start, span.start + span.length))).toBe(true);
    expect(new Set(pieces.map((piece) => piece.buffer)).size).toBe(pieces.length);
  });

  it("gives whole 256 KiB pieces however the body is split into spans, so a compressor's output cannot depend on the split", async () => {
    const spans = [
      { path, start: 0, length: 1000 },
      { path, start: 9000, length: pieceBytes + 3 },
      { path, start: 50, length: 2 },
      { path, start: 3_000_000, length: pieceBytes },
    ];
    const pieces: Buffer[] = [];
    for await (const piece of new SpooledStream(spans)) pieces.push(piece as Buffer);
    const length = spans.reduce((total, span) => total + span.length, 0);
    expect(pieces.map((piece) => piece.length)).toEqual([pieceBytes, pieceBytes, length - 2 * pieceBytes]);
    expect(Buffer.concat(pieces).equals(Buffer.concat(spans.map((span) => file.subarray(span.start, span.start + span.length))))).toBe(true);
  });

  it("fails, naming the file, when the file ends before its length", async () => {
    const stream = new SpooledStream([{ path, start: file.length - 10, length: 20 }]);
    await expect(pipeline(stream, new Writable({ write: (_chunk, _encoding, done) => done() }))).rejects.toThrow(`${path} ends at 10 of its 20 bytes`);
  });
});
