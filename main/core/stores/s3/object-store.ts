// An S3 worker's uploads: one PutObject per batch file, parts above 64 MiB. A spooled body goes up
// as a stream of its spans from the disk, each part as a stream of its own spans (the SDK's `Upload`
// read a stream into 16 MiB buffers joined from its chunks: a 1M drain in 64 MiB files took twice
// the CPU and memory of one in 16 MiB files); exporters/storage.ts retries each put with a fresh one.
import type { Readable } from "node:stream";
import { objectUri } from "../../../../common/stores.js";
import {
  ChecksumAlgorithm,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
} from "@aws-sdk/client-s3";
import { awsErrorName } from "../../errors.js";
import { definedFields } from "../../defined-fields.js";
import { contentTypeOfKey, type ObjectStore } from "../object-store.js";
import { openBody, partsOf, type BodyPart, type FileBody } from "../file-body.js";
import { s3ClientFor } from "./client.js";
import { credentialsProvider } from "./credentials-provider.js";
import { spooledStream } from "./payload-hash.js";
import type { S3StorageSpec } from "./spec.js";
import { explainS3Error } from "./validate.js";
import type { StreamdropError } from "../../errors.js";

/**
 * Bodies above this go up in parts (parallel, each retried by the SDK). A default batch file
 * (16 MiB and its last line) is one PutObject: five requests for it would cost more than a retry.
 */
const multipartThreshold = 64 * 1024 * 1024;
const partBytes = 16 * 1024 * 1024;
const partsInFlight = 4;

const authorizationErrors = new Set([
  "AccessDenied",
  "Forbidden",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "InvalidToken",
  "TokenRefreshRequired",
  "NoSuchBucket",
  "PermanentRedirect",
  "AuthorizationHeaderMalformed",
  "CredentialsProviderError",
]);

export const createObjectStore = (spec: S3StorageSpec, sessionName: string): ObjectStore => new S3ObjectStore(spec, sessionName);

export class S3ObjectStore implements ObjectStore {
  private readonly client;

  constructor(
    private readonly spec: S3StorageSpec,
    sessionName: string,
  ) {
    this.client = s3ClientFor(spec, credentialsProvider(spec, spec.accessKey, sessionName), spec.region, 1);
  }

  uri(key: string): string {
    return objectUri("S3", this.spec.bucket, key);
  }

  async put(key: string, body: FileBody): Promise<void> {
    const target = { Bucket: this.spec.bucket, Key: key };
    if (body.length > multipartThreshold) return this.putInParts(target, body);
    await withBody(body, (Body) => this.client.send(new PutObjectCommand({ ...target, Body, ContentLength: body.length, ContentType: contentTypeOfKey(key) })));
  }

  /**
   * A multipart upload, as the SDK's `Upload` makes one (a CRC32 per part where the client sends
   * checksums, each part's checksum given back on completion), its parts read from the body as
   * they are sent. A failed part fails the put; the parts already sent are left to the bucket's
   * lifecycle rule (the sink's key cannot AbortMultipartUpload), and the retry starts a new upload.
   */
  private async putInParts(target: { Bucket: string; Key: string }, body: FileBody): Promise<void> {
    const checksums = (await this.client.config.requestChecksumCalculation()) === "WHEN_SUPPORTED";
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({
        ...target,
        ContentType: contentTypeOfKey(target.Key),
        ...(checksums ? { ChecksumAlgorithm: ChecksumAlgorithm.CRC32 } : {}),
      }),
    );
    if (!UploadId) throw new Error(`S3 started no multipart upload for ${target.Key}`);
    const parts = partsOf(body, partBytes);
    const completed: CompletedPart[] = [];
    let next = 0;
    let failed = false;
    const lane = async () => {
      for (let index = next++; index < parts.length && !failed; index = next++) {
        try {
          completed.push(await this.putPart({ ...target, UploadId, PartNumber: index + 1 }, parts[index]!));
        } catch (error) {
          failed = true; // the other lanes send no more parts
          throw error;
        }
      }
    };
    // Every lane settles before the put fails, so a retry's parts never overlap this upload's.
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(partsInFlight, parts.length) }, lane));
    const refused = lanes.find((settled) => settled.status === "rejected");
    if (refused) throw refused.reason;
    completed.sort((a, b) => a.PartNumber! - b.PartNumber!);
    await this.client.send(new CompleteMultipartUploadCommand({ ...target, UploadId, MultipartUpload: { Parts: completed } }));
  }

  private async putPart(part: { Bucket: string; Key: string; UploadId: string; PartNumber: number }, body: BodyPart): Promise<CompletedPart> {
    const sent = await withBody(body, (Body) => this.client.send(new UploadPartCommand({ ...part, Body, ContentLength: body.length })));
    if (!sent.ETag) throw new Error(`S3 gave part ${part.PartNumber} of ${part.Key} no ETag`);
    const checksums = definedFields(sent, ["ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumSHA1", "ChecksumSHA256"]);
    return { PartNumber: part.PartNumber, ETag: sent.ETag, ...checksums };
  }

  authorizationProblem(error: unknown, key: string): StreamdropError | undefined {
    if (!authorizationErrors.has(awsErrorName(error))) return undefined;
    return explainS3Error(error, {
      operation: "PutObject",
      bucket: this.spec.bucket,
      key,
      ...(this.spec.prefix ? { prefix: this.spec.prefix } : {}),
      ...(this.spec.endpoint ? { endpoint: this.spec.endpoint } : {}),
      ...(this.spec.ownUser ? { ownUser: this.spec.ownUser } : {}),
    });
  }

  close(): void {
    this.client.destroy();
  }
}

/** Sends one request with the body: a spooled file as a fresh stream of its bytes, closed after whether or not it was read. */
async function withBody<T>(body: BodyPart, send: (body: Buffer | Readable) => Promise<T>): Promise<T> {
  if (Buffer.isBuffer(body)) return send(body);
  const stream = spooledStream(openBody(body), body);
  // A file that cannot be opened fails the request (the hash over HTTP, or the SDK reading the
  // stream); a stream not yet read has no listener of its own, and its error would crash the worker.
  stream.on("error", () => undefined);
  try {
    return await send(stream);
  } finally {
    stream.destroy(); // A request refused before its body was read leaves the file open otherwise.
  }
}
