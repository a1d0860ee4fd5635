// The whole "I can create them" path: bucket, least-privilege policy, IAM user and key, and a
// validated sink whose key goes straight into the keychain. If the sink cannot be made, the new
// key is deleted again so no live credentials are left behind.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { FileKind } from "../../../../../common/record-format.js";
import type { SinkRecord } from "../../../config/schema.js";
import { StreamdropError } from "../../../errors.js";
import { checkName } from "../../../names.js";
import { checkBucketName } from "../../../sinks/bucket-name.js";
import { normalizePrefix } from "../../../sinks/path-prefix.js";
import type { SinkService } from "../../../sinks/sink-service.js";
import type { ValidationResult } from "../../validation.js";
import { adminAccess, adminIdentity, type AdminCredentials } from "./admin.js";
import { ensureBucket, type BucketOutcome } from "./bucket.js";
import { abortMultipartAfterDays } from "./bucket-rules.js";
import { newKeyErrors, whileIamPropagates } from "./propagation.js";
import { leastPrivilegePolicy } from "./policy.js";
import { checkUserName, createWriterKey, defaultPolicyName, defaultUserName, deleteAccessKey } from "./writer-user.js";

export interface S3SetupInput {
  bucket: string;
  pathPrefix?: string;
  region?: string;
  createBucket: boolean;
  userName?: string;
  policyName?: string;
  /** Defaults to the bucket's name. */
  sinkName?: string;
  endpoint?: string;
  /** Also save the key as `aws iam create-access-key` prints it (mode 0600); only when asked. */
  writeCredentialsFile?: string;
  rotateKey?: boolean;
  admin: AdminCredentials;
  /** How the sink's exporters will store files: the policy allows their suffixes. Plain .jsonl by default. */
  compressions?: FileKind[];
}

export interface S3SetupResult {
  sink: SinkRecord;
  validation: ValidationResult;
  bucket: BucketOutcome;
  userName: string;
  createdUser: boolean;
  accessKeyId: string;
  deletedKeyId?: string;
  credentialsFile?: string;
}

export type StepReporter = (message: string) => void;

export async function setupS3(sinks: SinkService, input: S3SetupInput, report: StepReporter = () => undefined): Promise<S3SetupResult> {
  const bucketName = checkBucketName(input.bucket);
  const pathPrefix = normalizePrefix(input.pathPrefix);
  const policy = leastPrivilegePolicy(bucketName, pathPrefix, input.compressions);
  const userName = checkUserName(input.userName ?? defaultUserName(bucketName));
  const sinkName = checkName("sink", input.sinkName ?? bucketName);
  const region = input.region ?? "us-east-1";
  if (input.writeCredentialsFile && existsSync(input.writeCredentialsFile)) throw credentialsFileExists(input.writeCredentialsFile);

  const access = adminAccess(input.admin, input.endpoint);
  const identity = await adminIdentity(access);
  report(`Using admin credentials of ${identity.arn} (account ${identity.account}); they are not stored.`);

  const bucket = await ensureBucket(access, bucketName, region, input.createBucket);
  report(
    bucket.state === "created"
      ? `Created bucket ${bucketName} in ${bucket.region}: public access blocked, incomplete multipart uploads aborted after ${abortMultipartAfterDays} days.`
      : `Bucket ${bucketName} exists (in ${bucket.region}); its settings were left as they are.`,
  );

  const previousKeyId = await previousKeyOf(sinks, sinkName, bucketName);
  const iam = await access.iam();
  const writer = await createWriterKey(iam, { userName, policyName: input.policyName ?? defaultPolicyName, policy, rotateKey: input.rotateKey ?? false });
  report(
    `${writer.createdUser ? "Created" : "Updated"} IAM user ${userName} with the least-privilege policy, and a new access key ${writer.accessKey.accessKeyId}.`,
  );

  let saved: Awaited<ReturnType<SinkService["create"]>>;
  try {
    if (input.writeCredentialsFile) await saveCredentialsFile(input.writeCredentialsFile, userName, writer.accessKey, writer.createDate);
    saved = await createSinkWhenKeyWorks(sinks, {
      name: sinkName,
      bucket: bucketName,
      credentials: { from: "access-key", accessKey: writer.accessKey },
      iamUser: userName,
      region: bucket.region,
      ...(pathPrefix ? { pathPrefix } : {}),
      ...(input.endpoint ? { endpoint: input.endpoint } : {}),
    });
  } catch (error) {
    // The key's secret would be lost with it: delete it rather than leave a live key nobody holds.
    await deleteAccessKey(iam, userName, writer.accessKey.accessKeyId).catch(() => undefined);
    throw error;
  }
  report(`${saved.created ? "Created" : "Updated"} sink ${sinkName}; the key is in the OS keychain. Validation file: ${saved.validation.uri}`);

  let deletedKeyId: string | undefined;
  if (previousKeyId && previousKeyId !== writer.accessKey.accessKeyId && writer.otherKeyIds.includes(previousKeyId)) {
    await deleteAccessKey(iam, userName, previousKeyId);
    deletedKeyId = previousKeyId;
    report(`Deleted the key the sink used before (${previousKeyId}).`);
  }
  return {
    sink: saved.sink,
    validation: saved.validation,
    bucket,
    userName,
    createdUser: writer.createdUser,
    accessKeyId: writer.accessKey.accessKeyId,
    ...(deletedKeyId ? { deletedKeyId } : {}),
    ...(input.writeCredentialsFile ? { credentialsFile: input.writeCredentialsFile } : {}),
  };
}

async function previousKeyOf(sinks: SinkService, sinkName: string, bucket: string): Promise<string | undefined> {
  const existing = (await sinks.list()).find((sink) => sink.name === sinkName);
  if (!existing) return undefined;
  if (existing.bucket !== bucket) {
    throw new StreamdropError("conflict", `Sink ${sinkName} already exists for bucket ${existing.bucket}. Choose another sink name.`, {
      fixes: [{ id: "set", setting: "sink-name" }],
    });
  }
  // Another store's sink under this name holds no AWS key to replace.
  if (existing.type !== "S3") return undefined;
  return sinks.secretOf(existing).then(
    (key) => key?.accessKeyId,
    () => undefined,
  );
}

/** New IAM keys take a few seconds to work everywhere in AWS; validation retries meanwhile. */
const createSinkWhenKeyWorks = (sinks: SinkService, input: Parameters<SinkService["create"]>[0]) => whileIamPropagates(() => sinks.create(input), newKeyErrors);

async function saveCredentialsFile(
  path: string,
  userName: string,
  accessKey: { accessKeyId: string; secretAccessKey: string },
  createDate: string,
): Promise<void> {
  const content = {
    AccessKey: { UserName: userName, AccessKeyId: accessKey.accessKeyId, Status: "Active", SecretAccessKey: accessKey.secretAccessKey, CreateDate: createDate },
  };
  try {
    // `wx`: never overwrite a file, which may hold other live credentials.
    await writeFile(path, `${JSON.stringify(content, null, 4)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === "EEXIST" ? credentialsFileExists(path) : new StreamdropError("invalid-input", `Could not write ${path} (${code}).`);
  }
}

const credentialsFileExists = (path: string) =>
  new StreamdropError("invalid-input", `${path} already exists; choose another file to write the credentials to (it is never overwritten).`, {
    fixes: [{ id: "set", setting: "write-credentials-file" }],
  });
