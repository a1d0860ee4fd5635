// A sink's S3 credentials as the SDK takes them: from the keychain, the default chain, or an assumed
// role on top of either. Apart from the clients (client.ts), so that what only plans or describes
// a sink does not load the S3 SDK (the engine starts without it: docs/BENCHMARKS.md, "What the
// engine loads").
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { nodeProviderChain, temporaryCredentials } from "./credential-chain.js";
import type { AccessKey } from "./credentials.js";
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
