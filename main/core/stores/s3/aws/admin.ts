// Admin access for setting up a bucket and its writer: credentials from the usual AWS sources
// (environment, shared config and credentials files, profiles, SSO) or entered once. They are
// used for setup only and never stored. The IAM and STS SDKs load when first asked for (here, and
// in key-user.ts), not with the engine: only a setup, a key's rotation or a policy's update use IAM,
// and those and a sink's check with an app-made user's key use STS (docs/BENCHMARKS.md, "What the
// engine loads").
import type { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import type { STSClient } from "@aws-sdk/client-sts";
import { StreamdropError } from "../../../errors.js";
import type { AccessKey } from "../credentials.js";
import type { S3Credentials } from "../credentials-provider.js";
import { nodeProviderChain } from "../credential-chain.js";
import { quietSdkLogger } from "../sdk-logger.js";

export type AdminCredentials = { from: "chain"; profile?: string } | { from: "key"; accessKey: AccessKey };

export interface AdminAccess {
  /** One endpoint for S3, IAM and STS alike (S3-compatible stores, tests). */
  endpoint?: string;
  s3(region: string): S3Client;
  iam(): Promise<IAMClient>;
  sts(): Promise<STSClient>;
}

export function adminAccess(credentials: AdminCredentials, endpoint?: string): AdminAccess {
  const provider: S3Credentials =
    credentials.from === "key"
      ? { accessKeyId: credentials.accessKey.accessKeyId, secretAccessKey: credentials.accessKey.secretAccessKey }
      : nodeProviderChain(credentials.profile ? { profile: credentials.profile } : {});
  const common = { credentials: provider, logger: quietSdkLogger, ...(endpoint ? { endpoint } : {}) };
  return {
    ...(endpoint ? { endpoint } : {}),
    s3: (region) =>
      new S3Client({
        ...common,
        region,
        ...(endpoint
          ? { forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" as const, responseChecksumValidation: "WHEN_REQUIRED" as const }
          : {}),
      }),
    // IAM and STS are global services; their SDK region only picks the endpoint.
    iam: async () => new (await import("@aws-sdk/client-iam")).IAMClient({ ...common, region: "us-east-1" }),
    sts: async () => new (await import("@aws-sdk/client-sts")).STSClient({ ...common, region: "us-east-1" }),
  };
}

/** Who the admin credentials belong to; the first call, so bad credentials fail early and clearly. */
export async function adminIdentity(access: AdminAccess): Promise<{ account: string; arn: string }> {
  // Loaded before the call: the catch below speaks of the credentials only.
  const [{ GetCallerIdentityCommand }, sts] = await Promise.all([import("@aws-sdk/client-sts"), access.sts()]);
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return { account: identity.Account ?? "unknown", arn: identity.Arn ?? "unknown" };
  } catch (error) {
    const failure = error as { name?: string; message?: string };
    if (failure.name === "CredentialsProviderError" || /Could not load credentials/i.test(failure.message ?? "")) {
      throw new StreamdropError("credentials", "No AWS admin credentials were found.", { fixes: [{ id: "admin-credentials" }] });
    }
    throw new StreamdropError(
      "credentials",
      `The AWS admin credentials do not work (${failure.name ?? "error"}: ${failure.message ?? String(error)}). Check them, or use other ones.`,
      { fixes: [{ id: "admin-credentials" }] },
    );
  }
}
