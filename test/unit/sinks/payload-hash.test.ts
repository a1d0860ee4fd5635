// How upload bodies are signed: UNSIGNED-PAYLOAD over HTTPS, the body's real SHA-256 (computed
// off the main thread) over plain HTTP, in the header the SigV4 signature covers.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { s3ClientFor } from "../../../main/core/stores/s3/client.js";

interface Sent {
  protocol: string;
  headers: Record<string, string>;
}

/** An S3 client whose requests stop at a recorder instead of the network. */
async function sendPut(endpoint: string, body: Buffer): Promise<Sent> {
  const client = s3ClientFor({ bucket: "b", endpoint }, { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" }, "us-east-1");
  let sent: Sent | undefined;
  client.config.requestHandler = {
    handle: async (request: Sent) => {
      sent = { protocol: request.protocol, headers: { ...request.headers } };
      return { response: { statusCode: 200, headers: {}, body: Readable.from([]) } };
    },
  } as unknown as typeof client.config.requestHandler;
  await client.send(new PutObjectCommand({ Bucket: "b", Key: "k.jsonl", Body: body, ContentLength: body.length }));
  client.destroy();
  return sent!;
}

const signedHeaders = (sent: Sent) => /SignedHeaders=([^,]+)/.exec(sent.headers.authorization ?? "")?.[1]?.split(";") ?? [];

describe("the signature of an upload's body", () => {
  const body = Buffer.from('{"id":1}\n'.repeat(1000));

  it("is UNSIGNED-PAYLOAD over HTTPS, in a signed header", async () => {
    const sent = await sendPut("https://s3.example.test", body);
    expect(sent.protocol).toBe("https:");
    expect(sent.headers["x-amz-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
    expect(signedHeaders(sent)).toContain("x-amz-content-sha256");
  });

  it("is the body's SHA-256 over plain HTTP, as SigV4 requires there", async () => {
    const sent = await sendPut("http://127.0.0.1:9", body);
    expect(sent.protocol).toBe("http:");
    expect(sent.headers["x-amz-content-sha256"]).toBe(createHash("sha256").update(body).digest("hex"));
    expect(signedHeaders(sent)).toContain("x-amz-content-sha256");
  });
});
