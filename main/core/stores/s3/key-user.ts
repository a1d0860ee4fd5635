// Whose access key a sink is given: STS's GetCallerIdentity with the key itself, which every AWS
// identity may call (no policy can deny it). The sink keeps counting as the app-made IAM user's
// only when the answer names that user. The STS SDK loads with the first question (admin.ts says why).
import { quietSdkLogger } from "./sdk-logger.js";
import type { AccessKey } from "./credentials.js";

/** What STS said of a key: the user it belongs to, or why it could not tell. */
export type KeyUserAnswer = { confirmed: true } | { confirmed: false; why: string };

/**
 * A user's ARN is `arn:<partition>:iam::<account>:user/<path/>name`; a user name holds no "/", so
 * it is the ARN's last segment whatever the path. An assumed role or a root ARN names no user.
 */
export function isArnOfUser(arn: string, userName: string): boolean {
  const match = /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:[^/]+\/)*([^/]+)$/.exec(arn);
  return match?.[1] === userName;
}

/** `endpoint`: the sink's, where S3-compatible stores and tests answer STS too (setup sends IAM and STS there alike). */
export async function askKeyUser(endpoint: string | undefined, key: AccessKey, userName: string): Promise<KeyUserAnswer> {
  const { GetCallerIdentityCommand, STSClient } = await import("@aws-sdk/client-sts");
  const sts = new STSClient({
    region: "us-east-1",
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    logger: quietSdkLogger,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 15_000 },
    ...(endpoint ? { endpoint } : {}),
  });
  try {
    const { Arn: arn = "" } = await sts.send(new GetCallerIdentityCommand({}));
    return isArnOfUser(arn, userName) ? { confirmed: true } : { confirmed: false, why: `the key belongs to ${arn || "an identity STS did not name"}` };
  } catch (error) {
    // Not reachable, or not answered (an S3-compatible store without STS): no proof either way.
    // The caller decides conservatively and drops the claim: the app then never creates keys for,
    // or changes the policy of, a user whose key the sink may not hold.
    const failure = error as { name?: string; message?: string };
    return { confirmed: false, why: `STS could not say whose key it is (${failure.name ?? "error"}: ${failure.message ?? String(error)})` };
  } finally {
    sts.destroy();
  }
}
