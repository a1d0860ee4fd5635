// The S3 worker's object store against moto: a batch file above 64 MiB goes up in parts, each
// read from its spans of the spooled files (or its view of a buffer), and S3 holds it byte for byte.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { S3ObjectStore } from "../../../main/core/stores/s3/object-store.js";
import { s3Client, testCredentials, uniqueName } from "../../support/clients.js";
import { wholeFile } from "../../support/spooled.js";

const bucket = uniqueName("object-store");
const admin = () => s3Client(inject("s3Endpoint"));
const store = () =>
  new S3ObjectStore({ type: "S3", bucket, region: "us-east-1", endpoint: inject("s3Endpoint"), forcePathStyle: true, accessKey: testCredentials }, "test");

/** 70 MiB and a few bytes, every 16 MiB part different from the others, so a part out of place shows. */
const bigBody = () => {
  const body = Buffer.alloc(70 * 1024 * 1024 + 1234);
  for (let at = 0; at < body.length; at += 4096) body.write(`${String(at).padStart(12, "0")} line\n`, at);
  return body;
};

const spoolDir = mkdtempSync(join(tmpdir(), "spool-"));
afterAll(() => rmSync(spoolDir, { recursive: true, force: true }));

const stored = async (key: string) => Buffer.from(await (await admin().send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());

beforeAll(async () => {
  await admin().send(new CreateBucketCommand({ Bucket: bucket }));
});

describe("a batch file above 64 MiB", () => {
  it("goes up in parts from its spooled file, and is stored byte for byte, with its content type", async () => {
    const body = bigBody();
    const path = join(spoolDir, "big.part");
    writeFileSync(path, body);
    await store().put("events/big.jsonl", wholeFile(path, body.length));
    expect((await stored("events/big.jsonl")).equals(body)).toBe(true);
    const object = await admin().send(new GetObjectCommand({ Bucket: bucket, Key: "events/big.jsonl" }));
    expect(object.ETag).toMatch(/-5"$/); // a multipart object's ETag ends with its count of parts: four of 16 MiB, and the rest
    expect(object.ContentType).toBe("application/x-ndjson");
    // Nothing left half done.
    expect((await admin().send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
  });

  it("goes up from spans of several files (a cut's spills where they lie), its parts crossing from file to file", async () => {
    const body = bigBody();
    // Three spills of uneven lengths, each with bytes of an older batch past its span, as a spill written over has.
    const cuts = [0, 9 * 1024 * 1024 + 17, 40 * 1024 * 1024 + 5, body.length];
    const spans = cuts.slice(0, -1).map((from, n) => {
      const path = join(spoolDir, `spill-${n}.part`);
      writeFileSync(path, Buffer.concat([Buffer.alloc(n * 1000, "z"), body.subarray(from, cuts[n + 1]), Buffer.alloc(5000, "stale")]));
      return { path, start: n * 1000, length: cuts[n + 1]! - from };
    });
    await store().put("events/spans.jsonl", { spans, length: body.length });
    expect((await stored("events/spans.jsonl")).equals(body)).toBe(true);
    // A small one goes up in one put, across its spans too.
    const small = { spans: spans.map((span) => ({ ...span, length: 3000 })), length: 9000 };
    await store().put("events/spans-small.jsonl", small);
    expect((await stored("events/spans-small.jsonl")).equals(Buffer.concat(cuts.slice(0, -1).map((from) => body.subarray(from, from + 3000))))).toBe(true);
  });

  it("goes up in parts from a buffer too", async () => {
    const body = bigBody().subarray(1000);
    await store().put("events/big-buffer.jsonl.gz", body);
    expect((await stored("events/big-buffer.jsonl.gz")).equals(body)).toBe(true);
  });

  it("fails the put, and stores nothing under the key, when a part cannot be read", async () => {
    const body = bigBody();
    const path = join(spoolDir, "short.part");
    writeFileSync(path, body.subarray(0, 20 * 1024 * 1024)); // the file is shorter than the body it is said to hold
    await expect(store().put("events/short.jsonl", wholeFile(path, body.length))).rejects.toThrow();
    await expect(admin().send(new GetObjectCommand({ Bucket: bucket, Key: "events/short.jsonl" }))).rejects.toThrow();
  });

  it("fails the put when its spooled file is gone, with nothing left to crash the worker (vitest fails on an uncaught error)", async () => {
    for (const length of [1000, 70 * 1024 * 1024]) {
      await expect(store().put(`events/gone-${length}.jsonl`, wholeFile(join(spoolDir, "gone.part"), length))).rejects.toThrow(/ENOENT/);
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // a stream's own open error comes a turn later
  });
});
