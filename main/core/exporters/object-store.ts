// Where exporters put files: one small interface, an S3 and a Cloud Storage implementation.
// `put` is one attempt; storage.ts retries. Both stores may be asked to store a name again after
// a crash (recovery), always with the same bytes (docs/EXACTLY-ONCE.md).
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { Bucket } from "@google-cloud/storage";
import { awsErrorName } from "../errors.js";
import { credentialsProvider, s3ClientFor } from "../sinks/s3-client.js";
import { explainS3Error } from "../sinks/validate.js";
import type { GcsStorageSpec, S3StorageSpec, StorageSpec } from "./worker-protocol.js";

export interface ObjectStore {
  uri(key: string): string;
  put(key: string, body: Buffer): Promise<void>;
  /** For failures that need the user (credentials, permissions, a missing bucket): what to do. */
  authorizationProblem(error: unknown, key: string): string | undefined;
  close(): void;
}

export const objectStoreFor = (spec: StorageSpec, sessionName: string): ObjectStore =>
  spec.type === "S3" ? new S3ObjectStore(spec, sessionName) : new GcsObjectStore(spec);

const contentType = "application/x-ndjson";

/**
 * S3 bodies above this go up in parts (parallel, each retried by the SDK). A default batch file
 * (16 MiB and its last line) is one PutObject: five requests for it would cost more than a retry.
 */
const multipartThreshold = 64 * 1024 * 1024;
const partSize = 16 * 1024 * 1024;

const s3AuthorizationErrors = new Set([
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

export class S3ObjectStore implements ObjectStore {
  private readonly client;

  constructor(private readonly spec: S3StorageSpec, sessionName: string) {
    this.client = s3ClientFor(spec, credentialsProvider(spec, spec.accessKey, sessionName), spec.region);
  }

  uri(key: string): string {
    return `s3://${this.spec.bucket}/${key}`;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const params = { Bucket: this.spec.bucket, Key: key, Body: body, ContentType: contentType };
    if (body.length <= multipartThreshold) {
      await this.client.send(new PutObjectCommand({ ...params, ContentLength: body.length }));
      return;
    }
    // leavePartsOnError: the key cannot AbortMultipartUpload; the bucket's lifecycle rule cleans up.
    await new Upload({ client: this.client, params, partSize, queueSize: 4, leavePartsOnError: true }).done();
  }

  authorizationProblem(error: unknown, key: string): string | undefined {
    if (!s3AuthorizationErrors.has(awsErrorName(error))) return undefined;
    return explainS3Error(error, { operation: "PutObject", bucket: this.spec.bucket, key, ...(this.spec.prefix ? { prefix: this.spec.prefix } : {}), ...(this.spec.endpoint ? { endpoint: this.spec.endpoint } : {}) }).message;
  }

  close(): void {
    this.client.destroy();
  }
}

/** Cloud Storage bodies above this go up as resumable uploads (in 8 MiB chunks, each retriable). */
const resumableThreshold = 8 * 1024 * 1024;

type GcsClient = typeof import("../sinks/gcs-client.js");

/** Google's SDK, loaded on a Cloud Storage worker's first upload: an S3 worker never holds it (21 MiB resident on Node 24: docs/BENCHMARKS.md). */
const loadGcsClient = (): Promise<GcsClient> => import("../sinks/gcs-client.js");

export class GcsObjectStore implements ObjectStore {
  private client?: { gcs: GcsClient; bucket: Bucket };

  constructor(private readonly spec: GcsStorageSpec) {}

  private async connect(): Promise<{ gcs: GcsClient; bucket: Bucket }> {
    if (!this.client) {
      const gcs = await loadGcsClient();
      this.client = { gcs, bucket: gcs.gcsStorageFor(this.spec, this.spec.serviceAccount).bucket(this.spec.bucket) };
    }
    return this.client;
  }

  uri(key: string): string {
    return `gs://${this.spec.bucket}/${key}`;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const { gcs, bucket } = await this.connect();
    try {
      // Create-only: overwriting needs storage.objects.delete, which a least-privilege writer lacks.
      await bucket.file(key).save(body, { resumable: body.length > resumableThreshold, contentType, preconditionOpts: { ifGenerationMatch: 0 } });
    } catch (error) {
      // The name exists: recovery storing a file that did reach the bucket before a crash.
      // Its bytes are the ones the intent fixed, so it is stored.
      if (gcs.gcsStatus(error) === 412) return;
      throw error;
    }
  }

  authorizationProblem(error: unknown, key: string): string | undefined {
    // Only put's failures come here, and put loaded the client first.
    const gcs = this.client?.gcs;
    if (!gcs?.isGcsAuthorizationError(error)) return undefined;
    return gcs.explainGcsError(error, { bucket: this.spec.bucket, key, clientEmail: this.spec.serviceAccount.clientEmail, ...(this.spec.endpoint ? { endpoint: this.spec.endpoint } : {}) }).message;
  }

  close(): void {
    // The Storage client holds no sockets of its own beyond the shared agent.
  }
}
