// S3 clients for a sink: AWS or an S3-compatible store, with the sink's credentials
// (credentials-provider.ts). Only what talks to S3 imports this, and with it the S3 SDK.
import { S3Client } from "@aws-sdk/client-s3";
import type { S3Credentials, S3Location } from "./credentials-provider.js";
import { signPayloadsOffThread } from "./payload-hash.js";
import { quietSdkLogger } from "./sdk-logger.js";

export function s3ClientFor(
  location: S3Location,
  credentials: S3Credentials,
  region: string,
  /** 1 where the caller retries itself: a stream body, once sent, cannot be sent again by the SDK. */
  maxAttempts = 3,
): S3Client {
  const custom = location.endpoint !== undefined;
  const client = new S3Client({
    region,
    credentials,
    ...(custom
      ? {
          endpoint: location.endpoint,
          forcePathStyle: location.forcePathStyle ?? true,
          // Many S3-compatible servers reject the newer default checksums.
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
        }
      : {}),
    maxAttempts,
    logger: quietSdkLogger,
    // Without timeouts a store that stops answering would hang a request forever.
    requestHandler: { connectionTimeout: 5000, requestTimeout: 60_000 },
  });
  signPayloadsOffThread(client);
  return client;
}

/** GetBucketLocation's answer as a region name: empty means us-east-1, `EU` is eu-west-1. */
export function regionFromLocationConstraint(constraint: string | undefined | null): string {
  if (!constraint) return "us-east-1";
  if (constraint === "EU") return "eu-west-1";
  return constraint;
}
