// A failed put of a spooled file (a stream body) to S3: the SDK's retry middleware used to print
// its own unlabelled "An error was encountered in a non-retryable streaming request." to the
// console (stderr of `streamdrop run`, once per failed put, issue #31). Our S3 clients give the
// SDK a logger of their own, so the line is gone while the put's own error still surfaces.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { S3ObjectStore } from "../../../main/core/stores/s3/object-store.js";

const sdkLine = /non-retryable streaming request/;

/** A store that takes the connection and resets it as the body starts to arrive: an outage mid-upload. */
async function resettingServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((socket: Socket) => socket.once("data", () => socket.resetAndDestroy()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}` };
}

describe("a failed S3 put of a spooled file", () => {
  let dir: string;
  let store: { server: Server; url: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "streamdrop-sdk-logger-"));
    store = await resettingServer();
  });

  afterAll(async () => {
    await new Promise((resolve) => store.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("rejects with its own error and prints nothing of the SDK's to the console or stderr", async () => {
    const path = join(dir, "batch.jsonl");
    const bytes = Buffer.from('{"id":1}\n'.repeat(50_000));
    writeFileSync(path, bytes);
    const printed: string[] = [];
    const capture = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
    const spies = (["warn", "error", "log", "info", "debug"] as const).map((method) => vi.spyOn(console, method).mockImplementation(capture));
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const s3 = new S3ObjectStore(
      {
        type: "S3",
        bucket: "b",
        region: "us-east-1",
        endpoint: store.url,
        forcePathStyle: true,
        accessKey: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
      },
      "streamdrop-test",
    );
    try {
      await expect(s3.put("k.jsonl", { spans: [{ path, start: 0, length: bytes.length }], length: bytes.length })).rejects.toThrow(
        /socket hang up|ECONNRESET|EPIPE/,
      );
    } finally {
      s3.close();
      for (const spy of [...spies, stderr]) spy.mockRestore();
    }
    expect(printed.filter((line) => sdkLine.test(line))).toEqual([]);
  });
});
