// S3 clients for a sink: AWS or an S3-compatible store, with the sink's credentials (from the
// keychain, the default chain, or an assumed role on top of either).
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { nodeProviderChain, temporaryCredentials } from "./credential-chain.js";
import type { AccessKey } from "./credentials.js";
import { signPayloadsOffThread } from "./payload-hash.js";
import { quietSdkLogger } from "./sdk-logger.js";

export interface S3Location {
  bucket: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  assumeRoleArn?: string;
}

/** `undefined` means the AWS SDK's default provider chain (environment, profile, SSO, instance role). */
export type BaseCredentials = AccessKey | undefined;

export type S3Credentials = NonNullable<S3ClientConfig["credentials"]>;

/** A static key as it is; the default chain and an assumed role load their module when first asked (credential-chain.ts). */
export function credentialsProvider(location: S3Location, base: BaseCredentials, sessionName: string): S3Credentials {
  // A copy: the SDK annotates the credentials objects it is given.
  const master = base ? { accessKeyId: base.accessKeyId, secretAccessKey: base.secretAccessKey } : nodeProviderChain();
  if (!location.assumeRoleArn) return master;
  // The SDK refreshes these temporary credentials before they expire.
  return temporaryCredentials({
    masterCredentials: master,
    params: { RoleArn: location.assumeRoleArn, RoleSessionName: sessionName.replace(/[^\w+=,.@-]/g, "-").slice(0, 64), DurationSeconds: 3600 },
    clientConfig: { region: "us-east-1", logger: quietSdkLogger },
  });
}

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
