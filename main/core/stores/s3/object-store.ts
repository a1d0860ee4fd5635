// An S3 worker's uploads: one PutObject per batch file, parts above 64 MiB. A spooled file goes up
// as a stream of its bytes from the disk; exporters/storage.ts retries each put with a fresh one.
import type { Readable } from "node:stream";
import { objectUri } from "../../../../common/stores.js";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { awsErrorName } from "../../errors.js";
import { contentTypeOfKey, type ObjectStore } from "../object-store.js";
import { bodyLength, isSpooled, openBody, type FileBody } from "../file-body.js";
import { credentialsProvider, s3ClientFor } from "./client.js";
import { spooledStream } from "./payload-hash.js";
import type { S3StorageSpec } from "./spec.js";
import { explainS3Error } from "./validate.js";
import type { StreamdropError } from "../../errors.js";

/**
 * Bodies above this go up in parts (parallel, each retried by the SDK). A default batch file
 * (16 MiB and its last line) is one PutObject: five requests for it would cost more than a retry.
 */
const multipartThreshold = 64 * 1024 * 1024;
const partSize = 16 * 1024 * 1024;

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
    const stream = isSpooled(body) ? spooledStream(openBody(body), body) : undefined;
    try {
      await this.send(key, stream ?? (body as Buffer), bodyLength(body));
    } finally {
      stream?.destroy(); // A request refused before its body was read leaves the file open otherwise.
    }
  }

  private async send(key: string, body: Buffer | Readable, length: number): Promise<void> {
    const params = { Bucket: this.spec.bucket, Key: key, Body: body, ContentType: contentTypeOfKey(key) };
    if (length <= multipartThreshold) {
      await this.client.send(new PutObjectCommand({ ...params, ContentLength: length }));
      return;
    }
    // leavePartsOnError: the key cannot AbortMultipartUpload; the bucket's lifecycle rule cleans up.
    await new Upload({ client: this.client, params, partSize, queueSize: 4, leavePartsOnError: true }).done();
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
