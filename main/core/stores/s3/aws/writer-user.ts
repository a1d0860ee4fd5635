// The IAM user whose key the sink writes with: created with the least-privilege inline policy.
// Re-running for an existing user explains what exists; rotation makes a new key for it.
import type { IAMClient } from "@aws-sdk/client-iam";
import { awsErrorName, StreamdropError } from "../../../errors.js";
import type { AccessKey } from "../credentials.js";
import type { PolicyDocument } from "./policy.js";

export const defaultPolicyName = "streamdrop-bucket-write-access";
const maxKeysPerUser = 2;

/** The IAM SDK's commands (admin.ts says why they load late): loaded before any call, so a catch speaks of IAM's answer only. */
const iamCommands = () => import("@aws-sdk/client-iam");

/** `streamdrop-<bucket>`, within IAM's 64-character limit. */
export const defaultUserName = (bucket: string) => `streamdrop-${bucket}`.slice(0, 64);

export function checkUserName(name: string): string {
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
    throw new StreamdropError("invalid-input", `Invalid IAM user name ${JSON.stringify(name)}: 1 to 64 letters, digits and + = , . @ _ -.`);
  }
  return name;
}

export interface WriterKey {
  userName: string;
  accessKey: AccessKey;
  createDate: string;
  /** The user's other keys, left in place (a rotation deletes the one the sink used). */
  otherKeyIds: string[];
  createdUser: boolean;
}

export interface WriterOptions {
  userName: string;
  policyName: string;
  policy: PolicyDocument;
  /** Allows a new key for a user that already exists. */
  rotateKey: boolean;
}

export async function createWriterKey(iam: IAMClient, options: WriterOptions): Promise<WriterKey> {
  const sdk = await iamCommands();
  const { userName, policyName, policy } = options;
  const createdUser = await createUserIfNew(iam, userName);
  const existingKeys = createdUser ? [] : await listKeys(iam, userName);
  if (!createdUser && !options.rotateKey) throw await explainExistingUser(iam, options, existingKeys);
  if (existingKeys.length >= maxKeysPerUser) {
    throw new StreamdropError(
      "conflict",
      `IAM user ${userName} already has ${existingKeys.length} access keys (${existingKeys.map((key) => `${key.id}, ${key.status}`).join("; ")}), AWS's limit. Delete the one no longer in use (in the AWS console: IAM, Users, ${userName}, Security credentials) and try again.`,
    );
  }
  await putUserPolicy(iam, userName, policyName, policy);
  const created = await iamStep("CreateAccessKey", userName, () => iam.send(new sdk.CreateAccessKeyCommand({ UserName: userName })));
  const key = created.AccessKey!;
  return {
    userName,
    accessKey: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! },
    createDate: (key.CreateDate ?? new Date()).toISOString(),
    otherKeyIds: existingKeys.map((existing) => existing.id),
    createdUser,
  };
}

/** Puts (creates or replaces) the user's inline policy of this name. */
export async function putUserPolicy(iam: IAMClient, userName: string, policyName: string, policy: PolicyDocument): Promise<void> {
  const sdk = await iamCommands();
  await iamStep("PutUserPolicy", userName, () =>
    iam.send(new sdk.PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: JSON.stringify(policy) })),
  );
}

/** The user's inline policy of this name, as its JSON; undefined when the user has none of that name. The user must exist. */
export async function readUserPolicy(iam: IAMClient, userName: string, policyName: string): Promise<unknown> {
  const sdk = await iamCommands();
  await iamStep("GetUser", userName, async () => {
    try {
      return await iam.send(new sdk.GetUserCommand({ UserName: userName }));
    } catch (error) {
      if (awsErrorName(error) !== "NoSuchEntity") throw error;
      throw new StreamdropError("not-found", `IAM user ${userName} does not exist (any more).`);
    }
  });
  try {
    const current = await iam.send(new sdk.GetUserPolicyCommand({ UserName: userName, PolicyName: policyName }));
    // IAM returns the document URL-encoded (RFC 3986).
    return JSON.parse(decodeURIComponent(current.PolicyDocument ?? "{}"));
  } catch (error) {
    if (awsErrorName(error) === "NoSuchEntity") return undefined;
    throw iamError("GetUserPolicy", userName, error);
  }
}

export async function deleteAccessKey(iam: IAMClient, userName: string, accessKeyId: string): Promise<void> {
  const sdk = await iamCommands();
  await iamStep("DeleteAccessKey", userName, () => iam.send(new sdk.DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId })));
}

async function createUserIfNew(iam: IAMClient, userName: string): Promise<boolean> {
  const sdk = await iamCommands();
  try {
    await iam.send(new sdk.CreateUserCommand({ UserName: userName, Tags: [{ Key: "created-by", Value: "streamdrop" }] }));
    return true;
  } catch (error) {
    if (awsErrorName(error) === "EntityAlreadyExists") return false;
    throw iamError("CreateUser", userName, error);
  }
}

interface KeySummary {
  id: string;
  status: string;
}

async function listKeys(iam: IAMClient, userName: string): Promise<KeySummary[]> {
  const sdk = await iamCommands();
  const listed = await iamStep("ListAccessKeys", userName, () => iam.send(new sdk.ListAccessKeysCommand({ UserName: userName })));
  return (listed.AccessKeyMetadata ?? []).map((key) => ({ id: key.AccessKeyId ?? "?", status: key.Status ?? "?" }));
}

async function explainExistingUser(iam: IAMClient, options: WriterOptions, keys: KeySummary[]): Promise<StreamdropError> {
  const sdk = await iamCommands();
  const { userName, policyName } = options;
  let policyState: string;
  try {
    const current = await iam.send(new sdk.GetUserPolicyCommand({ UserName: userName, PolicyName: policyName }));
    const document = JSON.parse(decodeURIComponent(current.PolicyDocument ?? "{}"));
    policyState =
      JSON.stringify(document) === JSON.stringify(options.policy)
        ? `has the policy ${policyName} for this bucket and prefix`
        : `has a policy ${policyName} that differs from the one needed (it will be replaced)`;
  } catch {
    policyState = `has no policy named ${policyName} yet`;
  }
  const keyList = keys.length === 0 ? "no access keys" : `${keys.length} access key(s): ${keys.map((key) => `${key.id} (${key.status})`).join(", ")}`;
  return new StreamdropError("conflict", `IAM user ${userName} already exists; it ${policyState} and ${keyList}.`, {
    fixes: [
      { id: "rotate-key", userName },
      { id: "other-iam-user", userName },
    ],
  });
}

async function iamStep<T>(step: string, userName: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof StreamdropError ? error : iamError(step, userName, error);
  }
}

function iamError(step: string, userName: string, error: unknown): StreamdropError {
  const failure = error as { name?: string; message?: string };
  const name = awsErrorName(error);
  if (name === "AccessDenied") {
    return new StreamdropError("storage", `The admin credentials may not do iam:${step} for user ${userName}. Use credentials with IAM administration rights.`);
  }
  if (name === "LimitExceeded") {
    return new StreamdropError(
      "conflict",
      `IAM refused ${step} for user ${userName}: a limit is reached (${failure.message}). An IAM user can have at most two access keys: delete one in the AWS console (IAM, Users, ${userName}, Security credentials).`,
    );
  }
  return new StreamdropError("storage", `IAM ${step} for user ${userName} failed: ${failure.name ?? "error"}: ${failure.message ?? String(error)}`);
}
