// Storing batch files. Transient failures (network, 5xx, throttling, an unreachable store) are
// retried with exponential backoff and full jitter, however long the outage; authorization
// failures are not retried here: they need the user, so they surface as an error state.
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { awsErrorName, StreamdropError } from "../errors.js";
import { explainS3Error } from "../sinks/validate.js";

/** Bodies above this go up in parts (parallel, each retried by the SDK). */
const multipartThreshold = 16 * 1024 * 1024;
const partSize = 8 * 1024 * 1024;

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

export class AuthorizationError extends StreamdropError {
  override name = "AuthorizationError";
  constructor(message: string, cause: unknown) {
    super("storage", message, { cause });
  }
}

export interface StoreTarget {
  client: S3Client;
  bucket: string;
  prefix?: string;
  endpoint?: string;
}

export interface RetryPolicy {
  /** Called before each wait, for status reporting. */
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
  /** Resolves early when the worker is stopping; the store then gives up. */
  stopped?: () => boolean;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export async function storeObject(target: StoreTarget, key: string, body: Buffer, retry: RetryPolicy = {}): Promise<void> {
  const base = retry.baseDelayMs ?? 500;
  const max = retry.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await putOnce(target, key, body);
      return;
    } catch (error) {
      if (authorizationErrors.has(awsErrorName(error))) {
        throw new AuthorizationError(explainS3Error(error, { operation: "PutObject", bucket: target.bucket, key, prefix: target.prefix, endpoint: target.endpoint }).message, error);
      }
      if (retry.stopped?.()) throw error;
      const delay = Math.random() * Math.min(max, base * 2 ** Math.min(attempt, 16));
      retry.onRetry?.(attempt, error, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function putOnce(target: StoreTarget, key: string, body: Buffer): Promise<void> {
  const params = { Bucket: target.bucket, Key: key, Body: body, ContentType: "application/x-ndjson" };
  if (body.length <= multipartThreshold) {
    await target.client.send(new PutObjectCommand({ ...params, ContentLength: body.length }));
    return;
  }
  // leavePartsOnError: the key cannot AbortMultipartUpload; the bucket's lifecycle rule cleans up.
  await new Upload({ client: target.client, params, partSize, queueSize: 4, leavePartsOnError: true }).done();
}
