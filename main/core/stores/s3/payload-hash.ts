// How an upload's body is covered by its SigV4 signature, decided once for every S3 client.
// The SDK hashes each body with SHA-256 on the calling thread: for a 16 MiB batch file that is
// most of the upload's CPU, on the thread that also reads Kafka.
// - Over HTTPS the body is signed as UNSIGNED-PAYLOAD, a documented SigV4 option (the Java and Go
//   SDKs use it there by default): TLS already protects the body in transit, and S3 still checks
//   any checksum the request carries (the SDK's CRC32, where it sends one).
// - Over plain HTTP (local and private S3-compatible servers) the hash stays in the signature,
//   as SigV4 requires without TLS, but is computed by WebCrypto on libuv's thread pool, off the
//   main thread; the signer then uses it as given. A spooled body's hash was computed by the spool
//   as it made the body (`signsPayloadHash` tells it to), or else by reading the body once more.
import { webcrypto } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { sha256Hex, type SpooledBytes, type SpooledFile } from "../file-body.js";

const sha256Header = "x-amz-content-sha256";
export const unsignedPayload = "UNSIGNED-PAYLOAD";

interface SignableRequest {
  protocol?: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** Whether requests to `endpoint` (none: AWS, over HTTPS) carry the body's SHA-256: plain HTTP. */
export const signsPayloadHash = (endpoint: string | undefined): boolean => endpoint !== undefined && new URL(endpoint).protocol === "http:";

/** The spooled file each stream body reads, so that the file can be hashed without the stream. */
const spooledStreams = new WeakMap<object, SpooledFile | SpooledBytes>();

export function spooledStream<T extends object>(stream: T, file: SpooledFile | SpooledBytes): T {
  spooledStreams.set(stream, file);
  return stream;
}

/** The header value for `request`, or undefined to leave the body (a stream over HTTPS, nothing) to the SDK. */
export async function payloadHash(request: SignableRequest): Promise<string | undefined> {
  const spooled = typeof request.body === "object" && request.body !== null ? spooledStreams.get(request.body) : undefined;
  // Over HTTPS the SDK signs a stream UNSIGNED-PAYLOAD, or sends it aws-chunked with its checksum in a trailer.
  if (spooled) return request.protocol === "https:" ? undefined : sha256Hex(spooled);
  if (!ArrayBuffer.isView(request.body)) return undefined;
  if (request.protocol === "https:") return unsignedPayload;
  const { buffer, byteOffset, byteLength } = request.body;
  const digest = await webcrypto.subtle.digest("SHA-256", new Uint8Array(buffer, byteOffset, byteLength));
  return Buffer.from(digest).toString("hex");
}

/** Adds the rule to `client`: a build step, so it runs before the checksums and the signer. */
export function signPayloadsOffThread(client: S3Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = (args as { request?: SignableRequest }).request;
      if (request && !Object.keys(request.headers).some((name) => name.toLowerCase() === sha256Header)) {
        const hash = await payloadHash(request);
        if (hash !== undefined) request.headers[sha256Header] = hash;
      }
      return next(args);
    },
    { step: "build", name: "streamdropPayloadHash", priority: "low" },
  );
}
